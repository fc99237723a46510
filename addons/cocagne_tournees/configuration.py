"""Garden settings of the rounds."""
from trytond.model import ModelSQL, fields
from trytond.modules.cocagne_base.configuration import default_func
from trytond.modules.company.model import CompanyValueMixin
from trytond.pool import Pool, PoolMeta

from . import routing

round_detour_factor = fields.Float(
    "Detour Factor", digits=(4, 2), required=True,
    domain=[('round_detour_factor', '>=', 1)],
    help="How much longer the roads are than the straight line between "
    "two stops (1.3 by default).")
round_speed = fields.Float(
    "Average Speed (km/h)", digits=(5, 1), required=True,
    domain=[('round_speed', '>', 0)],
    help="The average speed of the vans, to plan the arrival times.")
round_loss_location = fields.Many2One(
    'stock.location', "Loss Location", required=True,
    domain=[('type', '=', 'lost_found')],
    help="Where the losses found when a run is reconciled are posted.")
FIELDS = ['round_detour_factor', 'round_speed', 'round_loss_location']


class Configuration(metaclass=PoolMeta):
    __name__ = 'cocagne.configuration'
    round_detour_factor = fields.MultiValue(round_detour_factor)
    round_speed = fields.MultiValue(round_speed)
    round_loss_location = fields.MultiValue(round_loss_location)

    @classmethod
    def multivalue_model(cls, field):
        if field in FIELDS:
            return Pool().get('cocagne.configuration.tournees')
        return super().multivalue_model(field)

    default_round_detour_factor = default_func('round_detour_factor')
    default_round_speed = default_func('round_speed')
    default_round_loss_location = default_func('round_loss_location')


class ConfigurationTournees(ModelSQL, CompanyValueMixin):
    __name__ = 'cocagne.configuration.tournees'
    __string__ = "Cocagne Rounds Configuration"
    round_detour_factor = round_detour_factor
    round_speed = round_speed
    round_loss_location = round_loss_location

    @classmethod
    def default_round_detour_factor(cls):
        return routing.DETOUR

    @classmethod
    def default_round_speed(cls):
        return routing.SPEED

    @classmethod
    def default_round_loss_location(cls):
        try:
            return Pool().get('ir.model.data').get_id(
                'stock', 'location_lost_found')
        except KeyError:
            return None

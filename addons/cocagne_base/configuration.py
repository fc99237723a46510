"""Garden settings: the thresholds that each garden may set for itself."""
from sql import Column, Literal, Null

from trytond import backend
from trytond.cache import Cache
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.modules.company.model import (
    CompanyMultiValueMixin, CompanyValueMixin)
from trytond.pool import Pool
from trytond.transaction import Transaction

from .organic import EXPIRING_DAYS

certificate_expiring_days = fields.Integer(
    "Certificate Expiring Days", required=True,
    domain=[('certificate_expiring_days', '>=', 0)],
    help="A certificate counts as expiring this many days before its end.")
contract_max_weekly_hours = fields.Float(
    "Maximum Weekly Hours", digits=(4, 2), required=True,
    domain=[('contract_max_weekly_hours', '>', 0)],
    help="The longest working time a contract may have per week.")
insertion_weekly_hours = fields.Float(
    "Insertion Weekly Hours", digits=(4, 2), required=True,
    domain=[('insertion_weekly_hours', '>', 0)],
    help="The working time per week proposed for a new insertion "
    "contract.")
local_radius = fields.Float(
    "Local Radius (km)", digits=(6, 1), required=True,
    domain=[('local_radius', '>=', 0)],
    help="Producers within this distance of the garden are local.")
GARDEN_FIELDS = [
    'certificate_expiring_days', 'contract_max_weekly_hours',
    'insertion_weekly_hours', 'local_radius']


def default_func(name):
    "The default of the configuration field name: its value model's."
    @classmethod
    def default(cls, **pattern):
        return getattr(cls.multivalue_model(name), f'default_{name}')()
    return default


class Configuration(
        ModelSingleton, ModelSQL, ModelView, CompanyMultiValueMixin):
    __name__ = 'cocagne.configuration'
    __string__ = "Cocagne Configuration"
    certificate_expiring_days = fields.MultiValue(certificate_expiring_days)
    contract_max_weekly_hours = fields.MultiValue(contract_max_weekly_hours)
    insertion_weekly_hours = fields.MultiValue(insertion_weekly_hours)
    local_radius = fields.MultiValue(local_radius)

    @classmethod
    def multivalue_model(cls, field):
        if field in GARDEN_FIELDS:
            return Pool().get('cocagne.configuration.garden')
        return super().multivalue_model(field)

    default_certificate_expiring_days = default_func(
        'certificate_expiring_days')
    default_contract_max_weekly_hours = default_func(
        'contract_max_weekly_hours')
    default_insertion_weekly_hours = default_func('insertion_weekly_hours')
    default_local_radius = default_func('local_radius')

    _garden_values = Cache('cocagne.configuration.garden_value')

    @classmethod
    def garden_value(cls, name, company):
        """Return the setting name of company (a record or an id), cached
        since lists read it for each of their records."""
        company = getattr(company, 'id', company)
        key = (name, company)
        value = cls._garden_values.get(key, -1)
        if value == -1:
            value = cls(1).get_multivalue(name, company=company)
            cls._garden_values.set(key, value)
        return value


class ConfigurationGarden(ModelSQL, CompanyValueMixin):
    __name__ = 'cocagne.configuration.garden'
    __string__ = "Cocagne Garden Configuration"
    certificate_expiring_days = certificate_expiring_days
    contract_max_weekly_hours = contract_max_weekly_hours
    insertion_weekly_hours = insertion_weekly_hours
    local_radius = local_radius

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        Pool().get('cocagne.configuration')._garden_values.clear()

    @classmethod
    def __register__(cls, module):
        pool = Pool()
        Company = pool.get('company.company')
        cursor = Transaction().connection.cursor()
        exist = backend.TableHandler.table_exist(cls._table)

        super().__register__(module)

        # Migration from 8.0.0: the local radius was a column of the company
        company_h = Company.__table_handler__(module)
        if company_h.column_exist('local_radius'):
            if not exist:
                table = cls.__table__()
                company = Company.__table__()
                defaults = [Literal(getattr(cls, f'default_{n}')())
                    for n in GARDEN_FIELDS if n != 'local_radius']
                cursor.execute(*table.insert(
                        [table.company, table.local_radius]
                        + [Column(table, n) for n in GARDEN_FIELDS
                            if n != 'local_radius'],
                        company.select(
                            company.id, company.local_radius, *defaults,
                            where=company.local_radius != Null)))
            company_h.not_null_action('local_radius', 'remove')

    @classmethod
    def default_certificate_expiring_days(cls):
        return EXPIRING_DAYS

    @classmethod
    def default_contract_max_weekly_hours(cls):
        return 48.0

    @classmethod
    def default_insertion_weekly_hours(cls):
        return 26.0

    @classmethod
    def default_local_radius(cls):
        return 150.0

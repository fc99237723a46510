"""Harvest forecasts: what the market gardeners expect to pick in a week,
which the kitchen's plan takes before the stock and the purchases."""
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.cocagne_base.garden import GardenOwnedMixin
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import planning


class WeekMixin:
    "A week field that keeps the Monday of the day entered."
    __slots__ = ()

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('week'):
            values['week'], _ = planning.week_of(values['week'])
        return values


class HarvestForecast(WeekMixin, GardenOwnedMixin, ModelSQL, ModelView):
    "The quantity of a produce expected from the plots in a week"
    __name__ = 'cocagne.harvest.forecast'
    __string__ = "Harvest Forecast"
    company = fields.Many2One('company.company', "Garden", required=True)
    week = fields.Date(
        "Week", required=True,
        help="Any day of the week: the Monday is kept.")
    product = fields.Many2One(
        'product.product', "Product", required=True,
        domain=[
            ('type', '=', 'goods'),
            ('template.origin', '=', 'own'),
            ('template.company', 'in', [Eval('company', -1), None]),
            ],
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="A produce of the garden.")
    quantity = fields.Float(
        "Quantity", digits='unit', required=True,
        domain=[('quantity', '>', 0)])
    unit = fields.Function(
        fields.Many2One('product.uom', "Unit"), 'on_change_with_unit')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('week', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @fields.depends('product')
    def on_change_with_unit(self, name=None):
        return self.product.default_uom if self.product else None

    @classmethod
    def quantities(cls, company, monday, products):
        "The forecast quantity of each product in the week, per default unit."
        forecasts = cls.search([
                ('company', '=', company.id),
                ('week', '=', monday),
                ('product', 'in', [p.id for p in products]),
                ])
        result = {}
        for forecast in forecasts:
            result[forecast.product.id] = (
                result.get(forecast.product.id, 0) + forecast.quantity)
        return result

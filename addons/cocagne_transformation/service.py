"""Restaurant services (Tables de Cocagne): the covers planned and served
at each lunch or dinner, the takings, and the margin per cover per month."""
from collections import defaultdict
from decimal import Decimal
from itertools import chain

from sql.aggregate import Count, Min, Sum

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.cocagne_base.garden import GardenOwnedMixin
from trytond.modules.cocagne_base.timesheet import MonthMixin
from trytond.modules.currency.fields import Monetary
from trytond.modules.product import price_digits, round_price
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import cold, costing, planning
from .menu import SERVICES

KITCHEN_DOMAIN = [
    ('type', '=', 'warehouse'),
    ('site_kind', '=', 'kitchen'),
    ('company', 'in', [Eval('company', -1), None]),
    ]


class Service(GardenOwnedMixin, ModelSQL, ModelView):
    "A lunch or dinner service of a restaurant"
    __name__ = 'cocagne.catering.service'
    __string__ = "Restaurant Service"
    company = fields.Many2One('company.company', "Garden", required=True)
    site = fields.Many2One(
        'stock.location', "Restaurant", required=True, domain=KITCHEN_DOMAIN,
        help="The kitchen of the restaurant.")
    date = fields.Date("Date", required=True)
    service = fields.Selection(SERVICES[1:], "Service", required=True)
    menu = fields.Many2One(
        'cocagne.catering.menu', "Menu",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('kind', '=', 'restaurant'),
            ])
    planned_covers = fields.Integer(
        "Planned Covers",
        domain=['OR', ('planned_covers', '=', None),
            ('planned_covers', '>=', 0)],
        help="The covers that the kitchen prepares for.")
    served_covers = fields.Integer(
        "Served Covers",
        domain=['OR', ('served_covers', '=', None),
            ('served_covers', '>=', 0)])
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    takings = Monetary(
        "Takings", currency='currency', digits='currency',
        domain=['OR', ('takings', '=', None), ('takings', '>=', 0)],
        help="What the service took, taxes excluded.")
    cover_cost = fields.Numeric(
        "Cost per Cover", digits=price_digits, readonly=True,
        help="The cost of a cover of the menu when the service was saved.")
    food_cost = fields.Function(
        Monetary("Food Cost", currency='currency', digits='currency'),
        'get_margin')
    margin = fields.Function(
        Monetary("Margin", currency='currency', digits='currency'),
        'get_margin')
    margin_per_cover = fields.Function(
        Monetary("Margin per Cover", currency='currency', digits='currency'),
        'get_margin')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('service', 'ASC'), ('id', 'DESC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_service(cls):
        return 'lunch'

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('menu', 'site', 'date')
    def on_change_menu(self):
        if self.menu:
            if not self.site:
                self.site = self.menu.site
            if self.menu.date and not self.date:
                self.date = self.menu.date

    def get_rec_name(self, name):
        lang = Pool().get('ir.lang').get()
        services = dict(self.fields_get(['service'])['service']['selection'])
        return (f'{self.site.rec_name} - {lang.strftime(self.date)} '
            f'{services[self.service]}')

    @classmethod
    def create(cls, vlist):
        services = super().create(vlist)
        cls.set_cover_cost(services)
        return services

    @classmethod
    def write(cls, *args):
        super().write(*args)
        changed = sum((records for records, values in zip(
                    args[::2], args[1::2]) if 'menu' in values), [])
        cls.set_cover_cost(changed)

    @classmethod
    def set_cover_cost(cls, services):
        "Keep the menu's cost of a cover at the time of the service."
        by_cost = defaultdict(list)
        for service in services:
            cost = service.menu.cost_per_cover if service.menu else None
            if cost is not None:
                cost = round_price(cost)
            if cost != service.cover_cost:
                by_cost[cost].append(service)
        if by_cost:
            super().write(*chain(*((s, {'cover_cost': c})
                        for c, s in by_cost.items())))

    @classmethod
    def get_margin(cls, services, names):
        result = {n: {} for n in names}
        for service in services:
            cost = None
            if service.cover_cost is not None and service.served_covers:
                cost = round_price(service.cover_cost * service.served_covers)
            margin, per_cover = costing.margin(
                service.takings, cost, service.served_covers)
            values = {
                'food_cost': cost,
                'margin': margin,
                'margin_per_cover': per_cover,
                }
            for name in names:
                value = values[name]
                if value is not None and service.currency:
                    value = service.currency.round(value)
                result[name][service.id] = value
        return result


class ServiceMonth(GardenOwnedMixin, MonthMixin, ModelSQL, ModelView):
    "The services of a restaurant summed over a month"
    __name__ = 'cocagne.catering.service.month'
    __string__ = "Restaurant Margin per Month"
    company = fields.Many2One('company.company', "Garden")
    site = fields.Many2One('stock.location', "Restaurant")
    services = fields.Integer("Services")
    covers = fields.Integer("Served Covers")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')
    takings = Monetary("Takings", currency='currency', digits='currency')
    food_cost = Monetary("Food Cost", currency='currency', digits='currency')
    margin = fields.Function(
        Monetary("Margin", currency='currency', digits='currency'),
        'get_margin')
    margin_per_cover = fields.Function(
        Monetary("Margin per Cover", currency='currency', digits='currency'),
        'get_margin')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('year', 'DESC'), ('month', 'DESC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        service = Pool().get('cocagne.catering.service').__table__()
        year, month = cls.year_month(service)
        return service.select(
            Min(service.id).as_('id'),
            service.company.as_('company'),
            service.site.as_('site'),
            year.as_('year'),
            month.as_('month'),
            Count(service.id).as_('services'),
            Sum(service.served_covers).as_('covers'),
            Sum(service.takings).as_('takings'),
            Sum(service.served_covers * service.cover_cost).as_('food_cost'),
            group_by=[service.company, service.site, year, month])

    def get_currency(self, name):
        return self.company.currency.id if self.company else None

    def get_margin(self, name):
        margin, per_cover = costing.margin(
            self.takings, self.food_cost, self.covers)
        value = per_cover if name == 'margin_per_cover' else margin
        if value is not None:
            return self.company.currency.round(value)


class ServiceSalePoint(metaclass=PoolMeta):
    "The takings of a service read from the restaurant's till (sale_point)."
    __name__ = 'cocagne.catering.service'
    sale_point = fields.Many2One(
        'sale.point', "Till",
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        help="The till of the restaurant, whose tickets make the takings.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'fill_takings': {
                    'invisible': ~Eval('sale_point'),
                    'depends': ['sale_point'],
                    },
                })

    @classmethod
    @ModelView.button
    def fill_takings(cls, services):
        """Set the takings to the total, taxes excluded, of the till's
        tickets of the day rung during the service (lunch before 16:00)."""
        pool = Pool()
        Sale = pool.get('sale.point.sale')
        for service in services:
            if not service.sale_point:
                continue
            timezone = service.company.timezone
            tickets = Sale.search([
                    ('point', '=', service.sale_point.id),
                    ('date', '=', service.date),
                    ('state', 'in', ['done', 'posted']),
                    ])
            takings = Decimal(0)
            for ticket in tickets:
                hour = cold.local_time(ticket.create_date, timezone).hour
                if planning.service_of(hour) == service.service:
                    takings += ticket.total - ticket.total_tax
            service.takings = takings
        cls.save(services)

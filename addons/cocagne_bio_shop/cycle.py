# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Order cycles: a week's offers of the garden and its partner farms, with
their caps, the pickup places and the fees; opened by hand or by a
recurring template, closed at their close time."""
import datetime as dt

from sql import Null
from sql.aggregate import Count
from sql.operators import Equal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Exclude, ModelSQL, ModelView, Unique, Workflow,
    fields)
from trytond.modules.cocagne_base.garden import GardenOwnedMixin
from trytond.modules.product import price_digits, round_price
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction
from trytond.wizard import StateAction, Wizard

from . import schedule
from .capping import CappedMixin
from .catalogue import CatalogueMixin, clear_catalogues
from .exceptions import CycleError

STATES = [
    ('draft', "Draft"),
    ('open', "Open"),
    ('closed', "Closed"),
    ('done', "Done"),
    ('cancelled', "Cancelled"),
    ]
# the orders written at once: on SQLite, Tryton checks the constraints of
# the sales (web_shop's among them) in one query per call, which its parser
# refuses beyond about 100 records
BATCH = 50
# a cycle's content may change until it closes
EDITABLE = Eval('state').in_(['draft', 'open'])


def one_per_party(table):
    """The constraint of the orders or purchases (table) of a cycle: one per
    party and cycle, the cancelled ones aside."""
    return Exclude(table, (table.order_cycle, Equal), (table.party, Equal),
        where=(table.order_cycle != Null) & (table.state != 'cancelled'))


def cycle_name(shop, delivery_date):
    "The name of the cycle of shop delivered on delivery_date."
    Lang = Pool().get('ir.lang')
    return gettext('cocagne_bio_shop.msg_cycle_name',
        shop=shop.name, date=Lang.get().strftime(delivery_date))


class CompanyFromCycleMixin(GardenOwnedMixin):
    "A line of a cycle: its garden is the cycle's."
    __slots__ = ()
    company = fields.Function(
        fields.Many2One('company.company', "Garden"),
        'on_change_with_company', searcher='search_company')

    @fields.depends('cycle', '_parent_cycle.company')
    def on_change_with_company(self, name=None):
        return self.cycle.company if self.cycle else None

    @classmethod
    def search_company(cls, name, clause):
        return [('cycle.' + clause[0], *clause[1:])]


class OrderCycle(
        CatalogueMixin, GardenOwnedMixin, Workflow, ModelSQL, ModelView):
    "Order Cycle"
    __name__ = 'cocagne.order_cycle'
    __string__ = "Order Cycle"
    _states = {'readonly': ~EDITABLE}

    company = fields.Many2One('company.company', "Garden", required=True,
        states={'readonly': Eval('state') != 'draft'})
    shop = fields.Many2One('web.shop', "Shop", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '=', 'cocagne'),
            ],
        states={'readonly': Eval('state') != 'draft'})
    name = fields.Char("Name", required=True, states=_states)
    opens_at = fields.DateTime("Opens", required=True, states=_states)
    closes_at = fields.DateTime("Closes", required=True,
        domain=[('closes_at', '>', Eval('opens_at'))], states=_states)
    delivery_date = fields.Date("Delivery Date", required=True,
        states=_states)
    week = fields.Char("Week", readonly=True,
        help="The ISO week of the delivery, as 2026-W49.")
    template = fields.Many2One('cocagne.order_cycle.template', "Template",
        readonly=True, ondelete='RESTRICT',
        help="The recurring cycle that opened this one.")
    offers = fields.One2Many('cocagne.order_cycle.offer', 'cycle', "Offers",
        states=_states)
    pickups = fields.One2Many('cocagne.order_cycle.pickup', 'cycle',
        "Pickup Places", states=_states)
    fees = fields.One2Many('cocagne.order_cycle.fee', 'cycle', "Fees",
        states=_states)
    orders = fields.One2Many('sale.sale', 'order_cycle', "Orders",
        readonly=True)
    order_count = fields.Function(fields.Integer("Orders"),
        'get_order_count')
    state = fields.Selection(STATES, "State", readonly=True, required=True,
        sort=False)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('template_week_unique', Exclude(t,
                    (t.template, Equal), (t.week, Equal),
                    where=(t.template != Null) & (t.state != 'cancelled')),
                'cocagne_bio_shop.msg_cycle_template_week_unique'),
            ]
        cls._order = [('delivery_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'open'),
            ('open', 'draft'),
            ('open', 'closed'),
            ('closed', 'done'),
            ('draft', 'cancelled'),
            ('open', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': ~Eval('state').in_(['open', 'cancelled']),
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'open': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'do': {
                    'invisible': Eval('state') != 'closed',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'open']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'duplicate_next_week': {
                    'icon': 'tryton-copy',
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @fields.depends('company')
    def on_change_company(self):
        if self.company:
            WebShop = Pool().get('web.shop')
            shops = WebShop.search([
                    ('company', '=', self.company.id),
                    ('type', '=', 'cocagne'),
                    ], limit=1)
            self.shop = shops[0] if shops else None

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('delivery_date'):
            values['week'] = schedule.week_code(values['delivery_date'])
        return values

    @classmethod
    def validate_fields(cls, cycles, field_names):
        super().validate_fields(cycles, field_names)
        if field_names & {'closes_at', 'delivery_date'}:
            for cycle in cycles:
                if cycle.delivery_date < cycle.closes_at.date():
                    raise CycleError(gettext(
                            'cocagne_bio_shop.msg_cycle_delivery_before_close',
                            cycle=cycle.rec_name))

    @classmethod
    def get_order_count(cls, cycles, name):
        "The orders not cancelled of each cycle, counted by the database."
        sale = Pool().get('sale.sale').__table__()
        cursor = Transaction().connection.cursor()
        counts = dict.fromkeys(map(int, cycles), 0)
        for sub_ids in grouped_slice(counts, backend.MAX_QUERY_PARAMS):
            cursor.execute(*sale.select(sale.order_cycle, Count(sale.id),
                    where=fields.SQL_OPERATORS['in'](
                        sale.order_cycle, list(sub_ids))
                    & (sale.state != 'cancelled'),
                    group_by=[sale.order_cycle]))
            counts.update(cursor)
        return counts

    def get_rec_name(self, name):
        return self.name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('name',) + tuple(clause[1:])]

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, cycles):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def open(cls, cycles):
        for cycle in cycles:
            if not cycle.offers:
                raise CycleError(gettext('cocagne_bio_shop.msg_cycle_no_offer',
                        cycle=cycle.rec_name))
            if not cycle.pickups:
                raise CycleError(gettext(
                        'cocagne_bio_shop.msg_cycle_no_pickup',
                        cycle=cycle.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, cycles):
        """Close the cycles: their orders are confirmed, the partner farms'
        purchases made and sent."""
        pool = Pool()
        Sale = pool.get('sale.sale')
        now = dt.datetime.now()
        for cycle in cycles:
            if cycle.opens_at > now:
                raise CycleError(gettext(
                        'cocagne_bio_shop.msg_cycle_close_before_open',
                        cycle=cycle.rec_name, opens=cycle.opens_at))
        sales = Sale.search([
                ('order_cycle', 'in', [c.id for c in cycles]),
                ('state', 'in', ['draft', 'quotation']),
                ])
        Sale.confirm_cycle_orders(sales)
        pool.get('purchase.purchase').make_for_cycles(cycles)

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, cycles):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, cycles):
        Sale = Pool().get('sale.sale')
        sales = Sale.search([
                ('order_cycle', 'in', [c.id for c in cycles]),
                ('state', 'in', ['draft', 'quotation']),
                ])
        for orders in grouped_slice(sales, BATCH):
            Sale.cancel(Sale.browse(orders))

    @classmethod
    @ModelView.button_action(
        'cocagne_bio_shop.act_order_cycle_next_week')
    def duplicate_next_week(cls, cycles):
        pass

    @classmethod
    def copy_next_week(cls, cycles):
        """Copy cycles one week later, in draft, with their offers, pickup
        places and fees and nothing sold."""
        week = dt.timedelta(days=7)
        new = []
        for cycle in cycles:
            new.extend(cls.copy([cycle], default={
                        'name': cycle_name(cycle.shop,
                            cycle.delivery_date + week),
                        'opens_at': cycle.opens_at + week,
                        'closes_at': cycle.closes_at + week,
                        'delivery_date': cycle.delivery_date + week,
                        'pickups.starts_at': lambda d: (
                            d['starts_at'] + week if d['starts_at']
                            else None),
                        'pickups.ends_at': lambda d: (
                            d['ends_at'] + week if d['ends_at'] else None),
                        }))
        return new

    @classmethod
    def copy(cls, cycles, default=None):
        default = default.copy() if default else {}
        default.setdefault('state', 'draft')
        default.setdefault('orders')
        default.setdefault('template')
        return super().copy(cycles, default=default)

    @classmethod
    def check_modification(cls, mode, cycles, values=None, external=False):
        super().check_modification(
            mode, cycles, values=values, external=external)
        if mode == 'delete':
            for cycle in cycles:
                if cycle.state not in {'draft', 'cancelled'}:
                    raise CycleError(gettext(
                            'cocagne_bio_shop.msg_cycle_delete',
                            cycle=cycle.rec_name))

    @classmethod
    def open_due(cls):
        "Open the draft cycles whose opening time is past (a cron)."
        now = dt.datetime.now()
        cls.open(cls.search([
                    ('state', '=', 'draft'),
                    ('opens_at', '<=', now),
                    ('closes_at', '>', now),
                    ('offers', '!=', None),
                    ('pickups', '!=', None),
                    ]))

    @classmethod
    def close_due(cls):
        "Close the open cycles whose closing time is past (a cron)."
        cls.close(cls.search([
                    ('state', '=', 'open'),
                    ('closes_at', '<=', dt.datetime.now()),
                    ]))


class Offer(CatalogueMixin, CompanyFromCycleMixin, CappedMixin, ModelSQL,
        ModelView):
    "Order Cycle Offer"
    __name__ = 'cocagne.order_cycle.offer'
    __string__ = "Order Cycle Offer"
    _cap_field = 'cap'
    _taken_field = 'sold'

    cycle = fields.Many2One('cocagne.order_cycle', "Cycle", required=True,
        ondelete='CASCADE')
    product = fields.Many2One('product.product', "Product", required=True,
        domain=[('salable', '=', True)],
        context={'company': Eval('company', -1)}, depends={'company'})
    producer = fields.Many2One('party.party', "Producer", required=True,
        context={'company': Eval('company', -1)}, depends={'company'})
    supply = fields.Selection([
            ('own', "Own Produce"),
            ('purchase', "Bought from the Producer"),
            ('consignment', "On Consignment"),
            ], "Supply", required=True,
        help="Own produce of the garden; bought from the partner farm at "
        "close; or the farm's stock on consignment, paid once sold.")
    unit_price = fields.Numeric("Unit Price", digits=price_digits,
        required=True, domain=[('unit_price', '>=', 0)],
        help="The price per unit of the product, excluding taxes.")
    unit = fields.Function(fields.Many2One('product.uom', "Unit"),
        'on_change_with_unit')
    cap = fields.Float("Cap", digits='unit',
        domain=[If(Bool(Eval('cap', None)), ('cap', '>', 0), ())],
        help="The most that may be sold in the cycle; empty: no limit.")
    sold = fields.Float("Sold", digits='unit', readonly=True, required=True)
    remaining = fields.Function(fields.Float("Remaining", digits='unit'),
        'get_remaining')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('cycle_product_unique', Unique(t, t.cycle, t.product),
                'cocagne_bio_shop.msg_offer_unique'),
            ]

    @classmethod
    def default_sold(cls):
        return 0

    @classmethod
    def default_supply(cls):
        return 'purchase'

    @fields.depends('product')
    def on_change_with_unit(self, name=None):
        return self.product.sale_uom if self.product else None

    @fields.depends('product', 'cycle', '_parent_cycle.company',
        '_parent_cycle.shop')
    def on_change_product(self):
        pool = Pool()
        Product = pool.get('product.product')
        if not self.product:
            return
        template = self.product.template
        company = self.cycle.company if self.cycle else None
        if template.origin == 'partner' and template.producer:
            self.producer = template.producer
            self.supply = 'purchase'
        elif company:
            self.producer = company.party
            self.supply = 'own'
        if self.cycle and self.cycle.shop and company:
            with Transaction().set_context(self.cycle.shop.get_context()):
                prices = Product.get_sale_price([self.product], 1)
            price = prices.get(self.product.id)
            if price is not None:
                self.unit_price = round_price(price)

    def get_remaining(self, name):
        if self.cap is None:
            return None
        return self.unit.round(max(self.cap - (self.sold or 0), 0))

    def get_rec_name(self, name):
        return self.product.rec_name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('product.rec_name',) + tuple(clause[1:])]

    @classmethod
    def take(cls, deltas):
        refused = super().take(deltas)
        if not refused:
            # what remains of them changed
            clear_catalogues()
        return refused

    @classmethod
    def copy(cls, offers, default=None):
        default = default.copy() if default else {}
        default.setdefault('sold', 0)
        return super().copy(offers, default=default)

    @classmethod
    def validate_fields(cls, offers, field_names):
        super().validate_fields(offers, field_names)
        if field_names & {'cap', 'sold'}:
            for offer in offers:
                if offer.cap is not None and offer.sold > offer.cap + 1e-9:
                    raise CycleError(gettext(
                            'cocagne_bio_shop.msg_offer_cap_below_sold',
                            offer=offer.rec_name, cycle=offer.cycle.rec_name,
                            sold=offer.unit.round(offer.sold)))


class Pickup(CompanyFromCycleMixin, CappedMixin, ModelSQL, ModelView):
    "Order Cycle Pickup Place"
    __name__ = 'cocagne.order_cycle.pickup'
    __string__ = "Order Cycle Pickup Place"
    _cap_field = 'capacity'
    _taken_field = 'orders'

    cycle = fields.Many2One('cocagne.order_cycle', "Cycle", required=True,
        ondelete='CASCADE')
    place = fields.Many2One('cocagne.place', "Place", required=True,
        domain=[('company', '=', Eval('company', -1))])
    starts_at = fields.DateTime("From", required=True)
    ends_at = fields.DateTime("To", required=True,
        domain=[('ends_at', '>', Eval('starts_at'))])
    instructions = fields.Text("Instructions")
    capacity = fields.Integer("Capacity",
        domain=[If(Bool(Eval('capacity', None)), ('capacity', '>', 0), ())],
        help="The most orders collected here in the cycle; empty: no limit.")
    orders = fields.Integer("Orders", readonly=True, required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('cycle_place_unique', Unique(t, t.cycle, t.place),
                'cocagne_bio_shop.msg_pickup_unique'),
            ]

    @classmethod
    def default_orders(cls):
        return 0

    def get_rec_name(self, name):
        return self.place.rec_name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('place.rec_name',) + tuple(clause[1:])]

    @classmethod
    def copy(cls, pickups, default=None):
        default = default.copy() if default else {}
        default.setdefault('orders', 0)
        return super().copy(pickups, default=default)


class Fee(CatalogueMixin, CompanyFromCycleMixin, ModelSQL, ModelView):
    "Order Cycle Fee"
    __name__ = 'cocagne.order_cycle.fee'
    __string__ = "Order Cycle Fee"

    cycle = fields.Many2One('cocagne.order_cycle', "Cycle", required=True,
        ondelete='CASCADE')
    name = fields.Char("Name", required=True, translate=True)
    product = fields.Many2One('product.product', "Product", required=True,
        domain=[('type', '=', 'service'), ('salable', '=', True)],
        context={'company': Eval('company', -1)}, depends={'company'},
        help="The service sold on the customer's order for this fee.")
    basis = fields.Selection([
            ('order', "Per Order"),
            ('item', "Per Item"),
            ('kg', "Per Kilogram"),
            ], "Basis", required=True)
    amount = fields.Numeric("Amount", digits=price_digits, required=True,
        domain=[('amount', '>=', 0)], help="Excluding taxes.")
    payer = fields.Selection([
            ('customer', "Customer"),
            ('producer', "Producer"),
            ], "Paid By", required=True,
        help="Customer: added to each order.\n"
        "Producer: withheld from the producers' settlement.")

    @classmethod
    def default_basis(cls):
        return 'order'

    @classmethod
    def default_payer(cls):
        return 'customer'


class Template(GardenOwnedMixin, DeactivableMixin, ModelSQL, ModelView):
    "Recurring Order Cycle"
    __name__ = 'cocagne.order_cycle.template'
    __string__ = "Recurring Order Cycle"

    company = fields.Many2One('company.company', "Garden", required=True)
    shop = fields.Many2One('web.shop', "Shop", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '=', 'cocagne'),
            ])
    name = fields.Char("Name", required=True)
    model = fields.Many2One('cocagne.order_cycle', "Model Cycle",
        required=True,
        domain=[('company', '=', Eval('company', -1))],
        help="Each new cycle copies its offers, pickup places and fees.")
    delivery_weekday = fields.Many2One('ir.calendar.day', "Delivery Day",
        required=True)
    open_days = fields.Integer("Opens Days Before", required=True,
        domain=[('open_days', '>', Eval('close_days', 0))])
    open_time = fields.Time("Opening Time", required=True)
    close_days = fields.Integer("Closes Days Before", required=True,
        domain=[('close_days', '>=', 0)])
    close_time = fields.Time("Closing Time", required=True)
    weeks_ahead = fields.Integer("Weeks Ahead", required=True,
        domain=[('weeks_ahead', '>=', 1)],
        help="How many weeks of cycles exist in advance.")
    cycles = fields.One2Many('cocagne.order_cycle', 'template', "Cycles",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'generate': {'icon': 'tryton-launch'},
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_open_days(cls):
        return 6

    @classmethod
    def default_close_days(cls):
        return 2

    @classmethod
    def default_open_time(cls):
        return dt.time(8, 0)

    @classmethod
    def default_close_time(cls):
        return dt.time(20, 0)

    @classmethod
    def default_weeks_ahead(cls):
        return 1

    @classmethod
    @ModelView.button
    def generate(cls, templates):
        cls.generate_cycles(templates)

    @classmethod
    def generate_cycles(cls, templates=None, today=None):
        """Create the cycles of the coming weeks of templates (all the
        active ones by default) that do not exist yet; return them. Run as
        often as wanted, it never makes two cycles for one week."""
        pool = Pool()
        Cycle = pool.get('cocagne.order_cycle')
        Date = pool.get('ir.date')
        if templates is None:
            templates = cls.search([])
        created = []
        for template in templates:
            # one template at a time: a second run waits, then finds them
            cls.lock([template])
            with Transaction().set_context(company=template.company.id):
                today_ = today or Date.today()
            weekday = int(template.delivery_weekday.index)
            mondays = schedule.weeks_to_open(today_, weekday,
                template.close_days, template.weeks_ahead)
            existing = {c.week for c in Cycle.search([
                        ('template', '=', template.id),
                        ('state', '!=', 'cancelled'),
                        ])}
            for monday in mondays:
                week = schedule.week_code(monday)
                if week in existing:
                    continue
                created.append(template._create_cycle(monday))
        return created

    def _create_cycle(self, monday):
        Cycle = Pool().get('cocagne.order_cycle')
        delivery, opens, closes = schedule.cycle_dates(monday,
            int(self.delivery_weekday.index), self.open_days,
            self.open_time, self.close_days, self.close_time,
            self.company.timezone)
        shift = dt.timedelta(days=(delivery - self.model.delivery_date).days)
        cycle, = Cycle.copy([self.model], default={
                'name': cycle_name(self.shop, delivery),
                'shop': self.shop.id,
                'template': self.id,
                'opens_at': opens,
                'closes_at': closes,
                'delivery_date': delivery,
                'pickups.starts_at': lambda d: d['starts_at'] + shift,
                'pickups.ends_at': lambda d: d['ends_at'] + shift,
                })
        return cycle


class NextWeek(Wizard):
    "Duplicate Order Cycle for Next Week"
    __name__ = 'cocagne.order_cycle.next_week'
    start = StateAction('cocagne_bio_shop.act_order_cycle')

    def do_start(self, action):
        cycles = self.model.copy_next_week(self.records)
        action['views'].reverse()
        return action, {'res_id': [c.id for c in cycles]}

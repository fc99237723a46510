# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Weekly vegetable baskets: the sizes a garden sells, the members'
subscriptions (drop point, absences, normal or solidarity price), the
composition of each size in a cycle, which puts each present member's
basket on their order of the cycle, and the solidarity gap of each basket
solidarity-priced, to be charged to a grant."""
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby
from operator import attrgetter

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.modules.cocagne_base.garden import GardenOwnedMixin
from trytond.modules.cocagne_base.organic import covers
from trytond.modules.company import CompanyReport
from trytond.modules.currency.fields import Monetary
from trytond.modules.product import price_digits
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .cycle import CompanyFromCycleMixin
from .exceptions import BasketError, OrderError

TIERS = [
    ('normal', "Normal"),
    ('solidarity', "Solidarity"),
    ]


def solidarity_price(price, rate, exp=Decimal('0.01')):
    "The price paid for a basket of price at the solidarity rate paid."
    return (price * rate).quantize(exp, rounding=ROUND_HALF_UP)


class Size(GardenOwnedMixin, DeactivableMixin, ModelSQL, ModelView):
    "Basket Size"
    __name__ = 'cocagne.basket.size'
    __string__ = "Basket Size"

    company = fields.Many2One('company.company', "Garden", required=True)
    name = fields.Char("Name", required=True)
    product = fields.Many2One('product.product', "Product", required=True,
        domain=[
            ('type', '=', 'goods'),
            ('salable', '=', True),
            ],
        context={'company': Eval('company', -1)}, depends={'company'},
        help="The product sold on the member's order for a basket.")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    price = Monetary("Normal Price", currency='currency', digits=price_digits,
        required=True, domain=[('price', '>=', 0)],
        help="The price of a basket, excluding taxes, before any "
        "solidarity rate.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('product', 'price', 'company')
    def on_change_product(self):
        if self.product and self.price is None and self.company:
            # the list price is a value of the garden
            with Transaction().set_context(company=self.company.id):
                self.price = type(self.product)(self.product.id).list_price


class Subscription(GardenOwnedMixin, Workflow, ModelSQL, ModelView):
    "Basket Subscription"
    __name__ = 'cocagne.basket.subscription'
    __string__ = "Basket Subscription"
    _states = {'readonly': Eval('state') == 'closed'}

    company = fields.Many2One('company.company', "Garden", required=True,
        states={'readonly': Eval('state') != 'draft'})
    member = fields.Many2One('party.party', "Member", required=True,
        context={'company': Eval('company', -1)}, depends={'company'},
        states={'readonly': Eval('state') != 'draft'})
    size = fields.Many2One('cocagne.basket.size', "Basket Size",
        required=True, domain=[('company', '=', Eval('company', -1))],
        states=_states)
    drop_point = fields.Many2One('cocagne.place', "Drop Point",
        required=True, domain=[('company', '=', Eval('company', -1))],
        states=_states,
        help="Where the member collects the basket: a pickup place of "
        "each cycle.")
    start_date = fields.Date("Start Date", required=True, states=_states)
    end_date = fields.Date("End Date", states=_states,
        help="Empty: until the subscription is closed.")
    absences = fields.One2Many('cocagne.basket.subscription.absence',
        'subscription', "Absences", states=_states,
        help="The weeks without basket: a cycle delivered in an absence "
        "is skipped.")
    tier = fields.Selection(TIERS, "Price Tier", required=True,
        states=_states)
    solidarity_rate = fields.Numeric("Share Paid", digits=(16, 4),
        domain=[
            If(Eval('tier') == 'solidarity', [
                    ('solidarity_rate', '>', 0),
                    ('solidarity_rate', '<', 1),
                    ], []),
            ],
        states={
            'invisible': Eval('tier') != 'solidarity',
            'required': Eval('tier') == 'solidarity',
            'readonly': Eval('state') == 'closed',
            },
        help="The share of the normal price the member pays, "
        "as 50 %.")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    price = fields.Function(Monetary("Price Paid", currency='currency',
            digits=price_digits), 'on_change_with_price')
    baskets = fields.One2Many('sale.line', 'basket_subscription', "Baskets",
        readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('running', "Running"),
            ('closed', "Closed"),
            ], "State", readonly=True, required=True, sort=False)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'running'),
            ('running', 'draft'),
            ('running', 'closed'),
            ('closed', 'running'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': Eval('state') != 'running',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'run': {
                    'invisible': Eval('state') == 'running',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'running',
                    'icon': 'tryton-close',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_start_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_tier(cls):
        return 'normal'

    @classmethod
    def default_state(cls):
        return 'draft'

    @fields.depends('tier', 'solidarity_rate')
    def on_change_tier(self):
        if self.tier == 'solidarity' and self.solidarity_rate is None:
            self.solidarity_rate = Decimal('0.5')
        elif self.tier == 'normal':
            self.solidarity_rate = None

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('size', 'tier', 'solidarity_rate')
    def on_change_with_price(self, name=None):
        if self.size and self.size.price is not None:
            return self.prices()[1]

    def prices(self):
        "(normal, paid) price of a basket, excluding taxes."
        normal = self.size.price
        if self.tier == 'solidarity' and self.solidarity_rate is not None:
            return normal, solidarity_price(normal, self.solidarity_rate)
        return normal, normal

    def get_rec_name(self, name):
        return f'{self.member.rec_name} - {self.size.rec_name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('member.rec_name', operator, operand, *extra),
            ('size.rec_name', operator, operand, *extra),
            ]

    @classmethod
    def validate_fields(cls, subscriptions, field_names):
        super().validate_fields(subscriptions, field_names)
        if field_names & {'start_date', 'end_date'}:
            lang = Pool().get('ir.lang').get()
            for subscription in subscriptions:
                if (subscription.end_date
                        and subscription.end_date < subscription.start_date):
                    raise BasketError(gettext(
                            'cocagne_bio_shop.msg_basket_subscription_dates',
                            subscription=subscription.rec_name,
                            start=lang.strftime(subscription.start_date),
                            end=lang.strftime(subscription.end_date)))

    def is_absent(self, date):
        "Whether the member is away in the week delivered on date."
        return covers(
            [(a.start_date, a.end_date) for a in self.absences], date)

    @classmethod
    def running_on(cls, company, date, sizes=None):
        "The running subscriptions of company for a cycle delivered on date."
        domain = [
            ('company', '=', company.id),
            ('state', '=', 'running'),
            ('start_date', '<=', date),
            ['OR', ('end_date', '=', None), ('end_date', '>=', date)],
            ]
        if sizes is not None:
            domain.append(('size', 'in', [s.id for s in sizes]))
        return cls.search(domain)

    @classmethod
    def copy(cls, subscriptions, default=None):
        default = default.copy() if default else {}
        default.setdefault('state', 'draft')
        default.setdefault('baskets')
        return super().copy(subscriptions, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, subscriptions):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('running')
    def run(cls, subscriptions):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, subscriptions):
        pass


class Absence(GardenOwnedMixin, ModelSQL, ModelView):
    "Basket Subscription Absence"
    __name__ = 'cocagne.basket.subscription.absence'
    __string__ = "Basket Subscription Absence"

    subscription = fields.Many2One('cocagne.basket.subscription',
        "Subscription", required=True, ondelete='CASCADE')
    company = fields.Function(
        fields.Many2One('company.company', "Garden"),
        'on_change_with_company', searcher='search_company')
    start_date = fields.Date("From", required=True)
    end_date = fields.Date("To", required=True)
    reason = fields.Char("Reason")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('subscription')
        cls._order = [('start_date', 'ASC'), ('id', 'ASC')]

    @fields.depends('subscription', '_parent_subscription.company')
    def on_change_with_company(self, name=None):
        return self.subscription.company if self.subscription else None

    @classmethod
    def search_company(cls, name, clause):
        return [('subscription.' + clause[0], *clause[1:])]

    @fields.depends('start_date', 'end_date')
    def on_change_start_date(self):
        if self.start_date and not self.end_date:
            self.end_date = self.start_date

    @classmethod
    def validate_fields(cls, absences, field_names):
        super().validate_fields(absences, field_names)
        if field_names & {'start_date', 'end_date'}:
            lang = Pool().get('ir.lang').get()
            for absence in absences:
                if absence.end_date < absence.start_date:
                    raise BasketError(gettext(
                            'cocagne_bio_shop.msg_basket_absence_dates',
                            subscription=absence.subscription.rec_name,
                            start=lang.strftime(absence.start_date),
                            end=lang.strftime(absence.end_date)))


class Composition(CompanyFromCycleMixin, ModelSQL, ModelView):
    "Basket Composition"
    __name__ = 'cocagne.basket.composition'
    __string__ = "Basket Composition"

    cycle = fields.Many2One('cocagne.order_cycle', "Cycle", required=True,
        ondelete='RESTRICT',
        domain=[('state', 'in', ['draft', 'open'])],
        states={'readonly': Eval('basket_count', 0) > 0})
    size = fields.Many2One('cocagne.basket.size', "Basket Size",
        required=True,
        domain=[('company', '=', Eval('company', -1))],
        states={'readonly': Eval('basket_count', 0) > 0})
    lines = fields.One2Many('cocagne.basket.composition.line', 'composition',
        "Contents", states={'readonly': Eval('basket_count', 0) > 0},
        help="What each basket holds, taken from the cycle's offers.")
    baskets = fields.One2Many('sale.line', 'basket_composition', "Baskets",
        readonly=True, filter=[('sale.state', '!=', 'cancelled')])
    basket_count = fields.Function(fields.Integer("Baskets"),
        'get_basket_count')
    cycle_state = fields.Function(fields.Selection('get_cycle_states',
            "Cycle State"), 'on_change_with_cycle_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('cycle_size_unique', Unique(t, t.cycle, t.size),
                'cocagne_bio_shop.msg_basket_composition_unique'),
            ]
        cls._buttons.update({
                'generate': {
                    'invisible': Eval('cycle_state') != 'open',
                    'icon': 'tryton-launch',
                    'depends': ['cycle_state'],
                    },
                })

    @classmethod
    def get_cycle_states(cls):
        Cycle = Pool().get('cocagne.order_cycle')
        return Cycle.fields_get(['state'])['state']['selection']

    @fields.depends('cycle', '_parent_cycle.state')
    def on_change_with_cycle_state(self, name=None):
        return self.cycle.state if self.cycle else None

    @classmethod
    def get_basket_count(cls, compositions, name):
        return {c.id: len(c.baskets) for c in compositions}

    def get_rec_name(self, name):
        return f'{self.size.rec_name} - {self.cycle.rec_name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('size.rec_name', operator, operand, *extra),
            ('cycle.rec_name', operator, operand, *extra),
            ]

    @classmethod
    def validate_fields(cls, compositions, field_names):
        super().validate_fields(compositions, field_names)
        if 'cycle' in field_names:
            Line = Pool().get('cocagne.basket.composition.line')
            Line.check_offered([l for c in compositions for l in c.lines])

    @classmethod
    def check_modification(cls, mode, compositions, values=None,
            external=False):
        super().check_modification(
            mode, compositions, values=values, external=external)
        if mode == 'delete' or (mode == 'write'
                and {'cycle', 'size', 'lines'} & set(values or {})):
            cls.check_no_basket(compositions)

    @classmethod
    def check_no_basket(cls, compositions):
        "Refuse to change a composition whose baskets are on orders."
        for composition in compositions:
            if composition.baskets:
                raise BasketError(gettext(
                        'cocagne_bio_shop.msg_basket_composition_generated',
                        composition=composition.rec_name,
                        count=len(composition.baskets)))

    def offer_quantities(self):
        "{offer: quantity} one basket takes from the cycle's offers."
        offers = {o.product: o for o in self.cycle.offers}
        quantities = defaultdict(float)
        for line in self.lines:
            if line.product in offers:
                quantities[offers[line.product]] += line.quantity
        return quantities

    @classmethod
    @ModelView.button
    def generate(cls, compositions):
        cls.generate_baskets(compositions)

    @classmethod
    def generate_baskets(cls, compositions):
        """Put on the order of the cycle of each present member subscribed
        to the compositions' sizes their basket, unless it is there already;
        return the new basket lines. The members away that week are
        skipped; the contents are taken from the offers' caps."""
        pool = Pool()
        Subscription = pool.get('cocagne.basket.subscription')
        Line = pool.get('sale.line')
        Gap = pool.get('cocagne.basket.solidarity_gap')
        created = []
        key = attrgetter('cycle.id')
        for _, group in groupby(sorted(compositions, key=key), key=key):
            group = list(group)
            cycle = group[0].cycle
            if cycle.state != 'open':
                raise OrderError(gettext(
                        'cocagne_bio_shop.msg_order_not_open',
                        cycle=cycle.rec_name))
            by_size = {c.size: c for c in group}
            date = cycle.delivery_date
            subscriptions = Subscription.running_on(
                cycle.company, date, sizes=list(by_size))
            done = {l.basket_subscription for l in Line.search([
                        ('basket_subscription', 'in',
                            [s.id for s in subscriptions]),
                        ('sale.order_cycle', '=', cycle.id),
                        ('sale.state', '!=', 'cancelled'),
                        ])}
            present = [s for s in subscriptions
                if s not in done and not s.is_absent(date)]
            if not present:
                continue
            orders = cls._basket_orders(cycle, present)
            lines = [by_size[s.size]._basket_line(orders[s.member], s)
                for s in present]
            Line.save(lines)
            Gap.record(lines)
            created.extend(lines)
        return created

    @classmethod
    def _basket_orders(cls, cycle, subscriptions):
        """{member: order of cycle} for the members of subscriptions, at
        their drop point: their order of the cycle moved there, or a new
        one."""
        pool = Pool()
        Sale = pool.get('sale.sale')
        pickups = {p.place: p for p in cycle.pickups}
        places = {}
        for subscription in subscriptions:
            if subscription.drop_point not in pickups:
                raise BasketError(gettext(
                        'cocagne_bio_shop.msg_basket_drop_point_not_pickup',
                        member=subscription.member.rec_name,
                        place=subscription.drop_point.rec_name,
                        cycle=cycle.rec_name))
            places[subscription.member] = pickups[subscription.drop_point]
        orders = {s.party: s for s in Sale.search([
                    ('order_cycle', '=', cycle.id),
                    ('party', 'in', [m.id for m in places]),
                    ('state', '!=', 'cancelled'),
                    ])}
        for sale in orders.values():
            if sale.state not in {'draft', 'quotation'}:
                raise OrderError(gettext(
                        'cocagne_bio_shop.msg_order_cycle_closed',
                        sale=sale.rec_name, cycle=cycle.rec_name))
        Sale.draft([s for s in orders.values() if s.state == 'quotation'])
        moved = [s for s in orders.values() if s.pickup != places[s.party]]
        if moved:
            Sale.write(*[a for s in moved
                    for a in ([s], {'pickup': places[s.party].id})])
        new = []
        for member, pickup in places.items():
            if member not in orders:
                if not member.address_get(type='invoice'):
                    raise OrderError(gettext(
                            'cocagne_bio_shop.msg_order_no_address',
                            party=member.rec_name))
                sale = cycle.shop.get_sale(member)
                sale.order_cycle = cycle
                sale.on_change_order_cycle()
                sale.pickup = pickup
                orders[member] = sale
                new.append(sale)
        Sale.save(new)
        return orders

    def _basket_line(self, sale, subscription):
        "The line of the basket of subscription on sale."
        Line = Pool().get('sale.line')
        product = self.size.product
        line = Line(sale=sale, type='line', product=product, quantity=1,
            unit=product.sale_uom, basket_subscription=subscription,
            basket_composition=self)
        line.on_change_product()
        line.unit = product.sale_uom
        line.unit_price = subscription.prices()[1]
        line.description = self.size.name
        return line


class CompositionLine(GardenOwnedMixin, ModelSQL, ModelView):
    "Basket Composition Line"
    __name__ = 'cocagne.basket.composition.line'
    __string__ = "Basket Composition Line"

    composition = fields.Many2One('cocagne.basket.composition',
        "Composition", required=True, ondelete='CASCADE')
    company = fields.Function(
        fields.Many2One('company.company', "Garden"),
        'on_change_with_company', searcher='search_company')
    product = fields.Many2One('product.product', "Product", required=True,
        domain=[('type', '=', 'goods')],
        context={'company': Eval('company', -1)}, depends={'company'},
        help="A product offered in the cycle.")
    quantity = fields.Float("Quantity", digits='unit', required=True,
        domain=[('quantity', '>', 0)])
    unit = fields.Function(fields.Many2One('product.uom', "Unit"),
        'on_change_with_unit')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('composition')

    @fields.depends('composition', '_parent_composition.cycle')
    def on_change_with_company(self, name=None):
        if self.composition and self.composition.cycle:
            return self.composition.cycle.company

    @classmethod
    def search_company(cls, name, clause):
        return [('composition.cycle.' + clause[0], *clause[1:])]

    @fields.depends('product')
    def on_change_with_unit(self, name=None):
        return self.product.sale_uom if self.product else None

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        if field_names & {'product', 'composition'}:
            cls.check_offered(lines)

    @classmethod
    def check_offered(cls, lines):
        "Refuse a product of a composition not offered in its cycle."
        offered = {}
        for line in lines:
            cycle = line.composition.cycle
            if cycle.id not in offered:
                offered[cycle.id] = {o.product for o in cycle.offers}
            if line.product not in offered[cycle.id]:
                raise BasketError(gettext(
                        'cocagne_bio_shop.msg_basket_composition_not_offered',
                        product=line.product.rec_name,
                        size=line.composition.size.rec_name,
                        cycle=cycle.rec_name))

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        Composition = Pool().get('cocagne.basket.composition')
        Composition.check_no_basket(list({l.composition for l in lines}))


class SolidarityGap(GardenOwnedMixin, ModelSQL, ModelView):
    "Solidarity Basket Gap"
    __name__ = 'cocagne.basket.solidarity_gap'
    __string__ = "Solidarity Basket Gap"

    company = fields.Many2One('company.company', "Garden", required=True,
        readonly=True)
    subscription = fields.Many2One('cocagne.basket.subscription',
        "Subscription", required=True, readonly=True, ondelete='RESTRICT')
    member = fields.Function(fields.Many2One('party.party', "Member",
            context={'company': Eval('company', -1)}, depends={'company'}),
        'get_member', searcher='search_member')
    cycle = fields.Many2One('cocagne.order_cycle', "Cycle", required=True,
        readonly=True, ondelete='RESTRICT')
    date = fields.Date("Date", required=True, readonly=True,
        help="The delivery date of the basket.")
    sale_line = fields.Many2One('sale.line', "Basket", required=True,
        readonly=True, ondelete='CASCADE')
    sale_state = fields.Function(fields.Selection('get_sale_states',
            "Order State"), 'get_sale_state')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')
    normal = Monetary("Normal Price", currency='currency',
        digits=price_digits, required=True, readonly=True)
    paid = Monetary("Price Paid", currency='currency', digits=price_digits,
        required=True, readonly=True)
    gap = Monetary("Gap", currency='currency', digits=price_digits,
        required=True, readonly=True,
        help="The normal price less the price paid, excluding taxes.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    def get_member(self, name):
        return self.subscription.member.id

    @classmethod
    def search_member(cls, name, clause):
        return [('subscription.member' + clause[0][len(name):],
                *clause[1:])]

    @classmethod
    def get_sale_states(cls):
        Sale = Pool().get('sale.sale')
        return Sale.fields_get(['state'])['state']['selection']

    def get_sale_state(self, name):
        return self.sale_line.sale.state

    def get_currency(self, name):
        return self.company.currency.id

    def get_rec_name(self, name):
        lang = Pool().get('ir.lang').get()
        return (f'{self.subscription.member.rec_name} '
            f'({lang.strftime(self.date)})')

    @classmethod
    def record(cls, lines):
        "Record the gap of each basket line of a solidarity subscription."
        values = []
        for line in lines:
            subscription = line.basket_subscription
            normal, paid = subscription.prices()
            if normal == paid:
                continue
            cycle = line.sale.order_cycle
            values.append({
                    'company': subscription.company.id,
                    'subscription': subscription.id,
                    'cycle': cycle.id,
                    'date': cycle.delivery_date,
                    'sale_line': line.id,
                    'normal': normal,
                    'paid': paid,
                    'gap': normal - paid,
                    })
        return cls.create(values)


class SaleLine(metaclass=PoolMeta):
    __name__ = 'sale.line'

    basket_subscription = fields.Many2One('cocagne.basket.subscription',
        "Basket Subscription", readonly=True, ondelete='RESTRICT',
        states={'invisible': ~Eval('basket_subscription')})
    basket_composition = fields.Many2One('cocagne.basket.composition',
        "Basket Composition", readonly=True, ondelete='RESTRICT',
        states={'invisible': ~Eval('basket_composition')})

    @classmethod
    def _taken(cls, lines):
        "A basket takes its composition from the cycle's offers."
        taken = super()._taken(lines)
        # one basket's contents per composition, whatever its baskets
        contents = {}
        for line in lines:
            if line.basket_composition and line.sale.state != 'cancelled':
                composition = line.basket_composition
                if composition.id not in contents:
                    contents[composition.id] = (
                        composition.offer_quantities().items())
                for offer, quantity in contents[composition.id]:
                    taken[offer.id] += quantity * (line.quantity or 0)
        return taken

    @classmethod
    def copy(cls, lines, default=None):
        default = default.copy() if default else {}
        default.setdefault('basket_subscription')
        default.setdefault('basket_composition')
        return super().copy(lines, default=default)


def drop_lists(cycle):
    """For each drop point of cycle, in the order of its pickup places: the
    baskets to hand over (member, phone, size, solidarity) and the members
    away that week."""
    pool = Pool()
    Line = pool.get('sale.line')
    Subscription = pool.get('cocagne.basket.subscription')
    date = cycle.delivery_date
    lists = {p.place: {'place': p.place, 'pickup': p, 'baskets': [],
            'absent': []} for p in cycle.pickups}

    def drop(place):
        return lists.setdefault(place, {'place': place, 'pickup': None,
                'baskets': [], 'absent': []})
    lines = Line.search([
            ('sale.order_cycle', '=', cycle.id),
            ('sale.state', '!=', 'cancelled'),
            ('basket_subscription', '!=', None),
            ])
    served = set()
    for line in lines:
        subscription = line.basket_subscription
        served.add(subscription)
        drop(subscription.drop_point)['baskets'].append(
            basket_row(subscription))
    for subscription in Subscription.running_on(cycle.company, date):
        if subscription not in served and subscription.is_absent(date):
            drop(subscription.drop_point)['absent'].append(
                basket_row(subscription))
    for value in lists.values():
        value['baskets'].sort(key=lambda r: r['member'])
        value['absent'].sort(key=lambda r: r['member'])
    return list(lists.values())


def basket_row(subscription):
    "A member's row of a drop-point list."
    member = subscription.member
    return {
        'member': member.rec_name,
        'phone': member.phone or member.mobile or '',
        'size': subscription.size.rec_name,
        'solidarity': subscription.tier == 'solidarity',
        }


class DropList(CompanyReport):
    "The drop-point lists of the baskets of cycles, in PDF"
    __name__ = 'cocagne.basket.drop_list'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['lang'] = Pool().get('ir.lang').get()
        context['cycles'] = [(c, drop_lists(c)) for c in records]
        return context


class SolidarityGapGrant(metaclass=PoolMeta):
    "The solidarity gaps charged to a grant (with cocagne_subventions)"
    __name__ = 'cocagne.basket.solidarity_gap'

    allocation = fields.Many2One('cocagne.grant.allocation', "Allocation",
        readonly=True, ondelete='SET NULL',
        help="The grant allocation the gap is charged to.")
    grant = fields.Function(fields.Many2One('cocagne.grant', "Grant"),
        'get_grant', searcher='search_grant')

    def get_grant(self, name):
        return self.allocation.grant.id if self.allocation else None

    @classmethod
    def search_grant(cls, name, clause):
        return [('allocation.grant' + clause[0][len(name):], *clause[1:])]


class GrantAllocation(metaclass=PoolMeta):
    """An allocation of the solidarity gaps of baskets to a grant (with
    cocagne_subventions): its amounts are the gaps' total and its date the
    last basket's."""
    __name__ = 'cocagne.grant.allocation'

    basket_gaps = fields.One2Many('cocagne.basket.solidarity_gap',
        'allocation', "Solidarity Basket Gaps", add_remove=[
            ('allocation', '=', None),
            ('sale_line.sale.state', '!=', 'cancelled'),
            ],
        domain=[('company', '=', Eval('company', -1))],
        states={
            'invisible': Eval('kind') != 'basket_gap',
            'required': Eval('kind') == 'basket_gap',
            })

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.kind.selection = cls.kind.selection + [
            ('basket_gap', "Solidarity basket gaps")]

    @classmethod
    def allocate_basket_gaps(cls, budget_line, start, end, description):
        """Charge to budget_line the solidarity gaps of its garden's baskets
        delivered from start to end, not charged yet; return the allocation
        or None if there is none."""
        Gap = Pool().get('cocagne.basket.solidarity_gap')
        gaps = Gap.search([
                ('company', '=', budget_line.grant.company.id),
                ('date', '>=', start),
                ('date', '<=', end),
                ('allocation', '=', None),
                ('sale_line.sale.state', '!=', 'cancelled'),
                ])
        if not gaps:
            return None
        allocation, = cls.create([{
                    'grant': budget_line.grant.id,
                    'budget_line': budget_line.id,
                    'kind': 'basket_gap',
                    'date': max(g.date for g in gaps),
                    'description': description,
                    'basket_gaps': [('add', [g.id for g in gaps])],
                    }])
        return allocation

    @fields.depends('basket_gaps')
    def on_change_with_amount(self, name=None):
        return super().on_change_with_amount(name=name)

    def source_values(self):
        values = super().source_values()
        if self.kind == 'basket_gap':
            currency = self.grant.company.currency if self.grant else None
            total = sum((g.gap for g in self.basket_gaps), Decimal(0))
            if currency:
                total = currency.round(total)
            values['untaxed_amount'] = values['taxed_amount'] = total
            values['supplier'] = None
            values['reference'] = None
            if self.basket_gaps:
                values['date'] = max(g.date for g in self.basket_gaps)
            if self.share is not None:
                amount = total * self.share
                values['amount'] = currency.round(amount) if currency \
                    else amount
        return values

    def compute_fields(self, field_names=None):
        values = super().compute_fields(field_names=field_names)
        if self.kind == 'basket_gap' and (field_names is None
                or {'kind', 'basket_gaps'} & set(field_names)):
            for name, value in self.source_values().items():
                if getattr(self, name, None) != value:
                    values[name] = value
        return values

# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Orders of a cycle: sales linked to the cycle and a pickup place, one per
customer and cycle, editable until the cycle closes, within the offers'
caps and the places' capacity; weighed products invoiced at the weight
packed."""
from collections import defaultdict

from sql.aggregate import Sum

from trytond.i18n import gettext
from trytond.model import fields
from trytond.modules.cocagne_base.product import sold_by_weight
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from .capping import to_float
from .cycle import BATCH, one_per_party
from .exceptions import OrderError, SoldOutError
from .fees import fee_quantity

# the fields of an order whose change is a change of what is ordered
ORDER_FIELDS = {'party', 'order_cycle', 'pickup', 'lines'}
LINE_FIELDS = {'product', 'quantity', 'unit', 'offer', 'unit_price'}
# the context key of the cycle's own steps (fees, confirmation at close)
CLOSING = '_cocagne_cycle_closing'


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    order_cycle = fields.Many2One('cocagne.order_cycle', "Order Cycle",
        ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('state') == 'draft',
                ('state', '=', 'open'), ()),
            ],
        states={
            'readonly': Eval('state') != 'draft',
            })
    pickup = fields.Many2One('cocagne.order_cycle.pickup', "Pickup Place",
        ondelete='RESTRICT',
        domain=[('cycle', '=', Eval('order_cycle', -1))],
        states={
            'required': Bool(Eval('order_cycle')),
            'invisible': ~Eval('order_cycle'),
            'readonly': Eval('state') != 'draft',
            })

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('order_cycle_party_unique', one_per_party(t),
                'cocagne_bio_shop.msg_order_one_per_customer_sql'),
            ]

    @fields.depends('order_cycle', 'lines', methods=['on_change_web_shop'])
    def on_change_order_cycle(self):
        if self.order_cycle:
            self.web_shop = self.order_cycle.shop
            self.on_change_web_shop()
            self.warehouse = self.order_cycle.shop.warehouse
            self.invoice_method = 'fulfillment'
            self.shipment_method = 'order'
            self.sale_date = self.order_cycle.delivery_date
            if len(self.order_cycle.pickups) == 1:
                self.pickup, = self.order_cycle.pickups

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Cycle = pool.get('cocagne.order_cycle')
        values = super().preprocess_values(mode, values)
        if mode == 'create' and values.get('order_cycle'):
            cycle = Cycle(values['order_cycle'])
            # checked before the database's own checks, to name the way out
            if values.get('pickup'):
                cls.check_pickup(cycle, values['pickup'])
            if values.get('party'):
                cls.check_one_per_customer(cycle, values['party'])
            # weighed lines are invoiced at the weight packed (the moves)
            values.setdefault('invoice_method', 'fulfillment')
            values.setdefault('sale_date', cycle.delivery_date)
        return values

    @classmethod
    def check_modification(cls, mode, sales, values=None, external=False):
        super().check_modification(
            mode, sales, values=values, external=external)
        if Transaction().context.get(CLOSING):
            return
        if mode == 'create' or (mode == 'write'
                and ORDER_FIELDS & set(values or {})):
            for sale in sales:
                sale.check_cycle_open()

    def check_cycle_open(self):
        "Refuse a change of an order whose cycle is not open."
        if (self.order_cycle and self.state in {'draft', 'quotation'}
                and self.order_cycle.state != 'open'):
            raise OrderError(gettext('cocagne_bio_shop.msg_order_cycle_closed',
                    sale=self.rec_name, cycle=self.order_cycle.rec_name))

    @classmethod
    def check_pickup(cls, cycle, pickup):
        "Refuse a pickup place that is not one of cycle's."
        Pickup = Pool().get('cocagne.order_cycle.pickup')
        pickup = Pickup(int(pickup))
        if pickup.cycle != cycle:
            raise OrderError(gettext(
                    'cocagne_bio_shop.msg_order_pickup_other_cycle',
                    pickup=pickup.rec_name, cycle=cycle.rec_name))

    @classmethod
    def check_one_per_customer(cls, cycle, party, sale=None):
        """Refuse a second order of party in cycle (other than sale), naming
        the first one."""
        Party = Pool().get('party.party')
        others = cls.search([
                ('order_cycle', '=', cycle.id),
                ('party', '=', int(party)),
                ('state', '!=', 'cancelled'),
                ('id', '!=', sale.id if sale else None),
                ], limit=1)
        if others:
            other, = others
            raise OrderError(gettext(
                    'cocagne_bio_shop.msg_order_one_per_customer',
                    party=Party(int(party)).rec_name, order=other.rec_name,
                    cycle=cycle.rec_name))

    @classmethod
    def create(cls, vlist):
        sales = super().create(vlist)
        cls._take_pickups({s: 1 for s in sales
                if s.pickup and s.state != 'cancelled'})
        return sales

    @classmethod
    def write(cls, *args):
        actions = iter(args)
        moved = defaultdict(int)
        for sales, values in zip(actions, actions):
            if values.get('pickup'):
                for sale in sales:
                    if sale.order_cycle:
                        cls.check_pickup(sale.order_cycle, values['pickup'])
            if 'pickup' in values:
                for sale in sales:
                    if sale.pickup and sale.state != 'cancelled':
                        moved[sale.pickup] -= 1
                    if values['pickup'] and sale.state != 'cancelled':
                        moved[values['pickup']] += 1
        super().write(*args)
        cls._take_pickups({}, moved)

    @classmethod
    def delete(cls, sales):
        given = defaultdict(int)
        for sale in sales:
            if sale.pickup and sale.state != 'cancelled':
                given[sale.pickup] -= 1
        # their lines give their quantities back as they are deleted
        super().delete(sales)
        cls._take_pickups({}, given)

    @classmethod
    def cancel(cls, sales):
        pool = Pool()
        Line = pool.get('sale.line')
        active = [s for s in sales if s.state != 'cancelled']
        taken = Line._taken([l for s in active for l in s.lines])
        super().cancel(sales)
        Line._take_offers([], before=taken)
        cls._take_pickups({s: -1 for s in active if s.pickup})

    @classmethod
    def draft(cls, sales):
        pool = Pool()
        Line = pool.get('sale.line')
        revived = [s for s in sales if s.state == 'cancelled']
        for sale in revived:
            sale.check_cycle_open()
            if sale.order_cycle:
                cls.check_one_per_customer(sale.order_cycle, sale.party, sale)
        super().draft(sales)
        Line._take_offers([l for s in revived for l in s.lines])
        cls._take_pickups({s: 1 for s in revived if s.pickup})

    @classmethod
    def _take_pickups(cls, sales, deltas=None):
        """Take one order in the pickup place of each sale of sales ({sale:
        +1 or -1}) and the deltas {pickup: delta}; refuse a full place."""
        Pickup = Pool().get('cocagne.order_cycle.pickup')
        deltas = defaultdict(int, {int(p): d for p, d in (deltas or {}).items()})
        for sale, delta in sales.items():
            deltas[sale.pickup.id] += delta
        refused = Pickup.take(deltas)
        if refused:
            pickup = Pickup(next(iter(refused)))
            raise OrderError(gettext('cocagne_bio_shop.msg_order_pickup_full',
                    pickup=pickup.rec_name, cycle=pickup.cycle.rec_name,
                    capacity=pickup.capacity))

    @classmethod
    def take_cycle_order(cls, cycle, party, pickup, items):
        """Take the order of party in cycle, to collect at pickup, of items
        [(offer, quantity)]: added to the party's order of the cycle if it
        has one (one order per customer and cycle), a new order otherwise.
        Return the order."""
        Line = Pool().get('sale.line')
        if cycle.state != 'open':
            raise OrderError(gettext('cocagne_bio_shop.msg_order_not_open',
                    cycle=cycle.rec_name))
        # what is refused on its face is refused before anything is written
        cls._check_cycle_items(cycle, items)
        if pickup:
            cls.check_pickup(cycle, pickup)
        if not party.address_get(type='invoice'):
            raise OrderError(gettext('cocagne_bio_shop.msg_order_no_address',
                    party=party.rec_name))
        orders = cls.search([
                ('order_cycle', '=', cycle.id),
                ('party', '=', party.id),
                ('state', '!=', 'cancelled'),
                ], limit=1)
        if orders:
            sale, = orders
            if sale.state not in {'draft', 'quotation'}:
                raise OrderError(gettext(
                        'cocagne_bio_shop.msg_order_cycle_closed',
                        sale=sale.rec_name, cycle=cycle.rec_name))
            if sale.state == 'quotation':
                cls.draft([sale])
            if pickup and sale.pickup != pickup:
                sale.pickup = pickup
                sale.save()
        else:
            sale = cycle.shop.get_sale(party)
            sale.order_cycle = cycle
            sale.on_change_order_cycle()
            sale.pickup = pickup
            sale.save()
        lines = {l.offer: l for l in sale.lines if l.offer}
        to_save = []
        for offer, quantity in items:
            line = lines.get(offer)
            if line:
                line.quantity = line.unit.round(line.quantity + quantity)
            else:
                line = lines[offer] = Line(sale=sale, offer=offer,
                    quantity=quantity)
                line.on_change_offer()
            to_save.append(line)
        Line.save(to_save)
        cls.set_cycle_fees([sale])
        return cls(sale.id)

    @classmethod
    def _check_cycle_items(cls, cycle, items):
        "Refuse items [(offer, quantity)] of another cycle or not above 0."
        Lang = Pool().get('ir.lang')
        for offer, quantity in items:
            if offer.cycle != cycle:
                raise OrderError(gettext(
                        'cocagne_bio_shop.msg_order_offer_other_cycle',
                        product=offer.rec_name, cycle=offer.cycle.rec_name))
            if quantity <= 0:
                raise OrderError(gettext(
                        'cocagne_bio_shop.msg_order_quantity',
                        product=offer.rec_name,
                        quantity=Lang.get().format_number_symbol(
                            quantity, offer.unit, digits=offer.unit.digits)))

    @classmethod
    def change_cycle_order(cls, sale, pickup, items):
        """Set the goods of sale, an order of an open cycle, to items
        [(offer, quantity)], the offers left out removed, to collect at
        pickup; an order left without goods is cancelled. Return it."""
        pool = Pool()
        Line = pool.get('sale.line')
        cycle = sale.order_cycle
        if (cycle.state != 'open'
                or sale.state not in {'draft', 'quotation'}):
            raise OrderError(gettext('cocagne_bio_shop.msg_order_cycle_closed',
                    sale=sale.rec_name, cycle=cycle.rec_name))
        cls._check_cycle_items(cycle, items)
        if not items:
            cls.cancel([sale])
            return cls(sale.id)
        if pickup:
            cls.check_pickup(cycle, pickup)
        if sale.state == 'quotation':
            cls.draft([sale])
        if pickup and sale.pickup != pickup:
            sale.pickup = pickup
            sale.save()
        wanted = dict(items)
        Line.delete([l for l in sale.lines
                if l.offer and l.offer not in wanted])
        lines = {l.offer: l for l in cls(sale.id).lines if l.offer}
        to_save = []
        for offer, quantity in items:
            line = lines.get(offer)
            if not line:
                line = Line(sale=sale, offer=offer, quantity=quantity)
                line.on_change_offer()
            elif line.quantity != quantity:
                line.quantity = line.unit.round(quantity)
            else:
                continue
            to_save.append(line)
        Line.save(to_save)
        cls.set_cycle_fees([sale])
        return cls(sale.id)

    @classmethod
    def set_cycle_fees(cls, sales):
        """Put on each order the fee lines of its cycle paid by the
        customer, for what it holds now. Fee lines that are already the
        right ones, last on the order, are updated in place (at close,
        most are unchanged); otherwise they are made again."""
        pool = Pool()
        Line = pool.get('sale.line')
        to_save, to_delete = [], []
        for sale in sales:
            if not sale.order_cycle:
                continue
            goods = [l.cycle_fee_basis() for l in sale.lines
                if l.type == 'line' and l.offer]
            wanted = []
            for fee in sale.order_cycle.fees:
                if fee.payer == 'customer':
                    quantity = fee_quantity(fee.basis, goods)
                    if quantity:
                        wanted.append((fee, quantity))
            lines = list(sale.lines)
            old = [l for l in lines if l.cycle_fee]
            if (old == lines[len(lines) - len(old):]
                    and [(l.cycle_fee, l.product, l.unit) for l in old]
                    == [(f, f.product, f.product.sale_uom)
                        for f, _ in wanted]):
                for line, (fee, quantity) in zip(old, wanted):
                    if (line.quantity, line.unit_price, line.description) != (
                            quantity, fee.amount, fee.name):
                        line.quantity = quantity
                        line.unit_price = fee.amount
                        line.description = fee.name
                        to_save.append(line)
                continue
            to_delete.extend(old)
            for fee, quantity in wanted:
                line = Line(sale=sale, type='line', product=fee.product,
                    cycle_fee=fee, quantity=quantity)
                line.on_change_product()
                line.unit = fee.product.sale_uom
                line.unit_price = fee.amount
                line.description = fee.name
                to_save.append(line)
        with Transaction().set_context(**{CLOSING: True}):
            Line.delete(to_delete)
            Line.save(to_save)

    @classmethod
    def confirm_cycle_orders(cls, sales):
        "Confirm the orders of a closing cycle, with their fees."
        with Transaction().set_context(**{CLOSING: True}):
            for orders in grouped_slice(sales, BATCH):
                # browsed again: the records of a slice, their lines and
                # the lines' records are read for that slice only, not for
                # every order of the cycle (which made the close quadratic)
                orders = cls.browse(orders)
                drafts = [s for s in orders if s.state == 'draft']
                cls.set_cycle_fees(drafts)
                cls.quote(drafts)
                cls.confirm(orders)


class Line(metaclass=PoolMeta):
    __name__ = 'sale.line'

    offer = fields.Many2One('cocagne.order_cycle.offer', "Offer",
        ondelete='RESTRICT',
        domain=[
            ('cycle', '=', Eval('_parent_sale', {}).get('order_cycle', -1)),
            ],
        states={
            'invisible': ~Eval('_parent_sale', {}).get('order_cycle'),
            'readonly': Eval('sale_state') != 'draft',
            })
    cycle_fee = fields.Many2One('cocagne.order_cycle.fee', "Cycle Fee",
        readonly=True, ondelete='RESTRICT')
    weighed = fields.Function(fields.Boolean("Weighed"), 'get_weighed',
        searcher='search_weighed')
    actual_weight = fields.Float("Actual Weight", digits='unit',
        states={
            'invisible': ~Eval('weighed'),
            },
        help="The weight packed, for a product sold by weight: the order's "
        "quantity is the estimate, the invoice follows the weight packed.")

    @fields.depends('offer', 'sale', '_parent_sale.order_cycle',
        methods=['on_change_product'])
    def on_change_offer(self):
        if self.offer:
            self.product = self.offer.product
            self.unit = self.offer.unit
            self.on_change_product()
            self.unit = self.offer.unit
            self.unit_price = self.offer.unit_price

    def get_weighed(self, name):
        return bool(self.product and self.product.sale_uom
            and sold_by_weight(self.product))

    @classmethod
    def search_weighed(cls, name, clause):
        ModelData = Pool().get('ir.model.data')
        _, operator, value = clause
        weight = ModelData.get_id('product', 'uom_cat_weight')
        if (operator == '=') == bool(value):
            return [('product.sale_uom.category', '=', weight)]
        return [('product.sale_uom.category', '!=', weight)]

    def cycle_fee_basis(self):
        "(quantity, weighed, kilograms) of the line for the cycle's fees."
        Uom = Pool().get('product.uom')
        ModelData = Pool().get('ir.model.data')
        kg = Uom(ModelData.get_id('product', 'uom_kilogram'))
        weight = self.actual_weight or self.quantity
        if self.weighed:
            kilograms = Uom.compute_qty(self.unit, weight, kg)
        elif getattr(self.product, 'weight', None):
            # product_measurements gives products a weight
            kilograms = Uom.compute_qty(self.product.weight_uom,
                self.product.weight * self.quantity, kg)
        else:
            kilograms = None
        return self.quantity, self.weighed, kilograms

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if Transaction().context.get(CLOSING):
            return
        if mode in {'create', 'delete'} or (mode == 'write'
                and LINE_FIELDS & set(values or {})):
            for line in lines:
                line.sale.check_cycle_open()

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        for line in lines:
            line.check_cycle_line()

    def check_cycle_line(self):
        if self.offer:
            if self.offer.cycle != self.sale.order_cycle:
                raise OrderError(gettext(
                        'cocagne_bio_shop.msg_order_offer_other_cycle',
                        product=self.offer.rec_name,
                        cycle=self.offer.cycle.rec_name))
            if self.product != self.offer.product:
                raise OrderError(gettext(
                        'cocagne_bio_shop.msg_order_offer_product',
                        product=self.product.rec_name if self.product
                        else '', offer=self.offer.rec_name))
            if (self.quantity or 0) <= 0:
                Lang = Pool().get('ir.lang')
                raise OrderError(gettext(
                        'cocagne_bio_shop.msg_order_quantity',
                        product=self.offer.rec_name,
                        quantity=Lang.get().format_number_symbol(
                            self.quantity or 0, self.unit,
                            digits=self.unit.digits)))
        if self.actual_weight is not None and self.actual_weight <= 0:
            raise OrderError(gettext(
                    'cocagne_bio_shop.msg_order_actual_weight',
                    product=self.product.rec_name if self.product else '',
                    sale=self.sale.rec_name))

    @classmethod
    def sold_per_offer(cls, domain):
        """[(offer, quantity in its unit)] of the lines of domain, summed
        per offer by the database: a cycle's thousands of lines are not
        instantiated (browsing N records costs N² in trytond's checks)."""
        pool = Pool()
        Offer = pool.get('cocagne.order_cycle.offer')
        Uom = pool.get('product.uom')
        line = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*line.select(
                line.offer, line.unit, Sum(line.quantity),
                where=line.id.in_(cls.search(domain, query=True)),
                group_by=[line.offer, line.unit]))
        rows = cursor.fetchall()
        offers = {o.id: o for o in Offer.browse({r[0] for r in rows})}
        units = {u.id: u for u in Uom.browse({r[1] for r in rows})}
        sold = []
        for offer_id, unit_id, quantity in rows:
            offer, unit = offers[offer_id], units[unit_id]
            if unit != offer.unit:
                quantity = Uom.compute_qty(unit, to_float(quantity),
                    offer.unit, round=False)
            sold.append((offer, to_float(quantity)))
        return sold

    def _offer_quantity(self):
        "The quantity of the line in the unit of its offer."
        Uom = Pool().get('product.uom')
        if self.unit and self.unit != self.offer.unit:
            return Uom.compute_qty(self.unit, to_float(self.quantity),
                self.offer.unit, round=False)
        return to_float(self.quantity)

    @classmethod
    def _taken(cls, lines):
        "{offer id: quantity} taken by lines of orders not cancelled."
        taken = defaultdict(float)
        for line in lines:
            if line.offer and line.sale.state != 'cancelled':
                taken[line.offer.id] += line._offer_quantity()
        return taken

    @classmethod
    def _take_offers(cls, lines, before=None):
        """Take the quantities of lines from their offers' caps, less those
        taken before ({offer id: quantity}); refuse what would be
        oversold."""
        pool = Pool()
        Lang = pool.get('ir.lang')
        Offer = pool.get('cocagne.order_cycle.offer')
        deltas = defaultdict(float)
        for offer, quantity in cls._taken(lines).items():
            deltas[offer] += quantity
        for offer, quantity in (before or {}).items():
            deltas[offer] -= quantity
        refused = Offer.take(deltas)
        if refused:
            (offer, remaining), = refused.items()
            offer = Offer(offer)
            raise SoldOutError(gettext('cocagne_bio_shop.msg_order_sold_out',
                    product=offer.rec_name, cycle=offer.cycle.rec_name,
                    remaining=Lang.get().format_number_symbol(
                        offer.unit.round(remaining), offer.unit,
                        digits=offer.unit.digits)))

    @classmethod
    def create(cls, vlist):
        lines = super().create(vlist)
        cls._take_offers(lines)
        return lines

    @classmethod
    def write(cls, *args):
        lines = [l for ls in args[::2] for l in ls]
        weighed = {l for ls, v in zip(args[::2], args[1::2])
            if 'actual_weight' in v for l in ls}
        before = cls._taken(lines)
        super().write(*args)
        cls._take_offers(lines, before=before)
        if weighed:
            cls._set_moves_weight(weighed)

    @classmethod
    def delete(cls, lines):
        taken = cls._taken(lines)
        super().delete(lines)
        cls._take_offers([], before=taken)

    @classmethod
    def copy(cls, lines, default=None):
        default = default.copy() if default else {}
        default.setdefault('actual_weight')
        default.setdefault('cycle_fee')
        return super().copy(lines, default=default)

    @property
    def _move_remaining_quantity(self):
        # a weighed line packed is shipped once its actual weight is
        quantity = super()._move_remaining_quantity
        if quantity is not None and self.actual_weight is not None:
            quantity = max(
                quantity - (abs(self.quantity) - self.actual_weight), 0)
        return quantity

    def _get_move_quantity(self, shipment_type):
        # once packed, a weighed line ships its actual weight, not the
        # estimate: no backorder for the difference
        if self.actual_weight is not None and shipment_type == 'out':
            return self.actual_weight
        return super()._get_move_quantity(shipment_type)

    @classmethod
    def _set_moves_weight(cls, lines):
        "The moves not done yet of lines carry their actual weight."
        Move = Pool().get('stock.move')
        to_save = []
        for line in lines:
            if line.actual_weight is None:
                continue
            for move in line.moves:
                if move.state in {'draft', 'staging', 'assigned'} \
                        and move.unit == line.unit:
                    move.quantity = line.actual_weight
                    to_save.append(move)
        Move.save(to_save)

# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The producers' settlement of an order cycle: what each partner farm sold
in the cycle, the commission and fees withheld, the VAT and what it is
owed; invoiced as one supplier invoice per farm and cycle, which takes over
the consignment invoice lines that stock_consignment made for the cycle's
orders so that a farm is never invoiced twice for the same goods.

On the invoice the goods are at the offer's price, the commission and each
producer fee are negative lines with the goods' taxes, and the VAT is
settle()'s: the invoice's total is what the farm is owed."""
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.account.exceptions import AccountMissing
from trytond.modules.cocagne_base.garden import GardenOwnedMixin
from trytond.modules.currency.fields import Monetary
from trytond.modules.product import price_digits
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .cycle import CompanyFromCycleMixin
from .exceptions import SettlementError
from .fees import fee_quantity, line_amount, settle_groups

# the orders whose goods are settled
SOLD_STATES = ['confirmed', 'processing', 'done']
PARTNER_SUPPLIES = ['purchase', 'consignment']


class OrderCycle(metaclass=PoolMeta):
    __name__ = 'cocagne.order_cycle'

    settlements = fields.One2Many('cocagne.order_cycle.settlement', 'cycle',
        "Settlements", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'settle_producers': {
                    'invisible': ~Eval('state').in_(['closed', 'done']),
                    'icon': 'tryton-launch',
                    'depends': ['state'],
                    },
                })

    @classmethod
    @ModelView.button
    def settle_producers(cls, cycles):
        Pool().get('cocagne.order_cycle.settlement').settle(cycles)


class Settlement(CompanyFromCycleMixin, Workflow, ModelSQL, ModelView):
    "Producer Settlement"
    __name__ = 'cocagne.order_cycle.settlement'
    __string__ = "Producer Settlement"

    cycle = fields.Many2One('cocagne.order_cycle', "Cycle", required=True,
        readonly=True, ondelete='RESTRICT')
    producer = fields.Many2One('party.party', "Producer", required=True,
        readonly=True, context={'company': Eval('company', -1)},
        depends={'company'})
    currency = fields.Function(fields.Many2One('currency.currency',
            "Currency"), 'on_change_with_currency')
    commission_rate = fields.Numeric("Commission Rate", digits=(1, 4),
        readonly=True, help="The shop's commission when settled.")
    lines = fields.One2Many('cocagne.order_cycle.settlement.line',
        'settlement', "Lines", readonly=True)
    sold = fields.Function(Monetary("Sold", currency='currency',
            digits='currency', help="The goods sold, excluding taxes."),
        'get_amounts')
    commission = fields.Function(Monetary("Commission", currency='currency',
            digits='currency'), 'get_amounts')
    fees = fields.Function(Monetary("Fees", currency='currency',
            digits='currency', help="The cycle's fees paid by the producer."),
        'get_amounts')
    base = fields.Function(Monetary("Untaxed", currency='currency',
            digits='currency'), 'get_amounts')
    vat = fields.Function(Monetary("VAT", currency='currency',
            digits='currency'), 'get_amounts')
    owed = fields.Function(Monetary("Owed", currency='currency',
            digits='currency', help="What the producer is paid."),
        'get_amounts')
    invoice = fields.Many2One('account.invoice', "Invoice", readonly=True,
        ondelete='RESTRICT')
    state = fields.Selection([
            ('draft', "Draft"),
            ('done', "Done"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('cycle_producer_unique', Unique(t, t.cycle, t.producer),
                'cocagne_bio_shop.msg_settlement_unique'),
            ]
        cls._order = [('cycle', 'DESC'), ('producer', 'ASC'), ('id', 'DESC')]
        cls._transitions |= {('draft', 'done')}
        cls._buttons.update({
                'create_invoice': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @fields.depends('cycle', '_parent_cycle.company')
    def on_change_with_currency(self, name=None):
        return self.cycle.company.currency if self.cycle else None

    def get_rec_name(self, name):
        return '%s - %s' % (self.producer.rec_name, self.cycle.rec_name)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('producer.rec_name', operator, operand, *extra),
            ('cycle.rec_name', operator, operand, *extra),
            ]

    @classmethod
    def check_modification(cls, mode, settlements, values=None,
            external=False):
        super().check_modification(
            mode, settlements, values=values, external=external)
        if mode == 'delete':
            for settlement in settlements:
                if settlement.state != 'draft':
                    raise SettlementError(gettext(
                            'cocagne_bio_shop.msg_settlement_delete_done',
                            settlement=settlement.rec_name))

    def _tax_groups(self):
        """The goods lines grouped by the supplier taxes of their product
        for the producer: {taxes: [line]}."""
        groups = defaultdict(list)
        for line in self.lines:
            if line.offer:
                groups[line.supplier_taxes()].append(line)
        return groups

    def settle_amounts(self):
        """Return the settle_groups() amounts of the settlement with its
        tax groups: (totals, [(taxes, lines, amounts)])."""
        groups = list(self._tax_groups().items())
        fees = [l.amount for l in self.lines if l.cycle_fee]
        totals, settled = settle_groups(
            [(sum((l.amount for l in lines), Decimal(0)), vat_rate(taxes))
                for taxes, lines in groups],
            self.commission_rate or 0, fees)
        return totals, [(taxes, lines, amounts)
            for (taxes, lines), amounts in zip(groups, settled)]

    @classmethod
    def get_amounts(cls, settlements, names):
        result = {name: {} for name in names}
        for settlement in settlements:
            totals, _ = settlement.settle_amounts()
            for name in names:
                result[name][settlement.id] = totals[name]
        return result

    @classmethod
    def settle(cls, cycles):
        """Create or bring up to date the settlement of each partner farm
        of cycles with what it sold; the settlements done are left as they
        are. Return the settlements."""
        settlements, _ = cls._settle(cycles)
        return settlements

    @classmethod
    def _settle(cls, cycles, producers=None):
        """Settle cycles (only producers, if given); return the draft
        settlements and the consignment lines of the cycles as _sold()."""
        pool = Pool()
        Line = pool.get('cocagne.order_cycle.settlement.line')
        for cycle in cycles:
            if cycle.state not in {'closed', 'done'}:
                raise SettlementError(gettext(
                        'cocagne_bio_shop.msg_settlement_cycle_not_closed',
                        cycle=cycle.rec_name))
        sold, fees, consigned = cls._sold(cycles)
        domain = [('cycle', 'in', [c.id for c in cycles])]
        if producers is not None:
            producer_ids = {p.id for p in producers}
            domain.append(('producer', 'in', list(producer_ids)))
            sold = {k: v for k, v in sold.items() if k[1] in producer_ids}
        existing = {(s.cycle.id, s.producer.id): s
            for s in cls.search(domain)}
        gone = [s for k, s in existing.items()
            if s.state == 'draft' and k not in sold]
        if producers is None:
            cls.delete(gone)
        else:
            # nothing to invoice any more: create_invoice refuses them
            for settlement in gone:
                settlement.lines = []
        cycles = {c.id: c for c in cycles}
        to_save = [] if producers is None else gone
        for key, offers in sold.items():
            settlement = existing.get(key)
            if settlement and settlement.state != 'draft':
                continue
            cycle = cycles[key[0]]
            if not settlement:
                settlement = cls(cycle=cycle, producer=key[1])
            settlement.commission_rate = cycle.shop.commission_rate or 0
            # lines replaced, the old ones deleted
            settlement.lines = [
                Line.from_offer(offer, quantity,
                    consigned.get((cycle.id, key[1], offer.product.id), []))
                for offer, quantity in sorted(offers.items(),
                    key=lambda o: o[0].product.rec_name)] + [
                Line.from_fee(fee, quantity)
                for fee, quantity in fees.get(key, {}).items() if quantity]
            to_save.append(settlement)
        cls.save(to_save)
        return to_save, consigned

    @classmethod
    def _sold(cls, cycles):
        """What the partner farms sold in the confirmed orders of cycles:
        {(cycle, producer): {offer: quantity}} in the offers' units (the
        actual weight of the weighed lines when entered), the quantities of
        their fees {(cycle, producer): {fee: quantity}} and the consignment
        invoice lines not invoiced of their goods
        {(cycle, producer, product): [(invoice line, quantity)]}."""
        pool = Pool()
        SaleLine = pool.get('sale.line')
        Uom = pool.get('product.uom')
        lines = SaleLine.search([
                ('sale.order_cycle', 'in', [c.id for c in cycles]),
                ('sale.state', 'in', SOLD_STATES),
                ('offer.supply', 'in', PARTNER_SUPPLIES),
                ('type', '=', 'line'),
                ], order=[('sale', 'ASC'), ('id', 'ASC')])
        sold = defaultdict(lambda: defaultdict(float))
        by_order = defaultdict(list)
        for line in lines:
            offer = line.offer
            quantity = line.quantity
            if line.weighed and line.actual_weight:
                quantity = line.actual_weight
            key = offer.cycle.id, offer.producer.id
            sold[key][offer] += Uom.compute_qty(
                line.unit, quantity, offer.unit, round=False)
            by_order[key + (line.sale.id,)].append(line)
        fees = defaultdict(lambda: defaultdict(float))
        producer_fees = {c.id: [f for f in c.fees if f.payer == 'producer']
            for c in cycles}
        for (cycle, producer, _), order_lines in by_order.items():
            basis = [l.cycle_fee_basis() for l in order_lines]
            for fee in producer_fees[cycle]:
                fees[cycle, producer][fee] += fee_quantity(fee.basis, basis)
        return sold, fees, cls._consigned(lines)

    @classmethod
    def _consigned(cls, sale_lines):
        """The supplier invoice lines that stock_consignment made for the
        moves of sale_lines and not invoiced yet, with the quantity of
        their move in the unit of the offer: {(cycle, producer, product):
        [(invoice line, quantity)]}."""
        pool = Pool()
        InvoiceLine = pool.get('account.invoice.line')
        Move = pool.get('stock.move')
        Uom = pool.get('product.uom')
        # the orders' moves and, with two-step shipments, the inventory
        # moves taken from the consignment location for them
        move2line = {m.id: l for l in sale_lines
            if l.offer.supply == 'consignment' for m in l.moves}
        if not move2line:
            return {}
        refs = ['stock.move,%s' % i for i in move2line]
        invoice_lines = InvoiceLine.search([
                ('invoice', '=', None),
                ('invoice_type', '=', 'in'),
                ['OR',
                    ('origin', 'in', refs),
                    ('origin.origin', 'in', refs, 'stock.move'),
                    ],
                ])
        moves = {m.id: m for m in Move.browse(
                list({l.origin.id for l in invoice_lines}))}
        consigned = defaultdict(list)
        for invoice_line in invoice_lines:
            move = moves[invoice_line.origin.id]
            sale_line = move2line.get(move.id)
            if sale_line is None and isinstance(move.origin, Move):
                sale_line = move2line.get(move.origin.id)
            if (sale_line is None or move.state == 'cancelled'
                    or invoice_line.party != sale_line.offer.producer
                    or invoice_line.product != sale_line.product):
                continue
            offer = sale_line.offer
            consigned[offer.cycle.id, offer.producer.id,
                offer.product.id].append((invoice_line, Uom.compute_qty(
                        move.unit, move.quantity, offer.unit, round=False)))
        return consigned

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def create_invoice(cls, settlements):
        """Make the supplier invoice of each settlement, brought up to date
        first, with the consignment invoice lines of its goods."""
        pool = Pool()
        Invoice = pool.get('account.invoice')
        InvoiceLine = pool.get('account.invoice.line')
        settlements = [s for s in settlements if not s.invoice]
        producers = defaultdict(list)
        for settlement in settlements:
            producers[settlement.cycle].append(settlement.producer)
        consigned = {}
        for cycle, cycle_producers in producers.items():
            consigned.update(cls._settle([cycle], cycle_producers)[1])
        settlements = cls.browse(settlements)
        for settlement in settlements:
            settlement.check_invoice()
        invoices = [s._get_invoice() for s in settlements]
        Invoice.save(invoices)
        # the tax groups of each settlement, for its lines and its VAT
        groups = {s.id: s.settle_amounts()[1] for s in settlements}
        lines = []
        for settlement, invoice in zip(settlements, invoices):
            settlement.invoice = invoice
            for line in settlement._get_invoice_lines(
                    consigned, groups[settlement.id]):
                line.invoice = invoice
                lines.append(line)
        InvoiceLine.save(lines)
        cls.save(settlements)
        Invoice.update_taxes(invoices)
        for settlement in cls.browse(settlements):
            settlement._set_invoice_vat(groups[settlement.id])

    def check_invoice(self):
        "Refuse to invoice a settlement that would make a wrong invoice."
        try:
            self.producer.account_payable_used
        except AccountMissing:
            raise SettlementError(gettext(
                    'cocagne_bio_shop.msg_settlement_no_payable',
                    producer=self.producer.rec_name,
                    settlement=self.rec_name))
        if not self.producer.address_get(type='invoice'):
            raise SettlementError(gettext(
                    'cocagne_bio_shop.msg_settlement_no_address',
                    producer=self.producer.rec_name))
        if not any(l.offer for l in self.lines):
            raise SettlementError(gettext(
                    'cocagne_bio_shop.msg_settlement_nothing_sold',
                    settlement=self.rec_name))
        for line in self.lines:
            if line.offer and not line.unit_price:
                raise SettlementError(gettext(
                        'cocagne_bio_shop.msg_settlement_no_price',
                        product=line.product.rec_name,
                        settlement=self.rec_name))

    def _get_invoice(self):
        Invoice = Pool().get('account.invoice')
        invoice = Invoice(company=self.company, type='in',
            party=self.producer, currency=self.currency,
            description=self.cycle.rec_name, lines=[])
        invoice.on_change_type()
        return invoice

    def _get_invoice_lines(self, consigned, groups):
        """The invoice lines of the settlement: for each of its tax groups
        (groups as settle_amounts()), the goods (the consignment lines
        taken over, a new line for the rest), the commission and the
        producer's fees withheld."""
        Lang = Pool().get('ir.lang')
        lines = []
        for taxes, goods, amounts in groups:
            for line in goods:
                lines.extend(line.get_invoice_lines(consigned.get(
                            (self.cycle.id, self.producer.id,
                                line.product.id), [])))
            account = lines[-1].account
            if amounts['commission']:
                lines.append(self._get_withheld_line(account, taxes,
                        gettext('cocagne_bio_shop.msg_settlement_commission',
                            rate=Lang.get().format(
                                '%g', self.commission_rate * 100)),
                        amounts['commission'], self))
            fee_lines = [l for l in self.lines if l.cycle_fee]
            for fee_line, share in zip(fee_lines, amounts['fee_shares']):
                if share:
                    lines.append(self._get_withheld_line(account, taxes,
                            fee_line.cycle_fee.name, share, fee_line))
        return lines

    def _get_withheld_line(self, account, taxes, description, amount,
            origin):
        "A negative invoice line for amount withheld from the producer."
        InvoiceLine = Pool().get('account.invoice.line')
        return InvoiceLine(type='line', company=self.company,
            currency=self.currency, party=self.producer, invoice_type='in',
            description=description, account=account, quantity=1,
            unit=None, unit_price=-amount, taxes=list(taxes), origin=origin)

    def _set_invoice_vat(self, groups):
        """Set the VAT of the invoice to the settlement's of its tax groups
        (as settle_amounts()), rounded half up on the whole base, where the
        invoice rounds each sign apart."""
        InvoiceTax = Pool().get('account.invoice.tax')
        to_save = []
        invoice_taxes = list(self.invoice.taxes)
        for taxes, _, amounts in groups:
            taxes = set(taxes)
            lines = [t for t in invoice_taxes if t.tax in taxes]
            if not lines:
                continue
            difference = amounts['vat'] - sum(t.amount for t in lines)
            if difference:
                line = max(lines, key=lambda t: t.base)
                line.amount += difference
                to_save.append(line)
        InvoiceTax.save(to_save)


def vat_rate(taxes):
    "The rate of the percentage taxes of taxes."
    return sum((t.rate for t in taxes if t.type == 'percentage'), Decimal(0))


class SettlementLine(GardenOwnedMixin, ModelSQL, ModelView):
    "Producer Settlement Line"
    __name__ = 'cocagne.order_cycle.settlement.line'
    __string__ = "Producer Settlement Line"

    settlement = fields.Many2One('cocagne.order_cycle.settlement',
        "Settlement", required=True, ondelete='CASCADE')
    company = fields.Function(fields.Many2One('company.company', "Garden"),
        'on_change_with_company', searcher='search_company')
    offer = fields.Many2One('cocagne.order_cycle.offer', "Offer",
        readonly=True, ondelete='RESTRICT')
    cycle_fee = fields.Many2One('cocagne.order_cycle.fee', "Fee",
        readonly=True, ondelete='RESTRICT')
    product = fields.Many2One('product.product', "Product", required=True,
        readonly=True, context={'company': Eval('company', -1)},
        depends={'company'})
    supply = fields.Function(fields.Selection([
                (None, ""),
                ('purchase', "Bought from the Producer"),
                ('consignment', "On Consignment"),
                ], "Supply"), 'on_change_with_supply')
    quantity = fields.Float("Quantity", digits='unit', readonly=True,
        help="The quantity sold; for a fee, how many times it applies.")
    consigned = fields.Float("Consigned", digits='unit', readonly=True,
        help="The quantity taken from the producer's consignment stock, "
        "already in supplier invoice lines that the invoice takes over.")
    unit = fields.Many2One('product.uom', "Unit", readonly=True)
    unit_price = Monetary("Unit Price", currency='currency',
        digits=price_digits, readonly=True)
    amount = Monetary("Amount", currency='currency', digits='currency',
        readonly=True)
    currency = fields.Function(fields.Many2One('currency.currency',
            "Currency"), 'on_change_with_currency')

    @fields.depends('settlement', '_parent_settlement.cycle')
    def on_change_with_company(self, name=None):
        return self.settlement.cycle.company if self.settlement else None

    @classmethod
    def search_company(cls, name, clause):
        return [('settlement.cycle.' + clause[0], *clause[1:])]

    @fields.depends('settlement', '_parent_settlement.cycle')
    def on_change_with_currency(self, name=None):
        return (self.settlement.cycle.company.currency if self.settlement
            else None)

    @fields.depends('offer')
    def on_change_with_supply(self, name=None):
        return self.offer.supply if self.offer else None

    @classmethod
    def from_offer(cls, offer, quantity, consigned):
        """The line of offer sold quantity, of which the consignment invoice
        lines consigned [(line, quantity)] cover part: its amount is that of
        the invoice lines it becomes."""
        unit = offer.unit
        consigned_quantity = unit.round(sum(q for _, q in consigned))
        quantity = max(unit.round(quantity), consigned_quantity)
        rest = unit.round(quantity - consigned_quantity)
        amount = sum((line_amount(q, offer.unit_price)
                for q in [q for _, q in consigned] + [rest] if q),
            Decimal(0))
        return cls(offer=offer, product=offer.product, quantity=quantity,
            consigned=consigned_quantity, unit=unit,
            unit_price=offer.unit_price, amount=amount)

    @classmethod
    def from_fee(cls, fee, quantity):
        "The line of the producer's fee applied quantity times."
        quantity = round(quantity, 3)
        return cls(cycle_fee=fee, product=fee.product, quantity=quantity,
            unit=fee.product.default_uom, unit_price=fee.amount,
            amount=line_amount(quantity, fee.amount))

    def supplier_taxes(self):
        """The taxes of the line's product bought from the producer, as an
        invoice line gets them: a tuple sorted."""
        InvoiceLine = Pool().get('account.invoice.line')
        line = InvoiceLine(invoice_type='in', type='line',
            party=self.settlement.producer, company=self.company,
            product=self.product, invoice=None)
        line.on_change_product()
        return tuple(sorted(line.taxes, key=lambda t: t.id))

    def get_invoice_lines(self, consigned):
        """The invoice lines of the goods: the consignment lines consigned
        [(line, quantity)] at the settlement's price and their move's
        quantity, a new line for the rest."""
        pool = Pool()
        InvoiceLine = pool.get('account.invoice.line')
        lines = []
        for line, quantity in consigned:
            line.quantity = quantity
            line.unit = self.unit
            line.unit_price = self.unit_price
            lines.append(line)
        rest = self.unit.round(self.quantity - (self.consigned or 0))
        if rest > 0:
            line = InvoiceLine(type='line', invoice_type='in',
                company=self.company, currency=self.currency,
                party=self.settlement.producer, product=self.product,
                invoice=None, origin=self)
            line.on_change_product()
            line.quantity = rest
            line.unit = self.unit
            line.unit_price = self.unit_price
            lines.append(line)
        return lines


class InvoiceLine(metaclass=PoolMeta):
    __name__ = 'account.invoice.line'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + [
            'cocagne.order_cycle.settlement',
            'cocagne.order_cycle.settlement.line',
            ]


class Move(metaclass=PoolMeta):
    __name__ = 'stock.move'

    @classmethod
    def assign(cls, moves):
        cls._price_settled(moves)
        super().assign(moves)

    @classmethod
    def do(cls, moves):
        cls._price_settled(moves)
        super().do(moves)

    @classmethod
    def _price_settled(cls, moves):
        """Price the moves from a consignment location of goods already
        invoiced by their settlement (no consignment line prices them)."""
        moves = [m for m in moves
            if m.state in {'draft', 'staging'}
            and m.is_supplier_consignment
            and not m.consignment_invoice_lines
            and m.unit_price is None]
        offers = cls._settled_offers(moves)
        to_save = []
        for move in moves:
            offer = offers.get(move.id)
            if offer:
                move.unit_price = offer.unit_price
                move.currency = offer.cycle.company.currency
                to_save.append(move)
        cls.save(to_save)

    def get_invoice_lines_consignment(self):
        # the goods of an invoiced settlement are paid: no second line
        lines = super().get_invoice_lines_consignment()
        if self.is_supplier_consignment and self.settled_offer():
            lines = [l for l in lines if l.invoice_type != 'in']
        return lines

    def settled_offer(self):
        """The offer of the cycle order that the move delivers, if its
        producer's settlement is invoiced."""
        return self._settled_offers([self]).get(self.id)

    @classmethod
    def _settled_offers(cls, moves):
        """{move id: offer} of the moves that deliver an offer of a cycle
        order whose producer's settlement is invoiced: one query."""
        pool = Pool()
        SaleLine = pool.get('sale.line')
        Settlement = pool.get('cocagne.order_cycle.settlement')
        offers = {}
        for move in moves:
            origin = move.origin
            if isinstance(origin, cls):
                origin = origin.origin
            if isinstance(origin, SaleLine) and origin.offer:
                offers[move.id] = origin.offer
        if not offers:
            return {}
        invoiced = {(s.cycle.id, s.producer.id) for s in Settlement.search([
                    ('cycle', 'in', list({o.cycle.id
                                for o in offers.values()})),
                    ('producer', 'in', list({o.producer.id
                                for o in offers.values()})),
                    ('invoice', '!=', None),
                    ])}
        return {m: o for m, o in offers.items()
            if (o.cycle.id, o.producer.id) in invoiced}

"""Tickets of the cashier screen: a line discount within the cashier's
rights, and a whole ticket rung up, paid and posted in one call, once
whatever how often the screen sends it."""
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Unique, fields
from trytond.modules.cocagne_base.garden import GardenOwnedMixin
from trytond.modules.cocagne_base.product import sold_by_weight
from trytond.modules.currency.fields import Monetary
from trytond.modules.product import price_digits, round_price
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import without_check_access

from . import tender
from .exceptions import DiscountError, SessionClosedError, TicketError


def tender_error(error, cls=TicketError):
    "The translated error of a TenderError."
    return cls(gettext(f'cocagne_caisse.msg_{error.key}', **error.values))


class POSSale(GardenOwnedMixin, metaclass=PoolMeta):
    __name__ = 'sale.point.sale'
    caisse_key = fields.Char(
        "Screen Key", readonly=True, strip=False,
        help="The key that the cashier screen gives the ticket when it "
        "starts: a ticket sent again is recognised and recorded once.")
    caisse_change = Monetary(
        "Change Given", currency='currency', digits='currency',
        readonly=True,
        states={
            'invisible': ~Eval('caisse_change'),
            },
        help="The cash given back to the customer.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('caisse_key_unique', Unique(t, t.company, t.caisse_key),
                'cocagne_caisse.msg_ticket_key_unique'),
            ]

    @classmethod
    def copy(cls, sales, default=None):
        default = dict(default or {})
        default.setdefault('caisse_key')
        default.setdefault('caisse_change')
        return super().copy(sales, default=default)

    @classmethod
    def ring_up(cls, point, values):
        """Record, pay and post the ticket of values (the cashier screen's
        sale, see API.md) at point; return the ticket, with the change
        given back, and whether its key was recorded before.

        A ticket whose key was recorded is returned as it stands. Anything
        refused raises a TicketError and records nothing."""
        pool = Pool()
        Session = pool.get('sale.point.cash.session')
        Sequence = pool.get('ir.sequence.strict')
        Period = pool.get('account.period')
        key = values.get('key')
        if not key:
            raise TicketError(gettext('cocagne_caisse.msg_ticket_no_key'))
        date = (dt.date.fromisoformat(values['date'])
            if values.get('date') else cls.default_date())
        # numbering the ticket and its account move locks their strict
        # sequences: locked first, trytond restarts the transaction before
        # the ticket is built rather than once for each while it is posted
        period = Period.find(point.company, date=date)
        Sequence.lock([point.sequence, period.move_sequence_used])
        recorded = cls.search([
                ('company', '=', point.company.id),
                ('caisse_key', '=', key),
                ], limit=1)
        if recorded:
            ticket, = recorded
            return ticket, True
        session = Session.get_current(point)
        if values.get('session') and values['session'] != session.id:
            closed = Session(values['session'])
            raise SessionClosedError(gettext(
                    'cocagne_caisse.msg_session_closed',
                    session=closed.rec_name, point=point.rec_name))
        if not values.get('lines'):
            raise TicketError(gettext('cocagne_caisse.msg_ticket_empty'))
        ticket = cls(company=point.company, point=point, caisse_key=key,
            date=date)
        ticket.lines = cls._caisse_lines(ticket, values['lines'])
        if values.get('stop') and 'round_stop' in cls._fields:
            ticket.round_stop = values['stop']
        cls._caisse_payments(ticket, values.get('payments') or [])
        ticket.save()
        with without_check_access():
            # the screen posts the ticket as it pays it, on the cashier's
            # behalf: tickets are not left for someone with posting rights
            cls.process([ticket])
            cls.post([ticket])
        return ticket, False

    @classmethod
    def _caisse_payments(cls, ticket, payments):
        """Set the payments of ticket from the screen's payments (the cash
        given) and the change given back."""
        pool = Pool()
        Method = pool.get('sale.point.payment.method')
        Payment = pool.get('sale.point.payment')
        point = ticket.point
        methods = {m.id: m for m in Method.search([
                    ('company', '=', point.company.id),
                    ('id', 'in', [p['method'] for p in payments]),
                    ])}
        if any(p['method'] not in methods for p in payments):
            raise TicketError(gettext(
                    'cocagne_caisse.msg_payment_method_unknown',
                    point=point.rec_name))
        try:
            amounts, ticket.caisse_change = tender.settle(
                ticket.on_change_with_total(), [
                    (methods[p['method']], p['amount'],
                        methods[p['method']].cash) for p in payments])
        except tender.TenderError as error:
            raise tender_error(error)
        ticket.payments = [Payment(method=m, amount=a) for m, a in amounts]

    @classmethod
    def _caisse_lines(cls, ticket, lines):
        "The ticket lines of the screen's lines, checked and priced."
        pool = Pool()
        Product = pool.get('product.product')
        Line = pool.get('sale.point.sale.line')
        User = pool.get('res.user')
        products = {p.id: p for p in Product.search([
                    ('id', 'in', [l['product'] for l in lines]),
                    ('salable', '=', True),
                    ])}
        maximum = User.current_max_discount()
        result = []
        for values in lines:
            product = products.get(values['product'])
            if not product:
                raise TicketError(gettext(
                        'cocagne_caisse.msg_product_unknown',
                        product=values['product']))
            quantity = values.get('quantity')
            weighed = sold_by_weight(product)
            discount = Decimal(str(values.get('discount') or 0))
            try:
                tender.check_quantity(quantity,
                    ticket.point.max_weight if weighed else None, weighed)
                tender.check_discount(discount, maximum)
            except tender.TenderError as error:
                error.values.setdefault('product', product.rec_name)
                error.values.setdefault('unit', product.sale_uom.symbol)
                raise tender_error(error)
            line = Line(sale=ticket, product=product,
                quantity=product.sale_uom.round(quantity), discount=discount)
            line.on_change_product()
            result.append(line)
        return result


class POSSaleLine(metaclass=PoolMeta):
    __name__ = 'sale.point.sale.line'
    discount = fields.Numeric(
        "Discount", digits=(1, 4), domain=tender.rate_domain('discount'),
        states={
            'readonly': Eval('sale_state') != 'open',
            },
        help="The rate taken off the price of the product.")
    base_price = fields.Numeric(
        "Base Price", digits=price_digits, readonly=True,
        help="The price of the product before the discount, as the till "
        "shows it (taxes included or not).")

    @classmethod
    def default_discount(cls):
        return Decimal(0)

    @fields.depends('sale', '_parent_sale.point',
        methods=['on_change_with_unit_price', 'apply_discount'])
    def on_change_product(self):
        super().on_change_product()
        self.base_price = self.on_change_with_unit_price()
        self.apply_discount()

    @fields.depends(methods=['apply_discount'])
    def on_change_discount(self):
        self.apply_discount()

    @fields.depends('base_price', 'discount', 'product', 'sale',
        '_parent_sale.point', '_parent_sale.date',
        methods=['on_change_with_unit_price', 'on_change_with_amount'])
    def apply_discount(self):
        "Set the prices of the line to its base price less its discount."
        Tax = Pool().get('account.tax')
        if (self.base_price is None or not self.product or not self.sale
                or not self.sale.point):
            return
        digits = self.__class__.unit_gross_price.digits[1]
        try:
            price = tender.discounted(self.base_price, self.discount, digits)
        except tender.TenderError:
            return
        if self.sale.point.tax_included:
            self.unit_gross_price = price
            self.unit_list_price = round_price(Tax.reverse_compute(
                    price, self.taxes, date=self.sale.date))
        else:
            self.unit_list_price = price
            taxes = Tax.compute(self.taxes, price, 1, date=self.sale.date)
            self.unit_gross_price = (price + sum(
                    t['amount'] for t in taxes)).quantize(
                Decimal(1).scaleb(-digits))
        self.unit_price = self.on_change_with_unit_price()
        self.amount = self.on_change_with_amount()

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        "Refuse a cashier's discount above the rights of their groups."
        super().check_modification(mode, lines, values=values,
            external=external)
        User = Pool().get('res.user')
        if not external or mode not in {'create', 'write'}:
            return
        if mode == 'write':
            if not values.get('discount'):
                return
            discounts = [(l, values['discount']) for l in lines]
        else:
            discounts = [(l, l.discount) for l in lines if l.discount]
        if not discounts:
            return
        maximum = User.current_max_discount()
        for line, discount in discounts:
            try:
                tender.check_discount(discount, maximum)
            except tender.TenderError as error:
                error.values['product'] = line.product.rec_name
                raise tender_error(error, DiscountError) from None

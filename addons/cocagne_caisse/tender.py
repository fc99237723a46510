"""The arithmetic of a till ticket, in Decimal: the price after a discount,
the quantities a cashier may ring up, and how the payments settle the total
(the change comes out of the cash only).

Pure functions: they raise TenderError with the key of the message and its
values; the models turn it into their translated error."""
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal('0.01')


class TenderError(Exception):
    def __init__(self, key, **values):
        super().__init__(key)
        self.key, self.values = key, values


def rate_domain(name):
    "The domain of a rate field: empty, or from 0 to 1."
    return ['OR', (name, '=', None), [(name, '>=', 0), (name, '<=', 1)]]


def discounted(price, discount, digits=4):
    "price less the discount rate, rounded half up to digits decimals."
    discount = Decimal(discount or 0)
    if not 0 <= discount <= 1:
        raise TenderError('discount_range', discount=percent(discount))
    return (price * (1 - discount)).quantize(
        Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def percent(rate):
    "The rate as the French write a percentage: 12,5 %."
    return f"{Decimal(rate or 0) * 100:.2f}".rstrip('0').rstrip('.').replace(
        '.', ',') + '\u202f%'


def check_discount(discount, maximum):
    "Refuse a discount rate above the cashier's maximum rate."
    if Decimal(discount or 0) > Decimal(maximum or 0):
        raise TenderError('discount_above_maximum',
            discount=percent(discount), maximum=percent(maximum))


def number(value):
    "A quantity as the French write it: 1,25."
    return f'{Decimal(str(value or 0)):f}'.replace('.', ',')


def money(value):
    "An amount in euros as the French write it: 12,50 €."
    return f'{Decimal(value):.2f}'.replace('.', ',') + '\u00a0€'


def check_quantity(quantity, maximum=None, weighed=False):
    """Refuse a quantity that is not positive, or a weight above maximum (in
    the product's unit, None: no maximum)."""
    if quantity is None or quantity <= 0:
        raise TenderError('weight_zero' if weighed else 'quantity_zero',
            quantity=number(quantity))
    if weighed and maximum is not None and quantity > maximum:
        raise TenderError('weight_absurd', quantity=number(quantity),
            maximum=number(maximum.normalize()
                if isinstance(maximum, Decimal) else maximum))


def settle(total, payments):
    """Return the amounts to record of payments (method, amount, cash)
    paying total, and the change given back.

    The amounts given in cash may exceed what remains once the other
    payments are counted: the surplus is the change, taken off the cash
    amounts (the last first). Other payments may not exceed the total, nor
    all of them fall short of it."""
    total = Decimal(total)
    payments = [(m, Decimal(a), c) for m, a, c in payments]
    if any(a <= 0 for _, a, _ in payments):
        raise TenderError('payment_not_positive')
    other = sum((a for _, a, c in payments if not c), Decimal(0))
    given = sum((a for _, a, _ in payments), Decimal(0))
    if other > total:
        raise TenderError('payment_above_total', paid=money(other),
            total=money(total))
    if given < total:
        raise TenderError('payment_short', paid=money(given),
            total=money(total), missing=money(total - given))
    change = given - total
    recorded = []
    for method, amount, cash in reversed(payments):
        if cash and change:
            taken = min(amount, change)
            amount, change = amount - taken, change - taken
        if amount:
            recorded.append((method, amount))
    return list(reversed(recorded)), given - total

# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The fees of an order cycle and the producers' settlement: pure
arithmetic, no database."""
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

CENT = Decimal('0.01')


def fee_quantity(basis, lines):
    """How many times a fee of basis ('order', 'item' or 'kg') applies to
    an order of lines, each (quantity, weighed, kilograms): 'item' counts
    the units of the lines sold by the unit and one per weighed line,
    'kg' the kilograms of every line whose weight is known."""
    if not lines:
        return 0
    if basis == 'order':
        return 1
    if basis == 'item':
        return sum(1 if weighed else q for q, weighed, _ in lines)
    if basis == 'kg':
        return round(sum(kg or 0 for _, _, kg in lines), 3)
    raise ValueError(basis)


def money(amount):
    "amount rounded to the cent, half up."
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def settle(sold, commission_rate, producer_fees, vat_rate):
    """What a producer is owed for goods sold (excl. VAT): the commission
    withheld at commission_rate, the fees charged to the producer, and the
    VAT at vat_rate on what remains. Return a dict of the amounts."""
    sold = money(sold)
    commission = money(sold * Decimal(commission_rate))
    fees = money(producer_fees)
    base = sold - commission - fees
    vat = money(base * Decimal(vat_rate))
    return {
        'sold': sold,
        'commission': commission,
        'fees': fees,
        'base': base,
        'vat': vat,
        'owed': base + vat,
        }


def line_amount(quantity, unit_price):
    """The amount of quantity at unit_price as an invoice line computes it:
    rounded to the cent, half to even."""
    return (Decimal(str(quantity)) * Decimal(unit_price)).quantize(
        CENT, rounding=ROUND_HALF_EVEN)


def apportion(amount, weights):
    """amount split in cents pro rata to weights, the cents left over given
    to the largest remainders: the shares add up to money(amount)."""
    amount = money(amount)
    total = sum(weights, Decimal(0))
    if not weights:
        return []
    if not total:
        return [amount] + [Decimal(0)] * (len(weights) - 1)
    exact = [amount * Decimal(w) / total for w in weights]
    shares = [e.quantize(CENT, rounding=ROUND_DOWN) for e in exact]
    left = int((amount - sum(shares)) / CENT)
    order = sorted(range(len(weights)), key=lambda i: shares[i] - exact[i])
    for i in order[:left]:
        shares[i] += CENT
    return shares


def settle_groups(groups, commission_rate, fees):
    """Settle the goods of a producer sold in groups of one VAT rate,
    [(sold, vat_rate)], with its fees [amount] each split among the groups
    pro rata to their sales. Return the totals of the settle() amounts and,
    for each group, its settle() amounts with 'fee_shares', its share of
    each fee."""
    solds = [money(sold) for sold, _ in groups]
    shares = [apportion(fee, solds) for fee in fees]
    settled = []
    for i, (sold, vat_rate) in enumerate(groups):
        fee_shares = [share[i] for share in shares]
        amounts = settle(sold, commission_rate,
            sum(fee_shares, Decimal(0)), vat_rate)
        amounts['fee_shares'] = fee_shares
        settled.append(amounts)
    totals = {key: sum((s[key] for s in settled), Decimal(0))
        for key in ['sold', 'commission', 'fees', 'base', 'vat', 'owed']}
    return totals, settled

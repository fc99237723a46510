"""What goes into the van and what is lost on the way, free of any Tryton
import."""
import math
from decimal import Decimal

# the load proposed exceeds the average sales by this share, so that the
# last customers of the round still find the products
LOAD_MARGIN = 0.1


def propose_load(sold, runs, deliveries=None, margin=LOAD_MARGIN):
    """Return {product: quantity} to load: the average of the quantities
    sold of each product over the last runs (sold maps a product to the
    quantities of the runs that sold it, runs is how many runs were looked
    at, a run that did not sell the product counting as 0), raised by
    margin, plus the quantities to deliver at the stops."""
    proposal = {}
    if runs:
        for product, quantities in sold.items():
            average = sum(quantities) / runs
            if average > 0:
                proposal[product] = average * (1 + margin)
    for product, quantity in (deliveries or {}).items():
        proposal[product] = proposal.get(product, 0) + quantity
    return proposal


def losses(lines):
    """Return {key: loss} of lines {key: (loaded, sold, returned)}: what was
    loaded and neither sold nor brought back. A negative loss means that
    more was sold or returned than loaded."""
    return {k: loaded - sold - returned
        for k, (loaded, sold, returned) in lines.items()}


def average_basket(revenue, tickets):
    "The revenue per ticket, to the cent, None without tickets."
    if not tickets:
        return None
    return (Decimal(revenue) / tickets).quantize(Decimal('0.01'))


def ceil_to(quantity, step):
    "The quantity rounded up to a multiple of step (e.g. whole units)."
    return round(math.ceil(round(quantity / step, 9)) * step, 9)

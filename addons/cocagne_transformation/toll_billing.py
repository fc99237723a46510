"""Toll processing (prestation à façon): how much of a partner farm's produce
goes into a batch, what is left to give back to the farm, and the quantity
of service invoiced to it; free of any Tryton import."""

# what each basis of invoicing counts: a weight or a number of units
BASIS_KINDS = {
    'input': 'weight',
    'output': 'weight',
    'unit': 'unit',
    }


def basis_kind(basis):
    "'weight' or 'unit': what basis counts."
    try:
        return BASIS_KINDS[basis]
    except KeyError:
        raise ValueError(f"unknown basis {basis!r}")


def billed_quantity(basis, input_weight, output_weight, units, digits=None):
    """The quantity of service billed on basis: the kilograms received
    ('input'), the kilograms made ('output') or the units made ('unit'),
    rounded to digits; None when it is unknown or not positive."""
    basis_kind(basis)
    value = {
        'input': input_weight,
        'output': output_weight,
        'unit': units,
        }[basis]
    if value is None or value <= 0:
        return None
    return round(value, digits) if digits is not None else value


def remaining(received, used, epsilon=1e-9):
    """What is left of the received quantities once used: received and used
    are iterables of (key, quantity), e.g. ((product, lot), kg); return
    {key: quantity} of the keys left, in the order they were received.
    A key used but never received is ignored."""
    left = {}
    for key, quantity in received:
        left[key] = left.get(key, 0) + quantity
    for key, quantity in used:
        if key in left:
            left[key] -= quantity
    return {k: q for k, q in left.items() if q > epsilon}


def batch_scale(received_weight, recipe_weight):
    """The factor to apply to a recipe whose ingredients supplied by the
    farm weigh recipe_weight so that they weigh received_weight; None when
    the recipe uses none of them."""
    if not recipe_weight or not received_weight or received_weight < 0:
        return None
    return received_weight / recipe_weight

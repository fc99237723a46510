"""The cost of a dish and the organic share of its ingredients by value,
free of any Tryton import.

A dish is costed from its recipe: each ingredient at its current unit cost,
a sub-recipe at its own cost in proportion of the quantity used, plus the
labour of the recipe; the cost of one portion is that over the portions the
recipe makes. EGalim counts the organic share by value (law 2018-938,
art. L230-5-1 of the Code rural), where the labels count it by weight.
"""
from dataclasses import dataclass, field
from decimal import Decimal

PRICE = Decimal('0.0001')


@dataclass
class Part:
    """An input of a recipe with its value for the quantity used.

    components: the Parts of the sub-recipe that makes a processed input,
    for the whole sub-recipe; value is then the share of that sub-recipe
    used, and the organic share is taken from the components."""
    name: str
    value: Decimal
    organic: bool = False
    agricultural: bool = True
    components: list = field(default_factory=list)


def labour_cost(minutes, hourly_cost):
    "The cost of minutes of work at hourly_cost, 0 when either is unknown."
    if not minutes or not hourly_cost:
        return Decimal(0)
    return Decimal(minutes) * Decimal(hourly_cost) / 60


def portion_cost(parts, labour, portions):
    """The cost of one portion of a recipe making portions from parts and
    labour, or None when it makes no portion."""
    if not portions:
        return None
    total = sum((p.value for p in parts), Decimal(0)) + labour
    return (total / portions).quantize(PRICE)


def _leaves(parts, weight=Decimal(1)):
    "The (value, organic, agricultural) of the ingredients, expanded."
    for part in parts:
        inner = sum((c.value for c in part.components), Decimal(0))
        if part.components and inner:
            yield from _leaves(part.components,
                weight * part.value / inner)
        else:
            yield part.value * weight, part.organic, part.agricultural


def organic_value_share(parts):
    """The share by value of the organic ingredients among the agricultural
    ones, sub-recipes expanded, or None when there is none or no value."""
    agricultural = organic = Decimal(0)
    for value, is_organic, is_agricultural in _leaves(parts):
        if not is_agricultural:
            continue
        agricultural += value
        if is_organic:
            organic += value
    if not agricultural:
        return None
    return round(float(organic / agricultural), 4)


def margin(takings, food_cost, covers):
    """The margin of takings over food_cost (None: nothing known) and the
    margin per cover, (None, None) without takings."""
    if takings is None:
        return None, None
    value = takings - (food_cost or 0)
    return value, (value / covers if covers else None)


def cover_figures(dishes):
    """The cost of one cover and the organic share of a menu by value.

    dishes: (portions per cover, cost of one portion or None, parts of the
    recipe, portions the recipe makes) for each dish of the menu.
    Returns (cost per cover or None if a dish has no cost, organic share or
    None)."""
    cost = Decimal(0)
    scaled = []
    for per_cover, unit_cost, parts, portions in dishes:
        if unit_cost is None or not portions:
            cost = None
        elif cost is not None:
            cost += Decimal(str(per_cover)) * unit_cost
        if portions:
            factor = Decimal(str(per_cover)) / portions
            scaled.extend(Part(p.name, p.value * factor, p.organic,
                    p.agricultural, p.components) for p in parts)
    if cost is not None:
        cost = cost.quantize(PRICE)
    return cost, organic_value_share(scaled)

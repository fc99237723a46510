"""The kitchen's weekly plan, free of any Tryton import: the portions of
each dish that the events and the restaurant need, and where each
ingredient comes from (the garden's harvest forecast, then the stock, then
a purchase)."""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

# the hour (local time) that separates the lunch and the dinner services
DINNER_FROM = 16


def week_of(date):
    "The Monday and the Sunday of the week of date."
    monday = date - dt.timedelta(days=date.weekday())
    return monday, monday + dt.timedelta(days=6)


def service_of(hour):
    "The service of a ticket rung at hour: 'lunch' or 'dinner'."
    return 'lunch' if hour < DINNER_FROM else 'dinner'


def portions(demands):
    """Sum the portions of each dish.

    demands: (covers, [(dish, portions per cover), ...]) for each event or
    restaurant service. Returns {dish: portions}."""
    result = defaultdict(float)
    for covers, dishes in demands:
        for dish, per_cover in dishes:
            result[dish] += covers * per_cover
    return dict(result)


@dataclass
class Supply:
    "Where the quantity needed of an ingredient comes from."
    needed: float
    forecast: float
    stock: float
    purchase: float


def supply(needed, forecast=0, stock=0):
    """Take needed from the harvest forecast first, then from the stock,
    and buy the rest; a negative forecast or stock counts as none."""
    from_forecast = min(needed, max(forecast or 0, 0))
    rest = needed - from_forecast
    from_stock = min(rest, max(stock or 0, 0))
    return Supply(needed, from_forecast, from_stock, rest - from_stock)

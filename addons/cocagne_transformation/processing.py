"""Dates, yields and costs of processing batches, and the French wordings
of the labels: pure functions, without the database."""
import datetime as dt
from decimal import Decimal

from trytond.modules.cocagne_base.product import (
    NUTRITION_EXEMPT_SMALL_PRODUCER)

from .ingredients import format_number

# INCO Annex X: the legal wordings of the date, in French
DATE_WORDINGS = {
    'dlc': "À consommer jusqu'au",
    'ddm': "À consommer de préférence avant le",
    }


def expiry_date(production_date, shelf_life_days):
    "The date of a lot made on production_date, or None."
    if not production_date or shelf_life_days is None:
        return None
    return production_date + dt.timedelta(days=shelf_life_days)


def date_wording(kind, date):
    "The mention of the date of kind 'dlc' (use-by) or 'ddm' (best-before)."
    return f"{DATE_WORDINGS[kind]} {date.strftime('%d/%m/%Y')}"


def yield_ratio(output_weight, input_weight, digits=None):
    """The output weight for one unit of input weight, rounded to digits,
    or None."""
    if not input_weight or output_weight is None:
        return None
    ratio = output_weight / input_weight
    return round(ratio, digits) if digits is not None else ratio


def yield_gap(actual, expected):
    "The gap of the actual yield to the expected one, or None."
    if actual is None or expected is None:
        return None
    return actual - expected


def too_heavy(output_weight, input_weight, tolerance):
    """Whether the output weighs more than the inputs beyond tolerance (a
    share of the input weight)."""
    if not input_weight:
        return False
    return output_weight > input_weight * (1 + tolerance) + 1e-9


def labour_cost(minutes, hourly_rate):
    "The cost of minutes of work at hourly_rate, a Decimal."
    return (Decimal(str(minutes or 0)) * Decimal(str(hourly_rate or 0))
        / 60)

# The French wording of the label's particulars (INCO art. 9 and Annex XV)
NET_QUANTITY = "Quantité nette :"
LOT = "Lot :"
NUTRITION_TITLE = "Déclaration nutritionnelle pour 100 g"
NUTRITION_EXEMPT = NUTRITION_EXEMPT_SMALL_PRODUCER
NUTRIENT_NAMES = [
    ('energy', "Énergie"),
    ('fat', "Matières grasses"),
    ('saturates', "dont acides gras saturés"),
    ('carbohydrate', "Glucides"),
    ('sugars', "dont sucres"),
    ('protein', "Protéines"),
    ('salt', "Sel"),
    ]


def net_quantity(quantity, unit):
    "The mention of the net quantity of quantity unit, or None."
    if not quantity:
        return None
    return f'{NET_QUANTITY} {format_number(quantity, 3)} {unit}'


def nutrition_rows(values):
    """The rows (name, value) of the nutrition declaration from values
    {energy_kj, energy_kcal, fat, …} per 100 g, in the order of Annex XV."""
    rows = []
    for key, name in NUTRIENT_NAMES:
        if key == 'energy':
            kj, kcal = values.get('energy_kj'), values.get('energy_kcal')
            if kj is None and kcal is None:
                continue
            value = ' / '.join(filter(None, [
                        kj is not None and f'{format_number(kj)} kJ',
                        kcal is not None and f'{format_number(kcal)} kcal']))
        else:
            if values.get(key) is None:
                continue
            value = f'{format_number(values[key], 1)} g'
        rows.append((name, value))
    return rows

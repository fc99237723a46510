"""The ingredient statement of a recipe, free of any Tryton import but the
place of farming of cocagne_base's products.

Rules of Regulation (EU) 1169/2011 (INCO) and of Regulation (EU) 2018/848
(organic). The wording is French: the labels are for the French market.
"""
import re
import unicodedata
from dataclasses import dataclass, field, replace
from html import escape

from trytond.modules.cocagne_base.product import FARMING, farming_area

# INCO Annex VII part A.4: ingredients under 2 % of the finished product may
# follow the others in any order
MINOR_SHARE = 0.02
# INCO Annex VII part A.1: added water making up no more than 5 % of the
# finished product need not be declared
WATER_SHARE = 0.05
# Reg. 2018/848 art. 30(5)(a): "bio" in the sales name when at least 95 %
# by weight of the agricultural ingredients are organic
ORGANIC_NAME_SHARE = 0.95
# Reg. 2018/848 art. 32(2) third subparagraph: small quantities by weight of
# ingredients may be disregarded when they total no more than 5 % of the
# agricultural raw materials by weight
FARMING_TOLERANCE = 0.05
# Reg. 2018/848 art. 30(1) and Annex IV: the terms that refer to organic
# production in French, and "organic" itself (a label may be bilingual)
ORGANIC_TERMS = re.compile(
    r'\b(bio|biologiques?|organic|ab)\b', re.IGNORECASE)
ORGANIC_FOOTNOTE = "*Ingrédients issus de l'agriculture biologique"
# the words before the ingredient list (INCO art. 18)
INGREDIENTS = "Ingrédients :"


@dataclass
class Ingredient:
    """An ingredient of a recipe, weighed at the time of use (kg).

    components: the ingredients of a processed ingredient made by a recipe
    (a sub-recipe), weighed in that recipe's mixing bowl.
    country: the ISO code of the country where it was farmed."""
    name: str
    quantity: float
    organic: bool = False
    agricultural: bool = True
    water: bool = False
    allergens: frozenset = frozenset()
    country: str | None = 'FR'
    components: list = field(default_factory=list)


@dataclass
class Statement:
    "The ingredient statement computed by statement()."
    items: list                 # (Ingredient, weight, quid text or None)
    organic_share: float | None
    organic_name_allowed: bool
    farming: str | None
    allergens: frozenset
    has_organic: bool

    def text(self, html=False):
        """The list "Ingrédients : …", allergens in <strong> (html) or
        in upper case (plain text), as INCO art. 21 asks."""
        parts = []
        for ingredient, weight, quid in self.items:
            name = ingredient.name
            if ingredient.allergens:
                name = (f'<strong>{escape(name)}</strong>' if html
                    else name.upper())
            elif html:
                name = escape(name)
            if ingredient.organic:
                name += '*'
            if quid:
                name += f' ({escape(quid) if html else quid})'
            parts.append(name)
        text = f"{INGREDIENTS} " + ", ".join(parts) + "."
        return text

    @property
    def footnote(self):
        "The organic footnote, with the organic share when not all of it."
        if not self.has_organic:
            return ''
        if self.organic_name_allowed:
            return ORGANIC_FOOTNOTE
        return (f"{ORGANIC_FOOTNOTE} ({format_percent(self.organic_share)} "
            "des ingrédients agricoles)")


def expand(ingredients):
    """Replace each processed ingredient made by a sub-recipe by its own
    ingredients, in proportion of the quantity used (INCO Annex VII part E,
    point 2(b) lets a compound ingredient be replaced by its ingredients),
    and merge the ingredients of the same name."""
    return _merge(_flatten(ingredients, 1))


def _merge(ingredients):
    "Merge the ingredients of the same name, summing their quantities."
    merged = {}
    for ingredient in ingredients:
        key = (ingredient.name, ingredient.organic, ingredient.water)
        if key in merged:
            known = merged[key]
            known.quantity += ingredient.quantity
            known.allergens = known.allergens | ingredient.allergens
            if known.country != ingredient.country:
                known.country = _mixed(known.country, ingredient.country)
        else:
            merged[key] = replace(ingredient)
    return list(merged.values())


def _flatten(ingredients, ratio):
    for ingredient in ingredients:
        if ingredient.components:
            total = sum(c.quantity for c in ingredient.components)
            if total <= 0:
                raise ValueError(ingredient.name)
            yield from _flatten(ingredient.components,
                ratio * ingredient.quantity / total)
        else:
            yield Ingredient(
                name=ingredient.name,
                quantity=ingredient.quantity * ratio,
                organic=ingredient.organic,
                agricultural=ingredient.agricultural,
                water=ingredient.water,
                allergens=frozenset(ingredient.allergens),
                country=ingredient.country)


def _mixed(country1, country2):
    "The place of farming of an ingredient from two countries."
    places = {farming_area(country1), farming_area(country2)}
    return 'EU' if places == {'EU'} else None


def statement(ingredients, finished_weight, quid_names=()):
    """Return the Statement of ingredients (weighed at use, kg) giving
    finished_weight kg of finished product.

    quid_names: the ingredients named in the sales name, whose quantity is
    declared (INCO art. 22)."""
    raw = list(_flatten(ingredients, 1))
    ingredients = _merge(raw)
    total = sum(i.quantity for i in ingredients)
    if total <= 0 or not finished_weight or finished_weight <= 0:
        raise ValueError('quantities')
    others = sum(i.quantity for i in ingredients if not i.water)
    weighed = []
    for ingredient in ingredients:
        if ingredient.quantity <= 0:
            continue
        weight = ingredient.quantity
        if ingredient.water:
            # Annex VII part A.1: added water weighs what the finished
            # product weighs beyond the other ingredients used
            weight = min(ingredient.quantity, finished_weight - others)
            if weight <= WATER_SHARE * finished_weight:
                continue
        weighed.append((ingredient, weight))
    major = [w for w in weighed if w[1] >= MINOR_SHARE * finished_weight]
    minor = [w for w in weighed if w[1] < MINOR_SHARE * finished_weight]
    major.sort(key=lambda w: (-w[1], w[0].name))
    # in any order (Annex VII part A.4): alphabetical
    minor.sort(key=lambda w: w[0].name)
    quid_names = set(quid_names)
    items = []
    for ingredient, weight in major + minor:
        quid = None
        if ingredient.name in quid_names:
            quid = quid_text(ingredient.quantity, total, finished_weight)
        items.append((ingredient, weight, quid))
    share = organic_share(raw)
    return Statement(
        items=items,
        organic_share=share,
        organic_name_allowed=share is not None and share >= ORGANIC_NAME_SHARE,
        farming=place_of_farming(raw),
        allergens=frozenset().union(*(i.allergens for i in ingredients)),
        has_organic=any(i.organic for i in ingredients))


def quid_text(quantity, total, finished_weight):
    """The quantity of an ingredient named in the sales name (INCO art. 22,
    Annex VIII): its share of the mixing bowl; of the finished product when
    the product lost water (point 4(a)); the weight used for 100 g when
    that share exceeds 100 % (point 4(a), second subparagraph)."""
    if finished_weight < total:
        share = quantity / finished_weight
    else:
        share = quantity / total
    if share > 1:
        grams = format_number(round(share * 100))
        return f"préparé avec {grams} g pour 100 g"
    return format_percent(share)


def organic_share(ingredients):
    """The organic share by weight of the agricultural ingredients (water
    and salt are not agricultural: Reg. 2018/848 art. 30(5)), or None when
    there is no agricultural ingredient."""
    agricultural = [i for i in ingredients
        if i.agricultural and not i.water and i.quantity > 0]
    total = sum(i.quantity for i in agricultural)
    if not total:
        return None
    return sum(i.quantity for i in agricultural if i.organic) / total


def place_of_farming(ingredients):
    """The place where the agricultural raw materials were farmed
    (Reg. 2018/848 art. 32(2)): a country when all of them were farmed
    there, EU, non-EU or both; the ingredients totalling at most
    FARMING_TOLERANCE of their weight are disregarded. None without any
    agricultural ingredient."""
    agricultural = [i for i in ingredients
        if i.agricultural and not i.water and i.quantity > 0]
    total = sum(i.quantity for i in agricultural)
    if not total:
        return None
    tolerance = FARMING_TOLERANCE * total
    outside_france = sum(
        i.quantity for i in agricultural if i.country != 'FR')
    if outside_france <= tolerance:
        return FARMING['FR']
    non_eu = sum(i.quantity for i in agricultural
        if farming_area(i.country) == 'non-EU')
    if non_eu <= tolerance:
        return FARMING['EU']
    if total - non_eu <= tolerance:
        return FARMING['non-EU']
    return FARMING['EU/non-EU']


def format_number(value, digits=0):
    "value in the French way: a decimal comma, no useless zeros."
    text = f'{value:.{digits}f}'
    if '.' in text:
        text = text.rstrip('0').rstrip('.')
    return text.replace('.', ',')


def format_percent(share):
    "A share as a French percentage, e.g. 0.456 → '45,6 %'."
    return f'{format_number(share * 100, 1)} %'


def claims_organic(name):
    """Whether the sales name refers to organic production ("bio",
    "biologique", "AB"…), accents and case aside."""
    if not name:
        return False
    plain = unicodedata.normalize('NFKD', name).encode(
        'ascii', 'ignore').decode()
    return bool(ORGANIC_TERMS.search(plain))

"""Dishes: recipes that make portions, costed from their ingredients and
labour, with their allergens and organic share by value."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import fields
from trytond.modules.cocagne_base.allergen import ALLERGENS
from trytond.modules.product import price_digits
from trytond.pool import Pool, PoolMeta

from . import costing
from .exceptions import MenuError


def unit_costs(products):
    """The cost of each product per its default unit at its last purchase
    receipt or batch output, for the products received or made."""
    pool = Pool()
    Move = pool.get('stock.move')
    result = {}
    moves = Move.search([
            ('product', 'in', [p.id for p in products]),
            ('state', '=', 'done'),
            ('from_location.type', 'in', ['supplier', 'production']),
            ('to_location.type', '=', 'storage'),
            ('unit_price', '!=', None),
            ('internal_quantity', '>', 0),
            ], order=[('effective_date', 'ASC'), ('id', 'ASC')])
    for move in moves:
        result[move.product.id] = (move.unit_price
            * Decimal(str(move.quantity))
            / Decimal(str(move.internal_quantity)))
    return result


class BOM(metaclass=PoolMeta):
    __name__ = 'production.bom'
    portions = fields.Integer(
        "Portions",
        domain=['OR', ('portions', '=', None), ('portions', '>', 0)],
        help="The portions that the quantities of the recipe make: "
        "a recipe with portions is a dish of the menus.")
    portion_cost = fields.Function(
        fields.Numeric("Cost per Portion", digits=price_digits,
            help="The ingredients at their last purchase or batch cost "
            "and the labour at the site's hourly cost, over the portions."),
        'get_dish_figures')
    organic_value_share = fields.Function(
        fields.Float("Organic Share by Value", digits=(3, 4),
            help="The organic share of the agricultural ingredients by "
            "value, as EGalim counts it."),
        'get_dish_figures')
    dish_allergens = fields.Function(
        fields.MultiSelection(ALLERGENS, "Allergens",
            help="The allergens of the dish, sub-recipes included."),
        'get_dish_allergens')

    def cost_parts(self, costs=None):
        """The costing Parts of the inputs of the recipe, for its quantities
        as written; costs maps product ids to their unit_costs()."""
        pool = Pool()
        Uom = pool.get('product.uom')
        inputs = [i for i in self.inputs if i.product]
        if costs is None:
            costs = unit_costs(self.all_input_products())
        parts = []
        for input_ in inputs:
            product = input_.product
            quantity = Uom.compute_qty(input_.unit, input_.quantity,
                product.default_uom, round=False)
            sub_recipe = input_.sub_recipe
            components = sub_recipe.cost_parts(costs) if sub_recipe else []
            unit_cost = costs.get(product.id)
            if unit_cost is not None:
                value = Decimal(str(quantity)) * unit_cost
            elif sub_recipe:
                factor = sub_recipe.compute_factor(
                    product, quantity, product.default_uom) or 0
                value = Decimal(str(factor)) * (
                    sum((c.value for c in components), Decimal(0))
                    + sub_recipe.labour_cost())
            else:
                value = Decimal(str(quantity)) * (product.cost_price or 0)
            template = product.template
            parts.append(costing.Part(
                    name=template.name, value=value,
                    organic=bool(template.organic),
                    agricultural=(bool(template.agricultural)
                        and not input_.packaging),
                    components=components))
        return parts

    def all_input_products(self):
        "The products of the inputs of the recipe and of its sub-recipes."
        products = set()
        for input_ in self.inputs:
            if input_.product:
                products.add(input_.product)
                if input_.sub_recipe:
                    products |= input_.sub_recipe.all_input_products()
        return products

    def labour_cost(self):
        "The labour of the recipe at its site's hourly cost."
        rate = self.site.labour_hourly_cost if self.site else None
        return costing.labour_cost(self.labour_minutes, rate)

    @classmethod
    def get_dish_figures(cls, boms, names):
        result = {n: {} for n in names}
        costs = unit_costs(set().union(*(b.all_input_products()
                    for b in boms if b.portions)))
        for bom in boms:
            parts = bom.cost_parts(costs) if bom.portions else []
            if 'portion_cost' in names:
                result['portion_cost'][bom.id] = costing.portion_cost(
                    parts, bom.labour_cost(), bom.portions)
            if 'organic_value_share' in names:
                result['organic_value_share'][bom.id] = (
                    costing.organic_value_share(parts))
        return result

    def allergens(self):
        """The allergens of the ingredients of the recipe and of its
        sub-recipes, whatever their unit."""
        result = set()
        for input_ in self.inputs:
            if input_.packaging or not input_.product:
                continue
            result |= set(input_.product.template.allergens or [])
            if input_.sub_recipe:
                result |= input_.sub_recipe.allergens()
        return result

    def get_dish_allergens(self, name):
        codes = self.allergens()
        return [code for code, _ in ALLERGENS if code in codes]

    def check_dish(self):
        "Refuse a dish that cannot be served: no portions or no ingredients."
        if not self.portions or not self.outputs:
            raise MenuError(gettext(
                    'cocagne_transformation.msg_dish_no_yield',
                    dish=self.rec_name))
        if not [i for i in self.inputs if not i.packaging and i.product]:
            raise MenuError(gettext(
                    'cocagne_transformation.msg_dish_no_ingredients',
                    dish=self.rec_name))

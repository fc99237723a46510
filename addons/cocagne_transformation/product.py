"""Products made by a recipe: the food particulars of their distance sale
are the recipe's."""
from trytond.modules.cocagne_base.product import allergen_list
from trytond.pool import Pool, PoolMeta

from . import processing
from .ingredients import INGREDIENTS
from .recipe import product_recipe

# the words of the label before a particular, which the shop's page shows
# as the particular's title
MENTIONS = [
    ('ingredients', INGREDIENTS + ' '),
    ('net_quantity', processing.NET_QUANTITY + ' '),
    ]


class Template(metaclass=PoolMeta):
    __name__ = 'product.template'

    def food_recipe(self):
        "The recipe that makes the product, or None."
        for product in self.products:
            if recipe := product_recipe(product):
                return recipe

    def food_particulars(self, date=None):
        """The particulars of the recipe that makes the product, if any: its
        sales name, ingredients, net quantity, storage, nutrition, and the
        place of farming when the operator may sell it as organic on
        date."""
        particulars = super().food_particulars(date=date)
        recipe = self.food_recipe()
        if not recipe:
            return particulars
        date = date or Pool().get('ir.date').today()
        statement = recipe.statement()
        party = self.food_operator()
        organic = bool(statement and statement.organic_name_allowed
            and party and party.organic_certified_on(date))
        particulars.update(recipe.food_particulars(statement, organic))
        particulars['name'] = recipe.sales_name or self.name
        particulars['allergens'] = allergen_list(
            set(self.allergens or []) | recipe.allergens())
        for key, words in MENTIONS:
            value = particulars[key]
            if value and value.startswith(words):
                particulars[key] = value.__class__(value[len(words):])
        return particulars

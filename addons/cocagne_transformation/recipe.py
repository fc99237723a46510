"""Recipes: bills of materials of the processing units, with their yield,
shelf life, label particulars and ingredient statement."""
from genshi.core import Markup

from trytond.i18n import gettext
from trytond.model import fields
from trytond.modules.cocagne_base.garden import GardenOwnedMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

from . import processing
from .exceptions import RecipeError
from .ingredients import (
    ORGANIC_NAME_SHARE, Ingredient, claims_organic, expand, format_percent,
    organic_share, statement)

DATE_KINDS = [
    ('dlc', "Use-by date (DLC)"),
    ('ddm', "Best-before date (DDM)"),
    ]
NET_UNITS = [
    (None, ""),
    ('g', "g"),
    ('kg', "kg"),
    ('ml', "ml"),
    ('l', "l"),
    ]
# the site kinds of cocagne_base where food is processed
PROCESSING_SITES = ['legumerie', 'conserverie', 'kitchen']
# kilograms in one net unit (1 l of food counted as 1 kg)
NET_UNIT_KG = {'g': 0.001, 'kg': 1, 'ml': 0.001, 'l': 1}
NUTRIENTS = [
    'energy_kj', 'energy_kcal', 'fat', 'saturates', 'carbohydrate',
    'sugars', 'protein', 'salt']


def nutrient(name, string):
    "A nutrient per 100 g of the nutrition declaration (Annex XV)."
    return fields.Float(string, digits=(6, 1),
        domain=['OR', (name, '=', None), (name, '>=', 0)],
        states={
            'invisible': Bool(Eval('nutrition_exempt')),
            })


def product_recipe(product):
    "The first recipe that makes product, if it is processed, or None."
    if product.template.origin == 'processed':
        for product_bom in product.boms:
            if product_bom.bom:
                return product_bom.bom


def kilograms(quantity, unit):
    "quantity of unit in kilograms, or None if unit is not a weight."
    pool = Pool()
    Uom = pool.get('product.uom')
    ModelData = pool.get('ir.model.data')
    kg = Uom(ModelData.get_id('product', 'uom_kilogram'))
    if quantity is None or not unit or unit.category != kg.category:
        return None
    return Uom.compute_qty(unit, quantity, kg, round=False)


class BOM(GardenOwnedMixin, metaclass=PoolMeta):
    __name__ = 'production.bom'
    company = fields.Many2One(
        'company.company', "Garden",
        help="The garden that uses this recipe.\n"
        "Leave empty to share it with the whole network.")
    site = fields.Many2One(
        'stock.location', "Processing Site",
        domain=[
            ('type', '=', 'warehouse'),
            ('site_kind', 'in', PROCESSING_SITES),
            ],
        help="The vegetable processing unit or cannery that makes it.")
    expected_yield = fields.Float(
        "Expected Yield", digits=(3, 3),
        domain=['OR', ('expected_yield', '=', None),
            ('expected_yield', '>', 0)],
        help="The output weight for 1 kg of input, "
        "e.g. 0.82 for peeled carrots, 0.6 for a reduced soup.")
    labour_minutes = fields.Integer(
        "Labour Minutes",
        domain=['OR', ('labour_minutes', '=', None),
            ('labour_minutes', '>=', 0)],
        help="The working time that one batch of this recipe takes.")
    shelf_life = fields.Integer(
        "Shelf Life (days)",
        domain=['OR', ('shelf_life', '=', None), ('shelf_life', '>=', 0)],
        help="The days from the production date to the date on the label.")
    date_kind = fields.Selection(
        DATE_KINDS, "Date Kind",
        states={
            'required': Bool(Eval('shelf_life')),
            },
        help="A use-by date (DLC) for perishable food: its lots can no "
        "longer be delivered once past.\n"
        "A best-before date (DDM) never blocks a sale.")
    storage_conditions = fields.Text(
        "Storage Conditions",
        help="Printed on the label, e.g. \"À conserver entre 0 et 4 °C\".")
    net_quantity = fields.Float(
        "Net Quantity", digits=(8, 3),
        domain=['OR', ('net_quantity', '=', None), ('net_quantity', '>', 0)],
        help="The quantity in one unit sold.")
    net_quantity_unit = fields.Selection(
        NET_UNITS, "Net Quantity Unit",
        states={
            'required': Bool(Eval('net_quantity')),
            })
    sales_name = fields.Char(
        "Sales Name", translate=True,
        help="The name of the food on the label, "
        "e.g. \"Velouté de potimarron\".")
    nutrition_exempt = fields.Boolean(
        "Nutrition Declaration Exempt",
        help="Small quantities supplied directly by the producer to the "
        "final consumer or to local retail (Regulation (EU) 1169/2011, "
        "Annex V point 19).")
    energy_kj = nutrient('energy_kj', "Energy (kJ)")
    energy_kcal = nutrient('energy_kcal', "Energy (kcal)")
    fat = nutrient('fat', "Fat")
    saturates = nutrient('saturates', "Saturates")
    carbohydrate = nutrient('carbohydrate', "Carbohydrate")
    sugars = nutrient('sugars', "Sugars")
    protein = nutrient('protein', "Protein")
    salt = nutrient('salt', "Salt")
    ingredient_statement = fields.Function(
        fields.Text("Ingredient Statement",
            help="The list of ingredients of the label, allergens in "
            "upper case."),
        'get_statement')
    organic_share = fields.Function(
        fields.Float("Organic Share", digits=(3, 4),
            help="The organic share by weight of the agricultural "
            "ingredients."),
        'get_statement')
    organic_name = fields.Function(
        fields.Boolean("Organic Name Allowed",
            help="At least 95 % of the agricultural ingredients are "
            "organic: \"bio\" may appear in the sales name."),
        'get_statement')
    farming = fields.Function(
        fields.Char("Place of Farming"), 'get_statement')

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_nutrition_exempt(cls):
        return False

    @classmethod
    def default_date_kind(cls):
        return 'dlc'

    @classmethod
    def validate_fields(cls, boms, field_names):
        super().validate_fields(boms, field_names)
        cls.check_quantities(boms)
        cls.check_organic_name(boms)

    @classmethod
    def check_quantities(cls, boms):
        """Refuse a recipe whose ingredient quantities sum to zero; a bill
        of materials of no processing site may, as in Tryton's production."""
        for bom in boms:
            if not bom.site:
                continue
            ingredients = [i for i in bom.inputs if not i.packaging]
            if ingredients and not sum(i.quantity or 0 for i in ingredients):
                raise RecipeError(gettext(
                        'cocagne_transformation.msg_recipe_zero_quantities',
                        recipe=bom.rec_name))

    @classmethod
    def check_organic_name(cls, boms):
        """Refuse "bio" in the sales name of a recipe whose agricultural
        ingredients are less than 95 % organic (Reg. 2018/848 art. 30(5))."""
        for bom in boms:
            if not claims_organic(bom.sales_name):
                continue
            share = organic_share(expand(bom.ingredients()))
            if share is None or share < ORGANIC_NAME_SHARE:
                raise RecipeError(gettext(
                        'cocagne_transformation.msg_recipe_organic_name',
                        recipe=bom.rec_name, name=bom.sales_name,
                        share=format_percent(share or 0)))

    @property
    def output_weight(self):
        "The weight in kg of the outputs of the recipe, or None."
        weight = 0
        for output in self.outputs:
            kg = kilograms(output.quantity, output.unit)
            if kg is None and self.net_quantity:
                kg = (output.quantity * self.net_quantity
                    * NET_UNIT_KG[self.net_quantity_unit])
            if kg is None:
                return None
            weight += kg
        return weight or None

    def ingredients(self):
        "The Ingredients of the recipe, sub-recipes expanded."
        result = []
        for input_ in self.inputs:
            if input_.packaging or not input_.product:
                continue
            quantity = kilograms(input_.quantity, input_.unit)
            if quantity is None:
                continue
            template = input_.product.template
            sub_recipe = input_.sub_recipe
            result.append(Ingredient(
                    name=template.name,
                    quantity=quantity,
                    organic=bool(template.organic),
                    agricultural=bool(template.agricultural),
                    water=bool(input_.added_water),
                    allergens=frozenset(template.allergens or []),
                    country=input_.farming_country,
                    components=sub_recipe.ingredients() if sub_recipe
                    else []))
        return result

    def statement(self):
        "The Statement of the recipe, or None when it cannot be computed."
        weight = self.output_weight
        ingredients = self.ingredients()
        if not weight or not ingredients:
            return None
        quid = {i.product.template.name for i in self.inputs
            if i.quid and i.product}
        try:
            return statement(ingredients, weight, quid_names=quid)
        except ValueError:
            return None

    def food_particulars(self, statement, organic):
        """The particulars of INCO art. 9 of the food that the recipe makes
        and that its labels and distance sales show: those of statement
        (the recipe's), the place of farming when it is sold as organic."""
        exempt = self.nutrition_exempt
        nutrition = processing.nutrition_rows(
            {n: getattr(self, n) for n in NUTRIENTS})
        return {
            'ingredients': (Markup(statement.text(html=True))
                if statement else None),
            'ingredients_footnote': (statement.footnote or None
                if statement else None),
            'net_quantity': processing.net_quantity(
                self.net_quantity, self.net_quantity_unit),
            'storage': self.storage_conditions or None,
            'nutrition': None if exempt else nutrition or None,
            'nutrition_exempt': (processing.NUTRITION_EXEMPT
                if exempt else None),
            'farming': statement.farming if statement and organic else None,
            }

    @classmethod
    def get_statement(cls, boms, names):
        result = {n: {} for n in names}
        for bom in boms:
            value = bom.statement()
            values = {
                'ingredient_statement': value and '\n'.join(
                    filter(None, [value.text(), value.footnote])),
                'organic_share': (round(value.organic_share, 4)
                    if value and value.organic_share is not None else None),
                'organic_name': bool(value and value.organic_name_allowed),
                'farming': value and value.farming,
                }
            for name in names:
                result[name][bom.id] = values[name]
        return result


class BOMInput(metaclass=PoolMeta):
    __name__ = 'production.bom.input'
    packaging = fields.Boolean(
        "Packaging",
        help="A jar, a lid, a bag: not an ingredient of the food.")
    added_water = fields.Boolean(
        "Added Water",
        help="Declared by its weight in the finished product.")
    quid = fields.Boolean(
        "Named in the Sales Name",
        help="Its percentage is declared in the list of ingredients "
        "(QUID).")
    sub_recipe = fields.Function(
        fields.Many2One('production.bom', "Sub-Recipe"), 'get_sub_recipe')

    @classmethod
    def validate(cls, inputs):
        super().validate(inputs)
        Bom = Pool().get('production.bom')
        boms = list({i.bom for i in inputs})
        Bom.check_quantities(boms)
        Bom.check_organic_name(boms)

    @classmethod
    def default_packaging(cls):
        return False

    @classmethod
    def default_added_water(cls):
        return False

    @classmethod
    def default_quid(cls):
        return False

    def get_sub_recipe(self, name):
        "The first recipe that makes the product, if it is processed."
        if self.product and (recipe := product_recipe(self.product)):
            return recipe.id

    @property
    def farming_country(self):
        """The code of the country where the product was farmed: the
        producer's for a partner product, the garden's for its own."""
        return self.product.template.farming_country(self.bom.company)

"""Menus: the dishes of a restaurant service or of a catering offer, course
by course, with the cost of a cover, its organic share by value (EGalim)
and the allergen table of the dishes (décret 2015-447)."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields, sequence_ordered
from trytond.modules.cocagne_base.allergen import ALLERGENS
from trytond.modules.cocagne_base.garden import GardenOwnedMixin
from trytond.modules.product import price_digits, round_price
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import costing
from .dish import unit_costs
from .exceptions import MenuError

MENU_KINDS = [
    ('restaurant', "Restaurant"),
    ('catering', "Catering"),
    ]
SERVICES = [
    (None, ""),
    ('lunch', "Lunch"),
    ('dinner', "Dinner"),
    ]
COURSES = [
    ('appetizer', "Appetizer"),
    ('starter', "Starter"),
    ('main', "Main Course"),
    ('side', "Side Dish"),
    ('cheese', "Cheese"),
    ('dessert', "Dessert"),
    ]


class Menu(GardenOwnedMixin, ModelSQL, ModelView):
    "The dishes served together, course by course"
    __name__ = 'cocagne.catering.menu'
    __string__ = "Menu"
    company = fields.Many2One('company.company', "Garden", required=True)
    name = fields.Char("Name", required=True, translate=True)
    kind = fields.Selection(MENU_KINDS, "Kind", required=True)
    date = fields.Date(
        "Date",
        help="The day of a restaurant menu; empty for a catering offer "
        "quoted on any date.")
    service = fields.Selection(SERVICES, "Service")
    site = fields.Many2One(
        'stock.location', "Kitchen", required=True,
        domain=[
            ('type', '=', 'warehouse'),
            ('site_kind', '=', 'kitchen'),
            ('company', 'in', [Eval('company', -1), None]),
            ],
        help="The kitchen that cooks the dishes.")
    lines = fields.One2Many('cocagne.catering.menu.line', 'menu', "Dishes")
    price_per_cover = fields.Numeric(
        "Price per Cover", digits=price_digits,
        domain=['OR', ('price_per_cover', '=', None),
            ('price_per_cover', '>=', 0)],
        help="The price of one cover, taxes excluded.")
    cost_per_cover = fields.Function(
        fields.Numeric("Cost per Cover", digits=price_digits,
            help="The cost of the portions of one cover."),
        'get_figures')
    margin_per_cover = fields.Function(
        fields.Numeric("Margin per Cover", digits=price_digits),
        'get_figures')
    organic_share = fields.Function(
        fields.Float("Organic Share by Value", digits=(3, 4),
            help="The organic share of the agricultural ingredients of one "
            "cover by value, as EGalim counts it."),
        'get_figures')
    allergens = fields.Function(
        fields.MultiSelection(ALLERGENS, "Allergens",
            help="The allergens of the dishes of the menu."),
        'get_allergens')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('date', 'DESC NULLS FIRST'))

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_kind(cls):
        return 'restaurant'

    def get_rec_name(self, name):
        if self.date:
            lang = Pool().get('ir.lang').get()
            return f'{self.name} ({lang.strftime(self.date)})'
        return self.name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('name',) + tuple(clause[1:])]

    @classmethod
    def validate(cls, menus):
        super().validate(menus)
        cls.check_dishes(menus)

    @classmethod
    def check_dishes(cls, menus):
        "Refuse a dish of another garden or that cannot be served."
        for menu in menus:
            for line in menu.lines:
                dish = line.dish
                if dish.company and dish.company != menu.company:
                    raise MenuError(gettext(
                            'cocagne_transformation.msg_menu_dish_garden',
                            dish=dish.rec_name, menu=menu.rec_name,
                            garden=dish.company.rec_name))
                dish.check_dish()

    def dishes(self):
        "The (dish, portions per cover) of the menu."
        return [(line.dish, line.portions) for line in self.lines]

    @classmethod
    def get_figures(cls, menus, names):
        result = {n: {} for n in names}
        products = set()
        for menu in menus:
            for line in menu.lines:
                products |= line.dish.all_input_products()
        costs = unit_costs(products)
        for menu in menus:
            dishes = []
            for line in menu.lines:
                dish = line.dish
                parts = dish.cost_parts(costs)
                dishes.append((line.portions or 0,
                        costing.portion_cost(
                            parts, dish.labour_cost(), dish.portions),
                        parts, dish.portions))
            cost, share = costing.cover_figures(dishes)
            if cost is not None:
                cost = round_price(cost)
            if not menu.lines:
                cost = None
            margin = None
            if cost is not None and menu.price_per_cover is not None:
                margin = menu.price_per_cover - cost
            values = {
                'cost_per_cover': cost,
                'margin_per_cover': margin,
                'organic_share': share,
                }
            for name in names:
                result[name][menu.id] = values[name]
        return result

    def get_allergens(self, name):
        codes = set()
        for line in self.lines:
            codes |= line.dish.allergens()
        return [code for code, _ in ALLERGENS if code in codes]

    def allergen_rows(self):
        """The rows of the allergen table: (course code, dish name,
        allergen codes) in the order of the menu."""
        return [(line.course, line.dish.sales_name or line.dish.name,
                line.dish.allergens())
            for line in self.lines]

    @classmethod
    def copy(cls, menus, default=None):
        default = default.copy() if default else {}
        default.setdefault('date', None)
        return super().copy(menus, default=default)


class MenuLine(sequence_ordered(), ModelSQL, ModelView):
    "A dish of a menu"
    __name__ = 'cocagne.catering.menu.line'
    __string__ = "Dish of a Menu"
    menu = fields.Many2One(
        'cocagne.catering.menu', "Menu", required=True, ondelete='CASCADE')
    course = fields.Selection(COURSES, "Course", required=True)
    dish = fields.Many2One(
        'production.bom', "Dish", required=True, ondelete='RESTRICT',
        domain=[
            ('portions', '!=', None),
            ('company', 'in',
                [Eval('_parent_menu', {}).get('company', -1), None]),
            ],
        help="A recipe with portions.")
    portions = fields.Float(
        "Portions per Cover", digits=(4, 2), required=True,
        domain=[('portions', '>', 0)],
        help="The portions of the dish that one cover takes, e.g. 0.5 "
        "for a shared platter.")
    portion_cost = fields.Function(
        fields.Numeric("Cost per Portion", digits=price_digits),
        'get_portion_cost')
    allergens = fields.Function(
        fields.MultiSelection(ALLERGENS, "Allergens"), 'get_allergens')

    @classmethod
    def validate(cls, lines):
        super().validate(lines)
        Menu = Pool().get('cocagne.catering.menu')
        Menu.check_dishes(list({line.menu for line in lines}))

    @classmethod
    def default_portions(cls):
        return 1

    @classmethod
    def default_course(cls):
        return 'main'

    @classmethod
    def get_portion_cost(cls, lines, name):
        Bom = Pool().get('production.bom')
        costs = Bom.get_dish_figures(
            list({l.dish for l in lines if l.dish}), [name])[name]
        return {l.id: costs[l.dish.id] if l.dish else None for l in lines}

    def get_allergens(self, name):
        return self.dish.dish_allergens if self.dish else []

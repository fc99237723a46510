"""The kitchen's weekly production and purchase plan: from the confirmed
catering events and the restaurant's planned covers, the batches of each
recipe to cook and where each ingredient comes from (the harvest forecast,
the stock, then purchases, partner farms first)."""
import datetime as dt
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.cocagne_base.garden import GardenOwnedMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import planning
from .exceptions import PlanError
from .forecast import WeekMixin
from .service import KITCHEN_DOMAIN

EVENT_STATES = ['confirmed', 'processing', 'done']


class Plan(WeekMixin, GardenOwnedMixin, Workflow, ModelSQL, ModelView):
    "What the kitchen cooks and buys in a week"
    __name__ = 'cocagne.catering.plan'
    __string__ = "Kitchen Plan"
    _states = {
        'readonly': Eval('state') != 'draft',
        }
    company = fields.Many2One(
        'company.company', "Garden", required=True, states=_states)
    site = fields.Many2One(
        'stock.location', "Kitchen", required=True, domain=KITCHEN_DOMAIN,
        states=_states)
    week = fields.Date(
        "Week", required=True, states=_states,
        help="Any day of the week: the Monday is kept.")
    recipes = fields.One2Many(
        'cocagne.catering.plan.recipe', 'plan', "Recipes to Cook",
        readonly=True)
    ingredients = fields.One2Many(
        'cocagne.catering.plan.ingredient', 'plan', "Ingredients",
        readonly=True)
    productions = fields.One2Many(
        'production', 'origin', "Productions", readonly=True)
    purchase_requests = fields.One2Many(
        'purchase.request', 'origin', "Purchase Requests", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('done', "Done"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('site_week_unique', Unique(t, t.site, t.week),
                'cocagne_transformation.msg_plan_unique'),
            ]
        cls._order = [('week', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {('draft', 'done')}
        cls._buttons.update({
                'compute': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'do': {
                    'invisible': Eval('state') != 'draft',
                    'readonly': ~Eval('recipes') & ~Eval('ingredients'),
                    'depends': ['state', 'recipes', 'ingredients'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_week(cls):
        today = Pool().get('ir.date').today()
        monday, _ = planning.week_of(today)
        return monday + dt.timedelta(days=7)

    def get_rec_name(self, name):
        lang = Pool().get('ir.lang').get()
        return gettext('cocagne_transformation.msg_plan_rec_name',
            site=self.site.rec_name, week=lang.strftime(self.week))

    @classmethod
    def validate_fields(cls, plans, field_names):
        super().validate_fields(plans, field_names)
        if 'week' in field_names:
            cls.check_week([p for p in plans if p.state == 'draft'])

    @classmethod
    def check_week(cls, plans):
        "Refuse to plan a week that is over."
        Date = Pool().get('ir.date')
        lang = Pool().get('ir.lang').get()
        for plan in plans:
            with Transaction().set_context(company=plan.company.id):
                this_week, _ = planning.week_of(Date.today())
            if plan.week < this_week:
                raise PlanError(gettext(
                        'cocagne_transformation.msg_plan_past_week',
                        plan=plan.rec_name,
                        week=lang.strftime(this_week)))

    def demands(self):
        """The (covers, [(dish, portions per cover)]) of the confirmed
        events and of the restaurant services of the week."""
        pool = Pool()
        Sale = pool.get('sale.sale')
        Service = pool.get('cocagne.catering.service')
        monday, sunday = planning.week_of(self.week)
        sales = Sale.search([
                ('company', '=', self.company.id),
                ('catering_menu.site', '=', self.site.id),
                ('event_date', '>=', monday),
                ('event_date', '<=', sunday),
                ('state', 'in', EVENT_STATES),
                ])
        services = Service.search([
                ('company', '=', self.company.id),
                ('site', '=', self.site.id),
                ('date', '>=', monday),
                ('date', '<=', sunday),
                ('menu', '!=', None),
                ])
        return ([(s.covers, s.catering_menu.dishes()) for s in sales]
            + [(s.planned_covers or 0, s.menu.dishes()) for s in services])

    @staticmethod
    def explode(dish_portions, site):
        """The factor of each recipe to cook (the sub-recipes made at site
        included) and the quantity of each ingredient per its default unit,
        for the portions of each dish; a processed ingredient made at
        another site (the cannery's jars) is an ingredient."""
        Uom = Pool().get('product.uom')
        factors = defaultdict(float)
        needs = defaultdict(float)

        def cook(bom, factor):
            # whole units of output: 9 quiches, not 8.75
            output = bom.outputs[0]
            factor = (output.unit.ceil(output.quantity * factor)
                / output.quantity)
            factors[bom] += factor
            for input_ in bom.inputs:
                product = input_.product
                if not product:
                    continue
                quantity = Uom.compute_qty(input_.unit,
                    input_.quantity * factor, product.default_uom,
                    round=False)
                sub_recipe = input_.sub_recipe
                if sub_recipe and sub_recipe.site in {None, site}:
                    cook(sub_recipe, sub_recipe.compute_factor(
                            product, quantity, product.default_uom) or 0)
                else:
                    needs[product] += quantity

        for dish, portions in dish_portions.items():
            if dish.portions and portions:
                cook(dish, portions / dish.portions)
        return factors, needs

    @staticmethod
    def supplier(product):
        """The party to buy product from: its producer for a partner
        product, else its suppliers, partner farms first."""
        template = product.template
        if template.origin == 'partner' and template.producer:
            return template.producer
        parties = [s.party for s in product.product_suppliers_used()]
        farms = [p for p in parties if p.producer]
        return (farms or parties or [None])[0]

    @classmethod
    @ModelView.button
    def compute(cls, plans):
        "Fill the recipes and ingredients of the week."
        pool = Pool()
        Recipe = pool.get('cocagne.catering.plan.recipe')
        Ingredient = pool.get('cocagne.catering.plan.ingredient')
        Forecast = pool.get('cocagne.harvest.forecast')
        Product = pool.get('product.product')
        cls.check_week(plans)
        Recipe.delete([r for p in plans for r in p.recipes])
        Ingredient.delete([i for p in plans for i in p.ingredients])
        recipes, ingredients = [], []
        for plan in plans:
            portions = planning.portions(plan.demands())
            factors, needs = cls.explode(portions, plan.site)
            for bom, factor in factors.items():
                output = bom.outputs[0]
                recipes.append(Recipe(plan=plan, bom=bom,
                        product=output.product, unit=output.unit,
                        quantity=output.unit.round(
                            output.quantity * factor),
                        portions=portions.get(bom)))
            products = list(needs)
            forecast = Forecast.quantities(plan.company, plan.week, products)
            storage = plan.site.storage_location
            with Transaction().set_context(
                    company=plan.company.id, stock_date_end=plan.week):
                stock = Product.products_by_location(
                    [storage.id], with_childs=True,
                    grouping_filter=([p.id for p in products],))
            for product in sorted(products, key=lambda p: p.rec_name):
                unit = product.default_uom
                supply = planning.supply(needs[product],
                    forecast.get(product.id, 0),
                    stock.get((storage.id, product.id), 0))
                ingredients.append(Ingredient(plan=plan, product=product,
                        unit=unit,
                        needed=unit.round(supply.needed),
                        forecast=unit.round(supply.forecast),
                        stock=unit.round(supply.stock),
                        purchase_quantity=unit.ceil(supply.purchase),
                        supplier=cls.supplier(product)))
        Recipe.save(recipes)
        Ingredient.save(ingredients)

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, plans):
        """Create the draft productions at the kitchen and the purchase
        requests, and the draft purchases of those with a supplier."""
        pool = Pool()
        Production = pool.get('production')
        Request = pool.get('purchase.request')
        Date = pool.get('ir.date')
        cls.check_week(plans)
        productions, requests = [], []
        for plan in plans:
            site = plan.site
            if not site.production_location:
                raise PlanError(gettext(
                        'cocagne_transformation'
                        '.msg_plan_no_production_location',
                        plan=plan.rec_name, site=site.rec_name))
            for recipe in plan.recipes:
                production = Production(company=plan.company,
                    warehouse=site, location=site.production_location,
                    bom=recipe.bom, product=recipe.product,
                    unit=recipe.unit, quantity=recipe.quantity,
                    planned_date=plan.week, planned_start_date=plan.week,
                    origin=plan)
                production.explode_bom()
                productions.append(production)
            with Transaction().set_context(company=plan.company.id):
                today = Date.today()
            for line in plan.ingredients:
                if line.purchase_quantity <= 0:
                    continue
                if not line.product.purchasable:
                    continue
                line.request = Request(product=line.product,
                    unit=line.unit, quantity=line.purchase_quantity,
                    computed_quantity=line.purchase_quantity,
                    computed_unit=line.unit, party=line.supplier,
                    company=plan.company, warehouse=site,
                    purchase_date=today, supply_date=plan.week,
                    origin=plan)
                requests.append(line.request)
        Production.save(productions)
        Request.save(requests)
        pool.get('cocagne.catering.plan.ingredient').save(
            [l for p in plans for l in p.ingredients if l.request])
        cls.create_purchases([r for r in requests if r.party])

    @classmethod
    def create_purchases(cls, requests):
        "Group the requests into draft purchases, as Tryton's wizard does."
        if not requests:
            return
        CreatePurchase = Pool().get(
            'purchase.request.create_purchase', type='wizard')
        session_id, _, _ = CreatePurchase.create()
        with Transaction().set_context(
                active_model='purchase.request', active_id=requests[0].id,
                active_ids=[r.id for r in requests]):
            CreatePurchase(session_id).transition_start()
        CreatePurchase.delete(session_id)


class PlanRecipe(ModelSQL, ModelView):
    "A recipe that the kitchen cooks in the week"
    __name__ = 'cocagne.catering.plan.recipe'
    __string__ = "Recipe of a Kitchen Plan"
    plan = fields.Many2One(
        'cocagne.catering.plan', "Plan", required=True, ondelete='CASCADE')
    bom = fields.Many2One('production.bom', "Recipe", required=True)
    product = fields.Many2One('product.product', "Product", required=True)
    quantity = fields.Float("Quantity", digits='unit', required=True)
    unit = fields.Many2One('product.uom', "Unit", required=True)
    portions = fields.Float(
        "Portions", digits=(16, 1),
        help="The portions of the dish served in the week; empty for a "
        "base used by the dishes.")


class PlanIngredient(ModelSQL, ModelView):
    "Where an ingredient of the week's recipes comes from"
    __name__ = 'cocagne.catering.plan.ingredient'
    __string__ = "Ingredient of a Kitchen Plan"
    plan = fields.Many2One(
        'cocagne.catering.plan', "Plan", required=True, ondelete='CASCADE')
    product = fields.Many2One('product.product', "Product", required=True)
    unit = fields.Many2One('product.uom', "Unit", required=True)
    needed = fields.Float("Needed", digits='unit')
    forecast = fields.Float(
        "From the Harvest", digits='unit',
        help="Taken from the garden's harvest forecast of the week.")
    stock = fields.Float(
        "From Stock", digits='unit',
        help="Taken from the kitchen's stock forecast on the Monday.")
    purchase_quantity = fields.Float(
        "To Buy", digits='unit',
        help="A shortfall of a product that is not purchasable stays here.")
    supplier = fields.Many2One('party.party', "Supplier")
    request = fields.Many2One(
        'purchase.request', "Purchase Request", readonly=True)
    purchase = fields.Function(
        fields.Many2One('purchase.purchase', "Purchase"), 'get_purchase')

    def get_purchase(self, name):
        if self.request and self.request.purchase:
            return self.request.purchase.id


class Production(metaclass=PoolMeta):
    __name__ = 'production'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() | {'cocagne.catering.plan'}


class PurchaseRequest(metaclass=PoolMeta):
    __name__ = 'purchase.request'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() | {'cocagne.catering.plan'}

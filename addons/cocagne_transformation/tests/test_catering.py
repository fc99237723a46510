"Catering: dishes, menus, allergen tables, event quotes and kitchen plans"
import datetime as dt
import io
from decimal import Decimal

from pypdf import PdfReader

from trytond.i18n import gettext
from trytond.model.exceptions import (
    DomainValidationError, SQLConstraintError)
from trytond.modules.cocagne_base.tests.tools import (
    StackTestMixin, create_sale_point)
from trytond.modules.cocagne_transformation import cold, planning
from trytond.modules.cocagne_transformation.exceptions import (
    CateringError, MenuError, PlanError)
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from .test_module import create_product, setup_site, uom

TODAY = dt.date.today()


def kitchen(company):
    "The default warehouse, as the kitchen of company."
    return setup_site(company, Decimal('20'), kind='kitchen')


def recipe(company, site, name, output, quantity, inputs, portions=None):
    "A recipe of site making quantity of output from (product, quantity)."
    pool = Pool()
    Bom = pool.get('production.bom')
    ProductBom = pool.get('product.product-production.bom')
    bom, = Bom.create([{
                'name': name, 'company': company.id, 'site': site.id,
                'portions': portions,
                'inputs': [('create', [{
                                'product': p.id, 'quantity': q,
                                'unit': p.default_uom.id,
                                } for p, q in inputs])],
                'outputs': [('create', [{
                                'product': output.id, 'quantity': quantity,
                                'unit': output.default_uom.id,
                                }])],
                }])
    ProductBom.create([{'product': output.id, 'bom': bom.id}])
    return bom


def dishes(company, site):
    """A tart on a sesame crust made of a shortbread base (two levels of
    sub-recipes, eggs and sesame seeds counted by unit), and a salad."""
    product = create_product
    flour = product(company, "farine", allergens=['gluten'])
    butter = product(company, "beurre", allergens=['milk'])
    egg = product(company, "œuf", unit='u', allergens=['eggs'])
    sesame = product(company, "sachet de sésame", unit='u',
        allergens=['sesame'])
    squash = product(company, "potimarron", organic=True)
    lettuce = product(company, "laitue", organic=True)
    mustard = product(company, "moutarde", allergens=['mustard'])
    base = product(company, "pâte sablée", origin='processed')
    crust = product(company, "fond de tarte au sésame", origin='processed')
    tart = product(company, "tarte au potimarron", unit='u',
        origin='processed')
    salad = product(company, "salade vinaigrette", origin='processed')
    recipe(company, site, "Pâte sablée", base, 1,
        [(flour, 0.6), (butter, 0.3), (egg, 2)])
    recipe(company, site, "Fond au sésame", crust, 1,
        [(base, 1), (sesame, 1)])
    tart_recipe = recipe(company, site, "Tarte au potimarron", tart, 1,
        [(crust, 0.4), (squash, 0.8), (egg, 3)], portions=8)
    salad_recipe = recipe(company, site, "Salade vinaigrette", salad, 1,
        [(lettuce, 0.5), (mustard, 0.02)], portions=5)
    return tart_recipe, salad_recipe


def create_menu(company, site, lines, kind='catering', **values):
    Menu = Pool().get('cocagne.catering.menu')
    menu, = Menu.create([{
                'name': "Menu d'automne", 'company': company.id,
                'kind': kind, 'site': site.id,
                'price_per_cover': Decimal('16'),
                'lines': [('create', [{
                                'course': course, 'dish': dish.id,
                                } for course, dish in lines])],
                **values,
                }])
    return menu


class CateringTestCase(StackTestMixin, _DBTestCase):
    "Test the catering of the kitchens"
    module = 'cocagne_transformation'

    @with_transaction()
    def test_allergen_table_sub_recipes(self):
        """The allergen table of a menu names the allergens of each dish
        through two levels of sub-recipes, whatever their unit"""
        pool = Pool()
        AllergenTable = pool.get(
            'cocagne.catering.menu.allergen_table', type='report')
        company = create_company()
        with set_company(company):
            site = kitchen(company)
            tart, salad = dishes(company, site)
            self.assertEqual(list(tart.dish_allergens),
                ['gluten', 'eggs', 'milk', 'sesame'])
            self.assertEqual(list(salad.dish_allergens), ['mustard'])
            menu = create_menu(company, site,
                [('starter', salad), ('dessert', tart)])
            self.assertEqual(list(menu.allergens),
                ['gluten', 'eggs', 'milk', 'mustard', 'sesame'])

            _, content, _, _ = AllergenTable.execute([menu.id], {})
            text = ' '.join(page.extract_text()
                for page in PdfReader(io.BytesIO(content)).pages)
            # a mark in the column of each allergen, then their names
            self.assertIn("Entrée Salade vinaigrette ● Moutarde", text)
            self.assertIn(
                "Dessert Tarte au potimarron ● ● ● ● Céréales contenant du "
                "gluten, Œufs, Lait, Graines de sésame", text)
            self.assertNotIn("Crustacés,", text)

    @with_transaction()
    def test_menu_refuses_dish_without_ingredients(self):
        "A dish whose recipe has no ingredient cannot be on a menu"
        pool = Pool()
        Bom = pool.get('production.bom')
        Menu = pool.get('cocagne.catering.menu')
        company = create_company()
        with set_company(company):
            site = kitchen(company)
            soup = create_product(company, "soupe", origin='processed')
            empty, = Bom.create([{
                        'name': "Soupe du jour", 'company': company.id,
                        'site': site.id, 'portions': 10,
                        'outputs': [('create', [{
                                        'product': soup.id, 'quantity': 3,
                                        'unit': uom('kg').id}])],
                        }])
            with self.assertRaises(MenuError) as cm:
                create_menu(company, site, [('starter', empty)])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_dish_no_ingredients',
                    dish=empty.rec_name))
            self.assertIn("« Soupe du jour »", cm.exception.message)
            Transaction().rollback()
            self.assertEqual(Menu.search([]), [])

    @with_transaction()
    def test_menu_refuses_dish_of_another_garden(self):
        "A menu takes the dishes of its garden or of the network only"
        company = create_company()
        other = create_company("Jardin voisin")
        with set_company(other):
            other_site = kitchen(other)
            tart, _ = dishes(other, other_site)
        with set_company(company):
            Location = Pool().get('stock.location')
            site, = Location.copy([other_site],
                {'company': company.id, 'code': 'WH2'})
            with self.assertRaises(DomainValidationError) as cm:
                create_menu(company, site, [('dessert', tart)])
            self.assertIn("Tarte au potimarron", cm.exception.message)

    @with_transaction()
    def test_quote_refusals(self):
        """An event of no cover and a quote on a menu of another garden are
        refused, naming the sale and the way out"""
        pool = Pool()
        Sale = pool.get('sale.sale')
        Party = pool.get('party.party')
        company = create_company()
        other = create_company("Jardin voisin")
        with set_company(other):
            other_site = kitchen(other)
            tart, _ = dishes(other, other_site)
            foreign = create_menu(other, other_site, [('dessert', tart)])
        with set_company(company):
            customer, = Party.create([{'name': "Mairie de Betton"}])
            values = {
                'company': company.id, 'party': customer.id,
                'catering_menu': foreign.id,
                'event_date': TODAY + dt.timedelta(days=20),
                'covers': 30, 'price_per_cover': Decimal('16'),
                'invoice_method': 'manual',
                }
            with self.assertRaises(MenuError) as cm:
                Sale.create([values])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_event_menu_garden',
                    sale="Mairie de Betton", menu=foreign.rec_name,
                    garden=other.rec_name))

            site = kitchen(company)
            _, salad = dishes(company, site)
            menu = create_menu(company, site, [('starter', salad)])
            with self.assertRaises(CateringError) as cm:
                Sale.create([{**values, 'catering_menu': menu.id,
                            'covers': 0}])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_event_no_covers',
                    sale="Mairie de Betton"))

            # no cover product set for the garden: the quote says where
            sale, = Sale.create([{**values, 'catering_menu': menu.id}])
            with self.assertRaises(CateringError) as cm:
                Sale.quote([sale])
            self.assertIn("Cocagne > Configuration", cm.exception.message)

    @with_transaction()
    def test_plan_refuses_past_week(self):
        "A plan of a week that is over, or a second one, is refused"
        Plan = Pool().get('cocagne.catering.plan')
        company = create_company()
        with set_company(company):
            site = kitchen(company)
            with self.assertRaises(PlanError) as cm:
                Plan.create([{'company': company.id, 'site': site.id,
                            'week': TODAY - dt.timedelta(days=8)}])
            monday = TODAY - dt.timedelta(days=TODAY.weekday())
            lang = Pool().get('ir.lang').get()
            self.assertIn(lang.strftime(monday), cm.exception.message)
            plan, = Plan.create([{'company': company.id, 'site': site.id,
                        'week': TODAY}])
            self.assertEqual(plan.week, monday)

            # one plan a week: another day of the same week is refused
            with self.assertRaises(SQLConstraintError) as cm:
                Plan.create([{'company': company.id, 'site': site.id,
                            'week': monday + dt.timedelta(days=3)}])
            self.assertEqual(cm.exception.message,
                gettext('cocagne_transformation.msg_plan_unique'))

    @with_transaction()
    def test_plan_forecast_then_stock(self):
        """The plan takes the garden's harvest forecast first, then the
        kitchen's stock, and buys the rest"""
        pool = Pool()
        Plan = pool.get('cocagne.catering.plan')
        Service = pool.get('cocagne.catering.service')
        Forecast = pool.get('cocagne.harvest.forecast')
        Move = pool.get('stock.move')
        Location = pool.get('stock.location')
        company = create_company()
        with set_company(company):
            site = kitchen(company)
            _, salad = dishes(company, site)
            lettuce, mustard = [i.product for i in salad.inputs]
            menu = create_menu(company, site, [('starter', salad)],
                kind='restaurant')
            next_monday = (TODAY - dt.timedelta(days=TODAY.weekday())
                + dt.timedelta(days=7))
            # 100 covers: 20 salads, 10 kg of lettuce, 0.4 kg of mustard
            Service.create([{
                        'company': company.id, 'site': site.id,
                        'date': next_monday + dt.timedelta(days=d),
                        'service': 'lunch', 'menu': menu.id,
                        'planned_covers': 50} for d in [1, 2]])
            Forecast.create([{'company': company.id, 'product': lettuce.id,
                        'week': next_monday + dt.timedelta(days=4),
                        'quantity': 6}])
            supplier, = Location.search([('code', '=', 'SUP')])
            with Transaction().set_context(_skip_warnings=True):
                Move.do(Move.create([{
                                'product': lettuce.id, 'quantity': 3,
                                'unit': uom('kg').id,
                                'from_location': supplier.id,
                                'to_location': site.storage_location.id,
                                'unit_price': Decimal('2'),
                                'currency': company.currency.id,
                                'company': company.id,
                                'effective_date': TODAY,
                                'lot': create_lot(lettuce).id,
                                }]))
            plan, = Plan.create([{'company': company.id, 'site': site.id,
                        'week': next_monday}])
            Plan.compute([plan])
            recipe, = plan.recipes
            self.assertEqual((recipe.portions, recipe.quantity), (100, 20))
            lines = {i.product: i for i in plan.ingredients}
            self.assertEqual(
                (lines[lettuce].needed, lines[lettuce].forecast,
                    lines[lettuce].stock, lines[lettuce].purchase_quantity),
                (10, 6, 3, 1))
            self.assertEqual(lines[mustard].purchase_quantity, 0.4)

    @with_transaction()
    def test_takings_from_till(self):
        """The takings of a service are the till's tickets of that day and
        service, taxes excluded"""
        pool = Pool()
        Service = pool.get('cocagne.catering.service')
        Sale = pool.get('sale.point.sale')
        company = create_company()
        with set_company(company):
            site = kitchen(company)
            point = create_sale_point(company, site.storage_location,
                "Caisse du restaurant")
            dish = create_product(company, "plat du jour", unit='u',
                lot_required=[], salable=True, sale_uom=uom('u').id)
            tickets = Sale.create([{
                        'company': company.id, 'point': point.id,
                        'date': TODAY,
                        'lines': [('create', [{
                                        'product': dish.id, 'quantity': q,
                                        'unit_list_price': Decimal('14'),
                                        'unit_gross_price': Decimal('14'),
                                        }])],
                        } for q in [2, 3]])
            # paid: done, as sale_point leaves them once paid
            table = Sale.__table__()
            Transaction().connection.cursor().execute(*table.update(
                    [table.state, table.number], ['done', 'T-1'],
                    where=table.id.in_([t.id for t in tickets])))
            lunch, dinner = Service.create([{
                        'company': company.id, 'site': site.id,
                        'date': TODAY, 'service': s,
                        'sale_point': point.id, 'served_covers': 5}
                    for s in ['lunch', 'dinner']])
            Service.fill_takings([lunch, dinner])
            rung = planning.service_of(cold.local_time(
                    tickets[0].create_date, company.timezone).hour)
            by_service = {lunch.service: lunch.takings,
                dinner.service: dinner.takings}
            self.assertEqual(sum(by_service.values()), Decimal('70'))
            self.assertEqual(by_service[rung], Decimal('70'))


def create_lot(product):
    Lot = Pool().get('stock.lot')
    lot, = Lot.create([{'number': f'L-{product.id}', 'product': product.id}])
    return lot

import datetime as dt
import io
import json
from decimal import Decimal

import openpyxl
from pypdf import PdfReader

from trytond.exceptions import UserError
from trytond.i18n import gettext, ngettext
from trytond.model.exceptions import AccessError
from trytond.modules.cocagne_base.tests.tools import (
    SharedModelsMixin, StackTestMixin)
from trytond.modules.cocagne_transformation.exceptions import (
    BatchError, ColdRoomError, HarvestError, LabelError, OrganicClaimError,
    RecipeError)
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.modules.currency.tests import create_currency
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

TODAY = dt.date.today()

def uom(symbol):
    Uom = Pool().get('product.uom')
    unit, = Uom.search([('symbol', '=', symbol)])
    return unit


def create_product(company, name, unit='kg', **values):
    "Create a product of company (a lot-tracked kg product by default)."
    pool = Pool()
    Template = pool.get('product.template')
    template, = Template.create([{
                'name': name,
                'type': 'goods',
                'default_uom': uom(unit).id,
                'company': company.id,
                'producible': True,
                'lot_required': ['supplier', 'customer', 'production'],
                'products': [('create', [{'cost_price': Decimal('2')}])],
                **values,
                }])
    return template.products[0]


def setup_site(company, rate=Decimal('18'), kind='legumerie'):
    """The default warehouse of the stock module, as a site of company of
    kind (a légumerie by default)."""
    pool = Pool()
    Location = pool.get('stock.location')
    warehouse, = Location.search([('code', '=', 'WH')])
    warehouse.site_kind = kind
    warehouse.company = company
    warehouse.labour_hourly_cost = rate
    warehouse.save()
    return warehouse


def create_soup(company, site):
    """A carrot soup: 4 kg of organic carrots, 0.8 kg of celery, 5 kg of
    water and a jar, giving 10 jars of 600 g."""
    pool = Pool()
    Bom = pool.get('production.bom')
    ProductBom = pool.get('product.product-production.bom')
    carrot = create_product(company, "carotte", organic=True)
    celery = create_product(company, "céleri", organic=True,
        allergens=['celery'])
    water = create_product(company, "eau", agricultural=False,
        origin='bought')
    jar = create_product(company, "bocal", unit='u', origin='bought',
        agricultural=False, lot_required=[])
    soup = create_product(company, "Soupe de carottes", unit='u',
        origin='processed')
    bom, = Bom.create([{
                'name': "Soupe de carottes",
                'company': company.id,
                'site': site.id,
                'sales_name': "Soupe de carottes bio",
                'expected_yield': 0.6,
                'labour_minutes': 90,
                'shelf_life': 5,
                'date_kind': 'dlc',
                'storage_conditions': "À conserver entre 0 et 4 °C",
                'net_quantity': 600,
                'net_quantity_unit': 'g',
                'nutrition_exempt': True,
                'inputs': [('create', [{
                                'product': carrot.id, 'quantity': 4,
                                'unit': uom('kg').id, 'quid': True,
                                }, {
                                'product': celery.id, 'quantity': 0.8,
                                'unit': uom('kg').id,
                                }, {
                                'product': water.id, 'quantity': 5,
                                'unit': uom('kg').id, 'added_water': True,
                                }, {
                                'product': jar.id, 'quantity': 10,
                                'unit': uom('u').id, 'packaging': True,
                                }])],
                'outputs': [('create', [{
                                'product': soup.id, 'quantity': 10,
                                'unit': uom('u').id,
                                }])],
                }])
    ProductBom.create([{'product': soup.id, 'bom': bom.id}])
    return bom


def certify_garden(company):
    "Make the garden of company a producer certified organic today."
    pool = Pool()
    Certificate = pool.get('cocagne.organic.certificate')
    ModelData = pool.get('ir.model.data')
    company.party.producer = True
    company.party.company = company
    company.party.save()
    Certificate.create([{
                'company': company.id,
                'producer': company.party.id,
                'certifier': ModelData.get_id(
                    'cocagne_base', 'certifier_fr_bio_01'),
                'number': 'C2',
                'valid_from': TODAY - dt.timedelta(days=300),
                'valid_to': TODAY + dt.timedelta(days=60),
                }])


def run_batch(production, finish=True):
    """Take a draft batch through waiting, its inputs forced as assigned,
    and running; then done, unless finish is False."""
    Production = Pool().get('production')
    Production.wait([production])
    Production.assign_force([production])
    Production.run([production])
    if finish:
        Production.do([production])


class CocagneTransformationTestCase(StackTestMixin, SharedModelsMixin,
        CompanyTestMixin, ModuleTestCase):
    "Test Cocagne Transformation module"
    module = 'cocagne_transformation'
    # the recipes of the network are shared too
    shared = SharedModelsMixin.shared | {('production.bom', 'company')}

    @with_transaction()
    def test_recipe_statement(self):
        "The recipe computes its ingredient statement"
        company = create_company()
        with set_company(company):
            bom = create_soup(company, setup_site(company))
            # 6 kg of soup: 1.2 kg of added water left
            self.assertEqual(bom.ingredient_statement,
                "Ingrédients : carotte* (66,7 %), eau, CÉLERI*.\n"
                "*Ingrédients issus de l'agriculture biologique")
            self.assertEqual(bom.organic_share, 1)
            self.assertTrue(bom.organic_name)
            self.assertEqual(bom.farming, "Agriculture France")

    @with_transaction()
    def test_recipe_zero_quantities(self):
        "Ingredient quantities summing to zero are refused"
        pool = Pool()
        BOM = pool.get('production.bom')
        Input = pool.get('production.bom.input')
        company = create_company()
        with set_company(company):
            bom = create_soup(company, setup_site(company))
            # a bill of materials of no site may, as in Tryton's production
            plain, = BOM.copy([bom], {'site': None, 'sales_name': None})
            Input.write(
                [i for i in plain.inputs if not i.packaging], {'quantity': 0})
            self.assertEqual(
                {i.quantity for i in BOM(plain.id).inputs if not i.packaging},
                {0})

            with self.assertRaises(RecipeError) as cm:
                Input.write(
                    [i for i in bom.inputs if not i.packaging],
                    {'quantity': 0})
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_recipe_zero_quantities',
                    recipe=bom.rec_name))
            self.assertIn("Soupe de carottes", cm.exception.message)

    @with_transaction()
    def test_recipe_recursion_named(self):
        """A recipe containing itself through a sub-recipe is refused by
        Tryton's production, in French, naming the recipe's product"""
        pool = Pool()
        Bom = pool.get('production.bom')
        company = create_company()
        with set_company(company):
            bom = create_soup(company, setup_site(company))
            soup = bom.outputs[0].product
            stock = create_product(company, "Bouillon", origin='processed')
            stock_bom, = Bom.create([{
                        'name': "Bouillon",
                        'inputs': [('create', [{
                                        'product': soup.id, 'quantity': 1,
                                        'unit': uom('u').id}])],
                        'outputs': [('create', [{
                                        'product': stock.id, 'quantity': 1,
                                        'unit': uom('kg').id}])],
                        }])
            pool.get('product.product-production.bom').create([{
                        'product': stock.id, 'bom': stock_bom.id}])
            with self.assertRaises(UserError) as cm:
                Bom.write([bom], {'inputs': [('create', [{
                                    'product': stock.id,
                                    'quantity': 1,
                                    'unit': uom('kg').id}])]})
            self.assertEqual(cm.exception.message, gettext(
                    'production.msg_recursive_bom_product',
                    product=stock.rec_name))
            self.assertEqual(cm.exception.message,
                "Vous ne pouvez pas créer une nomenclature récursive pour "
                "le produit «\xa0Bouillon\xa0».")

    def _batch(self, company, bom, date, output_quantity=None):
        "A batch of bom on date, its inputs from stock; return it."
        pool = Pool()
        Production = pool.get('production')
        Move = pool.get('stock.move')
        Lot = pool.get('stock.lot')
        Location = pool.get('stock.location')
        soup = bom.outputs[0].product
        production = Production(
            company=company, warehouse=bom.site,
            location=bom.site.production_location,
            product=soup, bom=bom, unit=soup.default_uom, quantity=10,
            planned_date=date, effective_date=date)
        production.on_change_bom()
        production.save()
        supplier, = Location.search([('code', '=', 'SUP')])
        for move in production.inputs:
            if move.product.lot_is_required(
                    move.from_location, move.to_location):
                lot = Lot(number=f'R-{move.product.name}',
                    product=move.product)
                lot.save()
                move.lot = lot
                move.save()
            incoming = Move(product=move.product, unit=move.unit,
                quantity=move.quantity, from_location=supplier,
                to_location=move.from_location, lot=move.lot,
                company=company, unit_price=Decimal('2'),
                currency=company.currency, effective_date=date)
            incoming.save()
            with Transaction().set_context(_skip_warnings=True):
                Move.do([incoming])
        if output_quantity is not None:
            Move.write(list(production.outputs), {
                    'quantity': output_quantity})
        return production

    @with_transaction()
    def test_batch(self):
        "A batch records its weights, yield, dated lots and its cost"
        pool = Pool()
        Production = pool.get('production')
        company = create_company()
        date = TODAY - dt.timedelta(days=2)
        with set_company(company):
            bom = create_soup(company, setup_site(company))
            production = self._batch(company, bom, date)
            self.assertEqual(production.labour_minutes, 90)
            self.assertAlmostEqual(production.planned_input_weight, 9.8)
            self.assertEqual(production.planned_output_weight, 6)
            run_batch(production)
            production = Production(production.id)
            self.assertEqual(production.state, 'done')
            self.assertAlmostEqual(production.input_weight, 9.8)
            self.assertEqual(production.output_weight, 6)
            self.assertEqual(production.actual_yield, 0.612)
            self.assertAlmostEqual(production.yield_gap, 0.012)
            lot = production.outputs[0].lot
            self.assertEqual(lot.shelf_life_expiration_date,
                date + dt.timedelta(days=5))
            self.assertIsNone(lot.expiration_date)
            self.assertEqual(lot.production_date, date)
            self.assertEqual(production.labour_cost, Decimal('27'))
            # 19.8 units of ingredients and packaging at 2 €
            self.assertEqual(production.input_cost, Decimal('39.6'))
            self.assertEqual(production.cost, Decimal('66.6'))
            self.assertEqual(production.unit_cost, Decimal('6.6600'))
            self.assertEqual(
                production.outputs[0].unit_price, Decimal('6.6600'))

    @with_transaction()
    def test_batch_best_before(self):
        "A best-before date never blocks a sale: no shelf life date"
        pool = Pool()
        Production = pool.get('production')
        company = create_company()
        with set_company(company):
            bom = create_soup(company, setup_site(company))
            bom.date_kind = 'ddm'
            bom.shelf_life = 365
            bom.save()
            production = self._batch(company, bom, TODAY)
            run_batch(production)
            production = Production(production.id)
            lot = production.outputs[0].lot
            self.assertIsNone(lot.shelf_life_expiration_date)
            self.assertEqual(lot.expiration_date,
                TODAY + dt.timedelta(days=365))

    @with_transaction()
    def test_batch_output_too_heavy(self):
        "An output heavier than its inputs beyond the tolerance is refused"
        pool = Pool()
        Production = pool.get('production')
        company = create_company()
        with set_company(company):
            bom = create_soup(company, setup_site(company))
            # 18 jars of 600 g = 10.8 kg from 9.8 kg
            production = self._batch(company, bom, TODAY, 18)
            run_batch(production, finish=False)
            with self.assertRaises(BatchError) as cm:
                Production.do([production])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_batch_output_too_heavy',
                    batch=production.rec_name, output=10.8, input=9.8,
                    tolerance=2.0))
            self.assertEqual(Production(production.id).state, 'running')

    @with_transaction()
    def test_batch_organic_lapsed(self):
        """An organic partner product is refused in a batch made when its
        producer's certificate did not cover it"""
        pool = Pool()
        Production = pool.get('production')
        Party = pool.get('party.party')
        Template = pool.get('product.template')
        Certificate = pool.get('cocagne.organic.certificate')
        ModelData = pool.get('ir.model.data')
        company = create_company()
        with set_company(company):
            bom = create_soup(company, setup_site(company))
            farm, = Party.create([{'name': "Ferme du Chêne",
                        'producer': True, 'company': company.id}])
            Certificate.create([{
                        'company': company.id, 'producer': farm.id,
                        'certifier': ModelData.get_id(
                            'cocagne_base', 'certifier_fr_bio_01'),
                        'number': 'C1',
                        'valid_from': TODAY - dt.timedelta(days=10),
                        'valid_to': TODAY + dt.timedelta(days=300)}])
            carrot = bom.inputs[0].product.template
            Template.write([carrot], {
                    'origin': 'partner', 'producer': farm.id})
            date = TODAY - dt.timedelta(days=30)
            production = self._batch(company, bom, date)
            run_batch(production, finish=False)
            with self.assertRaises(OrganicClaimError) as cm:
                Production.do([production])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_batch_organic_uncertified',
                    batch=production.rec_name, product=carrot.rec_name,
                    producer="Ferme du Chêne",
                    date=pool.get('ir.lang').get().strftime(date)))

    @with_transaction()
    def test_label(self):
        "The label's PDF holds every mandatory particular"
        pool = Pool()
        Production = pool.get('production')
        Label = pool.get('cocagne.transformation.label', type='report')
        company = create_company()
        with set_company(company):
            certify_garden(company)
            bom = create_soup(company, setup_site(company))
            production = self._batch(company, bom, TODAY)
            run_batch(production)
            production = Production(production.id)
            lot = production.outputs[0].lot
            ext, content, _, name = Label.execute([lot.id], {})
            self.assertEqual(ext, 'pdf')
            text = ' '.join(page.extract_text()
                for page in PdfReader(io.BytesIO(content)).pages)
            text = ' '.join(text.split())
            expiry = (TODAY + dt.timedelta(days=5)).strftime('%d/%m/%Y')
            for particular in [
                    "Soupe de carottes bio",
                    "Ingrédients : carotte* (66,7 %), eau, céleri*.",
                    "*Ingrédients issus de l'agriculture biologique",
                    "Quantité nette : 600 g",
                    f"À consommer jusqu'au {expiry}",
                    "À conserver entre 0 et 4 °C",
                    f"Lot : {lot.number}",
                    company.party.name,
                    "FR-BIO-01",
                    "Agriculture France",
                    "annexe V, point 19",
                    ]:
                self.assertIn(particular, text)

    @with_transaction()
    def test_recall(self):
        """The recall of a raw lot finds the lots made of it, their stock
        and their customers, and exports them"""
        pool = Pool()
        Production = pool.get('production')
        Shipment = pool.get('stock.shipment.out')
        Move = pool.get('stock.move')
        Party = pool.get('party.party')
        Recall = pool.get('cocagne.transformation.recall', type='wizard')
        company = create_company()
        with set_company(company):
            bom = create_soup(company, setup_site(company))
            production = self._batch(company, bom, TODAY)
            run_batch(production)
            production = Production(production.id)
            raw, = [m.lot for m in production.inputs
                if m.product.name == "carotte"]
            made = production.outputs[0].lot
            customer, = Party.create([{'name': "Cantine Jules Ferry",
                        'addresses': [('create', [{}])]}])
            shipment, = Shipment.create([{
                        'customer': customer.id,
                        'delivery_address': customer.addresses[0].id,
                        'warehouse': bom.site.id,
                        'warehouse_storage': bom.site.storage_location.id,
                        'warehouse_output': bom.site.output_location.id,
                        'company': company.id,
                        }])
            delivery = Move(product=made.product, lot=made,
                unit=made.product.default_uom, quantity=4,
                from_location=bom.site.storage_location,
                to_location=customer.customer_location,
                unit_price=Decimal('5'), currency=company.currency,
                company=company, shipment=shipment, effective_date=TODAY)
            delivery.save()
            with Transaction().set_context(_skip_warnings=True):
                Move.do([delivery])

            with Transaction().set_context(
                    active_model='stock.lot', active_id=raw.id,
                    active_ids=[raw.id]):
                session_id, _, _ = Recall.create()
                recall = Recall(session_id)
                values = recall.default_start(None)
            self.assertEqual(values['downstream'], [made.id])
            self.assertEqual(values['upstream'], [])
            delivery, = values['deliveries']
            self.assertEqual(delivery['customer'], customer.id)
            self.assertEqual(delivery['quantity'], 4)
            self.assertEqual({(s['lot'], s['quantity'])
                    for s in values['stock']}, {(made.id, 6)})
            workbook = openpyxl.load_workbook(io.BytesIO(values['file']))
            self.assertEqual(workbook.sheetnames, [
                    "Lots utilisés", "Lots fabriqués", "Stock restant",
                    "Clients"])
            self.assertEqual(
                workbook["Clients"]["A2"].value, "Cantine Jules Ferry")
            self.assertEqual(
                workbook["Lots fabriqués"]["A2"].value, made.number)

            with Transaction().set_context(
                    active_model='stock.lot', active_id=made.id,
                    active_ids=[made.id]):
                session_id, _, _ = Recall.create()
                values = Recall(session_id).default_start(None)
            # the carrots, celery and water lots
            self.assertEqual(len(values['upstream']), 3)
            self.assertIn(raw.id, values['upstream'])

    @with_transaction()
    def test_label_without_date(self):
        "A label for a lot without a date is refused"
        pool = Pool()
        Lot = pool.get('stock.lot')
        Label = pool.get('cocagne.transformation.label', type='report')
        company = create_company()
        with set_company(company):
            product = create_product(company, "Carotte")
            lot, = Lot.create([{'number': 'L1', 'product': product.id}])
            with self.assertRaises(LabelError) as cm:
                Label.execute([lot.id], {})
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_label_no_date',
                    lot='L1', product=product.rec_name))

    @with_transaction()
    def test_recipe_organic_name(self):
        """"bio" in the sales name of a recipe under 95 % organic is
        refused, naming the recipe and its share"""
        pool = Pool()
        Bom = pool.get('production.bom')
        Template = pool.get('product.template')
        company = create_company()
        with set_company(company):
            bom = create_soup(company, setup_site(company))
            celery, = [i.product.template for i in bom.inputs
                if i.product.name == "céleri"]
            Template.write([celery], {'organic': False})
            Bom.write([bom], {'sales_name': "Soupe de carottes"})
            with self.assertRaises(RecipeError) as cm:
                Bom.write([bom], {'sales_name': "Soupe bio aux carottes"})
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_recipe_organic_name',
                    recipe=bom.rec_name, name="Soupe bio aux carottes",
                    share="83,3 %"))

    @with_transaction()
    def test_label_organic_name_uncertified(self):
        """The label of a lot named organic is refused when its garden
        holds no valid certificate: the name may not say "bio" then"""
        pool = Pool()
        Production = pool.get('production')
        Label = pool.get('cocagne.transformation.label', type='report')
        company = create_company()
        with set_company(company):
            bom = create_soup(company, setup_site(company))
            production = self._batch(company, bom, TODAY)
            run_batch(production)
            lot = Production(production.id).outputs[0].lot
            with self.assertRaises(LabelError) as cm:
                Label.execute([lot.id], {})
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_label_organic_name',
                    lot=lot.rec_name, name="Soupe de carottes bio",
                    recipe=bom.rec_name, reason=gettext(
                        'cocagne_transformation.msg_label_garden_uncertified',
                        garden=company.rec_name,
                        date=TODAY.strftime('%d/%m/%Y'))))

    @with_transaction()
    def test_recipe_garden_isolation(self):
        "A user of garden A neither lists, reads nor writes B's recipes"
        pool = Pool()
        Bom = pool.get('production.bom')
        User = pool.get('res.user')
        euro = create_currency('EUR')
        garden_a = create_company("Jardin A", currency=euro)
        garden_b = create_company("Jardin B", currency=euro)
        with set_company(garden_b):
            bom_b = create_soup(garden_b, setup_site(garden_b))
        user, = User.create([{
                    'name': "Camille", 'login': 'camille',
                    'companies': [('add', [garden_a.id])],
                    'company': garden_a.id,
                    'groups': [('add', [
                                pool.get('ir.model.data').get_id(
                                    'cocagne_base', 'group_cocagne'),
                                pool.get('ir.model.data').get_id(
                                    'production', 'group_production')])],
                    }])
        with Transaction().set_user(user.id), \
                Transaction().set_context(
                    company=garden_a.id, _check_access=True):
            self.assertEqual(Bom.search([('id', '=', bom_b.id)]), [])
            with self.assertRaises(AccessError):
                Bom.read([bom_b.id], ['name'])
            with self.assertRaises(AccessError):
                Bom.write([Bom(bom_b.id)], {'name': "Renommée"})


    def _plots(self, company, code='PAR'):
        "A site of production plots of company."
        Location = Pool().get('stock.location')
        fields, = Location.create([{
                    'name': f"Champs {code}", 'type': 'production'}])
        plot, = Location.create([{
                    'name': f"Parcelles {code}", 'code': code,
                    'type': 'warehouse', 'site_kind': 'plots',
                    'company': company.id,
                    'production_location': fields.id,
                    }])
        return plot

    @with_transaction()
    def test_harvest(self):
        """Harvests go into stock at the légumerie as lots dated from the
        harvest, and sum up per product and month"""
        pool = Pool()
        Harvest = pool.get('cocagne.harvest')
        HarvestMonth = pool.get('cocagne.harvest.month')
        Lot = pool.get('stock.lot')
        Move = pool.get('stock.move')
        company = create_company()
        today = pool.get('ir.date').today()
        date = today - dt.timedelta(days=1)
        with set_company(company):
            site = setup_site(company)
            plot = self._plots(company)
            tomato = create_product(company, "Tomate ronde")
            salad = create_product(company, "Salade", unit='u')
            # the fast entry's defaults: today, the garden's légumerie
            self.assertEqual(Harvest.default_date(), today)
            self.assertEqual(Harvest.default_site(), site.id)
            self.assertEqual(Harvest.default_plot(), plot.id)
            common = {'date': date, 'plot': plot.id, 'site': site.id}
            tomatoes, more, salads = Harvest.create([
                    {'product': tomato.id, 'quantity': 12.5, **common},
                    {'product': tomato.id, 'quantity': 7.5, **common},
                    {'product': salad.id, 'quantity': 30, **common},
                    ])
            self.assertEqual(tomatoes.weight, 12.5)
            self.assertIsNone(salads.weight)
            self.assertEqual(HarvestMonth.search([]), [])

            Harvest.do([tomatoes, more, salads])
            self.assertEqual(
                {h.state for h in [tomatoes, more, salads]}, {'done'})
            lot = tomatoes.lot
            self.assertEqual(lot.number, f'REC-{date:%y%m%d}-{tomatoes.id}')
            self.assertEqual(lot.product, tomato)
            self.assertEqual(lot.production_date, date)
            move, = Move.search([('lot', '=', lot.id)])
            self.assertEqual(move, tomatoes.move)
            self.assertEqual(move.state, 'done')
            self.assertEqual(move.from_location, plot.production_location)
            self.assertEqual(move.from_location.type, 'production')
            self.assertEqual(move.to_location, site.storage_location)
            self.assertEqual(move.effective_date, date)
            self.assertEqual(move.origin, tomatoes)
            self.assertEqual(move.unit_price, Decimal('2'))
            with Transaction().set_context(
                    locations=[site.storage_location.id]):
                self.assertEqual(Lot(lot.id).quantity, 12.5)
                self.assertEqual(Lot(salads.lot.id).quantity, 30)

            rows = HarvestMonth.search([])
            self.assertEqual(
                [(r.product, r.year, r.month, r.quantity, r.weight,
                        r.harvests, r.unit.symbol) for r in rows],
                [(p, date.year, date.month, q, w, n, u)
                    for p, q, w, n, u in sorted([
                            (tomato, 20, 20, 2, 'kg'),
                            (salad, 30, None, 1, 'u')],
                        key=lambda r: r[0].rec_name)])
            # the next entry starts from the latest harvest's plot and site
            self.assertEqual(Harvest.default_plot(), plot.id)
            self.assertEqual(Harvest.default_site(), site.id)

    @with_transaction()
    def test_harvest_refused(self):
        """Wrong harvests are refused in French, naming the harvest and
        what to do"""
        pool = Pool()
        Harvest = pool.get('cocagne.harvest')
        Lang = pool.get('ir.lang')
        euro = create_currency('EUR')
        garden_a = create_company("Jardin A", currency=euro)
        garden_b = create_company("Jardin B", currency=euro)
        with set_company(garden_b):
            plot_b = self._plots(garden_b, 'B-PAR')
        with set_company(garden_a):
            lang = Lang.get()
            today = pool.get('ir.date').today()
            site = setup_site(garden_a)
            plot = self._plots(garden_a)
            tomato = create_product(garden_a, "Tomate ronde")
            values = {'product': tomato.id, 'quantity': 5, 'date': today,
                'plot': plot.id, 'site': site.id}
            tomorrow = today + dt.timedelta(days=1)
            name = f"Tomate ronde ({lang.strftime(today)})"
            for changes, message, arguments in [
                    ({'quantity': 0}, 'msg_harvest_quantity',
                        {'quantity': lang.format_number(0.0) + ' kg'}),
                    ({'quantity': -2}, 'msg_harvest_quantity',
                        {'quantity': lang.format_number(-2.0) + ' kg'}),
                    ({'date': tomorrow}, 'msg_harvest_future', {
                            'date': lang.strftime(tomorrow),
                            'harvest': (
                                f"Tomate ronde ({lang.strftime(tomorrow)})"),
                            }),
                    ({'plot': site.id}, 'msg_harvest_not_plot',
                        {'site': site.rec_name}),
                    ({'plot': plot_b.id}, 'msg_harvest_other_garden', {
                            'site': plot_b.rec_name,
                            'site_garden': "Jardin B",
                            'garden': "Jardin A"}),
                    ]:
                with self.subTest(message=message, changes=changes):
                    with self.assertRaises(HarvestError) as cm:
                        Harvest.create([{**values, **changes}])
                    self.assertEqual(cm.exception.message, gettext(
                            f'cocagne_transformation.{message}',
                            **{'harvest': name, **arguments}))
            with self.assertRaises(HarvestError) as cm:
                Harvest.create([{**values, 'quantity': 0}])
            self.assertEqual(cm.exception.message,
                "La quantité de la récolte « Tomate ronde "
                f"({lang.strftime(today)}) » est de 0,0 kg : saisissez le "
                "poids ou le nombre récolté, supérieur à zéro.")

            wrong, harvest = Harvest.create([values, values])
            with self.assertRaises(HarvestError):
                Harvest.write([wrong], {'quantity': -1})
            Harvest.do([harvest])
            with self.assertRaises(HarvestError) as cm:
                Harvest.delete([harvest])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_harvest_delete_done',
                    harvest=name, lot=harvest.lot.number))
            self.assertEqual(Harvest(harvest.id).state, 'done')

    @with_transaction()
    def test_harvest_garden_isolation(self):
        "A user of garden A neither lists nor reads B's harvests"
        pool = Pool()
        Harvest = pool.get('cocagne.harvest')
        Reading = pool.get('cocagne.cold_room.reading')
        User = pool.get('res.user')
        euro = create_currency('EUR')
        garden_a = create_company("Jardin A", currency=euro)
        garden_b = create_company("Jardin B", currency=euro)
        with set_company(garden_b):
            harvest, = Harvest.create([{
                        'product': create_product(garden_b, "Poireau").id,
                        'quantity': 3,
                        'plot': self._plots(garden_b).id,
                        'site': setup_site(garden_b).id,
                        }])
            reading, = Reading.create([{
                        'location': self._cold_room(garden_b).id,
                        'temperature': 3}])
        user, = User.create([{
                    'name': "Camille", 'login': 'camille',
                    'companies': [('add', [garden_a.id])],
                    'company': garden_a.id,
                    'groups': [('add', [pool.get('ir.model.data').get_id(
                                    'cocagne_base', 'group_cocagne')])],
                    }])
        with Transaction().set_user(user.id), \
                Transaction().set_context(
                    company=garden_a.id, _check_access=True):
            for Model, record in [(Harvest, harvest), (Reading, reading)]:
                self.assertEqual(Model.search([]), [])
                with self.assertRaises(AccessError):
                    Model.read([record.id], ['company'])

    def _cold_room(self, company, name="Chambre froide", minimum=0,
            maximum=4):
        "A cold room in the storage of the légumerie of company."
        Location = Pool().get('stock.location')
        site = setup_site(company)
        room, = Location.create([{
                    'name': name, 'type': 'storage',
                    'parent': site.storage_location.id,
                    'cold_room': True,
                    'temperature_min': minimum,
                    'temperature_max': maximum,
                    }])
        return room

    @with_transaction()
    def test_cold_room_range(self):
        "A negative temperature range is refused, naming the cold room"
        pool = Pool()
        Location = pool.get('stock.location')
        company = create_company()
        with set_company(company):
            room = self._cold_room(company)
            self.assertEqual(room.garden, company)
            with self.assertRaises(ColdRoomError) as cm:
                Location.write([room], {'temperature_min': 8})
            self.assertEqual(cm.exception.message,
                "La plage de température de la chambre froide « Chambre "
                "froide » est négative : son minimum, 8,0 °C, dépasse son "
                "maximum, 4,0 °C. Saisissez un minimum inférieur au "
                "maximum.")
            # a cold room needs both bounds
            with self.assertRaises(UserError):
                Location.write([room], {'temperature_max': None})
            Location.write([room], {'temperature_min': -2})

    @with_transaction()
    def test_cold_room_reading(self):
        "A reading out of the cold room's range is flagged when entered"
        pool = Pool()
        Reading = pool.get('cocagne.cold_room.reading')
        User = pool.get('res.user')
        company = create_company()
        with set_company(company):
            room = self._cold_room(company)
            cold_reading, warm = Reading.create([{
                        'location': room.id, 'temperature': 3.5,
                        }, {
                        'location': room.id, 'temperature': 6.2,
                        }])
            self.assertFalse(cold_reading.out_of_range)
            self.assertTrue(warm.out_of_range)
            self.assertEqual(warm.target, "0,0 à 4,0 °C")
            self.assertEqual(warm.company, company)
            self.assertEqual(warm.user, User(Transaction().user))
            self.assertEqual(
                Reading.search([('out_of_range', '=', True)]), [warm])
            Reading.write([warm], {'temperature': 4,
                    'corrective_action': "Porte mal fermée"})
            self.assertFalse(warm.out_of_range)
            Reading.write([cold_reading], {'temperature': -1})
            self.assertTrue(cold_reading.out_of_range)

    @with_transaction()
    def test_cold_room_missing_readings(self):
        """The daily task notifies the garden's users of the cold rooms
        without a reading that day, once a day"""
        pool = Pool()
        Reading = pool.get('cocagne.cold_room.reading')
        Notification = pool.get('res.notification')
        User = pool.get('res.user')
        Lang = pool.get('ir.lang')
        Cron = pool.get('ir.cron')
        company = create_company()
        with set_company(company):
            company.timezone = 'Europe/Paris'
            company.save()
            today = pool.get('ir.date').today()
            room = self._cold_room(company)
            cabinet = self._cold_room(company, "Saladier", 0, 8)
            admin = User(Transaction().user)
            Reading.create([{'location': room.id, 'temperature': 3}])

            Reading.report_missing()
            notification, = Notification.search([('user', '=', admin.id)])
            self.assertEqual(notification.label, ngettext(
                    'cocagne_transformation.msg_notify_cold_rooms_missing',
                    1, count=1, company=company.rec_name,
                    date=Lang.get().strftime(today)))
            self.assertEqual(notification.model, 'stock.location')
            self.assertEqual(json.loads(notification.records), [cabinet.id])
            self.assertIn("Saladier", notification.description)

            # yesterday neither room was read
            Reading.report_missing(today - dt.timedelta(days=1))
            latest = Notification.search([], order=[('id', 'DESC')])[0]
            self.assertEqual(json.loads(latest.records),
                [room.id, cabinet.id])

            # both read today: nothing to report
            Reading.create([{'location': cabinet.id, 'temperature': 5}])
            count = Notification.search_count([])
            Reading.report_missing()
            self.assertEqual(Notification.search_count([]), count)
            cron, = Cron.search([('method', '=',
                        'cocagne.cold_room.reading|report_missing')])
            self.assertEqual(cron.interval_type, 'days')


    def _toll(self, company, basis='input', price=Decimal('0.80')):
        """A toll processing job of a partner farm for the carrot soup,
        its service priced per kg; return (job, recipe)."""
        from trytond.modules.account.tests import create_chart
        pool = Pool()
        Party = pool.get('party.party')
        Account = pool.get('account.account')
        Category = pool.get('product.category')
        Template = pool.get('product.template')
        Toll = pool.get('cocagne.transformation.toll')
        # the charts load in the language of the database
        create_chart(company, chart='account.account_template_root_fr')
        revenue, = Account.search([
                ('type.revenue', '=', True),
                ('closed', '!=', True),
                ('company', '=', company.id),
                ], limit=1)
        category, = Category.create([{
                    'name': "Prestations", 'accounting': True,
                    'account_revenue': revenue.id}])
        service, = Template.create([{
                    'name': "Prestation à façon", 'type': 'service',
                    'default_uom': uom('kg').id, 'company': company.id,
                    'list_price': price,
                    'account_category': category.id,
                    'products': [('create', [{}])]}])
        farm, = Party.create([{
                    'name': "Ferme des Grands Prés", 'producer': True,
                    'company': company.id,
                    'addresses': [('create', [{'city': "Brignais"}])]}])
        bom = create_soup(company, setup_site(company))
        job, = Toll.create([{
                    'company': company.id, 'farm': farm.id,
                    'recipe': bom.id, 'service': service.products[0].id,
                    'basis': basis, 'reception_date': TODAY}])
        return job, bom

    def _receive(self, job, product, quantity, lot_number=None):
        "A move of the farm's produce into its location, with its lot."
        pool = Pool()
        Move = pool.get('stock.move')
        Lot = pool.get('stock.lot')
        lot = None
        if lot_number:
            lot, = Lot.create([{
                        'number': lot_number, 'product': product.id}])
        move, = Move.create([{
                    'product': product.id, 'unit': product.default_uom.id,
                    'quantity': quantity, 'lot': lot.id if lot else None,
                    'from_location': job.farm.supplier_location.id,
                    'to_location': job.location.id,
                    'company': job.company.id, 'origin': str(job)}])
        return move

    def _make(self, production):
        "Run a draft batch to its end, lots given to the garden's inputs."
        pool = Pool()
        Lot = pool.get('stock.lot')
        Move = pool.get('stock.move')
        for move in production.inputs:
            if not move.lot and move.product.lot_is_required(
                    move.from_location, move.to_location):
                move.lot, = Lot.create([{'number': f'G-{move.product.name}',
                            'product': move.product.id}])
                move.save()
        Move.write(list(production.inputs + production.outputs),
            {'effective_date': TODAY})
        run_batch(production)

    @with_transaction()
    def test_toll_processing(self):
        """A farm's carrots are received with its lots, made into soup for
        it, returned with the soup's lots that trace back to them, and the
        service invoiced per kg received, once"""
        from trytond.modules.cocagne_transformation.exceptions import (
            TollError)
        from trytond.modules.cocagne_transformation.recall import trace
        pool = Pool()
        Toll = pool.get('cocagne.transformation.toll')
        Production = pool.get('production')
        Product = pool.get('product.product')
        Recall = pool.get('cocagne.transformation.recall', type='wizard')
        company = create_company()
        with set_company(company):
            job, bom = self._toll(company)
            site = bom.site
            self.assertTrue(job.number.startswith('PF-'))
            # the farm's own location at the site, out of its storage zone
            location = job.location
            self.assertEqual(location.toll_farm, job.farm)
            self.assertEqual(location.parent, site)
            self.assertEqual(location.type, 'storage')
            # a second job of the farm at the site uses the same location
            other, = Toll.copy([job])
            self.assertEqual(other.location, location)
            self.assertNotEqual(other.number, job.number)
            Toll.delete([other])
            carrot, celery = (i.product for i in bom.inputs[:2])
            leek = create_product(company, "poireau")
            receptions = [
                self._receive(job, carrot, 40, 'FERME-C1'),
                self._receive(job, celery, 8, 'FERME-S1'),
                self._receive(job, leek, 3, 'FERME-P1'),
                ]
            self.assertIsNone(receptions[0].unit_price)
            Toll.receive([job])
            self.assertEqual(job.state, 'received')
            self.assertEqual({m.state for m in job.receptions}, {'done'})
            self.assertNotIn(location, Pool().get('stock.location').search(
                    [('parent', 'child_of', [site.storage_location.id])]))
            with Transaction().set_context(locations=[location.id]):
                self.assertEqual(Product(carrot.id).quantity, 40)

            # the recipe scaled to 48 kg of its vegetables: 100 jars
            Toll.create_batch([job])
            production, = job.productions
            self.assertEqual(production.origin, job)
            self.assertEqual(production.quantity, 100)
            farm_inputs = {(m.product, m.lot.number, m.quantity)
                for m in production.inputs if m.from_location == location}
            self.assertEqual(farm_inputs, {
                    (carrot, 'FERME-C1', 40), (celery, 'FERME-S1', 8)})
            self.assertEqual({m.to_location for m in production.outputs},
                {location})
            with self.assertRaises(TollError) as cm:
                Toll.create_batch([job])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_toll_nothing_left',
                    toll=job.rec_name))
            with self.assertRaises(TollError) as cm:
                Toll.process([job])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_toll_batch_pending',
                    toll=job.rec_name, batch=production.rec_name))
            self._make(production)
            production = Production(production.id)
            # water 50 kg and jars 100 at 2 € and 90 minutes at 18 €/h:
            # the farm's carrots and celery cost the garden nothing
            self.assertEqual(production.input_cost, Decimal('300'))
            self.assertEqual(production.cost, Decimal('327'))
            Toll.process([job])
            self.assertEqual(job.state, 'processed')

            Toll.return_([job])
            job = Toll(job.id)
            self.assertEqual(job.state, 'returned')
            self.assertEqual(job.return_date, TODAY)
            soup_lot = production.outputs[0].lot
            self.assertEqual({(m.product.name, m.lot, m.quantity, m.state)
                    for m in job.returns}, {
                    ("Soupe de carottes", soup_lot, 100, 'done'),
                    ("poireau", receptions[2].lot, 3, 'done')})
            self.assertEqual({m.to_location for m in job.returns},
                {job.farm.customer_location})
            with Transaction().set_context(locations=[location.id]):
                self.assertEqual({p.quantity for p in Product.browse(
                                [carrot.id, leek.id, soup_lot.product.id])},
                    {0})

            # the farm's lots trace to the soup, which the farm received
            self.assertEqual(trace([receptions[0].lot.id], 'down'),
                {soup_lot.id})
            with Transaction().set_context(
                    active_model='stock.lot', active_id=soup_lot.id,
                    active_ids=[soup_lot.id]):
                session_id, _, _ = Recall.create()
                values = Recall(session_id).default_start(None)
            self.assertIn(receptions[0].lot.id, values['upstream'])
            delivery, = values['deliveries']
            self.assertEqual(delivery['customer'], job.farm.id)
            self.assertEqual(delivery['document'], job.rec_name)

            # 51 kg received at 0.80 €
            self.assertEqual(job.input_weight, 51)
            self.assertEqual(job.output_weight, 60)
            self.assertEqual(job.units, 100)
            self.assertEqual(job.billed_quantity, 51)
            Toll.invoice([job])
            job = Toll(job.id)
            self.assertEqual(job.state, 'invoiced')
            invoice = job.customer_invoice
            self.assertEqual((invoice.type, invoice.party, invoice.state),
                ('out', job.farm, 'draft'))
            line, = invoice.lines
            self.assertEqual(line.origin, job)
            self.assertEqual((line.product, line.quantity, line.unit),
                (job.service, 51, uom('kg')))
            self.assertEqual(invoice.untaxed_amount, Decimal('40.80'))
            with self.assertRaises(TollError) as cm:
                Toll.invoice([job])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_toll_invoiced',
                    toll=job.rec_name))
            self.assertEqual(len(job.invoice_lines), 1)

    @with_transaction()
    def test_toll_processing_refused(self):
        """Produce without the farm's lot, a job without batch, an
        invoice before the return, a service that cannot count the basis
        or without price are refused, changing nothing"""
        from trytond.modules.cocagne_transformation.exceptions import (
            TollError)
        pool = Pool()
        Toll = pool.get('cocagne.transformation.toll')
        Template = pool.get('product.template')
        company = create_company()
        with set_company(company):
            job, bom = self._toll(company, basis='unit')
            with self.assertRaises(TollError) as cm:
                Toll.receive([job])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_toll_no_reception',
                    toll=job.rec_name))
            carrot = bom.inputs[0].product
            move = self._receive(job, carrot, 12)
            with self.assertRaises(TollError) as cm:
                Toll.receive([job])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_toll_reception_no_lot',
                    toll=job.rec_name, product=carrot.rec_name))
            self.assertEqual((job.state, move.state), ('draft', 'draft'))
            move.lot, = pool.get('stock.lot').create([{
                        'number': 'FERME-C2', 'product': carrot.id}])
            move.save()
            Toll.receive([job])
            with self.assertRaises(AccessError) as cm:
                Toll.delete([job])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_toll_delete',
                    toll=job.rec_name))
            with self.assertRaises(TollError) as cm:
                Toll.process([job])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_toll_no_batch',
                    toll=job.rec_name))
            with self.assertRaises(TollError) as cm:
                Toll.invoice([job])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_toll_invoice_not_returned',
                    toll=job.rec_name))
            Toll.create_batch([job])
            self._make(job.productions[0])
            Toll.process([job])
            Toll.return_([job])

            # billed per unit made, the service is sold per kg
            job = Toll(job.id)
            self.assertEqual(job.units, 30)
            self.assertIsNone(job.billed_quantity)
            with self.assertRaises(TollError) as cm:
                Toll.invoice([job])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_toll_service_unit',
                    toll=job.rec_name, service=job.service.rec_name,
                    unit=uom('kg').rec_name, basis=job.basis_string))
            job.basis = 'output'
            job.save()
            Template.write([job.service.template], {'list_price': None})
            with self.assertRaises(TollError) as cm:
                Toll.invoice([job])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_toll_no_price',
                    toll=job.rec_name, service=job.service.rec_name,
                    unit=uom('kg').rec_name))
            self.assertEqual(Toll(job.id).state, 'returned')
            self.assertEqual(Toll(job.id).invoice_lines, ())


del ModuleTestCase

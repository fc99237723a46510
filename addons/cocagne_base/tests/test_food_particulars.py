"The food particulars of the products sold at a distance"
import datetime as dt
import unittest

from genshi.core import Markup

from trytond.modules.cocagne_base.product import (
    NUTRITION_EXEMPT_SMALL_PRODUCER, NUTRITION_EXEMPT_UNPROCESSED,
    country_farming, ingredients_markup, ingredients_parts)
from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

from .test_module import certifier, create_producer, create_template
from .test_places_sites_hours import country
from .tools import StackTestMixin, create_garden

TODAY = dt.date.today()
YEAR = (TODAY - dt.timedelta(days=200), TODAY + dt.timedelta(days=165))


def certify(party, company, period=YEAR):
    "Give party an organic certificate of company for period."
    Pool().get('cocagne.organic.certificate').create([{
                'company': company.id, 'producer': party.id,
                'certifier': certifier(), 'number': f'C-{party.id}',
                'valid_from': period[0], 'valid_to': period[1],
                }])


def locate(party, street, postal_code, city, country):
    "Put the address of party at street, postal_code city in country."
    Pool().get('party.address').write(list(party.addresses), {
            'street': street, 'postal_code': postal_code, 'city': city,
            'country': country.id})


def create_farm(company, name, *address):
    "A partner farm of company named name at address, certified a year."
    farm = create_producer(company, name, YEAR)
    locate(farm, *address)
    return farm


class CountryFarmingTestCase(unittest.TestCase):
    "Test the place of farming of a country"

    def test_country_farming(self):
        """Reg. 2018/848 art. 32(2): "Agriculture France" when all is farmed
        in France, else EU or non-EU"""
        for code, farming in [
                ('FR', "Agriculture France"),
                ('ES', "Agriculture UE"),
                ('EU', "Agriculture UE"),
                ('MA', "Agriculture non UE"),
                ('CH', "Agriculture non UE"),
                ]:
            with self.subTest(code=code):
                self.assertEqual(country_farming(code), farming)


class IngredientsTestCase(unittest.TestCase):
    "Test the ingredient list typed as on a producer's label"

    def test_markup(self):
        """The words in capitals are the allergens: in <strong>, the text
        escaped; a single capital, a reference or the rest are not"""
        for text, html in [
                ("Farine de BLÉ* T80, eau, sel.",
                    "Farine de <strong>BLÉ</strong>* T80, eau, sel."),
                ("Noix, FRUITS À COQUE, L'ŒUF, crème de LAIT",
                    "Noix, <strong>FRUITS À COQUE</strong>, "
                    "<strong>L'ŒUF</strong>, crème de <strong>LAIT</strong>"),
                ("Sucre < 5 % & miel, vitamine C",
                    "Sucre &lt; 5 % &amp; miel, vitamine C"),
                ("<b>SOJA</b>", "&lt;b&gt;<strong>SOJA</strong>&lt;/b&gt;"),
                ]:
            with self.subTest(text=text):
                markup = ingredients_markup(text)
                self.assertIsInstance(markup, Markup)
                self.assertEqual(markup, html)
        self.assertIsNone(ingredients_markup(''))
        self.assertIsNone(ingredients_markup(None))

    def test_parts(self):
        "The lines starting with * are the footnote, the others the list"
        self.assertEqual(ingredients_parts(
                "Farine de BLÉ*, eau,\n  levain*, sel.\n"
                "*Ingrédients issus de l'agriculture biologique\n"),
            ("Farine de BLÉ*, eau, levain*, sel.",
                "*Ingrédients issus de l'agriculture biologique"))
        self.assertEqual(ingredients_parts("Pommes."), ("Pommes.", None))
        self.assertEqual(ingredients_parts(None), (None, None))


class FoodParticularsTestCase(StackTestMixin, _DBTestCase):
    "Test the food particulars of the products not made by a recipe"
    maxDiff = None
    module = 'cocagne_base'

    @with_transaction()
    def test_own_vegetable(self):
        """A vegetable of the garden: no ingredient list, the exemption of
        Annex V point 1, the garden as operator, farmed in France when the
        garden is certified"""
        france = country('FR', "France")
        company = create_garden()
        garden = company.party
        garden.producer = True
        garden.company = company
        garden.save()
        locate(garden, "18 rue de Vesoul", "25000", "Besançon", france)
        with set_company(company):
            certify(garden, company)
            carrot = create_template(company, name="Carotte", organic=True)
            self.assertEqual(carrot.food_particulars(), {
                    'name': "Carotte",
                    'ingredients': None,
                    'ingredients_footnote': None,
                    'allergens': [],
                    'net_quantity': None,
                    'storage': None,
                    'operator': {
                        'name': "Jardin de Cocagne",
                        'address': "18 RUE DE VESOUL, 25000 BESANÇON, FRANCE",
                        },
                    'nutrition': None,
                    'nutrition_exempt': (
                        "Dispensé de déclaration nutritionnelle : produit "
                        "non transformé comprenant un seul ingrédient "
                        "(règlement (UE) 1169/2011, annexe V, point 1)"),
                    'farming': "Agriculture France",
                    })

            # no place of farming for a date out of the certificate
            later = carrot.food_particulars(YEAR[1] + dt.timedelta(days=1))
            self.assertIsNone(later['farming'])
            self.assertEqual(later['nutrition_exempt'],
                NUTRITION_EXEMPT_UNPROCESSED)
            # nor for a vegetable not organic
            leek = create_template(company, name="Poireau")
            self.assertIsNone(leek.food_particulars()['farming'])

    @with_transaction()
    def test_partner_product(self):
        """A partner farm's product is sold under the farm's name, farmed in
        the farm's country; its allergens are named"""
        company = create_garden()
        with set_company(company):
            farm = create_farm(company, "Huerta del Sol", "Calle Mayor 3",
                "46001", "Valencia", country('ES', "Espagne"))
            celery = create_template(company, name="Céleri branche",
                origin='partner', producer=farm.id, organic=True,
                allergens=['celery', 'mustard'])
            particulars = celery.food_particulars()
            self.assertEqual(particulars['name'], "Céleri branche")
            self.assertEqual(particulars['allergens'], ["Céleri", "Moutarde"])
            self.assertEqual(particulars['operator'], {
                    'name': "Huerta del Sol",
                    'address': "Calle Mayor 3, 46001 VALENCIA, ESPAGNE",
                    })
            self.assertEqual(particulars['farming'], "Agriculture UE")
            self.assertEqual(celery.food_kind, 'fresh')
            self.assertIsNone(particulars['ingredients'])
            self.assertIsNone(particulars['net_quantity'])
            self.assertEqual(particulars['nutrition_exempt'],
                NUTRITION_EXEMPT_UNPROCESSED)

    @with_transaction()
    def test_small_producer(self):
        """A partner farm's brioche, processed by the farm: its ingredient
        list with the allergens in strong and its footnote, its net
        quantity and storage as on its label, the exemption of Annex V
        point 19"""
        company = create_garden()
        with set_company(company):
            farm = create_farm(company, "Fournil paysan de Gosné",
                "La Ville-Rouault", "35140", "Gosné", country('FR', "France"))
            brioche = create_template(company, name="Brioche tressée 400 g",
                origin='partner', producer=farm.id, organic=True,
                allergens=['gluten', 'milk', 'eggs'],
                food_kind='small_producer',
                food_ingredients=(
                    "Farine de BLÉ* T65, ŒUFS*, BEURRE*, sucre de canne*, "
                    "LAIT*, levure, sel.\n"
                    "*Ingrédients issus de l'agriculture biologique"),
                food_net_quantity="400 g",
                food_storage="À conserver dans un endroit sec.\n")
            particulars = brioche.food_particulars()
            self.assertEqual(particulars, {
                    'name': "Brioche tressée 400 g",
                    'ingredients': (
                        "Farine de <strong>BLÉ</strong>* T65, "
                        "<strong>ŒUFS</strong>*, <strong>BEURRE</strong>*, "
                        "sucre de canne*, <strong>LAIT</strong>*, levure, "
                        "sel."),
                    'ingredients_footnote': (
                        "*Ingrédients issus de l'agriculture biologique"),
                    'allergens': [
                        "Céréales contenant du gluten", "Œufs", "Lait"],
                    'net_quantity': "400 g",
                    'storage': "À conserver dans un endroit sec.",
                    'operator': {
                        'name': "Fournil paysan de Gosné",
                        'address': "LA VILLE-ROUAULT, 35140 GOSNÉ, FRANCE",
                        },
                    'nutrition': None,
                    'nutrition_exempt': (
                        "Dispensé de déclaration nutritionnelle : petite "
                        "quantité fournie directement par le producteur "
                        "(règlement (UE) 1169/2011, annexe V, point 19)"),
                    'farming': "Agriculture France",
                    })
            self.assertIsInstance(particulars['ingredients'], Markup)
            self.assertEqual(particulars['nutrition_exempt'],
                NUTRITION_EXEMPT_SMALL_PRODUCER)

            # a partner's eggs stay fresh produce, with their net quantity
            eggs = create_template(company, name="Œufs plein air × 6",
                origin='partner', producer=farm.id, allergens=['eggs'],
                food_net_quantity="6 œufs")
            particulars = eggs.food_particulars()
            self.assertIsNone(particulars['ingredients'])
            self.assertEqual(particulars['net_quantity'], "6 œufs")
            self.assertEqual(particulars['nutrition_exempt'],
                NUTRITION_EXEMPT_UNPROCESSED)

    @with_transaction()
    def test_bought_product(self):
        """A bought product of the network is sold by the current garden; its
        place of farming and nutrition exemption are not known here"""
        company = create_garden()
        with set_company(company):
            honey = create_template(company, name="Miel", origin='bought',
                organic=True)
            honey.company = None
            honey.save()
            self.assertIsNone(honey.food_kind)
            particulars = honey.food_particulars()
            self.assertEqual(particulars['operator']['name'],
                "Jardin de Cocagne")
            self.assertIsNone(particulars['farming'])
            self.assertIsNone(particulars['nutrition_exempt'])
            self.assertIsNone(particulars['nutrition'])

"The food particulars of fresh produce sold at a distance"
import datetime as dt
import unittest

from trytond.modules.cocagne_base.product import (
    NUTRITION_EXEMPT_UNPROCESSED, country_farming)
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


class FoodParticularsTestCase(StackTestMixin, _DBTestCase):
    "Test the food particulars of fresh produce"
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
        spain = country('ES', "Espagne")
        company = create_garden()
        with set_company(company):
            farm = create_producer(company, "Huerta del Sol", YEAR)
            locate(farm, "Calle Mayor 3", "46001", "Valencia", spain)
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
            self.assertIsNone(particulars['ingredients'])
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
            particulars = honey.food_particulars()
            self.assertEqual(particulars['operator']['name'],
                "Jardin de Cocagne")
            self.assertIsNone(particulars['farming'])
            self.assertIsNone(particulars['nutrition_exempt'])
            self.assertIsNone(particulars['nutrition'])

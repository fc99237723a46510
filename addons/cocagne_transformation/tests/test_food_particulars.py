"The food particulars of a product made by a recipe, sold at a distance"
import datetime as dt

from genshi.core import Markup

from trytond.modules.cocagne_base.product import (
    NUTRITION_EXEMPT_SMALL_PRODUCER, NUTRITION_EXEMPT_UNPROCESSED)
from trytond.modules.cocagne_base.tests.tools import StackTestMixin
from trytond.modules.company.tests import create_company, set_company
from trytond.tests.test_tryton import _DBTestCase, with_transaction

from .test_module import certify_garden, create_soup, setup_site

TODAY = dt.date.today()


class FoodParticularsTestCase(StackTestMixin, _DBTestCase):
    "Test the food particulars of the products made by a recipe"
    module = 'cocagne_transformation'

    @with_transaction()
    def test_soup(self):
        """A soup shows the particulars of its recipe, without the words
        that the label puts before them: sales name, the ingredients with
        the allergen in strong and the QUID, net quantity,
        storage, the exemption of Annex V point 19, farmed in France"""
        company = create_company()
        with set_company(company):
            certify_garden(company)
            bom = create_soup(company, setup_site(company))
            soup = bom.outputs[0].product.template
            particulars = soup.food_particulars()
            self.assertEqual(particulars, {
                    'name': "Soupe de carottes bio",
                    'ingredients': (
                        "carotte* (66,7 %), eau, <strong>céleri</strong>*."),
                    'ingredients_footnote': (
                        "*Ingrédients issus de l'agriculture biologique"),
                    'allergens': ["Céleri"],
                    'net_quantity': "600 g",
                    'storage': "À conserver entre 0 et 4 °C",
                    'operator': {'name': "Dunder Mifflin", 'address': None},
                    'nutrition': None,
                    'nutrition_exempt': NUTRITION_EXEMPT_SMALL_PRODUCER,
                    'farming': "Agriculture France",
                    })
            self.assertIsInstance(particulars['ingredients'], Markup)

            # its ingredients are fresh produce
            carrot = bom.inputs[0].product.template
            self.assertEqual(carrot.name, "carotte")
            particulars = carrot.food_particulars()
            self.assertIsNone(particulars['ingredients'])
            self.assertEqual(particulars['nutrition_exempt'],
                NUTRITION_EXEMPT_UNPROCESSED)

    @with_transaction()
    def test_nutrition_declaration(self):
        """A recipe not exempt gives its nutrition declaration; without a
        certificate of the garden, no place of farming"""
        company = create_company()
        with set_company(company):
            bom = create_soup(company, setup_site(company))
            bom.nutrition_exempt = False
            bom.energy_kj = 150
            bom.energy_kcal = 36
            bom.fat = 1.2
            bom.salt = 0.8
            bom.save()
            soup = bom.outputs[0].product.template
            particulars = soup.food_particulars()
            self.assertEqual(particulars['nutrition'], [
                    ("Énergie", "150 kJ / 36 kcal"),
                    ("Matières grasses", "1,2 g"),
                    ("Sel", "0,8 g"),
                    ])
            self.assertIsNone(particulars['nutrition_exempt'])
            self.assertIsNone(particulars['farming'])
            self.assertEqual(particulars['ingredients_footnote'],
                "*Ingrédients issus de l'agriculture biologique")

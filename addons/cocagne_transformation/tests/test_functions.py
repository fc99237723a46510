"Unit tests of the pure functions, without database"
import datetime as dt
import unittest

from trytond.modules.cocagne_transformation import (
    cold, harvesting, processing)
from trytond.modules.cocagne_transformation.ingredients import (
    FARMING, ORGANIC_FOOTNOTE, Ingredient, claims_organic, expand,
    format_percent,
    organic_share, place_of_farming, quid_text, statement)

I = Ingredient
D = dt.date


def names(result):
    return [item[0].name for item in result.items]


class StatementTestCase(unittest.TestCase):

    def test_descending_order(self):
        "INCO art. 18(1): descending order of weight at the time of use"
        result = statement([
                I("oignon", 1), I("carotte", 5), I("pomme de terre", 3)], 9)
        self.assertEqual(names(result),
            ["carotte", "pomme de terre", "oignon"])

    def test_minor_tail(self):
        """INCO Annex VII part A.4: ingredients under 2 % of the finished
        product may follow in any order (here alphabetical)"""
        result = statement([
                I("carotte", 90), I("thym", 0.5), I("ail", 1.5),
                I("sel", 1, agricultural=False), I("oignon", 7)], 100)
        # ail 1.5 % and sel 1 % and thym 0.5 % are under 2 %
        self.assertEqual(names(result),
            ["carotte", "oignon", "ail", "sel", "thym"])
        result = statement([I("carotte", 96), I("thym", 1.9),
                I("basilic", 0.2), I("ail", 1.9)], 100)
        self.assertEqual(names(result),
            ["carotte", "ail", "basilic", "thym"])

    def test_minor_relative_to_finished_product(self):
        """INCO Annex VII part A.4: the 2 % is a share of the finished
        product: 1.5 kg of 60 kg is 2.5 %, not in the tail"""
        result = statement([
                I("carotte", 80), I("thym", 1.5), I("ail", 1.8)], 60)
        self.assertEqual(names(result), ["carotte", "ail", "thym"])

    def test_added_water_reduced_soup(self):
        """INCO Annex VII part A.1: added water is listed by its weight in
        the finished product: 50 kg of vegetables and 50 kg of water
        reduced to 80 kg of soup hold 30 kg of water, so water comes
        after the 40 kg of carrots"""
        result = statement([
                I("eau", 50, agricultural=False, water=True),
                I("carotte", 40), I("poireau", 10)], 80)
        self.assertEqual(names(result), ["carotte", "eau", "poireau"])
        self.assertEqual(result.items[1][1], 30)

    def test_added_water_up_to_5_percent_not_declared(self):
        """INCO Annex VII part A.1: added water making up no more than 5 %
        of the finished product need not be declared"""
        result = statement([
                I("eau", 30, agricultural=False, water=True),
                I("tomate", 100)], 104)
        self.assertEqual(names(result), ["tomate"])

    def test_allergens_emphasised(self):
        """INCO art. 21(1)(b): the allergens of Annex II are emphasised:
        strong in HTML (bold on the label), upper case in plain text"""
        result = statement([
                I("carotte", 5), I("céleri", 2, allergens={'celery'}),
                I("crème", 1, allergens={'milk'})], 8)
        self.assertEqual(result.text(),
            "Ingrédients : carotte, CÉLERI, CRÈME.")
        self.assertEqual(result.text(html=True),
            "Ingrédients : carotte, <strong>céleri</strong>, "
            "<strong>crème</strong>.")
        self.assertEqual(result.allergens, {'celery', 'milk'})

    def test_html_escaped(self):
        "Names are escaped in HTML"
        result = statement([I("sel <fin>", 1, agricultural=False)], 1)
        self.assertIn("sel &lt;fin&gt;", result.text(html=True))

    def test_organic_asterisk_and_footnote(self):
        """Reg. 2018/848 art. 30(5)(b) and Annex II: organic ingredients
        get an asterisk and the footnote"""
        result = statement([
                I("carotte", 96, organic=True),
                I("sel", 4, agricultural=False)], 100)
        self.assertEqual(result.text(), "Ingrédients : carotte*, sel.")
        self.assertEqual(result.footnote, ORGANIC_FOOTNOTE)
        result = statement([I("carotte", 1)], 1)
        self.assertEqual(result.footnote, '')

    def test_organic_share_excludes_water_and_salt(self):
        """Reg. 2018/848 art. 30(5)(a): at least 95 % of the agricultural
        ingredients by weight; water and salt are not agricultural"""
        ingredients = [
            I("eau", 60, agricultural=False, water=True),
            I("sel", 2, agricultural=False),
            I("carotte", 38, organic=True), I("ail", 1.5)]
        self.assertAlmostEqual(organic_share(ingredients), 38 / 39.5)
        result = statement(ingredients, 100)
        self.assertTrue(result.organic_name_allowed)

    def test_organic_name_refused_under_95(self):
        """Reg. 2018/848 art. 30(5)(b): under 95 %, "bio" only in the
        list, with the total organic share"""
        result = statement([
                I("carotte", 90, organic=True), I("oignon", 10)], 100)
        self.assertFalse(result.organic_name_allowed)
        self.assertAlmostEqual(result.organic_share, 0.9)
        self.assertEqual(result.footnote,
            ORGANIC_FOOTNOTE + " (90 % des ingrédients agricoles)")
        result = statement([
                I("carotte", 95, organic=True), I("oignon", 5)], 100)
        self.assertTrue(result.organic_name_allowed)

    def test_organic_share_without_agricultural_ingredient(self):
        "Reg. 2018/848 art. 30(5): no agricultural ingredient, no share"
        self.assertIsNone(organic_share([I("sel", 1, agricultural=False)]))

    def test_quid_mixing_bowl(self):
        """INCO art. 22(1)(a) and Annex VIII point 3(a): the quantity of an
        ingredient named in the sales name, as a share of the mixing bowl
        when the product loses no water"""
        result = statement([
                I("tomate", 60), I("oignon", 30), I("basilic", 10)], 100,
            quid_names={"basilic"})
        self.assertEqual(result.text(),
            "Ingrédients : tomate, oignon, basilic (10 %).")

    def test_quid_water_loss(self):
        """INCO Annex VIII point 4(a): for foods that lost water, relative
        to the finished product"""
        self.assertEqual(quid_text(30, 100, 60), "50 %")
        self.assertEqual(quid_text(33, 100, 100), "33 %")
        self.assertEqual(quid_text(1, 3, 3), "33,3 %")

    def test_quid_above_100(self):
        """INCO Annex VIII point 4(a), second subparagraph: above 100 %,
        the weight used to prepare 100 g of finished product"""
        self.assertEqual(quid_text(150, 160, 100),
            "préparé avec 150 g pour 100 g")
        result = statement([I("tomate", 150), I("sel", 1,
                    agricultural=False)], 100, quid_names={"tomate"})
        self.assertEqual(result.text(),
            "Ingrédients : tomate (préparé avec 150 g pour 100 g), sel.")

    def test_place_of_farming_france(self):
        """Reg. 2018/848 art. 32(2): a country instead of "EU" when all the
        agricultural raw materials were farmed there, ingredients totalling
        at most 5 % by weight being disregarded (third subparagraph)"""
        self.assertEqual(place_of_farming([
                    I("carotte", 95), I("poivre", 5, country='VN')]),
            FARMING['FR'])
        self.assertEqual(place_of_farming([
                    I("carotte", 94), I("poivre", 6, country='VN')]),
            FARMING['EU/non-EU'])
        # salt and water are not agricultural raw materials
        self.assertEqual(place_of_farming([
                    I("carotte", 50), I("sel", 50, agricultural=False,
                        country='ES')]),
            FARMING['FR'])

    def test_place_of_farming_eu_non_eu(self):
        "Reg. 2018/848 art. 32(2) first subparagraph: EU, non-EU or both"
        self.assertEqual(place_of_farming([
                    I("carotte", 50), I("tomate", 50, country='ES')]),
            FARMING['EU'])
        self.assertEqual(place_of_farming([
                    I("riz", 97, country='IN'), I("ail", 3)]),
            FARMING['non-EU'])
        self.assertEqual(place_of_farming([
                    I("carotte", 60), I("riz", 40, country='IN')]),
            FARMING['EU/non-EU'])
        self.assertIsNone(place_of_farming([I("sel", 1, agricultural=False)]))

    def test_sub_recipe_expanded(self):
        """INCO Annex VII part E point 2(b): a compound ingredient may be
        replaced by its own ingredients, here in proportion of the
        quantity used, merged with the same ingredients of the recipe"""
        stock = I("bouillon", 20, components=[
                I("eau", 80, agricultural=False, water=True),
                I("céleri", 10, allergens={'celery'}, organic=True),
                I("poireau", 10, organic=True)])
        soup = [stock, I("poireau", 30, organic=True), I("carotte", 50,
                organic=True)]
        expanded = {i.name: i.quantity for i in expand(soup)}
        self.assertEqual(expanded, {
                "eau": 16, "céleri": 2, "poireau": 32, "carotte": 50})
        result = statement(soup, 100)
        self.assertEqual(result.text(),
            "Ingrédients : carotte*, poireau*, eau, CÉLERI*.")
        self.assertEqual(result.allergens, {'celery'})

    def test_sub_recipe_of_nothing(self):
        "A sub-recipe whose quantities sum to zero cannot be expanded"
        with self.assertRaises(ValueError):
            expand([I("bouillon", 1, components=[I("eau", 0)])])

    def test_zero_quantities(self):
        "Ingredient quantities summing to zero give no statement"
        with self.assertRaises(ValueError):
            statement([I("carotte", 0)], 1)
        with self.assertRaises(ValueError):
            statement([I("carotte", 1)], 0)

    def test_format_percent(self):
        self.assertEqual(format_percent(0.456), "45,6 %")
        self.assertEqual(format_percent(0.5), "50 %")


class ProcessingTestCase(unittest.TestCase):

    def test_expiry(self):
        "The date of a lot comes from the production date"
        self.assertEqual(
            processing.expiry_date(D(2026, 1, 30), 3), D(2026, 2, 2))
        self.assertIsNone(processing.expiry_date(None, 3))
        self.assertIsNone(processing.expiry_date(D(2026, 1, 1), None))

    def test_date_wording(self):
        """INCO Annex X: "à consommer jusqu'au" for a use-by date,
        "à consommer de préférence avant le" for a best-before date"""
        self.assertEqual(
            processing.date_wording('dlc', D(2026, 2, 2)),
            "À consommer jusqu'au 02/02/2026")
        self.assertEqual(
            processing.date_wording('ddm', D(2027, 2, 2)),
            "À consommer de préférence avant le 02/02/2027")

    def test_yield(self):
        self.assertAlmostEqual(processing.yield_ratio(82, 100), 0.82)
        self.assertIsNone(processing.yield_ratio(82, 0))
        self.assertEqual(processing.yield_ratio(6, 9.8, 3), 0.612)
        self.assertAlmostEqual(processing.yield_gap(0.78, 0.82), -0.04)
        self.assertIsNone(processing.yield_gap(None, 0.82))

    def test_too_heavy(self):
        "An output heavier than its inputs beyond the tolerance"
        self.assertFalse(processing.too_heavy(100, 100, 0.02))
        self.assertFalse(processing.too_heavy(102, 100, 0.02))
        self.assertTrue(processing.too_heavy(102.1, 100, 0.02))
        self.assertFalse(processing.too_heavy(5, 0, 0.02))

    def test_labour_cost(self):
        self.assertEqual(processing.labour_cost(90, 14), 21)
        self.assertEqual(processing.labour_cost(0, 14), 0)

    def test_net_quantity(self):
        "INCO art. 23: the net quantity, in the French way"
        self.assertEqual(processing.net_quantity(350, 'g'),
            "Quantité nette : 350 g")
        self.assertEqual(processing.net_quantity(1.5, 'l'),
            "Quantité nette : 1,5 l")
        self.assertIsNone(processing.net_quantity(None, None))

    def test_nutrition_rows(self):
        "INCO Annex XV: energy then nutrients, in order"
        self.assertEqual(processing.nutrition_rows({
                    'energy_kj': 150, 'energy_kcal': 36, 'salt': 0.8,
                    'fat': 1.25}), [
                ("Énergie", "150 kJ / 36 kcal"),
                ("Matières grasses", "1,2 g"),
                ("Sel", "0,8 g")])


class OrganicNameTestCase(unittest.TestCase):

    def test_claims_organic(self):
        """Reg. 2018/848 art. 30(1): the terms that refer to organic
        production, whatever their case or accents"""
        for name in ["Soupe de carottes bio", "BIO ratatouille",
                "Sauce tomate biologique", "Compote (AB)",
                "Velouté de légumes biologiques"]:
            self.assertTrue(claims_organic(name), name)
        for name in ["Soupe de carottes", "Biscuits", "Ratatouille à "
                "l'aubergine", "Cabillaud", "", None]:
            self.assertFalse(claims_organic(name), name)


class HarvestColdTestCase(unittest.TestCase):
    "Harvest checks and cold-room temperature checks"

    def test_harvest_problem(self):
        "A harvest is checked in order: quantity, date, plot, gardens"
        today = D(2026, 6, 10)
        ok = dict(quantity=12.5, date=today, today=today,
            plot_kind='plots', plot_garden='lyon', site_garden='lyon',
            garden='lyon')
        self.assertIsNone(harvesting.problem(**ok))
        for changes, expected in [
                ({'quantity': 0}, 'quantity'),
                ({'quantity': -3}, 'quantity'),
                ({'date': D(2026, 6, 11)}, 'future'),
                ({'plot_kind': 'legumerie'}, 'not_plot'),
                ({'plot_kind': None, 'plot_garden': 'lyon'}, 'not_plot'),
                ({'plot_garden': 'doubs'}, 'plot_garden'),
                ({'site_garden': 'doubs'}, 'site_garden'),
                # the first problem wins
                ({'quantity': 0, 'plot_kind': 'shop'}, 'quantity'),
                ]:
            with self.subTest(changes=changes):
                self.assertEqual(
                    harvesting.problem(**{**ok, **changes}), expected)
        # what is left out is the required fields' business
        self.assertIsNone(harvesting.problem(**{**ok, 'quantity': None,
                    'date': None, 'plot_kind': None, 'plot_garden': None,
                    'site_garden': None}))
        self.assertEqual(harvesting.PROBLEMS, [
                'quantity', 'future', 'not_plot', 'plot_garden',
                'site_garden'])

    def test_harvest_lot_number(self):
        self.assertEqual(
            harvesting.lot_number(D(2026, 1, 4), 12), 'REC-260104-12')

    def test_negative_range(self):
        "A range whose minimum is above its maximum is negative"
        self.assertTrue(cold.negative_range(8, 2))
        self.assertFalse(cold.negative_range(0, 4))
        self.assertFalse(cold.negative_range(3, 3))
        self.assertFalse(cold.negative_range(None, 4))
        self.assertFalse(cold.negative_range(-18, None))

    def test_out_of_range(self):
        "The bounds belong to the range; a missing bound does not limit"
        self.assertFalse(cold.out_of_range(3.5, 0, 4))
        self.assertFalse(cold.out_of_range(4, 0, 4))
        self.assertFalse(cold.out_of_range(0, 0, 4))
        self.assertTrue(cold.out_of_range(4.1, 0, 4))
        self.assertTrue(cold.out_of_range(-0.5, 0, 4))
        self.assertTrue(cold.out_of_range(-15, None, -18))
        self.assertFalse(cold.out_of_range(-20, None, -18))
        self.assertFalse(cold.out_of_range(None, 0, 4))

    def test_day_bounds(self):
        "A local day in UTC: Paris is 2 hours ahead in summer, 1 in winter"
        self.assertEqual(cold.day_bounds(D(2026, 6, 10), 'Europe/Paris'), (
                dt.datetime(2026, 6, 9, 22), dt.datetime(2026, 6, 10, 22)))
        self.assertEqual(cold.day_bounds(D(2026, 1, 10), 'Europe/Paris'), (
                dt.datetime(2026, 1, 9, 23), dt.datetime(2026, 1, 10, 23)))
        # the day the clocks go forward has 23 hours
        start, end = cold.day_bounds(D(2026, 3, 29), 'Europe/Paris')
        self.assertEqual(end - start, dt.timedelta(hours=23))
        self.assertEqual(cold.day_bounds(D(2026, 6, 10)), (
                dt.datetime(2026, 6, 10), dt.datetime(2026, 6, 11)))

    def test_rooms_without_reading(self):
        "The rooms of which no reading was taken on the local day"
        day = D(2026, 6, 10)
        readings = [
            ('chambre froide', dt.datetime(2026, 6, 10, 6, 30)),
            # 23:30 in Paris on the 9th
            ('saladier', dt.datetime(2026, 6, 9, 21, 30)),
            # 00:30 in Paris on the 11th
            ('cave', dt.datetime(2026, 6, 10, 22, 30)),
            ('négatif', dt.datetime(2026, 6, 10, 21, 59)),
            ]
        rooms = ['saladier', 'chambre froide', 'cave', 'négatif']
        self.assertEqual(
            cold.rooms_without_reading(rooms, readings, day, 'Europe/Paris'),
            ['saladier', 'cave'])
        # in UTC the late reading of the cave is on the 10th
        self.assertEqual(
            cold.rooms_without_reading(rooms, readings, day),
            ['saladier'])
        self.assertEqual(cold.rooms_without_reading(rooms, [], day), rooms)


class TollBillingTestCase(unittest.TestCase):
    "Toll processing: what goes into a batch, back to the farm, on invoice"

    def setUp(self):
        from trytond.modules.cocagne_transformation import toll_billing
        self.billing = toll_billing

    def test_basis_kind(self):
        self.assertEqual(self.billing.basis_kind('input'), 'weight')
        self.assertEqual(self.billing.basis_kind('output'), 'weight')
        self.assertEqual(self.billing.basis_kind('unit'), 'unit')
        with self.assertRaises(ValueError):
            self.billing.basis_kind('hours')

    def test_billed_quantity(self):
        "Each basis bills what it counts, rounded, never nothing or less"
        billed = self.billing.billed_quantity
        self.assertEqual(billed('input', 120.5, 80.25, 200), 120.5)
        self.assertEqual(billed('output', 120.5, 80.25, 200), 80.25)
        self.assertEqual(billed('unit', 120.5, 80.25, 200), 200)
        self.assertEqual(billed('output', 120, 80.2456, None, 2), 80.25)
        self.assertIsNone(billed('unit', 120, 80, None))
        self.assertIsNone(billed('input', 0, 80, 10))
        self.assertIsNone(billed('input', -3, 80, 10))
        with self.assertRaises(ValueError):
            billed('hours', 1, 1, 1)

    def test_remaining(self):
        "What is left of each lot once the batches used their share"
        received = [(('tomate', 'L1'), 50), (('tomate', 'L2'), 30),
            (('poivron', 'L3'), 10), (('tomate', 'L1'), 5)]
        used = [(('tomate', 'L1'), 55), (('tomate', 'L2'), 12.5),
            (('sel', None), 1)]
        self.assertEqual(self.billing.remaining(received, used),
            {('tomate', 'L2'): 17.5, ('poivron', 'L3'): 10})
        self.assertEqual(list(self.billing.remaining(received, [])),
            [('tomate', 'L1'), ('tomate', 'L2'), ('poivron', 'L3')])
        self.assertEqual(self.billing.remaining([], used), {})

    def test_batch_scale(self):
        "The recipe scaled to the farm's produce"
        self.assertEqual(self.billing.batch_scale(60, 20), 3)
        self.assertEqual(self.billing.batch_scale(5, 20), 0.25)
        self.assertIsNone(self.billing.batch_scale(60, 0))
        self.assertIsNone(self.billing.batch_scale(0, 20))


class CostingTestCase(unittest.TestCase):
    "costing.py: the cost of a portion and the organic share by value"

    def test_portion_cost(self):
        "ingredients and labour over the portions, None without portions"
        from trytond.modules.cocagne_transformation.costing import (
            Part, labour_cost, portion_cost)
        from decimal import Decimal as Dec
        parts = [Part("poireau", Dec('1.5')), Part("crème", Dec('1'))]
        labour = labour_cost(30, Dec('20'))
        self.assertEqual(labour, Dec('10'))
        self.assertEqual(portion_cost(parts, labour, 8), Dec('1.5625'))
        self.assertIsNone(portion_cost(parts, labour, 0))
        self.assertEqual(labour_cost(None, Dec('20')), 0)

    def test_organic_share_sub_recipe(self):
        """a sub-recipe counts by its ingredients, in proportion of the
        share used; packaging and non-agricultural inputs do not count"""
        from trytond.modules.cocagne_transformation.costing import (
            Part, organic_value_share)
        from decimal import Decimal as Dec
        pastry = [Part("farine", Dec('3'), organic=True),
            Part("beurre", Dec('1'))]
        parts = [
            Part("pâte", Dec('2'), components=pastry),
            Part("poireau", Dec('2'), organic=True),
            Part("sel", Dec('5'), agricultural=False),
            ]
        # pastry 2 € of which 3/4 organic: 1.5 + 2 organic over 4
        self.assertAlmostEqual(organic_value_share(parts), 0.875)
        self.assertIsNone(organic_value_share(
                [Part("sel", Dec('1'), agricultural=False)]))

    def test_cover_figures(self):
        "a cover takes its portions of each dish; no cost if one is missing"
        from trytond.modules.cocagne_transformation.costing import (
            Part, cover_figures)
        from decimal import Decimal as Dec
        quiche = [Part("poireau", Dec('8'), organic=True)]
        cake = [Part("sucre", Dec('6'))]
        cost, share = cover_figures([
                (1, Dec('2'), quiche, 4), (0.5, Dec('1'), cake, 6)])
        self.assertEqual(cost, Dec('2.5'))
        # 8/4 organic, 6/6 × 0.5 not
        self.assertAlmostEqual(share, 2 / 2.5)
        cost, _ = cover_figures([(1, None, quiche, 4)])
        self.assertIsNone(cost)


class MarginTestCase(unittest.TestCase):
    "costing.margin: takings over the food cost, per cover"

    def test_margin(self):
        from trytond.modules.cocagne_transformation.costing import margin
        from decimal import Decimal as Dec
        self.assertEqual(margin(Dec('100'), Dec('40'), 10),
            (Dec('60'), Dec('6')))
        self.assertEqual(margin(Dec('100'), None, 0), (Dec('100'), None))
        self.assertEqual(margin(None, Dec('40'), 10), (None, None))


class PlanningTestCase(unittest.TestCase):
    "planning.py: the weeks, the portions and where ingredients come from"

    def test_week_of(self):
        from trytond.modules.cocagne_transformation.planning import week_of
        self.assertEqual(week_of(D(2026, 12, 3)),
            (D(2026, 11, 30), D(2026, 12, 6)))
        self.assertEqual(week_of(D(2026, 11, 30))[0], D(2026, 11, 30))

    def test_portions(self):
        "the covers of each demand times the portions of each dish"
        from trytond.modules.cocagne_transformation.planning import portions
        self.assertEqual(portions([
                    (40, [('quiche', 1), ('compote', 1)]),
                    (30, [('quiche', 0.5)]),
                    ]), {'quiche': 55, 'compote': 40})

    def test_supply(self):
        "the harvest forecast first, then the stock, then a purchase"
        from trytond.modules.cocagne_transformation.planning import supply
        result = supply(10, forecast=4, stock=3)
        self.assertEqual((result.forecast, result.stock, result.purchase),
            (4, 3, 3))
        result = supply(10, forecast=12, stock=3)
        self.assertEqual((result.forecast, result.stock, result.purchase),
            (10, 0, 0))
        result = supply(5, forecast=0, stock=-2)
        self.assertEqual((result.stock, result.purchase), (0, 5))

    def test_service_of(self):
        from trytond.modules.cocagne_transformation.planning import (
            service_of)
        self.assertEqual(service_of(12), 'lunch')
        self.assertEqual(service_of(19), 'dinner')

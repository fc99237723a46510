import datetime as dt
from decimal import Decimal
from unittest.mock import patch

from trytond.i18n import gettext
from trytond.modules.cocagne_base.exceptions import GardenAccessError
from trytond.modules.cocagne_base.tests.tools import (
    SharedModelsMixin, StackTestMixin, acting_as, create_garden_user,
    create_sale_point)
from trytond.modules.cocagne_tournees.exceptions import (
    OptimiseError, RoundError, RunError, VanStockError)
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, create_employee, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

# a garden east of Besançon and five villages on a line towards the east,
# about 7 km apart, entered out of order
GARDEN = (47.26, 6.00)
VILLAGES = [
    ("Place de Roulans", 47.26, 6.27),
    ("Place de Thise", 47.26, 6.09),
    ("Place de Marchaux", 47.26, 6.36),
    ("Place de Novillars", 47.26, 6.18),
    ("Place de Baume", 47.26, 6.45),
    ]


def create_places(company, villages=VILLAGES):
    "The garden as a place and the villages, as places of company."
    Place = Pool().get('cocagne.place')
    garden, *villages = Place.create([{
                'name': "Jardin", 'kind': 'garden_site',
                'latitude': GARDEN[0], 'longitude': GARDEN[1],
                'company': company.id,
                }] + [{
                'name': name, 'kind': 'market_square',
                'latitude': latitude, 'longitude': longitude,
                'company': company.id,
                } for name, latitude, longitude in villages])
    return garden, villages


def create_sites(company):
    "The default warehouse as the garden's logistics platform, and a van."
    Location = Pool().get('stock.location')
    site, = Location.search([('code', '=', 'WH')])
    site.company, site.site_kind = company, 'logistics'
    site.save()
    van, = Location.create([{
                'name': "Camion", 'type': 'warehouse', 'site_kind': 'van',
                'company': company.id,
                }])
    return site, van


def create_round(company, villages=VILLAGES, **values):
    "A grocery round from the garden through the villages, in their order."
    Round = Pool().get('cocagne.round')
    garden, places = create_places(company, villages)
    site, van = create_sites(company)
    round_, = Round.create([{
                'name': "Tournée du mardi", 'company': company.id,
                'kind': 'grocery', 'site': site.id, 'van': van.id,
                'sale_point': create_sale_point(
                    company, van.storage_location, "Caisse du camion").id,
                'start_place': garden.id, 'end_place': garden.id,
                'departure': dt.time(8, 0),
                'stops': [('create', [{
                                'place': p.id, 'sequence': i,
                                } for i, p in enumerate(places, 1)])],
                **values,
                }])
    return round_


def create_product(company, name, unit='kg'):
    pool = Pool()
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    unit, = Uom.search([('symbol', '=', unit)])
    template, = Template.create([{
                'name': name, 'type': 'goods', 'default_uom': unit.id,
                'salable': True, 'sale_uom': unit.id,
                'company': company.id,
                'products': [('create', [{}])],
                }])
    return template.products[0]


def stop_names(round_):
    return [s.place.name for s in round_.stops]


class CocagneTourneesTestCase(
        StackTestMixin, SharedModelsMixin, CompanyTestMixin, ModuleTestCase):
    "Test Cocagne Tournees module"
    module = 'cocagne_tournees'

    @with_transaction()
    def test_optimise_and_undo(self):
        """Optimising a round puts the villages in the order of the road,
        shows the distance before and after, and can be undone"""
        Round = Pool().get('cocagne.round')
        company = create_company()
        with set_company(company):
            round_ = create_round(company)
            before = round_.distance
            # 20.4 km as the crow flies, 26.5 km by road at 40 km/h
            self.assertEqual([s.planned_arrival for s in round_.stops][0],
                dt.time(8, 40))

            Round.optimise([round_])
            round_ = Round(round_.id)
            self.assertIn(stop_names(round_), [
                    [v[0] for v in sorted(VILLAGES, key=lambda v: v[2])],
                    [v[0] for v in sorted(VILLAGES, key=lambda v: -v[2])]])
            self.assertEqual(round_.distance_before, before)
            self.assertLess(round_.distance, before * 0.7)
            # the straight line there and back, by the detour factor
            self.assertAlmostEqual(round_.distance, 2 * 34.0 * 1.3, delta=2)

            Round.undo_optimise([round_])
            round_ = Round(round_.id)
            self.assertEqual(stop_names(round_), [v[0] for v in VILLAGES])
            self.assertEqual(round_.distance, before)
            self.assertIsNone(round_.distance_before)

    @with_transaction()
    def test_road_matrix(self):
        "A road matrix, when a module gives one, replaces the straight lines"
        Round = Pool().get('cocagne.round')
        company = create_company()

        def roads(points):
            "10 km and 12 minutes between any two places"
            places = range(len(points))
            return ([[10 * (i != j) for j in places] for i in places],
                [[12 * (i != j) for j in places] for i in places])
        with set_company(company):
            round_ = create_round(company)
            with patch.object(Round, 'road_matrix', lambda self: roads):
                round_ = Round(round_.id)
                # six legs, and five stops of 15 minutes
                self.assertEqual(round_.distance, 60)
                self.assertEqual(round_.duration, dt.timedelta(minutes=147))

    @with_transaction()
    def test_optimise_pinned_and_window(self):
        """A pinned stop keeps its place and a stop that must be served
        first is served first"""
        pool = Pool()
        Round = pool.get('cocagne.round')
        Stop = pool.get('cocagne.round.stop')
        company = create_company()
        with set_company(company):
            round_ = create_round(company)
            marchaux = round_.stops[2]
            baume = round_.stops[4]
            Stop.write([marchaux], {'pinned': True})
            Stop.write([baume], {
                    'window_start': dt.time(8, 0),
                    'window_end': dt.time(9, 15)})
            Round.optimise([round_])
            round_ = Round(round_.id)
            self.assertEqual(round_.stops[2].place.name, "Place de Marchaux")
            self.assertEqual(round_.stops[0].place.name, "Place de Baume")
            self.assertLessEqual(round_.stops[0].planned_arrival,
                dt.time(9, 15))

    @with_transaction()
    def test_optimise_place_without_coordinates(self):
        "Optimising names the places without coordinates and changes nothing"
        pool = Pool()
        Round = pool.get('cocagne.round')
        Place = pool.get('cocagne.place')
        company = create_company()
        with set_company(company):
            round_ = create_round(company)
            thise = round_.stops[1].place
            Place.write([thise], {'latitude': None, 'longitude': None})
            self.assertIsNone(round_.distance)
            with self.assertRaises(OptimiseError) as cm:
                Round.optimise([round_])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_tournees.msg_optimise_no_coordinates',
                    round="Tournée du mardi", places="Place de Thise"))
            round_ = Round(round_.id)
            self.assertEqual(stop_names(round_), [v[0] for v in VILLAGES])
            self.assertIsNone(round_.previous_order)

    @with_transaction()
    def test_window_ending_before_start(self):
        "A time window that ends before it starts is refused"
        Stop = Pool().get('cocagne.round.stop')
        company = create_company()
        with set_company(company):
            round_ = create_round(company)
            with self.assertRaises(RoundError) as cm:
                Stop.write([round_.stops[0]], {
                        'window_start': dt.time(10, 0),
                        'window_end': dt.time(9, 30)})
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_tournees.msg_stop_window',
                    stop="Place de Roulans", round="Tournée du mardi",
                    start="10:00", end="09:30"))

    @with_transaction()
    def test_driver_of_another_garden(self):
        "The driver of a round works for its garden"
        Round = Pool().get('cocagne.round')
        company = create_company()
        other = create_company("Jardin de Rennes")
        stranger = create_employee(other, "Conducteur de Rennes")
        with set_company(company):
            round_ = create_round(company)
            with self.assertRaises(RoundError) as cm:
                Round.write([round_], {'driver': stranger.id})
            self.assertIn("Conducteur de Rennes", cm.exception.message)

    @with_transaction()
    def test_run_load_sell_reconcile_refusals(self):
        """A run is loaded once, its tickets cannot sell more than the van
        holds, and negative returns are refused"""
        pool = Pool()
        Run = pool.get('cocagne.round.run')
        Sale = pool.get('sale.point.sale')
        company = create_company()
        with set_company(company):
            round_ = create_round(company)
            carrot = create_product(company, "Carottes")
            run, = Run.create([{
                        'round': round_.id, 'date': dt.date(2026, 6, 2),
                        'lines': [('create', [{
                                        'product': carrot.id,
                                        'loaded_quantity': 10,
                                        }])],
                        }])
            self.assertEqual(len(run.stops), len(VILLAGES))
            self.assertEqual(run.stops[0].planned_arrival, dt.time(8, 40))

            Run.load([run])
            self.assertEqual(run.state, 'loaded')
            move, = run.lines[0].moves
            self.assertEqual(move.to_location, round_.van.storage_location)
            self.assertEqual(move.state, 'done')
            with self.assertRaises(RunError):
                Run.load([run])
            self.assertEqual(len(Run(run.id).lines[0].moves), 1)

            Run.start([run])
            ticket, = Sale.create([{
                        'point': round_.sale_point.id,
                        'round_stop': run.stops[0].id,
                        'date': run.date,
                        'lines': [('create', [{
                                        'product': carrot.id,
                                        'quantity': 4,
                                        'unit_list_price': Decimal('3'),
                                        'unit_gross_price': Decimal('3'),
                                        }])],
                        }])
            with self.assertRaises(VanStockError) as cm:
                Sale.create([{
                            'point': round_.sale_point.id,
                            'round_stop': run.stops[1].id,
                            'date': run.date,
                            'lines': [('create', [{
                                            'product': carrot.id,
                                            'quantity': 7,
                                            'unit_list_price': Decimal('3'),
                                            'unit_gross_price': Decimal('3'),
                                            }])],
                            }])
            self.assertIn("Carottes", cm.exception.message)

            run.lines[0].returned_quantity = -1
            run.lines[0].save()
            with self.assertRaises(RunError) as cm:
                Run.unload([run])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_tournees.msg_run_negative_return',
                    run=run.rec_name, product="Carottes", quantity=-1.0))
            self.assertEqual(Run(run.id).state, 'on_road')

    @with_transaction()
    def test_other_garden_rounds_hidden(self):
        "A user of one garden neither sees nor reads the rounds of another"
        pool = Pool()
        Round = pool.get('cocagne.round')
        Run = pool.get('cocagne.round.run')
        company = create_company()
        other = create_company("Jardin de Rennes")
        with set_company(company):
            round_ = create_round(company)
            run, = Run.create([{'round': round_.id}])
        user = create_garden_user([other])
        with acting_as(user):
            self.assertEqual(Round.search([]), [])
            self.assertEqual(Run.search([]), [])
            with self.assertRaises(GardenAccessError) as cm:
                Round.read([round_.id], ['name'])
            self.assertNotIn("Tournée", cm.exception.message)


del ModuleTestCase

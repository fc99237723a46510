"Places and addresses that locate themselves, sites, hours per month"
import datetime as dt
import json
from pathlib import Path
from unittest.mock import patch

from trytond.i18n import gettext
from trytond.modules.cocagne_base.exceptions import GeocodingError
from trytond.modules.company.tests import (
    create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import StackTestMixin, create_staff, log_hours

HERE = Path(__file__).parent
FETCH = 'trytond.modules.cocagne_base.geocoding.fetch'
QUERY = "18 rue de Vesoul 25000 Besançon"


def recorded(name='geocoding_answer.json'):
    "The answer of the geocoder recorded in a file of the tests."
    return json.loads((HERE / name).read_text(encoding='utf-8'))


def country(code, name):
    "The country of code, created if the test database has none."
    Country = Pool().get('country.country')
    countries = Country.search([('code', '=', code)])
    if countries:
        return countries[0]
    return Country.create([{'code': code, 'name': name}])[0]


class PlacesSitesHoursTestCase(StackTestMixin, _DBTestCase):
    "Test places, addresses, sites and hours per month"
    module = 'cocagne_base'

    @with_transaction()
    def test_default_country(self):
        "Places and addresses are in France, or in the garden's country"
        pool = Pool()
        Place = pool.get('cocagne.place')
        Address = pool.get('party.address')
        france = country('FR', "France")
        belgium = country('BE', "Belgique")
        company = create_company()
        self.assertEqual(Place.default_country(), france.id)
        self.assertEqual(Address.default_country(), france.id)
        with set_company(company):
            self.assertEqual(Place.default_country(), france.id)
            place, = Place.create([{'name': "Mairie"}])
            self.assertEqual(place.country, france)
            Address.write(list(company.party.addresses),
                {'country': belgium.id})
            self.assertEqual(Address.default_country(), belgium.id)

    def place(self, **values):
        "An unsaved place at the recorded address"
        Place = Pool().get('cocagne.place')
        values = {
            'name': "Maison de quartier de Palente",
            'street': "18 rue de Vesoul", 'postal_code': '25000',
            'city': "Besançon", 'country': country('FR', "France"),
            **values}
        return Place(**values)

    @with_transaction()
    def test_geocode(self):
        "Locate fills latitude and longitude from the recorded answer"
        pool = Pool()
        Place = pool.get('cocagne.place')
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            place = self.place()
            with patch(FETCH, return_value=recorded()) as fetch:
                place.geocode()
            fetch.assert_called_once_with(QUERY)
            self.assertEqual(
                (place.latitude, place.longitude), (47.254033, 6.044512))
            place.save()
            self.assertEqual(Place(place.id).coordinates,
                (47.254033, 6.044512))

            party, = Party.create([{'name': "Ferme",
                        'addresses': [('create', [{
                                        'street': "18 rue de Vesoul",
                                        'postal_code': '25000',
                                        'city': "Besançon"}])]}])
            address, = party.addresses
            with patch(FETCH, return_value=recorded()) as fetch:
                address.geocode()
            fetch.assert_called_once_with(QUERY)
            self.assertEqual(address.coordinates, (47.254033, 6.044512))

    @with_transaction()
    def test_geocode_refused(self):
        "A failed Locate says why in French terms and changes nothing"
        Place = Pool().get('cocagne.place')
        company = create_company()
        empty = {'type': 'FeatureCollection', 'features': []}
        uncertain = recorded('geocoding_answer_uncertain.json')
        down = OSError("timed out")
        with set_company(company):
            cases = [
                ({}, {'return_value': empty}, gettext(
                        'cocagne_base.msg_geocoding_not_found',
                        address=QUERY)),
                ({}, {'return_value': uncertain}, gettext(
                        'cocagne_base.msg_geocoding_uncertain',
                        address=QUERY, label="Besançon")),
                ({}, {'side_effect': down}, gettext(
                        'cocagne_base.msg_geocoding_unreachable',
                        error=down)),
                ({}, {'side_effect': ValueError("not JSON")}, gettext(
                        'cocagne_base.msg_geocoding_unreachable',
                        error="not JSON")),
                ({'postal_code': None, 'city': None}, {}, gettext(
                        'cocagne_base.msg_geocoding_no_address')),
                ({'country': country('BE', "Belgique")}, {}, gettext(
                        'cocagne_base.msg_geocoding_foreign_country',
                        country="Belgique")),
                ]
            for values, answer, message in cases:
                with self.subTest(message=message):
                    place = self.place(
                        latitude=47.25, longitude=6.03, **values)
                    place.save()
                    with patch(FETCH, **answer) as fetch, \
                            self.assertRaises(GeocodingError) as cm:
                        place.geocode()
                    self.assertEqual(cm.exception.message, message)
                    self.assertEqual(fetch.called, bool(answer))
                    self.assertEqual(place.coordinates, (47.25, 6.03))
                    self.assertEqual(
                        Place(place.id).coordinates, (47.25, 6.03))

    @with_transaction()
    def test_site_form(self):
        "A site needs only a name: its stock zones are made for it"
        pool = Pool()
        Location = pool.get('stock.location')
        View = pool.get('ir.ui.view')
        company = create_company()
        with set_company(company):
            site, = Location.create([{
                        'name': "Boutique de Besançon", 'code': 'DB-BOU',
                        'type': 'warehouse', 'site_kind': 'shop'}])
        self.assertEqual(site.company, company)
        zones = [site.input_location, site.output_location,
            site.storage_location]
        self.assertEqual([z.code for z in zones],
            ['DB-BOU-IN', 'DB-BOU-OUT', 'DB-BOU-STO'])
        self.assertEqual({z.parent for z in zones}, {site})
        self.assertEqual({z.company for z in zones}, {company})
        self.assertEqual(site.storage_location.name, gettext(
                'cocagne_base.msg_site_zone_storage'))

        view, = View.search([
                ('module', '=', 'cocagne_base'),
                ('name', '=', 'location_site_form')])
        form = Location.fields_view_get(view.id)
        self.assertLessEqual(
            {'name', 'code', 'company', 'site_kind', 'address',
                'sale_points'}, set(form['fields']))
        self.assertNotIn('flat_childs', form['fields'])

    @with_transaction()
    def test_site_sale_points(self):
        "A site lists the points of sale that sell from its stock"
        pool = Pool()
        Location = pool.get('stock.location')
        POS = pool.get('sale.point')
        Journal = pool.get('account.journal')
        Sequence = pool.get('ir.sequence.strict')
        SequenceType = pool.get('ir.sequence.type')
        ModelData = pool.get('ir.model.data')
        company = create_company()
        with set_company(company):
            shop, van = Location.create([
                    {'name': "Boutique", 'type': 'warehouse',
                        'site_kind': 'shop'},
                    {'name': "Camion", 'type': 'warehouse',
                        'site_kind': 'van'}])
            customer, = Location.search([('type', '=', 'customer')],
                limit=1)
            journal, = Journal.search([('type', '=', 'revenue')], limit=1)
            sequence_type = SequenceType(ModelData.get_id(
                    'sale_point', 'sequence_type_sale'))
            sequence, = Sequence.create([{'name': "Caisse",
                        'sequence_type': sequence_type.id,
                        'company': company.id}])
            till, = POS.create([{
                        'name': "Caisse de la boutique",
                        'journal': journal.id, 'sequence': sequence.id,
                        'storage_location': shop.storage_location.id,
                        'customer_location': customer.id}])
            self.assertEqual(list(shop.sale_points), [till])
            self.assertEqual(list(van.sale_points), [])

    @with_transaction()
    def test_hours_per_month(self):
        "One row per month, one column of hours per activity"
        pool = Pool()
        Work = pool.get('timesheet.work')
        Month = pool.get('cocagne.workforce.hours.month')
        company = create_company()
        with set_company(company):
            insertion, supervisor = create_staff(company)
            garden, sales, other = Work.create([
                    {'name': "Maraîchage", 'activity': 'market_gardening'},
                    {'name': "Vente", 'activity': 'sales'},
                    {'name': "Réunion"}])
            log_hours([
                    (insertion, garden, dt.date(2026, 1, 5), 4),
                    (insertion, garden, dt.date(2026, 1, 6), 3),
                    (insertion, sales, dt.date(2026, 1, 7), 2),
                    (supervisor, garden, dt.date(2026, 1, 5), 7),
                    (insertion, other, dt.date(2026, 2, 2), 1.5),
                    (insertion, sales, dt.date(2026, 3, 3), 6),
                    ])

            def rows():
                return [(r.period, r.market_gardening, r.sales, r.other,
                        r.total) for r in Month.search([])]
            self.assertEqual(rows(), [
                    ("Janvier 2026", 14, 2, 0, 16),
                    ("Février 2026", 0, 0, 1.5, 1.5),
                    ("Mars 2026", 0, 6, 0, 6),
                    ])
            with Transaction().set_context(contract_kind='insertion',
                    from_date=dt.date(2026, 1, 6),
                    to_date=dt.date(2026, 2, 28)):
                self.assertEqual(rows(), [
                        ("Janvier 2026", 3, 2, 0, 5),
                        ("Février 2026", 0, 0, 1.5, 1.5),
                        ])

"The map of a round: SVG plot, page, routes of the page and of Leaflet"
import datetime as dt
import math
import re
import tempfile
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path
from unittest.mock import patch

from werkzeug.exceptions import Forbidden
from werkzeug.test import Client

from trytond.modules.cocagne_base.tests.tools import StackTestMixin
from trytond.modules.cocagne_tournees import round_map, routes
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, _DBTestCase, with_transaction
from trytond.transaction import Transaction
from trytond.wsgi import app

from .test_module import VILLAGES, create_round

SVG = '{http://www.w3.org/2000/svg}'


def sample(names=None):
    """The start, stops and end of a round of ten stops around Besançon,
    the start and the end at the garden."""
    villages = [
        ("Mairie d’École-Valentin", 47.2776, 5.9920, None),
        ("Place de Miserey", 47.2905, 5.9689, "AMAP des Salines"),
        ("Église de Pirey", 47.2611, 5.9658, None),
        ("Marché de Planoise", 47.2237, 5.9764, "Épicerie solidaire"),
        ("Parking de Beure", 47.2069, 6.0039, None),
        ("Salle de Morre", 47.2244, 6.0713, "Dupont & Fils"),
        ("Place de Montfaucon", 47.2381, 6.0808, None),
        ("Gare de Chalezeule", 47.2627, 6.0709, "Mme Martin"),
        ("Centre de Thise", 47.2803, 6.0822, None),
        ("Place de Bregille", 47.2440, 6.0500, None),
        ]
    departure = dt.datetime.combine(dt.date.min, dt.time(8, 0))
    garden = round_map.Point(
        "Jardin de Cocagne", (47.2440, 6.0200), departure.time())
    stops = [
        round_map.Point(place, (lat, lon),
            (departure + dt.timedelta(minutes=12 + 22 * i)).time(),
            window_start=dt.time(9, 0) if i == 3 else None,
            window_end=dt.time(10, 30) if i in {3, 6} else None,
            pinned=i == 4, party=party)
        for i, (place, lat, lon, party) in enumerate(villages, 1)]
    end = garden._replace(
        arrival=(departure + dt.timedelta(minutes=270)).time())
    return garden, stops, end


def render_sample(**values):
    start, stops, end = sample()
    return round_map.render("Tournée du mardi", "Jardin de Besançon",
        start, stops, end, printed="24/12/2025", distance=48.3,
        duration=dt.timedelta(minutes=270), **values)


class RoundMapTestCase(unittest.TestCase):
    "Test the map of a round without database"

    def test_project_relative_positions(self):
        """The projection keeps north up, east right and the same scale on
        both axes (longitudes shortened by the cosine of the latitude)"""
        centre, north, east = (47.0, 6.0), (47.1, 6.0), (47.0, 6.1)
        xy = round_map.project([centre, north, east, None], 800, 560, 30)
        (cx, cy), (nx, ny), (ex, ey), missing = xy
        self.assertIsNone(missing)
        self.assertLess(ny, cy)
        self.assertAlmostEqual(nx, cx, delta=0.1)
        self.assertGreater(ex, cx)
        self.assertAlmostEqual(ey, cy, delta=0.1)
        cos = math.cos(math.radians((47.0 + 47.1 + 47.0) / 3))
        self.assertAlmostEqual((ex - cx) / (cy - ny), cos, places=2)
        for x, y in xy[:3]:
            self.assertTrue(30 <= x <= 770 and 30 <= y <= 530, (x, y))

    def test_project_centred_and_single(self):
        "One point, or none, still gives positions in the box"
        self.assertEqual(round_map.project([(47, 6)], 800, 560),
            [(400.0, 280.0)])
        self.assertEqual(round_map.project([None, None]), [None, None])
        (x1, y1), (x2, y2) = round_map.project(
            [(47, 6), (47, 7)], 800, 560, 40)
        self.assertEqual((x1, x2, y1, y2), (40, 760, 280, 280))

    def test_scale_bar(self):
        "The scale bar is a round length in kilometres at the plot's scale"
        points = [(47.0, 6.0), (47.0, 7.0)]
        km, pixels = round_map.scale_bar(points, 800, 560, 40)
        # 1° of longitude at 47° is 75.8 km over 720 px: 10 km would be
        # less than an eighth of the width
        self.assertEqual(km, 20)
        self.assertAlmostEqual(pixels, 720 / 75.84 * 20, delta=1)
        self.assertIsNone(round_map.scale_bar([(47, 6), (47, 6)]))

    def test_plot_numbers_in_order(self):
        """The plot has the stops numbered in the order of the round, the
        start marked and the path through the places in that order"""
        start, stops, end = sample()
        svg = ET.fromstring(round_map.plot(start, stops, end))
        labels = [g.find(SVG + 'text').text
            for g in svg.iter(SVG + 'g') if 'marker' in g.get('class')]
        # the start is drawn last, over the stops
        self.assertEqual(labels, [str(i) for i in range(1, 11)] + ['D'])
        polyline, = svg.iter(SVG + 'polyline')
        path = [tuple(map(float, p.split(',')))
            for p in polyline.get('points').split()]
        self.assertEqual(path, round_map.project(
                [p.coordinates for p in [start, *stops, end]]))
        circles = [(float(c.get('cx')), float(c.get('cy')))
            for c in svg.iter(SVG + 'circle')]
        self.assertEqual(circles, path[1:-1])
        # west of the garden, north of it: Miserey (2)
        self.assertLess(circles[1][0], path[0][0])
        self.assertLess(circles[1][1], path[0][1])

    def test_markers_end_elsewhere(self):
        "A round that ends elsewhere has its end marked A"
        start, stops, end = sample()
        end = end._replace(place="Dépôt", coordinates=(47.25, 6.03))
        labels = [m[0] for m in round_map.markers(start, stops, end)]
        self.assertEqual(labels, ['D', *map(str, range(1, 11)), 'A'])
        data = round_map.map_data(start, stops[:2], end)
        self.assertEqual([m['label'] for m in data['markers']],
            ['D', '1', '2', 'A'])
        self.assertEqual(data['path'][-1], [47.25, 6.03])

    def test_place_without_coordinates(self):
        "A place without coordinates is listed but not drawn"
        start, stops, end = sample()
        stops[2] = stops[2]._replace(coordinates=None)
        page = round_map.render("R", "G", start, stops, end, printed="x")
        self.assertIn("Église de Pirey <em class=\"warning\">"
            "(sans coordonnées)</em>", page)
        svg = ET.fromstring(round_map.plot(start, stops, end))
        self.assertEqual(len(list(svg.iter(SVG + 'circle'))), 9)

    def test_page(self):
        """The page has the title, the garden, the totals, the list of the
        stops and loads Leaflet from the server only"""
        page = render_sample()
        self.assertIn('<html lang="fr">', page)
        self.assertIn("<title>Tournée du mardi – carte", page)
        self.assertIn("Jardin de Besançon", page)
        self.assertIn("<b>48,3 km</b>", page)
        self.assertIn("<b>4 h 30</b>", page)
        self.assertIn("Imprimé le 24/12/2025", page)
        self.assertIn("@media print", page)
        self.assertIn("size: A4", page)
        rows = re.findall(r'<tr class="(\w+)">(.*?)</tr>', page)
        self.assertEqual([k for k, _ in rows],
            ['start'] + ['stop'] * 3 + ['pinned'] + ['stop'] * 6 + ['end'])
        third = rows[3][1]
        self.assertIn('>3</span>', third)
        self.assertIn("Église de Pirey", third)
        self.assertIn("09:18", third)
        self.assertIn("09:00 – 10:30", third)
        self.assertIn("✓", rows[4][1])
        self.assertIn("jusqu’à 10:30", rows[6][1])
        self.assertIn("Dupont &amp; Fils", rows[6][1])
        sources = re.findall(r'(?:src|href)="([^"]*)"', page)
        self.assertEqual(sources, [
                '/cocagne/static/leaflet/leaflet.css',
                '/cocagne/static/leaflet/leaflet.js'])
        self.assertIn(
            '"tiles": "https://tile.openstreetmap.org/{z}/{x}/{y}.png"', page)
        self.assertIn("OpenStreetMap", page)
        self.assertNotIn('$', page)

    def test_escaping(self):
        "Names are escaped in the list, the plot and the data of the map"
        start, stops, end = sample()
        stops[0] = stops[0]._replace(place="Ferme <b>Roux</b> & fils",
            party="</script><script>alert(1)</script>")
        page = round_map.render("<i>Tournée</i> & co", "G & H",
            start, stops, end, printed="x")
        self.assertIn("<h1>&lt;i&gt;Tournée&lt;/i&gt; &amp; co</h1>", page)
        self.assertIn("Ferme &lt;b&gt;Roux&lt;/b&gt; &amp; fils", page)
        self.assertNotIn("<b>Roux", page)
        self.assertNotIn("<script>alert", page)
        self.assertEqual(page.count('</script>'), 3)
        data = re.search(r'id="round-data">(.*?)</script>', page).group(1)
        self.assertIn(r'Ferme \u003cb\u003eRoux', data)
        ET.fromstring(round_map.plot(start, stops, end))

    def test_installed(self):
        "The Leaflet that `make setup` installs is served"
        root = routes.leaflet_root()
        if not root or not (root / 'leaflet.js').exists():
            self.skipTest("Leaflet is not installed (make setup)")
        response = Client(app).get('/cocagne/static/leaflet/leaflet.js')
        self.assertEqual(response.status_code, 200)
        self.assertIn(b'Leaflet', response.get_data()[:200])
        response.close()


class LeafletRouteTestCase(unittest.TestCase):
    "Test the route of Leaflet's files"

    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.root = Path(folder.name) / 'dist'
        (self.root / 'images').mkdir(parents=True)
        (self.root / 'leaflet.js').write_text('window.L = {};')
        (self.root / 'leaflet.css').write_text('.leaflet-pane {}')
        (self.root / 'images' / 'marker-icon.png').write_bytes(b'\x89PNG')
        (Path(folder.name) / 'secret.txt').write_text('secret')
        patcher = patch.object(routes, 'leaflet_root', return_value=self.root)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.client = Client(app)

    def test_files(self):
        "The files are served with their type and cached"
        for name, type_ in [
                ('leaflet.js', 'text/javascript'),
                ('leaflet.css', 'text/css'),
                ('images/marker-icon.png', 'image/png'),
                ]:
            response = self.client.get('/cocagne/static/leaflet/' + name)
            self.assertEqual(response.status_code, 200, name)
            self.assertEqual(response.mimetype, type_)
            self.assertIn('max-age=604800', response.headers['Cache-Control'])
            response.close()
        response = self.client.get('/cocagne/static/leaflet/leaflet.js')
        self.assertEqual(response.get_data(), b'window.L = {};')
        response.close()

    def test_outside(self):
        "Nothing else is served"
        for path in ['missing.js', 'images', '../secret.txt',
                '%2e%2e/secret.txt', 'images/../../secret.txt',
                '/etc/passwd']:
            response = self.client.get(
                '/cocagne/static/leaflet/' + path, follow_redirects=True)
            self.assertEqual(response.status_code, 404, path)
            self.assertNotIn(b'secret', response.get_data())
            response.close()


class RoundMapPageTestCase(StackTestMixin, _DBTestCase):
    "Test the map page of a round"
    module = 'cocagne_tournees'

    @with_transaction()
    def test_map_page(self):
        """The key of the Map button opens the page of the round, with its
        stops in order and their planned arrival"""
        Round = Pool().get('cocagne.round')
        company = create_company()
        with set_company(company):
            round_ = create_round(company)
            Round.show_map([round_])
            key = round_.map_key
            page = routes.map_page(round_, key)
        self.assertIn("<h1>Tournée du mardi</h1>", page)
        self.assertIn(company.rec_name, page)
        names = re.findall(r'<td>(Place de \w+)', page)
        self.assertEqual(names, [v[0] for v in VILLAGES])
        # 20.4 km as the crow flies to Roulans (test_module)
        self.assertIn('<td class="time">08:40</td>', page)
        self.assertIn('<td class="time">08:00</td>', page)
        self.assertEqual(page.count('<circle '), len(VILLAGES))
        today = Pool().get('ir.lang').get('fr').strftime(dt.date.today())
        self.assertIn(f"Imprimé le {today}", page)

    @with_transaction()
    def test_map_page_key(self):
        "The page needs the current key, before it expires"
        Round = Pool().get('cocagne.round')
        company = create_company()
        with set_company(company):
            round_ = create_round(company)
            for key in [None, '', 'wrong']:
                with self.assertRaises(Forbidden):
                    routes.map_page(round_, key)
            Round.show_map([round_])
            key = round_.map_key
            with self.assertRaises(Forbidden):
                routes.map_page(round_, key[:-1])
            round_.map_key_expiry = dt.datetime.now() - dt.timedelta(
                minutes=1)
            round_.save()
            with self.assertRaises(Forbidden):
                routes.map_page(round_, key)

    def test_route(self):
        """The route shows the page to the key of the Map button, refuses
        another key and answers 404 for an unknown round or database (the
        route opens its own transaction: the round is committed, last test
        of the class)"""
        with Transaction().start(DB_NAME, 0) as transaction:
            Round = Pool().get('cocagne.round')
            company = create_company()
            with set_company(company):
                round_ = create_round(company, name="Tournée <Est>")
                Round.show_map([round_])
            url = f'/{DB_NAME}/cocagne/round/{round_.id}/map'
            key = round_.map_key
            transaction.commit()
        client = Client(app)
        response = client.get(url, query_string={'key': key})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.mimetype, 'text/html')
        self.assertIn('no-store', response.headers['Cache-Control'])
        self.assertIn("<h1>Tournée &lt;Est&gt;</h1>", response.get_data(True))
        response.close()
        for url, status in [
                (url + '?key=wrong', 403),
                (url, 403),
                (f'/{DB_NAME}/cocagne/round/999999/map?key={key}', 404),
                (f'/no_such_database/cocagne/round/{round_.id}/map'
                    f'?key={key}', 404),
                ]:
            response = client.get(url)
            self.assertEqual(response.status_code, status, url)
            response.close()


del _DBTestCase

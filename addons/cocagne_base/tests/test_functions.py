"Unit tests of the pure functions, without database"
import datetime as dt
import unittest

from trytond.modules.cocagne_base import geo, organic
from trytond.modules.cocagne_base.period import overlaps

D = dt.date


class GeoTestCase(unittest.TestCase):

    def test_ranges(self):
        for value in [None, -90, 0, 45.5, 90]:
            self.assertTrue(geo.valid_latitude(value), value)
        for value in [-90.0001, 90.5, 123]:
            self.assertFalse(geo.valid_latitude(value), value)
        for value in [None, -180, 180, 2.35]:
            self.assertTrue(geo.valid_longitude(value), value)
        for value in [-181, 180.01]:
            self.assertFalse(geo.valid_longitude(value), value)

    def test_haversine(self):
        paris, lyon = (48.8566, 2.3522), (45.7640, 4.8357)
        self.assertAlmostEqual(geo.haversine(*paris, *lyon), 391.5, delta=1)
        self.assertAlmostEqual(
            geo.haversine(*paris, *lyon), geo.haversine(*lyon, *paris))
        self.assertEqual(geo.haversine(*paris, *paris), 0)
        # a quarter of the equator
        self.assertAlmostEqual(
            geo.haversine(0, 0, 0, 90), geo.EARTH_RADIUS_KM * 3.14159 / 2,
            delta=0.1)
        # antipodes do not overflow asin
        self.assertAlmostEqual(
            geo.haversine(0, 0, 0, 180), geo.EARTH_RADIUS_KM * 3.14159,
            delta=0.1)

    def test_map_url(self):
        self.assertEqual(geo.map_url(47.25, 6.0333),
            'https://www.openstreetmap.org/?mlat=47.250000&mlon=6.033300'
            '#map=15/47.250000/6.033300')
        self.assertIsNone(geo.map_url(None, 6.0))

    def test_distance_unknown(self):
        self.assertAlmostEqual(
            geo.distance((48.8566, 2.3522), (45.7640, 4.8357), ndigits=1),
            391.5, delta=1)
        self.assertIsNone(geo.distance(None, (1, 2), ndigits=1))
        self.assertIsNone(geo.distance(None, (1, 2)))
        self.assertIsNone(geo.distance((1, 2), (None, 2)))
        self.assertEqual(geo.distance((1, 2), (1, 2)), 0)


class OrganicTestCase(unittest.TestCase):

    def test_certifier_code(self):
        for code in ['FR-BIO-01', 'FR-BIO-10', 'FR-BIO-16']:
            self.assertTrue(organic.valid_certifier_code(code), code)
        for code in [None, '', 'FR-BIO-1', 'FR-BIO-001', 'fr-bio-01',
                'FR-BIO-AB', 'FR BIO 01', ' FR-BIO-01', 'BE-BIO-01']:
            self.assertFalse(organic.valid_certifier_code(code), code)

    def test_certificate_state(self):
        start, end = D(2026, 1, 1), D(2026, 12, 31)
        cases = [
            (D(2025, 12, 31), 'future'),
            (D(2026, 1, 1), 'valid'),
            (D(2026, 11, 1), 'expiring'),  # 60 days before the end
            (D(2026, 10, 31), 'valid'),
            (D(2026, 12, 31), 'expiring'),
            (D(2027, 1, 1), 'expired'),
            ]
        for today, state in cases:
            with self.subTest(today=today):
                self.assertEqual(
                    organic.certificate_state(start, end, today), state)

    def test_covers(self):
        periods = [(D(2026, 1, 1), D(2026, 3, 31)),
            (D(2026, 5, 1), D(2026, 5, 31))]
        self.assertTrue(organic.covers(periods, D(2026, 3, 31)))
        self.assertFalse(organic.covers(periods, D(2026, 4, 15)))
        self.assertTrue(organic.covers(periods, D(2026, 5, 1)))
        self.assertFalse(organic.covers([], D(2026, 5, 1)))

    def test_producer_state(self):
        today = D(2026, 6, 1)
        expiring = (D(2025, 6, 1), D(2026, 6, 30))
        renewal = (D(2026, 7, 1), D(2027, 6, 30))
        expired = (D(2024, 6, 1), D(2025, 5, 31))
        self.assertIsNone(organic.producer_state([], today))
        self.assertEqual(
            organic.producer_state([expiring], today), 'expiring')
        self.assertEqual(
            organic.producer_state([expiring, renewal], today), 'valid')
        self.assertEqual(
            organic.producer_state([expired], today), 'expired')
        self.assertEqual(
            organic.producer_state([expired, renewal], today), 'future')


class PeriodTestCase(unittest.TestCase):

    def test_overlaps(self):
        self.assertTrue(overlaps(D(2026, 1, 1), None, D(2030, 1, 1), None))
        self.assertTrue(overlaps(
                D(2026, 1, 1), D(2026, 6, 30), D(2026, 6, 30), None))
        self.assertFalse(overlaps(
                D(2026, 1, 1), D(2026, 6, 30), D(2026, 7, 1), None))
        self.assertFalse(overlaps(
                D(2026, 7, 1), None, D(2026, 1, 1), D(2026, 6, 30)))

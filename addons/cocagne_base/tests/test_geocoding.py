"Unit tests of the geocoding functions, without database nor network"
import io
import json
import unittest
import urllib.parse
from pathlib import Path
from unittest.mock import patch

from trytond.modules.cocagne_base import geocoding

HERE = Path(__file__).parent


def recorded(name='geocoding_answer.json'):
    "The answer of the geocoder recorded in a file of the tests."
    return json.loads((HERE / name).read_text(encoding='utf-8'))


class GeocodingTestCase(unittest.TestCase):

    def test_address_query(self):
        self.assertEqual(
            geocoding.address_query(
                "18 rue de Vesoul\n Bâtiment B ", '25000', "Besançon"),
            "18 rue de Vesoul Bâtiment B 25000 Besançon")
        self.assertEqual(
            geocoding.address_query(None, None, "Ornans"), "Ornans")
        self.assertEqual(geocoding.address_query("2 rue", ' ', None), '')

    def test_search_url(self):
        url = geocoding.search_url("18 rue de Vesoul 25000 Besançon")
        base, query = url.split('?')
        self.assertEqual(base, 'https://data.geopf.fr/geocodage/search')
        self.assertEqual(urllib.parse.parse_qs(query), {
                'q': ["18 rue de Vesoul 25000 Besançon"],
                'index': ['address'],
                'limit': ['1'],
                'autocomplete': ['0'],
                })

    def test_best_match(self):
        "GeoJSON gives [longitude, latitude]"
        match = geocoding.best_match(recorded())
        self.assertEqual(match, geocoding.Match(
                47.254033, 6.044512, "18 Rue de Vesoul 25000 Besançon",
                0.9721363636363636))
        self.assertGreaterEqual(match.score, geocoding.MIN_SCORE)
        uncertain = geocoding.best_match(
            recorded('geocoding_answer_uncertain.json'))
        self.assertLess(uncertain.score, geocoding.MIN_SCORE)

    def test_best_match_none(self):
        for answer in [
                None, {}, {'type': 'FeatureCollection', 'features': []},
                {'features': [{'geometry': None}]}]:
            self.assertIsNone(geocoding.best_match(answer), answer)

    def test_fetch(self):
        "One GET with a User-Agent and a timeout; the network is mocked"
        body = io.BytesIO(json.dumps(recorded()).encode('utf-8'))
        with patch('urllib.request.urlopen', return_value=body) as urlopen:
            self.assertEqual(geocoding.fetch("Besançon"), recorded())
        (request,), kwargs = urlopen.call_args
        self.assertEqual(kwargs, {'timeout': geocoding.TIMEOUT})
        self.assertEqual(request.full_url, geocoding.search_url("Besançon"))
        self.assertEqual(
            request.get_header('User-agent'), geocoding.USER_AGENT)

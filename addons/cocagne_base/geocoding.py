# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Geocoding of French addresses by the national address base (BAN),
through the geocoder of the IGN Géoplateforme; free of any Tryton import.

Only `fetch` reaches the network: tests replace it with a recorded answer.
"""
import json
import urllib.parse
import urllib.request
from collections import namedtuple

SEARCH_URL = 'https://data.geopf.fr/geocodage/search'
TIMEOUT = 5  # seconds
USER_AGENT = 'Cocagne/8.0 (Tryton; Jardins de Cocagne)'
# A score below it means the geocoder guessed rather than found the address.
MIN_SCORE = 0.5
# ISO codes of the countries of Tryton's list that the BAN covers: France
# and its overseas departments and collectivities.
BAN_COUNTRIES = {'FR', 'GP', 'MQ', 'GF', 'RE', 'YT', 'PM', 'BL', 'MF'}

Match = namedtuple('Match', ['latitude', 'longitude', 'label', 'score'])


def address_query(street, postal_code, city):
    """Return the address as one line for the geocoder, or '' when it has
    neither postal code nor city to anchor it."""
    if not (postal_code or '').strip() and not (city or '').strip():
        return ''
    parts = [' '.join((street or '').split()), postal_code, city]
    return ' '.join(p.strip() for p in parts if p and p.strip())


def search_url(query):
    "Return the address of the search for the single best address match."
    return SEARCH_URL + '?' + urllib.parse.urlencode({
            'q': query,
            'index': 'address',
            'limit': 1,
            'autocomplete': 0,
            })


def fetch(query, timeout=TIMEOUT):
    """Return the decoded JSON answer of the geocoder to query.

    Raise OSError when the service cannot be reached or answers with an
    HTTP error, ValueError when its answer is not JSON."""
    request = urllib.request.Request(search_url(query), headers={
            'User-Agent': USER_AGENT,
            'Accept': 'application/json',
            })
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.load(response)


def best_match(answer):
    """Return the first Match of a GeoJSON answer, None when it has none.

    GeoJSON gives the point as [longitude, latitude]."""
    for feature in (answer or {}).get('features') or []:
        try:
            longitude, latitude = feature['geometry']['coordinates'][:2]
        except (KeyError, TypeError, ValueError):
            continue
        properties = feature.get('properties') or {}
        return Match(
            round(float(latitude), 6), round(float(longitude), 6),
            properties.get('label', ''), float(properties.get('score', 0)))
    return None

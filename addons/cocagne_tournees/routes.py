"""HTTP routes of the rounds: the map of a round and Leaflet's files."""
import datetime as dt
import os
from pathlib import Path

from werkzeug.security import safe_join
from werkzeug.utils import send_file

from trytond import config
from trytond.pool import Pool
from trytond.protocols.wrappers import (
    HTTPStatus, Response, abort, with_pool, with_transaction)
from trytond.transaction import Transaction
from trytond.wsgi import app

from . import round_map
from .round import clock

LEAFLET_URL = '/cocagne/static/leaflet'
LEAFLET_MAX_AGE = 7 * 24 * 60 * 60


def leaflet_root():
    """The folder of leaflet.js, leaflet.css and images/: the option
    leaflet of the section cocagne of the configuration, else the dist/ that
    `make setup` installs (cocagne.leaflet), None when unknown."""
    folder = config.get('cocagne', 'leaflet', default=None)
    if folder:
        return Path(folder)
    try:
        from cocagne.leaflet import LEAFLET_ROOT
    except ImportError:
        return None
    return LEAFLET_ROOT / 'dist'


@app.route(LEAFLET_URL + '/<path:name>', methods={'GET'})
def leaflet(request, name):
    "A file of Leaflet, for the maps of the rounds: never from a CDN."
    root = leaflet_root()
    path = safe_join(str(root), name) if root else None
    if not path or not os.path.isfile(path):
        abort(HTTPStatus.NOT_FOUND)
    return send_file(path, request.environ, max_age=LEAFLET_MAX_AGE)


@app.route('/<database_name>/cocagne/round/<int:round_id>/map',
    methods={'GET'})
@with_pool
@with_transaction()
def round_map_page(request, pool, round_id):
    """The map of the round to whoever has the key of the address that its
    Map button gives (the route runs as root, so only that round)."""
    try:
        Round = pool.get('cocagne.round')
    except KeyError:
        abort(HTTPStatus.NOT_FOUND)
    with Transaction().set_context(active_test=False):
        rounds = Round.search([('id', '=', round_id)], limit=1)
    if not rounds:
        abort(HTTPStatus.NOT_FOUND)
    round_, = rounds
    response = Response(
        map_page(round_, request.args.get('key')), mimetype='text/html')
    response.headers['Cache-Control'] = 'private, no-store'
    response.headers['Referrer-Policy'] = 'no-referrer'
    return response


def map_page(round_, key):
    """The HTML page of the map of round_, in French (the language of the
    garden, else French, only formats the date); Forbidden unless key opens
    the map."""
    if not round_.check_map_key(key):
        abort(HTTPStatus.FORBIDDEN)
    Lang = Pool().get('ir.lang')
    party = round_.company.party
    code = party.lang.code if getattr(party, 'lang', None) else 'fr'
    lang = Lang.get(code)
    plan, _ = round_.plan() or (None, None)

    def arrival(index):
        if plan:
            return clock(round_.departure, plan.arrivals[index])

    def point(place, index):
        return round_map.Point(place.name, place.coordinates, arrival(index))
    stops = [
        round_map.Point(
            stop.place.name, stop.place.coordinates, arrival(index),
            window_start=stop.window_start, window_end=stop.window_end,
            pinned=stop.pinned,
            party=stop.party.rec_name if stop.party else None)
        for index, stop in enumerate(round_.stops, 1)]
    start = point(round_.start_place, 0)._replace(arrival=round_.departure)
    end = point(round_.end_place, len(stops) + 1)
    return round_map.render(
        round_.name, round_.company.rec_name, start, stops, end,
        printed=lang.strftime(dt.date.today()),
        distance=round_.distance, duration=round_.duration,
        lang=code.split('_')[0], leaflet=LEAFLET_URL)

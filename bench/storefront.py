"""Storefront of the Cocagne Bio shop: its catalogue page served under load
against a bare route of the same server, and its queries per page.

Activates the modules of the tests (every Cocagne module and sale_point, in
French: the database cached for `cocagne test` serves here too) in a test
database on PostgreSQL (TRYTOND_DATABASE__URI when it names a PostgreSQL
server, else the local one: the server's processes need a database they
can share, not SQLite in memory) and builds, seeded and committed, a
garden with its shop (the tests' setup_shop), 30 partner farms (a third of
them certified organic), 500 of their products in 6 categories (some
organic, some with an allergen, half of the offers capped), a pickup
place (by bench/_shop.py, as for bench cycle) and two open cycles with a
fee per order: one of the 500 offers, one of 10. Measured:

1. queries, in this process (werkzeug's test client on trytond's WSGI
   application, as user 0 as the pages run): the SQL queries of one request
   of the catalogue page (/<db>/cocagne-bio/<shop>/livraison/<cycle>/,
   its first page of 30 offers) of the cycle of 10 offers and of the one of
   500, counted with the catalogue's caches of this process emptied first
   (its data built, its page rendered), then once more with the caches
   filled by that request. Goal: the same number for 10 and for 500
   offers, both ways (else the queries that differ are printed). The time
   of a request of each route through the test client, caches filled,
   without the network, is printed too;
2. load: the database served as production serves it (docker/entrypoint.sh
   app: gunicorn, 2 workers, on a free loopback port); once each worker
   has answered every route once, from CONNECTIONS client processes of
   their own (http.client, a request after the other on each connection;
   gunicorn's workers close every connection, so each request opens its
   own) for WARMUP s not counted then SECONDS / ROUNDS s, route after
   route, ROUNDS times (so that the other jobs of the machine weigh alike
   on every route): the requests per second, median and p95 latency of
   (a) /cocagne-bio/static/shop.css, the reference: a bare trytond route
       of the same server serving a static file (werkzeug's send_file, no
       database);
   (b) the catalogue page of the cycle of 500 offers (page 1);
   (c) the catalogue page of the cycle of 10 offers;
   (d) the JSON catalogue of the cycle of 500 offers
       (/<db>/cocagne-bio/<shop>/cycle/<cycle>/catalogue, cached too).
   Every answer must be a 200. Goal: (b) ≥ 0.5 × the requests per second
   of (a).

BENCH_STOREFRONT_SECONDS (15) sets the measured seconds of each route;
BENCH_STOREFRONT_PROFILE=1 also prints a cProfile of PROFILED requests of
the catalogue page of 500 offers in this process. The server is stopped
and the database dropped at the end.
"""
import http.client
import json
import os
import sys
import time
from urllib.parse import urlsplit

LOAD = '--load'


def load(url, start_at, warmup, seconds):
    """A client process: GET url one request after the other from start_at
    (time.time()) for warmup + seconds; print as JSON the latencies of the
    requests started after the warm-up, the errors and the first of them."""
    parts = urlsplit(url)
    path = parts.path + (f'?{parts.query}' if parts.query else '')
    measured_from, end = start_at + warmup, start_at + warmup + seconds
    latencies, errors, first_error = [], 0, None
    connection = http.client.HTTPConnection(parts.hostname, parts.port,
        timeout=120)
    time.sleep(max(0, start_at - time.time()))
    while (now := time.time()) < end:
        start = time.perf_counter()
        try:
            connection.request('GET', path)
            response = connection.getresponse()
            body = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            status, body = None, repr(error).encode()
        elapsed = time.perf_counter() - start
        if status != 200:
            errors += 1
            first_error = first_error or f'{status}: {body[:300]!r}'
        elif now >= measured_from:
            latencies.append(elapsed)
    connection.close()
    print(json.dumps({'latencies': latencies, 'errors': errors,
                'first_error': first_error}))


if __name__ == '__main__' and sys.argv[1:2] == [LOAD]:
    # a client process of measure(): nothing of trytond to import
    url, start_at, warmup, seconds = sys.argv[2:]
    load(url, float(start_at), float(warmup), float(seconds))
    sys.exit(0)

import cProfile  # noqa: E402
import io  # noqa: E402
import math  # noqa: E402
import pstats  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

# served by processes of their own: a database on a PostgreSQL server
PG_URI = 'postgresql://postgres@127.0.0.1:5432/'
if not os.environ.get('TRYTOND_DATABASE__URI', '').startswith('postgresql'):
    os.environ['TRYTOND_DATABASE__URI'] = PG_URI

from _database import use_test_database  # noqa: E402
from _shop import (  # noqa: E402
    make_shop, order_fee, print_differing, query_text)

BACKEND = use_test_database('storefront')

from trytond.tests.test_tryton import (  # noqa: E402
    DB_NAME, drop_db, with_transaction)

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SEED = 17
FARMS = 30
CERTIFIED = 10            # farms with an organic certificate
PRODUCTS = 500
CYCLES = [500, 10]        # offers of the two open cycles
CATEGORIES = ["Légumes", "Fruits", "Crèmerie", "Boulangerie", "Épicerie",
    "Boissons"]
NAMES = ["Carottes", "Poireaux", "Pommes de terre", "Courgettes", "Tomates",
    "Salade", "Betteraves", "Oignons", "Potimarron", "Épinards", "Pommes",
    "Poires", "Fraises", "Yaourt", "Fromage de chèvre", "Beurre", "Pain",
    "Brioche", "Miel", "Confiture", "Lentilles", "Farine", "Jus de pomme",
    "Cidre", "Œufs"]
WORKERS = 2
CONNECTIONS = 4           # client processes, a connection each
WARMUP = 0.5              # seconds of each measure not counted
SECONDS = float(os.environ.get('BENCH_STOREFRONT_SECONDS', 15))
ROUNDS = 5                # measures of each route, SECONDS / ROUNDS each
IN_PROCESS = 20           # requests of each route timed in this process
PROFILED = 50
GOAL = 0.5                # catalogue page / static route, requests per second
STATIC = '/cocagne-bio/static/shop.css'


def build():
    """Make the garden, its shop, farms, products and the two open cycles,
    committed; return their ids."""
    from trytond.modules.cocagne_base.allergen import ALLERGENS
    from trytond.modules.cocagne_bio_shop.tests.tools import create_cycle
    from trytond.modules.company.tests import set_company
    from trytond.transaction import Transaction

    rng = random.Random(SEED)
    farm_of = [rng.randrange(FARMS) for _ in range(PRODUCTS)]
    garden = make_shop(FARMS, CERTIFIED, [{
                'name': f"{NAMES[i % len(NAMES)]} n°{i // len(NAMES) + 1}",
                'farm': farm_of[i],
                'organic': farm_of[i] < CERTIFIED and rng.random() < 0.7,
                'allergens': ([rng.choice(ALLERGENS)[0]]
                    if rng.random() < 0.25 else []),
                'category': rng.choice(CATEGORIES),
                } for i in range(PRODUCTS)],
        ["Halle du marché"], categories=CATEGORIES)
    shop = garden.shop
    with set_company(garden.company):
        offers = [(product, farm, f'{rng.randint(80, 900) / 100:.2f}',
                rng.choice([None, 20, 100]) if i % 2 else None)
            for i, (product, farm) in enumerate(garden.products)]
        cycles = [create_cycle(shop['shop'], f"Livraison de {n} produits",
                offers[:n], [(garden.places[0], None)]) for n in CYCLES]
        order_fee(shop, cycles)
        setup = {'shop': shop['shop'].id, 'cycles': [c.id for c in cycles]}
    Transaction().commit()
    return setup


def routes(setup):
    """{name: (label, path)} of the routes measured, paths on the served
    database."""
    shop, (big, small) = setup['shop'], setup['cycles']
    base = f'/{DB_NAME}/cocagne-bio/{shop}'
    return {
        'static': ("static route (shop.css)", STATIC),
        'page': (f"catalogue page, {CYCLES[0]} offers",
            f'{base}/livraison/{big}/'),
        'small': (f"catalogue page, {CYCLES[1]} offers",
            f'{base}/livraison/{small}/'),
        'json': (f"JSON catalogue, {CYCLES[0]} offers",
            f'{base}/cycle/{big}/catalogue'),
        }


def in_process(setup, profiling=False):
    """The requests of the routes through werkzeug's test client, in this
    process: check them; return {name: seconds per request} and [(offers,
    queries)] of the catalogue page of each cycle, counted once the caches
    are filled; print a cProfile of the page of 500 offers if profiling."""
    from werkzeug.test import Client
    from werkzeug.wrappers import Response

    from trytond.modules.cocagne_bio_shop.tests.tools import (
        counting_queries)
    from trytond.wsgi import app

    client = Client(app, Response)
    paths = routes(setup)

    def get(path):
        response = client.get(path)
        assert response.status_code == 200, (
            path, response.status_code, response.get_data(as_text=True))
        return response.get_data(as_text=True)

    for name, (_, path) in paths.items():
        get(path)   # the pool and the caches filled
    for name, offers in [('page', CYCLES[0]), ('small', CYCLES[1])]:
        html = get(paths[name][1])
        shown = html.count('<li class="offer">')
        assert shown == min(offers, 30), (name, shown)
        assert f'{offers} produits' in html, name
    assert len(json.loads(get(paths['json'][1]))['offers']) == CYCLES[0]
    times = {}
    for name, (_, path) in paths.items():
        start = time.perf_counter()
        for _ in range(IN_PROCESS):
            get(path)
        times[name] = (time.perf_counter() - start) / IN_PROCESS
    counts = {'cached': [], 'uncached': []}
    for name, offers in [('small', CYCLES[1]), ('page', CYCLES[0])]:
        for state in ['uncached', 'cached']:
            if state == 'uncached':
                clear_catalogue_caches()
            with counting_queries() as queries:
                get(paths[name][1])
            counts[state].append((offers, [query_text(q) for q in queries]))
    if profiling:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(PROFILED):
            get(paths['page'][1])
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats('cumulative').print_stats(60)
        stats.sort_stats('tottime').print_stats(30)
        print(f'   cProfile of {PROFILED} requests of the catalogue page of '
            f'{CYCLES[0]} offers:')
        print(out.getvalue())
    return times, counts


def clear_catalogue_caches():
    """Empty this process's caches of the catalogues (their data, and their
    pages where the storefront caches them), as a change of an offer does
    once its transaction is committed (which reaches the other processes
    later, by PostgreSQL's notifications)."""
    from trytond.cache import Cache
    for name, cache in list(Cache._instances.items()):
        if name.startswith('cocagne_bio_shop.catalogue'):
            cache._clear(DB_NAME)


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class Server:
    """The database served as production serves it (docker/entrypoint.sh
    app: gunicorn, WORKERS workers) on a free loopback port, in a session
    of its own, stopped at the exit of the with block."""

    def __init__(self):
        self.port = free_port()
        self.url = f'http://127.0.0.1:{self.port}'
        self.var = Path(tempfile.mkdtemp(prefix='cocagne-storefront-'))
        self.process = None

    def __enter__(self):
        from cocagne import sao
        from trytond import config
        env = {k: v for k, v in os.environ.items()
            if not k.startswith(('TRYTOND_', 'COCAGNE_', 'DB_'))
            or k == 'COCAGNE_MODULES'}
        env.update({'PATH': f'{BIN}{os.pathsep}{env["PATH"]}',
                'COCAGNE_VAR': str(self.var), 'COCAGNE_DATABASE': DB_NAME,
                'COCAGNE_BIND': f'127.0.0.1:{self.port}',
                'WEB_CONCURRENCY': str(WORKERS),
                'TRYTOND_DATABASE__URI': os.environ['TRYTOND_DATABASE__URI'],
                'TRYTOND_DATABASE__PATH': str(self.var / 'filestore'),
                # the test database's decimals of the prices (trytond
                # refuses to serve it with others), not production's 2
                'TRYTOND_PRODUCT__PRICE_DECIMAL': str(config.getint(
                        'product', 'price_decimal', default=4)),
                'TRYTOND_WEB__ROOT': str(sao.ensure(quiet=True))})
        self.log = open(self.var / 'gunicorn.log', 'wb')
        self.process = subprocess.Popen(
            ['sh', str(REPO / 'docker' / 'entrypoint.sh'), 'app'], env=env,
            stdout=subprocess.DEVNULL, stderr=self.log,
            start_new_session=True)
        return self

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.var, ignore_errors=True)

    def log_tail(self):
        self.log.flush()
        text = (self.var / 'gunicorn.log').read_text(errors='replace')
        # from the first error, which a stopping arbiter's follow
        return text[max(0, text.find('Traceback')):][:6000]

    def get(self, path):
        "The status of GET path on a connection of its own."
        connection = http.client.HTTPConnection('127.0.0.1', self.port,
            timeout=300)
        try:
            connection.request('GET', path)
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    def wait(self):
        "Wait until the server answers the static route (workers booted)."
        for _ in range(600):
            if self.process.poll() is not None:
                break
            try:
                if self.get(STATIC) == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f'gunicorn does not answer:\n{self.log_tail()}')

    def warm(self, paths):
        """Each route requested by CONNECTIONS requests at once, twice: a
        worker that takes a request serves no other until it is answered,
        so each worker answers each route (its caches filled)."""
        for path in paths:
            for _ in range(2):
                statuses = []
                threads = [threading.Thread(
                        target=lambda: statuses.append(self.get(path)))
                    for _ in range(CONNECTIONS)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                assert statuses == [200] * CONNECTIONS, (path, statuses)


def measure(url, seconds):
    """The latencies of the requests of GET url from CONNECTIONS client
    processes for seconds after WARMUP, and their errors [(status, text)]."""
    start_at = time.time() + 1   # the clients started meanwhile
    clients = [subprocess.Popen([sys.executable, __file__, LOAD, url,
                str(start_at), str(WARMUP), str(seconds)],
            stdout=subprocess.PIPE) for _ in range(CONNECTIONS)]
    latencies, errors = [], []
    for client in clients:
        out, _ = client.communicate(timeout=WARMUP + seconds + 300)
        result = json.loads(out)
        latencies += result['latencies']
        errors += [result['first_error']] * result['errors']
    return latencies, errors


def summary(latencies, seconds):
    "Requests per second, median and p95 latency."
    latencies = sorted(latencies)
    return {
        'rps': len(latencies) / seconds,
        'count': len(latencies),
        'p50': statistics.median(latencies) if latencies else math.inf,
        'p95': (statistics.quantiles(latencies, n=20)[-1]
            if len(latencies) > 1 else math.inf),
        }


def main():
    from trytond.modules.cocagne_base.tests.tools import activate_stack

    # a database of its own, from scratch (PostgreSQL keeps the last one)
    drop_db()
    start = time.perf_counter()
    activate_stack()
    print(f'database of the tests\' modules ready in '
        f'{time.perf_counter() - start:.1f} s ({BACKEND}, {DB_NAME})',
        flush=True)
    start = time.perf_counter()
    setup = with_transaction()(build)()
    print(f'garden, shop, {FARMS} farms ({CERTIFIED} certified organic), '
        f'{PRODUCTS} products in {len(CATEGORIES)} categories, open cycles '
        f'of {CYCLES[0]} and {CYCLES[1]} offers made in '
        f'{time.perf_counter() - start:.1f} s (seed {SEED})', flush=True)
    paths = routes(setup)

    print('1. in this process (werkzeug\'s test client)')
    times, counts = in_process(setup,
        profiling=bool(os.environ.get('BENCH_STOREFRONT_PROFILE')))
    for name, (label, _) in paths.items():
        print(f'   {label:32} {times[name] * 1000:7.1f} ms a request '
            '(caches filled)')
    queries_ok = True
    for state, label in [('cached', 'caches filled'),
            ('uncached', "the catalogue's caches emptied first")]:
        (_, few), (_, many) = counts[state]
        print(f'   queries of the catalogue page, {label}: '
            f'{len(few)} for {CYCLES[1]} offers, {len(many)} for '
            f'{CYCLES[0]}')
        if len(few) != len(many):
            queries_ok = False
            print_differing(few, many, CYCLES[0])
    print(f'   same number: {"ok" if queries_ok else "MISSED"}', flush=True)

    print(f'2. served: gunicorn, {WORKERS} workers, on loopback; '
        f'{CONNECTIONS} client processes, {ROUNDS} rounds of '
        f'{SECONDS / ROUNDS:.0f} s a route ({WARMUP} s of warm-up each)')
    latencies = {name: [] for name in paths}
    errors = {name: [] for name in paths}
    ratios = []
    with Server() as server:
        start = time.perf_counter()
        server.wait()
        server.warm([path for _, path in paths.values()])
        print(f'   server up and warm in {time.perf_counter() - start:.1f} s '
            f'({server.url})', flush=True)
        for round_ in range(ROUNDS):
            rps = {}
            for name, (_, path) in paths.items():
                measured, failed = measure(server.url + path,
                    SECONDS / ROUNDS)
                latencies[name] += measured
                errors[name] += failed
                rps[name] = len(measured) / (SECONDS / ROUNDS)
            ratios.append(rps['page'] / rps['static'] if rps['static']
                else 0)
            print(f'   round {round_ + 1}: '
                + ', '.join(f'{name} {value:.0f}'
                    for name, value in rps.items())
                + f' requests/s; page / static {ratios[-1]:.2f} ×',
                flush=True)
    results = {name: summary(latencies[name], SECONDS) for name in paths}
    for name, (label, _) in paths.items():
        result = results[name]
        print(f'   {label:32} {result["rps"]:7.1f} requests/s '
            f'({result["count"]}), median {result["p50"] * 1000:6.1f} ms, '
            f'p95 {result["p95"] * 1000:6.1f} ms, '
            f'{len(errors[name])} errors')
        if errors[name]:
            print(f'      first error: {errors[name][0]}')
    errors = sum(len(e) for e in errors.values())
    ratio = (results['page']['rps'] / results['static']['rps']
        if results['static']['rps'] else 0)
    ratio_ok = ratio >= GOAL and not errors
    print(f'   catalogue page / static route: {ratio:.2f} × (goal >= {GOAL} '
        f'×) {"ok" if ratio_ok else "MISSED"}'
        + (f', {errors} errors' if errors else ''))

    ok = ratio_ok and queries_ok
    queries = ', '.join(f'{len(few)} and {len(many)} {state}'
        for state, ((_, few), (_, many)) in counts.items())
    print(f'RESULT storefront: catalogue page {ratio:.2f}× the static route, '
        f'p95 {results["page"]["p95"] * 1000:.0f} ms, queries {queries} '
        f'(goal >= {GOAL}×, equal queries) {"ok" if ok else "MISSED"}')
    return ok


if __name__ == '__main__':
    ok = False
    try:
        ok = main()
    finally:
        drop_db()
    sys.exit(0 if ok else 1)

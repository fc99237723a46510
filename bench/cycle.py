"""Order cycles of the Cocagne Bio shop: closing a cycle against confirming
as many plain sales, and the queries of the storefront's catalogue.

Activates the modules of the tests (every Cocagne module and sale_point, in
French: the database cached for `cocagne test` serves here too) in a test
database (SQLite in memory unless TRYTOND_DATABASE__URI says PostgreSQL)
and builds, seeded and committed, a garden with its shop (the tests'
setup_shop), 30 partner farms (address, email, a third of them certified
organic), 500 of their products and 3 pickup places without capacity (by
bench/_shop.py, as for bench storefront), and 4,000 customers. Measured:

1. close: two open cycles of the same 120 offers (4 per farm, bought from
   the farm, half of them with a cap too large to be reached) and a fee of
   0.50 € per order, of 2,000 and 4,000 orders of 6 lines (made in bulk
   with Sale.create, not timed). OrderCycle.close of each (the fee lines,
   quote, confirm, and the 30 farms' purchases made, confirmed and emailed
   with their document) is timed in a transaction of its own, against
   Sale.create + Sale.quote + Sale.confirm of 2,000 plain sales of the same
   6 lines (same customers, products, quantities and prices) by the ORM,
   BATCH sales a call (50 on SQLite: see BATCH). Same user (admin), same
   garden. On both sides the processing of the confirmed sales (and
   purchases) is only queued: no queue worker runs, and the timed
   transactions are rolled back, so the queued tasks never run; the farms'
   emails are made with their document but not sent. A close that fails
   is printed with its error and misses its goals. Goals: close of 2,000
   ≤ 0.5 × the plain sales; close of 4,000 ≤ 2.2 × close of 2,000
   (linear);
2. catalogue: the queries of catalogue(cycle) (what the storefront's
   catalogue route answers) for a cycle of 10 offers and one of 500, each
   counted in a transaction of its own after a first call has filled the
   server's caches, as user 0 as the route runs. Goal: the same number
   (else the queries that differ are printed).

BENCH_CYCLE_ORDERS scales part 1: 200 by default, so that the bench stays
within its 10 minutes here; the issue's scale is 2000 (a run of about 10
minutes on 2 cores). BENCH_CYCLE_PROFILE=1 also prints
a cProfile of the close of the small cycle (timed once more, then not
counted).
"""
import cProfile
import io
import math
import os
import pstats
import random
import secrets
import sys
import time
from unittest.mock import patch

from _database import use_test_database  # noqa: E402
from _shop import (  # noqa: E402
    make_shop, order_fee, print_differing, query_text)

BACKEND = use_test_database('cycle')

from trytond.tests.test_tryton import (  # noqa: E402
    DB_NAME, drop_db, with_transaction)

SEED = 9
ORDERS = int(os.environ.get('BENCH_CYCLE_ORDERS', 200))
LINES = 6
FARMS = 30
PRODUCTS = 500
OFFERS_PER_FARM = 4
CERTIFIED = 10            # farms with an organic certificate
PLACES = 3
# SQLite checks the Exclude constraints of sale.sale (web_shop's web_id
# unique, one order per customer and cycle) with one query ORing a clause
# per record, which its parser refuses from about 80 records ("parser stack
# overflow"): a Tryton developer on SQLite writes sales 50 at a time
BATCH = 50 if BACKEND == 'sqlite' else 1000
CATALOGUES = [10, 500]    # offers of the catalogues counted
CLOSE_GOAL = 0.5          # close of ORDERS / plain sales of ORDERS
LINEAR_GOAL = 2.2         # close of 2 × ORDERS / close of ORDERS
KG_QUANTITIES = [0.5, 1, 1.5, 2, 2.5]
UNIT_QUANTITIES = [1, 2, 3]


def build():
    """Make the garden, its shop, farms, products, customers, catalogue
    cycles and the two cycles to close with their orders, committed; return
    what the measures need, as ids and values."""
    from trytond.modules.cocagne_base.allergen import ALLERGENS
    from trytond.modules.cocagne_bio_shop.tests.tools import create_cycle
    from trytond.modules.company.tests import set_company
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    Party = Pool().get('party.party')
    rng = random.Random(SEED)
    garden = make_shop(FARMS, CERTIFIED, [{
                'name': f"Produit {i:03d}", 'farm': i % FARMS,
                'organic': i % FARMS < CERTIFIED and i % 3 != 0,
                'allergens': [ALLERGENS[i % 14][0]] if i % 4 == 0 else [],
                } for i in range(PRODUCTS)],
        [f"Point de retrait {i}" for i in range(PLACES)], farm_city="Rennes")
    company, shop, kg = garden.company, garden.shop, garden.kg
    with set_company(company):
        products = [(product, farm, f'{1 + i % 400 / 100:.2f}')
            for i, (product, farm) in enumerate(garden.products)]
        catalogues = [create_cycle(shop['shop'], f"Catalogue de {n}",
                [(p, f, price, 100 if i % 2 else None)
                    for i, (p, f, price) in enumerate(products[:n])],
                [(garden.places[0], None)]).id for n in CATALOGUES]

        offered = products[:FARMS * OFFERS_PER_FARM]
        cycles = [create_cycle(shop['shop'], name,
                [(p, f, price, 10 ** 7 if i % 2 else None)
                    for i, (p, f, price) in enumerate(offered)],
                [(place, None) for place in garden.places])
            for name in ["Semaine A", "Semaine B"]]
        order_fee(shop, cycles)
        customers = []
        for start in range(0, 2 * ORDERS, 1000):
            customers += Party.create([{
                        'name': f"Client {i:05d}", 'company': company.id,
                        'addresses': [('create', [{'city': "Rennes"}])],
                        } for i in range(start, min(start + 1000,
                                2 * ORDERS))])
        addresses = {c.id: c.addresses[0].id for c in customers}

        orders = {}
        for cycle, count in zip(cycles, [ORDERS, 2 * ORDERS]):
            offers = list(cycle.offers)
            pickups = list(cycle.pickups)
            orders[cycle.id] = [{
                    'party': party.id,
                    'address': addresses[party.id],
                    'pickup': rng.choice(pickups).id,
                    'lines': [{
                            'offer': o.id, 'product': o.product.id,
                            'unit': o.unit.id, 'unit_price': o.unit_price,
                            'quantity': rng.choice(KG_QUANTITIES
                                if o.unit == kg else UNIT_QUANTITIES),
                            'taxes': [t.id for t in
                                o.product.customer_taxes_used],
                            } for o in rng.sample(offers, LINES)],
                    } for party in rng.sample(customers, count)]
            make_orders(company, cycle, orders[cycle.id])
        setup = {
            'company': company.id, 'shop': shop['shop'].id,
            'warehouse': shop['shop'].warehouse.id,
            'catalogues': catalogues,
            'cycles': [c.id for c in cycles],
            'orders': orders,
            }
    Transaction().commit()
    return setup


def make_orders(company, cycle, orders):
    """Make the orders of cycle [{party, address, pickup, lines}], in bulk:
    the sales, then their lines."""
    from trytond.pool import Pool
    pool = Pool()
    Sale = pool.get('sale.sale')
    Line = pool.get('sale.line')
    for start in range(0, len(orders), BATCH):
        batch = orders[start:start + BATCH]
        sales = Sale.create([{
                    'company': company.id, 'party': o['party'],
                    'invoice_address': o['address'],
                    'shipment_address': o['address'],
                    'web_shop': cycle.shop.id, 'web_id': secrets.token_hex(),
                    'warehouse': cycle.shop.warehouse.id,
                    'order_cycle': cycle.id, 'pickup': o['pickup'],
                    'invoice_method': 'fulfillment',
                    'shipment_method': 'order',
                    'sale_date': cycle.delivery_date,
                    } for o in batch])
        Line.create([dict(line_values(line), sale=sale.id, offer=line['offer'])
                for sale, o in zip(sales, batch) for line in o['lines']])


def line_values(line):
    "The values of a sale line of the product, unit, price and taxes of line."
    return {
        'type': 'line', 'product': line['product'], 'unit': line['unit'],
        'quantity': line['quantity'], 'unit_price': line['unit_price'],
        'taxes': [('add', line['taxes'])],
        }


def in_garden(setup, func):
    """Run func() as the admin in the garden, in a transaction of its own,
    rolled back with its queued tasks (trytond's with_transaction)."""
    from trytond.modules.company.tests import set_company
    from trytond.pool import Pool

    @with_transaction()
    def run():
        Company = Pool().get('company.company')
        with set_company(Company(setup['company'])):
            return func()
    return run()


def plain_sales(setup, orders):
    """Create, quote and confirm orders as plain sales through the ORM;
    return the time taken."""
    from trytond.pool import Pool

    def run():
        Sale = Pool().get('sale.sale')
        values = [{
                'company': setup['company'], 'party': o['party'],
                'invoice_address': o['address'],
                'shipment_address': o['address'],
                'warehouse': setup['warehouse'],
                'lines': [('create', [line_values(l) for l in o['lines']])],
                } for o in orders]
        start = time.perf_counter()
        sales = []
        for i in range(0, len(values), BATCH):
            batch = Sale.create(values[i:i + BATCH])
            Sale.quote(batch)
            Sale.confirm(batch)
            sales += batch
        elapsed = time.perf_counter() - start
        sales = Sale.browse(sales)
        assert all(s.state == 'confirmed' and len(s.lines) == LINES
            for s in sales), {s.state for s in sales}
        return elapsed
    return in_garden(setup, run)


def close(setup, cycle_id, profiler=None):
    """Close the cycle cycle_id; return the time taken, after checking its
    orders confirmed with their fee and its farms' purchases made, or None
    if the close failed (its error printed)."""
    from trytond.pool import Pool

    def run():
        pool = Pool()
        Cycle = pool.get('cocagne.order_cycle')
        Purchase = pool.get('purchase.purchase')
        Sale = pool.get('sale.sale')
        cycle = Cycle(cycle_id)
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        try:
            # the emails to the farms made with their document, not sent
            with patch('trytond.ir.email_.send_message_transactional'):
                Cycle.close([cycle])
        except Exception as error:
            print(f'   the close failed after '
                f'{time.perf_counter() - start:.1f} s: '
                f'{type(error).__name__}: {error}')
            return None
        finally:
            if profiler:
                profiler.disable()
        elapsed = time.perf_counter() - start
        orders = setup['orders'][cycle_id]
        sales = Sale.search([('order_cycle', '=', cycle_id)])
        assert len(sales) == len(orders)
        assert all(s.state == 'confirmed' and len(s.lines) == LINES + 1
            and sum(1 for l in s.lines if l.cycle_fee) == 1
            for s in sales), {s.state for s in sales}
        purchases = Purchase.search([('order_cycle', '=', cycle_id)])
        assert len(purchases) == FARMS, len(purchases)
        assert all(p.state == 'confirmed' and p.farm_email == 'sent'
            for p in purchases), {(p.state, p.farm_email) for p in purchases}
        bought = sum(l.quantity for p in purchases for l in p.lines)
        ordered = sum(l['quantity'] for o in orders for l in o['lines'])
        assert abs(bought - ordered) < 1e-6, (bought, ordered)
        return elapsed
    return in_garden(setup, run)


def catalogue_queries(setup):
    """[(offers, queries)] of the catalogue of each catalogue cycle, counted
    once the caches are filled by a first call."""
    from trytond.modules.cocagne_bio_shop.catalogue import catalogue
    from trytond.modules.cocagne_bio_shop.tests.tools import (
        counting_queries)
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    def call(cycle_id, counted=False):
        # as the route: user 0, a transaction per request
        with Transaction().start(DB_NAME, 0, readonly=True):
            Cycle = Pool().get('cocagne.order_cycle')
            cycle = Cycle(cycle_id)
            if not counted:
                return catalogue(cycle), []
            with counting_queries() as queries:
                data = catalogue(cycle)
            return data, [query_text(q) for q in queries]
    result = []
    for cycle_id in setup['catalogues']:
        call(cycle_id)
        data, queries = call(cycle_id, counted=True)
        result.append((len(data['offers']), queries))
    return result


def profile(setup, cycle_id):
    "Print where the close of cycle_id spends its time."
    profiler = cProfile.Profile()
    close(setup, cycle_id, profiler)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats('cumulative').print_stats(70)
    stats.sort_stats('tottime').print_stats(30)
    # the steps of the close
    stats.sort_stats('cumulative').print_callees(
        r'\((close|confirm_cycle_orders|set_cycle_fees|make_for_cycles'
        r'|send_to_farm)\)')
    print(out.getvalue())


def seconds(elapsed):
    return 'failed' if elapsed is None else f'{elapsed:.1f} s'


def main():
    from trytond.modules.cocagne_base.tests.tools import activate_stack

    # a database of its own, from scratch (PostgreSQL keeps the last one)
    drop_db()
    start = time.perf_counter()
    activate_stack()
    print(f'database of the tests\' modules ready in '
        f'{time.perf_counter() - start:.1f} s ({BACKEND})', flush=True)
    start = time.perf_counter()
    setup = with_transaction()(build)()
    small, big = setup['cycles']
    print(f'garden, shop, {FARMS} farms, {PRODUCTS} products, '
        f'{2 * ORDERS} customers, cycles of {ORDERS} and {2 * ORDERS} '
        f'orders of {LINES} lines ({FARMS * OFFERS_PER_FARM} offers, a fee '
        f'per order) made in {time.perf_counter() - start:.1f} s '
        f'(seed {SEED})', flush=True)

    print('1. close of a cycle against plain sales (processing queued, '
        'no queue worker, on both sides)')
    plain = plain_sales(setup, setup['orders'][small])
    print(f'   {ORDERS} plain sales of {LINES} lines, Sale.create + quote + '
        f'confirm, {BATCH} sales a call: {plain:.1f} s', flush=True)
    closing = close(setup, small)
    print(f'   close of the cycle of {ORDERS} orders (fees, quote, confirm, '
        f'{FARMS} purchases emailed): {seconds(closing)}', flush=True)
    closing_big = close(setup, big)
    print(f'   close of the cycle of {2 * ORDERS} orders: '
        f'{seconds(closing_big)}', flush=True)
    ratio = closing / plain if closing else math.inf
    linear = (closing_big / closing if closing and closing_big
        else math.inf)
    close_ok, linear_ok = ratio <= CLOSE_GOAL, linear <= LINEAR_GOAL
    print(f'   close {ORDERS} / plain sales: {ratio:.2f} × (goal <= '
        f'{CLOSE_GOAL}) {"ok" if close_ok else "MISSED"}')
    print(f'   close {2 * ORDERS} / close {ORDERS}: {linear:.2f} × (goal <= '
        f'{LINEAR_GOAL}) {"ok" if linear_ok else "MISSED"}', flush=True)

    print('2. queries of the catalogue (caches filled)')
    counts = catalogue_queries(setup)
    for offers, queries in counts:
        print(f'   {offers:4} offers: {len(queries)} queries')
    (_, few), (_, many) = counts
    queries_ok = len(few) == len(many)
    if not queries_ok:
        print_differing(few, many, counts[-1][0])
    few, many = len(few), len(many)
    print(f'   same number: {"ok" if queries_ok else "MISSED"}', flush=True)

    if os.environ.get('BENCH_CYCLE_PROFILE'):
        profile(setup, small)

    ok = close_ok and linear_ok and queries_ok
    print(f'RESULT cycle: close {ratio:.2f}× plain sales, {linear:.2f}× '
        f'for twice the orders, catalogue queries {few} and {many} (goal '
        f'<= {CLOSE_GOAL}×, <= {LINEAR_GOAL}×, equal) '
        f'{"ok" if ok else "MISSED"}')
    return ok


if __name__ == '__main__':
    try:
        ok = main()
    finally:
        drop_db()
    sys.exit(0 if ok else 1)

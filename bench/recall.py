"""Recall: tracing lots through 100,000 stock moves and 5,000 lots.

Activates cocagne_transformation in a test database (SQLite in memory unless
TRYTOND_DATABASE__URI and DB_NAME say otherwise), generates (seeded) four
levels of lots linked by productions and enough other moves (receipts,
deliveries) to reach 100,000 moves, then for sample lots times the recall
wizard's tracing (trace up and down, then the whole wizard) against one
hand-written recursive SQL query that returns the same lots, asserting the
same sets. Goal: wizard tracing ≤ 3 × the recursive query.
"""
import os
import random
import sys
import time

os.environ.setdefault('TRYTOND_DATABASE__URI', 'sqlite://')
os.environ.setdefault('DB_NAME', ':memory:')
# the activated database is cached per state of the code (trytond keys its
# cache on the module names only)
from cocagne.testing import code_hash  # noqa: E402

os.environ.setdefault('DB_CACHE', f'/tmp/cocagne-bench-recall-{code_hash()}')

from trytond.tests.test_tryton import (  # noqa: E402
    activate_module, drop_db, with_transaction)

SEED = 7
LOTS = 5000
MOVES = 100_000
LEVELS = [2000, 1500, 1000, 500]   # lots per level, raw produce first
SAMPLES = 30
GOAL = 3.0

RECURSIVE = """
WITH RECURSIVE down(lot) AS (
    SELECT %(lot)s
    UNION
    SELECT o.lot FROM stock_move i
    JOIN stock_move o ON o.production_output = i.production_input
    JOIN down d ON i.lot = d.lot
    WHERE o.lot IS NOT NULL AND i.state != 'cancelled'
        AND o.state != 'cancelled'),
up(lot) AS (
    SELECT %(lot)s
    UNION
    SELECT i.lot FROM stock_move o
    JOIN stock_move i ON i.production_input = o.production_output
    JOIN up u ON o.lot = u.lot
    WHERE i.lot IS NOT NULL AND i.state != 'cancelled'
        AND o.state != 'cancelled')
SELECT 'down', lot FROM down WHERE lot != %(lot)s
UNION ALL
SELECT 'up', lot FROM up WHERE lot != %(lot)s
"""


def generate():
    "Insert the lots, productions and moves; return the lot ids by level."
    from sql import Literal

    from trytond import backend
    from trytond.modules.company.tests import create_company, set_company
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    pool = Pool()
    Location = pool.get('stock.location')
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    Lot = pool.get('stock.lot')
    Production = pool.get('production')
    Move = pool.get('stock.move')
    rng = random.Random(SEED)
    cursor = Transaction().connection.cursor()
    company = create_company()
    with set_company(company):
        kg, = Uom.search([('symbol', '=', 'kg')])
        template, = Template.create([{
                    'name': "Légume", 'type': 'goods',
                    'default_uom': kg.id, 'producible': True,
                    'products': [('create', [{}])]}])
        product = template.products[0]
        warehouse, = Location.search([('code', '=', 'WH')])
        storage = warehouse.storage_location
        production_location = warehouse.production_location
        supplier, = Location.search([('code', '=', 'SUP')])
        customer, = Location.search([('code', '=', 'CUS')])
        levels, number = [], 0
        for count in LEVELS:
            lots = Lot.create([{
                        'number': f'L{number + i:05d}',
                        'product': product.id} for i in range(count)])
            number += count
            levels.append([l.id for l in lots])
        productions = []
        for level in levels[1:]:
            productions.extend(Production.create([{
                            'company': company.id,
                            'warehouse': warehouse.id,
                            'location': production_location.id,
                            'state': 'done'} for _ in level]))

        move = Move.__table__()
        columns = [move.product, move.unit, move.quantity,
            move.internal_quantity, move.from_location, move.to_location,
            move.company, move.state, move.lot, move.production_input,
            move.production_output, move.effective_date, move.create_uid,
            move.create_date, move.currency]
        rows = []

        def add(from_, to, lot, production_input=None,
                production_output=None):
            rows.append([product.id, kg.id, 1.0, 1.0, from_, to,
                    company.id, 'done', lot, production_input,
                    production_output, Literal('2026-01-01'), 0,
                    Literal('2026-01-01 00:00:00'), company.currency.id])
        productions = iter(productions)
        for previous, level in zip(levels, levels[1:]):
            for lot in level:
                production = next(productions)
                for source in rng.sample(previous, rng.randint(2, 4)):
                    add(storage.id, production_location.id, source,
                        production_input=production.id)
                add(production_location.id, storage.id, lot,
                    production_output=production.id)
        every = [l for level in levels for l in level]
        while len(rows) < MOVES:
            lot = rng.choice(every)
            if rng.random() < 0.5:
                add(supplier.id, storage.id, lot)
            else:
                add(storage.id, customer.id, lot)
        # PostgreSQL takes at most 65,535 parameters per query
        for i in range(0, len(rows), 2000):
            cursor.execute(*move.insert(columns, rows[i:i + 2000]))
        Transaction().commit()
        if backend.name == 'postgresql':
            # the statistics that autovacuum keeps in a database in use,
            # without which the planner guesses (SQLite has none unless
            # ANALYZE is run by hand, which Tryton never does)
            cursor.execute('ANALYZE stock_move')
            cursor.execute('ANALYZE stock_lot')
            Transaction().commit()
    return levels, company


def measure(levels, company):
    from trytond.modules.cocagne_transformation.recall import trace
    from trytond.modules.company.tests import set_company
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    pool = Pool()
    Recall = pool.get('cocagne.transformation.recall', type='wizard')
    cursor = Transaction().connection.cursor()
    rng = random.Random(SEED)
    samples = rng.sample(levels[0], SAMPLES // 2) + rng.sample(
        levels[-1], SAMPLES - SAMPLES // 2)
    ours = ref = full = 0
    with set_company(company):
        for lot in samples:
            start = time.perf_counter()
            cursor.execute(RECURSIVE % {'lot': int(lot)})
            expected = {'down': set(), 'up': set()}
            for direction, found in cursor:
                expected[direction].add(found)
            ref += time.perf_counter() - start

            start = time.perf_counter()
            got = {'down': trace([lot], 'down'), 'up': trace([lot], 'up')}
            ours += time.perf_counter() - start
            assert got == expected, (lot, got, expected)

            start = time.perf_counter()
            with Transaction().set_context(active_model='stock.lot',
                    active_id=lot, active_ids=[lot]):
                session_id, _, _ = Recall.create()
                values = Recall(session_id).default_start(None)
                Recall.delete(session_id)
            full += time.perf_counter() - start
            assert set(values['downstream']) == expected['down']
    return samples, ours, ref, full


def main():
    # a database of its own, from scratch (PostgreSQL keeps the last one)
    drop_db()
    activate_module('cocagne_transformation')

    @with_transaction()
    def run():
        start = time.perf_counter()
        levels, company = generate()
        print(f"generated {MOVES} moves and {LOTS} lots in "
            f"{time.perf_counter() - start:.1f} s (seed {SEED})")
        samples, ours, ref, full = measure(levels, company)
        n = len(samples)
        ratio = ours / ref
        print(f"recursive SQL query:    {ref / n * 1000:8.2f} ms per lot")
        print(f"wizard tracing:         {ours / n * 1000:8.2f} ms per lot")
        print(f"whole wizard (stock, customers, XLSX): "
            f"{full / n * 1000:8.2f} ms per lot")
        verdict = 'ok' if ratio <= GOAL else 'MISSED'
        print(f"RESULT recall: {ratio:.2f} (goal <= {GOAL}) {verdict}")
        return verdict == 'ok'
    return run()


if __name__ == '__main__':
    try:
        ok = main()
    finally:
        drop_db()
    sys.exit(0 if ok else 1)

#!/usr/bin/env python3
"""Banc d'essai : l'état récapitulatif des dépenses d'une subvention.

Builds its own SQLite database (cocagne_subventions activated) in a temporary
folder, inserts by SQL the allocations of two grants (50,000 and 100,000
lines), then measures in separate processes:

* the export of the 100,000 lines (cocagne_subventions' report: SQL read
  through a server-side cursor, xlsxwriter in constant_memory mode) against
  xlsxwriter alone writing the same rows, already in memory, with the same
  formats (constant_memory): goal ≤ 1.5×;
* the peak memory (tracemalloc) of the export of 50,000 and of 100,000 lines
  while the workbook is written to a file: goal ≤ 1.2×. The report's result,
  the compressed file handed to the client, is printed apart.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

SIZES = (50_000, 100_000)
TIME_GOAL, MEMORY_GOAL = 1.5, 1.2
BIN = Path(sys.executable).parent


def admin(conf, *args):
    subprocess.run([str(BIN / 'trytond-admin'), '-c', conf, '-d', 'bench',
            *args], check=True, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, env=os.environ | {
            'TRYTONPASSFILE': str(Path(conf).with_name('password'))})


def start(conf):
    "Open the bench database; return (pool, transaction context manager)."
    from trytond.config import config
    config.update_etc(conf)
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Pool.start()
    pool = Pool('bench')
    pool.init()
    return pool, Transaction().start('bench', 0, readonly=False)


def setup(conf):
    "Create the garden, a programme and two grants with their allocations."
    import datetime as dt
    from decimal import Decimal
    from trytond.transaction import Transaction
    pool, transaction = start(conf)
    with transaction:
        Currency = pool.get('currency.currency')
        Party = pool.get('party.party')
        Company = pool.get('company.company')
        Programme = pool.get('cocagne.grant.programme')
        Grant = pool.get('cocagne.grant')
        Allocation = pool.get('cocagne.grant.allocation')
        euro, = Currency.create([{'name': "Euro", 'code': 'EUR',
                    'symbol': '€'}])
        party, = Party.create([{'name': "Jardin du banc d'essai"}])
        company, = Company.create([{'party': party.id,
                    'currency': euro.id}])
        with Transaction().set_context(company=company.id):
            suppliers = Party.create([{'name': f"Fournisseur {i:03d}"}
                    for i in range(200)])
            programme, = Programme.create([{'name': "Programme", 'code': 'P',
                        'funder_type': 'region'}])
            grants = {}
            for size in SIZES:
                grant, = Grant.create([{
                            'company': company.id,
                            'title': f"Subvention de {size} dépenses",
                            'programme': programme.id,
                            'funder': suppliers[0].id,
                            'budget_lines': [('create', [{
                                            'category': c,
                                            'planned': Decimal(10 ** 9)}
                                        for c in ['services', 'supplies',
                                            'investment', 'travel']])],
                            }])
                grants[size] = grant.id
                lines = [l.id for l in grant.budget_lines]
                table = Allocation.__table__()
                columns = [table.grant, table.budget_line, table.kind,
                    table.share, table.date, table.supplier,
                    table.reference, table.description,
                    table.untaxed_amount, table.taxed_amount, table.amount,
                    table.payment_date, table.payment_means]
                cursor = Transaction().connection.cursor()
                day = dt.date(2026, 1, 1)
                for first in range(0, size, 5000):
                    rows = []
                    for i in range(first, min(first + 5000, size)):
                        untaxed = Decimal(10 + i % 997) + Decimal('0.25')
                        date = day + dt.timedelta(days=i % 360)
                        rows.append([grant.id, lines[i % len(lines)],
                                'entry', Decimal(1), date,
                                suppliers[i % len(suppliers)].id,
                                f'F-{i:07d}', f"Dépense n° {i} du programme",
                                untaxed, untaxed * Decimal('1.2'), untaxed,
                                date + dt.timedelta(days=30), "Virement"])
                    cursor.execute(*table.insert(columns, rows))
        Transaction().commit()
    print(json.dumps({'company': company.id,
                'grants': {str(k): v for k, v in grants.items()}}))


def measure(conf, what, company, grant_id):
    "Print the JSON figures of one measure, run in its own process."
    import xlsxwriter
    from trytond.transaction import Transaction
    pool, transaction = start(conf)
    with transaction, Transaction().set_context(
            company=company, language='en'):
        from trytond.modules.cocagne_subventions import export
        Grant = pool.get('cocagne.grant')
        Report = pool.get('cocagne.grant.expense_statement', type='report')
        grant = Grant(grant_id)
        grant.rec_name, grant.budget_lines  # warm the caches
        result = {}
        if what == 'ours':
            started = time.perf_counter()
            _, content = Report._execute([grant], None, {}, None)
            result['seconds'] = time.perf_counter() - started
            result['bytes'] = len(content)
        elif what == 'memory':
            with tempfile.TemporaryFile() as output:
                tracemalloc.start()
                Report.write([grant], output)
                result['peak'] = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
        elif what == 'reference':
            rows = list(export.expense_rows(grant.id))
            names = {l.id: l.rec_name for l in grant.budget_lines}
            with tempfile.TemporaryFile() as output:
                started = time.perf_counter()
                workbook = xlsxwriter.Workbook(
                    output, {'constant_memory': True})
                date = workbook.add_format({'num_format': 'dd/mm/yyyy'})
                money = workbook.add_format({'num_format': '#,##0.00'})
                sheet = workbook.add_worksheet()
                for row, (line, supplier, reference, day, text, untaxed,
                        taxed, eligible, paid, means) in enumerate(rows, 4):
                    sheet.write_string(row, 0, supplier)
                    sheet.write_string(row, 1, reference)
                    sheet.write_datetime(row, 2, day, date)
                    sheet.write_string(row, 3, text)
                    sheet.write_number(row, 4, untaxed, money)
                    sheet.write_number(row, 5, taxed, money)
                    sheet.write_number(row, 6, eligible, money)
                    sheet.write_datetime(row, 7, paid, date)
                    sheet.write_string(row, 8, means)
                    sheet.write_string(row, 9, names[line])
                workbook.close()
                result['seconds'] = time.perf_counter() - started
    print(json.dumps(result))


def run(*args):
    out = subprocess.run([sys.executable, __file__, *map(str, args)],
        check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    with tempfile.TemporaryDirectory(prefix='cocagne-bench-') as tmp:
        conf = Path(tmp, 'trytond.conf')
        conf.write_text(f'[database]\nuri = sqlite://\npath = {tmp}\n')
        Path(tmp, 'password').write_text('bench\n')
        Path(tmp, 'bench.sqlite').touch()
        started = time.perf_counter()
        admin(str(conf), '--all', '--email', 'bench@cocagne.example.org')
        admin(str(conf), '-u', 'cocagne_subventions',
            '--activate-dependencies')
        print(f"base créée et module activé en "
            f"{time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        data = run('setup', conf)
        print(f"{sum(SIZES)} dépenses insérées en "
            f"{time.perf_counter() - started:.0f} s", flush=True)
        company, grants = data['company'], data['grants']
        big = grants[str(SIZES[-1])]
        ours = min((run('ours', conf, company, big) for _ in range(2)),
            key=lambda r: r['seconds'])
        reference = min((run('reference', conf, company, big)
                for _ in range(2)), key=lambda r: r['seconds'])
        peaks = {size: run('memory', conf, company, grants[str(size)])[
                'peak'] for size in SIZES}
    ratio = ours['seconds'] / reference['seconds']
    growth = peaks[SIZES[-1]] / peaks[SIZES[0]]
    print(f"état récapitulatif de {SIZES[-1]} lignes : "
        f"{ours['seconds']:.2f} s (fichier de {ours['bytes'] / 1e6:.1f} Mo)"
        f", xlsxwriter seul : {reference['seconds']:.2f} s "
        f"→ {ratio:.2f}× (objectif ≤ {TIME_GOAL}×)")
    for size in SIZES:
        print(f"pic mémoire pour {size} lignes : "
            f"{peaks[size] / 1e6:.1f} Mo")
    print(f"mémoire {SIZES[-1]} / {SIZES[0]} lignes : {growth:.2f}× "
        f"(objectif ≤ {MEMORY_GOAL}×)")
    ok = ratio <= TIME_GOAL and growth <= MEMORY_GOAL
    print(f"RESULT grant-export: {ratio:.2f}× time, {growth:.2f}× memory "
        f"(goal <= {TIME_GOAL}× and <= {MEMORY_GOAL}×) "
        + ('ok' if ok else 'MISSED'))
    return 0 if ok else 1


if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == 'setup':
        setup(sys.argv[2])
    elif len(sys.argv) > 1:
        measure(sys.argv[2], sys.argv[1], int(sys.argv[3]),
            int(sys.argv[4]))
    else:
        sys.exit(main())

"""Cashier screen: a 10-line ticket rung up and paid through the page's API
against the same sale_point sale made through the ORM.

Activates the modules of the tests (every Cocagne module and sale_point, in
French: the database cached for `cocagne test` serves here too) in a test
database (SQLite in memory unless TRYTOND_DATABASE__URI says PostgreSQL),
makes a garden with a till (the tests' setup_till: chart, fiscal year, VAT,
cash and card), 10 products (5 by the kg, 5 by the unit) and a cashier whose
till it is, all committed. Then, sale after sale, in alternating order, the
same seeded ticket of the 10 products paid by card and in cash (change
given) is:

- API: POSTed to /<db>/caisse/api/sale by werkzeug's test client on
  trytond's WSGI application, logged in with the cookie of
  /<db>/session/login, as the page does (each answered 200);
- ORM: made as a Tryton developer would, acting as the same cashier (their
  preferences, access rights and record rules): sale.point.sale with its
  lines from on_change_product, its payments, process, post, committed.

Both sides are checked: every ticket posted, with its stock and account
moves, the totals of the two sides equal to the expected ones. Goal: median
API time per ticket ≤ 1.5 × the median ORM time.

Numbering a ticket and its account move locks their strict sequences; a
Tryton 8 transaction that did not take the lock when it started is
restarted with it (TransactionError). The ORM side keeps the locks it
learnt on its first ticket, so it makes each ticket once; the bench prints
how often each side was restarted. BENCH_CAISSE_PROFILE=1 also prints a
cProfile of 10 more tickets of the API side.
"""
import cProfile
import io
import math
import os
import pstats
import random
import statistics
import sys
import time
import uuid
from decimal import ROUND_HALF_EVEN, Decimal

from _database import use_test_database  # noqa: E402

BACKEND = use_test_database('caisse')

from trytond.tests.test_tryton import (  # noqa: E402
    DB_NAME, drop_db, with_transaction)

SEED = 11
WARMUP = 3          # tickets of each side, not timed
SALES = 30          # timed tickets of each side
GOAL = 1.5
LOGIN, PASSWORD = 'caissiere', 'Bx7-kQ2m!rTz'
CARD = Decimal('10.00')   # paid by card; the rest in cash, change given
# name, weighed, price VAT included (5.5 %); Carottes and Confiture de
# fraises come with setup_till
PRODUCTS = [
    ("Poireaux", True, '3.20'),
    ("Pommes de terre", True, '1.80'),
    ("Tomates", True, '4.50'),
    ("Courgettes", True, '2.90'),
    ("Œufs (6)", False, '3.60'),
    ("Miel de châtaignier", False, '8.90'),
    ("Pain au levain", False, '4.20'),
    ("Jus de pomme", False, '3.75'),
    ]
WEIGHTS = [0.35, 0.5, 0.75, 0.8, 1.2, 1.25, 1.5, 2.15]
UNITS = [1, 2, 3]


def build():
    """Make the garden, its till, the products and the cashier, committed;
    return what the two sides need, as ids and values."""
    from trytond.modules.cocagne_base.tests.tools import create_garden_user
    from trytond.modules.cocagne_caisse.tests.test_module import setup_till
    from trytond.modules.company.tests import create_company, set_company
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    pool = Pool()
    Template = pool.get('product.template')
    User = pool.get('res.user')
    Session = pool.get('sale.point.cash.session')
    Date = pool.get('ir.date')
    ModelData = pool.get('ir.model.data')
    company = create_company()
    with set_company(company):
        point, (cash, card), carrots, jam = setup_till(company)
        category = carrots.template.account_category
        templates = Template.create([{
                    'name': name, 'type': 'goods', 'company': company.id,
                    'default_uom': (carrots if weighed else jam).sale_uom.id,
                    'sale_uom': (carrots if weighed else jam).sale_uom.id,
                    'salable': True, 'account_category': category.id,
                    'organic': True,
                    'list_price': (Decimal(price) / Decimal('1.055')
                        ).quantize(Decimal('0.0001')),
                    'gross_price': Decimal(price),
                    'products': [('create', [{}])],
                    } for name, weighed, price in PRODUCTS])
        products = [(carrots.id, True, Decimal('2.40')),
            (jam.id, False, Decimal('4.50'))] + [
            (t.products[0].id, weighed, Decimal(price))
            for t, (_, weighed, price) in zip(templates, PRODUCTS)]
        user = create_garden_user([company], login=LOGIN)
        User.write([user], {
                'groups': [('add', [ModelData.get_id(
                                'sale_point', 'group_sale_point')])],
                'sale_point': point.id,
                'password': PASSWORD,
                })
        session = Session.get_current(point)
        setup = {
            'company': company.id, 'point': point.id,
            'cash': cash.id, 'card': card.id, 'user': user.id,
            'session': session.id, 'today': Date.today(),
            'products': products,
            }
    Transaction().commit()
    return setup


def tickets(setup, count):
    """count seeded tickets: the 10 products, each with its quantity, in a
    shuffled order, and the expected total."""
    rng = random.Random(SEED)
    result = []
    for _ in range(count):
        lines = [(product, rng.choice(WEIGHTS if weighed else UNITS), price)
            for product, weighed, price in setup['products']]
        rng.shuffle(lines)
        total = sum((
                (Decimal(str(q)) * p).quantize(Decimal('0.01'),
                    rounding=ROUND_HALF_EVEN) for _, q, p in lines),
            Decimal(0))
        result.append({'lines': [(product, q) for product, q, _ in lines],
                'total': total})
    return result


class API:
    "The page: logged in with the session cookie, POSTing its tickets."

    def __init__(self, setup):
        from werkzeug.test import Client
        from werkzeug.wrappers import Response

        from trytond.wsgi import app
        self.setup = setup
        self.client = Client(app, Response)
        self.prefix = f'/{DB_NAME}'
        response = self.client.post(f'{self.prefix}/session/login', json={
                'params': [LOGIN, {'password': PASSWORD}, 'fr']})
        assert response.status_code == 200, response.get_data(as_text=True)
        response = self.client.get(f'{self.prefix}/caisse/api/catalogue')
        assert response.status_code == 200, response.get_data(as_text=True)
        catalogue = response.get_json()
        assert catalogue['session']['id'] == setup['session'], catalogue
        assert ({p['id'] for p in catalogue['products']}
            >= {p for p, _, _ in setup['products']}), catalogue['products']

    def body(self, ticket):
        "The JSON that the page sends for ticket, tendering cash."
        setup = self.setup
        # the cash tendered: the rest rounded up to 5 €
        cash = Decimal(math.ceil((ticket['total'] - CARD) / 5) * 5)
        return {
            'key': str(uuid.uuid4()),
            'session': setup['session'],
            'date': setup['today'].isoformat(),
            'stop': None,
            'lines': [{'product': p, 'quantity': q, 'discount': '0'}
                for p, q in ticket['lines']],
            'payments': [
                {'method': setup['cash'], 'amount': f'{cash:.2f}'},
                {'method': setup['card'], 'amount': f'{CARD:.2f}'}],
            'email': None,
            }

    def __call__(self, ticket):
        body = self.body(ticket)
        start = time.perf_counter()
        response = self.client.post(f'{self.prefix}/caisse/api/sale',
            json=body)
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, (
            response.status_code, response.get_data(as_text=True))
        data = response.get_json()
        assert not data['duplicate'], data
        assert Decimal(data['total']) == ticket['total'], (data, ticket)
        return elapsed


class ORM:
    """A Tryton developer's code acting as the cashier (their preferences,
    access rights and record rules): one transaction per ticket."""

    def __init__(self, setup):
        from trytond.pool import Pool
        from trytond.transaction import Transaction
        self.setup = setup
        with Transaction().start(DB_NAME, setup['user'], readonly=True):
            User = Pool().get('res.user')
            self.context = User.get_preferences(context_only=True)
        self.extras = {}

    def __call__(self, ticket):
        from trytond.transaction import Transaction, TransactionError
        setup = self.setup
        start = time.perf_counter()
        while True:
            # as trytond's with_transaction: a lock found missing restarts
            # the transaction with it, kept for the following tickets (a
            # developer's code knows the locks of its sale)
            with Transaction().start(DB_NAME, setup['user'],
                    context=dict(self.context, _check_access=True),
                    **self.extras) as transaction:
                try:
                    total = self.sale(ticket)
                except TransactionError as error:
                    transaction.rollback()
                    error.fix(self.extras)
                    continue
            break
        elapsed = time.perf_counter() - start
        assert total == ticket['total'], (total, ticket)
        return elapsed

    def sale(self, ticket):
        "Create, pay, process and post ticket; return its total."
        from trytond.pool import Pool
        from trytond.transaction import without_check_access
        setup = self.setup
        pool = Pool()
        Sale = pool.get('sale.point.sale')
        Line = pool.get('sale.point.sale.line')
        Payment = pool.get('sale.point.payment')
        Product = pool.get('product.product')
        Method = pool.get('sale.point.payment.method')
        products = Product.browse([p for p, _ in ticket['lines']])
        cash, card = Method.browse([setup['cash'], setup['card']])
        sale = Sale(company=setup['company'], point=setup['point'],
            date=setup['today'])
        lines = []
        for product, (_, quantity) in zip(products, ticket['lines']):
            line = Line(sale=sale, product=product, quantity=quantity)
            line.on_change_product()
            lines.append(line)
        sale.lines = lines
        total = sale.on_change_with_total()
        sale.payments = [Payment(method=card, amount=CARD),
            Payment(method=cash, amount=total - CARD)]
        sale.save()
        with without_check_access():
            Sale.process([sale])
            Sale.post([sale])
        return total


def check(setup, expected):
    """Both sides posted every ticket, with their moves, at the expected
    totals."""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(DB_NAME, 0, readonly=True,
            context={'company': setup['company']}):
        Sale = Pool().get('sale.point.sale')
        sales = Sale.search([('point', '=', setup['point'])])
        assert all(s.state == 'posted' and s.number
            and s.move.state == 'posted' and not s.amount_to_pay
            and all(m.state == 'done' for l in s.lines for m in l.moves)
            for s in sales), [s.state for s in sales]
        api = sorted(s.total for s in sales if s.caisse_key)
        orm = sorted(s.total for s in sales if not s.caisse_key)
        assert api == orm == sorted(expected), (api, orm)
        assert all(len(s.lines) == 10 for s in sales)
        return len(api)


class Restarts(dict):
    """How many times each side's transaction was restarted for a lock it
    did not hold (trytond's TransactionError), counted where it is fixed."""

    def __init__(self):
        from trytond.transaction import TransactionError
        super().__init__(api=0, orm=0)
        self.side, self.tables = None, {'api': set(), 'orm': set()}
        fix, restarts = TransactionError.fix, self

        def counted(error, extras):
            if restarts.side:
                restarts[restarts.side] += 1
                restarts.tables[restarts.side].add(
                    getattr(error, '_table', type(error).__name__))
            return fix(error, extras)
        TransactionError.fix = counted


def profile(api, ticket_list):
    "Print where the API side spends its time."
    profiler = cProfile.Profile()
    profiler.enable()
    for ticket in ticket_list:
        api(ticket)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats('cumulative').print_stats(45)
    stats.sort_stats('tottime').print_stats(25)
    print(out.getvalue())


def main():
    from trytond.modules.cocagne_base.tests.tools import activate_stack

    # a database of its own, from scratch (PostgreSQL keeps the last one)
    drop_db()
    start = time.perf_counter()
    activate_stack()
    print(f'database of the tests\' modules ready in '
        f'{time.perf_counter() - start:.1f} s ({BACKEND})')
    start = time.perf_counter()
    setup = with_transaction()(build)()
    api, orm = API(setup), ORM(setup)
    print(f'garden, till, {len(setup["products"])} products and cashier '
        f'made in {time.perf_counter() - start:.1f} s')

    profiling = bool(os.environ.get('BENCH_CAISSE_PROFILE'))
    extra = 10 if profiling else 0
    work = tickets(setup, WARMUP + SALES + extra)
    times = {'api': [], 'orm': []}
    restarts = Restarts()
    start = time.perf_counter()
    for i, ticket in enumerate(work[:WARMUP + SALES]):
        # alternate which side goes first, so that neither always
        # follows the other
        sides = [('api', api), ('orm', orm)]
        if i % 2:
            sides.reverse()
        for name, side in sides:
            restarts.side = name
            elapsed = side(ticket)
            restarts.side = None
            if i >= WARMUP:
                times[name].append(elapsed)
    print(f'{WARMUP} + {SALES} tickets of 10 lines on each side in '
        f'{time.perf_counter() - start:.1f} s (seed {SEED})')
    print(f'transactions restarted for a lock not held (trytond retries): '
        f'API {restarts["api"]} times for {WARMUP + SALES} tickets '
        f'({", ".join(sorted(restarts.tables["api"]))}), ORM '
        f'{restarts["orm"]} ({", ".join(sorted(restarts.tables["orm"]))}; '
        f'its locks, learnt on its first ticket, are taken from the start)')
    if profiling:
        profile(api, work[WARMUP + SALES:])
        for ticket in work[WARMUP + SALES:]:
            orm(ticket)
    count = check(setup, [t['total'] for t in work])
    print(f'checked: {count} tickets posted on each side, same totals '
        f'({sum(t["total"] for t in work)} each)')

    api_median = statistics.median(times['api'])
    orm_median = statistics.median(times['orm'])
    ratio = api_median / orm_median
    for name, label in [('orm', 'ORM (sale_point models)'),
            ('api', 'API (POST caisse/api/sale)')]:
        values = sorted(times[name])
        print(f'{label:28} median {statistics.median(values) * 1000:7.1f} ms'
            f'  min {values[0] * 1000:7.1f} ms'
            f'  p90 {values[int(len(values) * 0.9)] * 1000:7.1f} ms'
            ' per ticket')
    verdict = 'ok' if ratio <= GOAL else 'MISSED'
    print(f'RESULT caisse: {ratio:.2f} (goal <= {GOAL}) {verdict}')
    return verdict == 'ok'


if __name__ == '__main__':
    try:
        ok = main()
    finally:
        drop_db()
    sys.exit(0 if ok else 1)

"""A cap of 50 is never oversold: 200 orders from 20 threads at once
(PostgreSQL, where transactions really run side by side)."""
import threading
import unittest
from concurrent.futures import ThreadPoolExecutor

from trytond import backend
from trytond.i18n import gettext
from trytond.modules.cocagne_base.tests.tools import (
    LANGUAGE, activate_stack, run_committed)
from trytond.modules.cocagne_bio_shop.exceptions import SoldOutError
from trytond.modules.cocagne_bio_shop.tests.tools import setup_shop
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.transaction import Transaction

THREADS, ORDERS, CAP = 20, 200, 50


@unittest.skipUnless(backend.name == 'postgresql',
    "SQLite runs one writing transaction at a time")
class ConcurrentOrdersTestCase(unittest.TestCase):
    "Orders placed at the same instant against one cap"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_stack()

    @classmethod
    def tearDownClass(cls):
        drop_db()
        super().tearDownClass()

    def setUp(self):
        run_committed(self.setUpDatabase)

    def setUpDatabase(self):
        pool = Pool()
        Party = pool.get('party.party')
        with Transaction().set_context(language=LANGUAGE):
            company = create_company()
            with set_company(company):
                shop = setup_shop(company)
                shop['lettuce'].cap = CAP
                shop['lettuce'].save()
                customers = Party.create([{
                            'name': f"Client {i:03d}",
                            'company': company.id,
                            'addresses': [('create', [{}])],
                            } for i in range(ORDERS)])
        self.company = company.id
        self.cycle = shop['cycle'].id
        self.offer = shop['lettuce'].id
        self.pickup = shop['square'].id
        self.customers = [c.id for c in customers]

    def order(self, customer):
        """Place the order of one lettuce of customer in a transaction of
        its own; return None, or the message of its refusal."""
        self.barrier.wait()
        with Transaction().start(DB_NAME, 0, context={
                    'company': self.company,
                    'language': LANGUAGE}) as transaction:
            pool = Pool()
            Cycle = pool.get('cocagne.order_cycle')
            Offer = pool.get('cocagne.order_cycle.offer')
            Party = pool.get('party.party')
            Pickup = pool.get('cocagne.order_cycle.pickup')
            Sale = pool.get('sale.sale')
            try:
                Sale.take_cycle_order(Cycle(self.cycle), Party(customer),
                    Pickup(self.pickup), [(Offer(self.offer), 1)])
            except SoldOutError as error:
                transaction.rollback()
                return error.message
            transaction.commit()

    def test_cap_never_oversold(self):
        "200 orders from 20 threads against a cap of 50: exactly 50 sold"
        self.barrier = threading.Barrier(THREADS)
        batches = [self.customers[i::THREADS] for i in range(THREADS)]

        def place(customers):
            return [self.order(c) for c in customers]
        with ThreadPoolExecutor(THREADS) as executor:
            answers = [a for batch in executor.map(place, batches)
                for a in batch]

        with Transaction().start(DB_NAME, 0, context={
                    'company': self.company, 'language': LANGUAGE}):
            pool = Pool()
            Offer = pool.get('cocagne.order_cycle.offer')
            Line = pool.get('sale.line')
            offer = Offer(self.offer)
            lines = Line.search([('offer', '=', self.offer)])
            self.assertEqual(sum(l.quantity for l in lines), CAP)
            self.assertEqual(offer.sold, CAP)
            self.assertEqual(answers.count(None), CAP)
            sold_out = gettext('cocagne_bio_shop.msg_order_sold_out',
                product=offer.rec_name, cycle=offer.cycle.rec_name,
                remaining="0\xa0u")
            self.assertIn("épuisé", sold_out)
            self.assertEqual(
                [a for a in answers if a is not None],
                [sold_out] * (ORDERS - CAP))
            # the pickup place counts the orders taken, not those refused
            self.assertEqual(offer.cycle.pickups[0].orders, CAP)

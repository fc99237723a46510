"Order cycles: orders merged, caps and places never overrun, the refusals"
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.modules.cocagne_base.tests.tools import (
    SharedModelsMixin, StackTestMixin)
from trytond.modules.cocagne_bio_shop import schedule
from trytond.modules.cocagne_bio_shop.exceptions import (
    CycleError, OrderError, SoldOutError)
from trytond.modules.cocagne_bio_shop.fees import fee_quantity, settle
from trytond.modules.cocagne_bio_shop.tests.tools import setup_shop
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction


class CocagneBioShopTestCase(
        StackTestMixin, SharedModelsMixin, CompanyTestMixin, ModuleTestCase):
    "Test the Cocagne Bio shop's module"
    module = 'cocagne_bio_shop'

    def test_schedule(self):
        "The week of a cycle, its dates in UTC, the weeks to open"
        self.assertEqual(schedule.week_code(dt.date(2026, 12, 3)), '2026-W49')
        self.assertEqual(schedule.week_code(dt.date(2027, 1, 1)), '2026-W53')
        delivery, opens, closes = schedule.cycle_dates(
            dt.date(2026, 11, 30), 3, 6, dt.time(8), 2, dt.time(20),
            'Europe/Paris')
        self.assertEqual(delivery, dt.date(2026, 12, 3))
        # Paris is UTC+1 in winter
        self.assertEqual(opens, dt.datetime(2026, 11, 27, 7))
        self.assertEqual(closes, dt.datetime(2026, 12, 1, 19))
        # on Wednesday the week's cycle is closed: next week's and after
        self.assertEqual(schedule.weeks_to_open(
                dt.date(2026, 12, 2), 3, 2, 2),
            [dt.date(2026, 12, 7), dt.date(2026, 12, 14)])
        self.assertEqual(schedule.weeks_to_open(
                dt.date(2026, 11, 30), 3, 2, 1), [dt.date(2026, 11, 30)])

    def test_fees(self):
        "A fee per order, per item, per kg; what a producer is owed"
        lines = [(3, False, 1.2), (1.5, True, 1.5)]
        self.assertEqual(fee_quantity('order', lines), 1)
        self.assertEqual(fee_quantity('item', lines), 4)
        self.assertEqual(fee_quantity('kg', lines), 2.7)
        self.assertEqual(fee_quantity('order', []), 0)
        self.assertEqual(settle(Decimal('100'), '0.15', Decimal('2'),
                '0.055'), {
                'sold': Decimal('100.00'), 'commission': Decimal('15.00'),
                'fees': Decimal('2.00'), 'base': Decimal('83.00'),
                'vat': Decimal('4.57'), 'owed': Decimal('87.57')})

    @with_transaction()
    def test_order_merged(self):
        "A second order of a customer in a cycle is added to the first"
        pool = Pool()
        Sale = pool.get('sale.sale')
        company = create_company()
        with set_company(company):
            shop = setup_shop(company)
            cycle = shop['cycle']
            first = Sale.take_cycle_order(cycle, shop['customer'],
                shop['square'], [(shop['carrots'], 2), (shop['eggs'], 1)])
            second = Sale.take_cycle_order(cycle, shop['customer'],
                shop['farmyard'], [(shop['carrots'], 1.5),
                    (shop['lettuce'], 2)])

            self.assertEqual(first, second)
            self.assertEqual(Sale.search_count(
                    [('order_cycle', '=', cycle.id)]), 1)
            self.assertEqual(cycle.order_count, 1)
            quantities = {l.product.name: l.quantity for l in second.lines}
            self.assertEqual(quantities, {
                    "Carottes": 3.5, "Œufs (boîte de 6)": 1, "Laitue": 2,
                    "Frais de préparation": 1})
            self.assertEqual(second.pickup, shop['farmyard'])
            self.assertEqual(second.untaxed_amount, Decimal('14.85'))
            carrots, square, farmyard = (shop['carrots'], shop['square'],
                shop['farmyard'])
            self.assertEqual((carrots.sold, carrots.remaining), (3.5, 46.5))
            self.assertEqual((square.orders, farmyard.orders), (0, 1))

            # staff in the ERP: a second order is refused, naming the first
            sale = shop['shop'].get_sale(shop['customer'])
            sale.order_cycle = cycle
            sale.on_change_order_cycle()
            sale.pickup = shop['square']
            with self.assertRaises(OrderError) as error:
                sale.save()
            self.assertEqual(error.exception.message, gettext(
                    'cocagne_bio_shop.msg_order_one_per_customer',
                    party="Camille Martin", order=first.rec_name,
                    cycle=cycle.rec_name))

    @with_transaction()
    def test_fee_lines(self):
        "The fee lines follow what the order holds, last on it"
        pool = Pool()
        Fee = pool.get('cocagne.order_cycle.fee')
        Sale = pool.get('sale.sale')
        company = create_company()
        with set_company(company):
            shop = setup_shop(company)
            cycle = shop['cycle']
            Fee.create([{'cycle': cycle.id, 'name': "Emballage",
                        'product': shop['packing'].id, 'basis': 'item',
                        'payer': 'customer', 'amount': Decimal('0.10')}])
            for items, lines in [
                    ([(shop['lettuce'], 2)], [
                            ("Laitue", 2), ("Préparation", 1),
                            ("Emballage", 2)]),
                    ([(shop['lettuce'], 1)], [
                            ("Laitue", 3), ("Préparation", 1),
                            ("Emballage", 3)]),
                    ([(shop['eggs'], 1)], [
                            ("Laitue", 3), ("Œufs (boîte de 6)", 1),
                            ("Préparation", 1), ("Emballage", 4)]),
                    ]:
                order = Sale.take_cycle_order(cycle, shop['customer'],
                    shop['square'], items)
                self.assertEqual([(l.cycle_fee.name if l.cycle_fee
                            else l.product.name, l.quantity)
                        for l in order.lines], lines)

    @with_transaction()
    def test_caps(self):
        "Caps and capacities: what is left, what is given back"
        pool = Pool()
        Sale = pool.get('sale.sale')
        company = create_company()
        with set_company(company):
            shop = setup_shop(company)
            cycle, carrots = shop['cycle'], shop['carrots']
            order = Sale.take_cycle_order(cycle, shop['customer'],
                shop['farmyard'], [(carrots, 48)])
            with self.assertRaises(SoldOutError) as error:
                Sale.take_cycle_order(cycle, shop['other'], shop['square'],
                    [(shop['lettuce'], 1), (carrots, 2.5)])
            self.assertEqual(error.exception.message, gettext(
                    'cocagne_bio_shop.msg_order_sold_out',
                    product="Carottes", cycle=cycle.rec_name,
                    remaining="2,00\xa0kg"))

            # the order's line edited in the ERP takes from the cap too
            line, = [l for l in order.lines if l.offer == carrots]
            line.quantity = 50
            line.save()
            self.assertEqual(carrots.remaining, 0)
            Sale.cancel([order])
            self.assertEqual(carrots.sold, 0)
            self.assertEqual(shop['farmyard'].orders, 0)

    @with_transaction()
    def test_pickup_full(self):
        "A pickup place takes no more orders than its capacity"
        pool = Pool()
        Party = pool.get('party.party')
        Sale = pool.get('sale.sale')
        company = create_company()
        with set_company(company):
            shop = setup_shop(company)
            cycle, farmyard = shop['cycle'], shop['farmyard']
            third, = Party.create([{'name': "Sacha Roux",
                        'company': company.id, 'addresses': [('create', [{}])]}])
            for party in [shop['customer'], shop['other']]:
                Sale.take_cycle_order(cycle, party, farmyard,
                    [(shop['lettuce'], 1)])
            with self.assertRaises(OrderError) as error:
                Sale.take_cycle_order(cycle, third, farmyard,
                    [(shop['lettuce'], 1)])
            self.assertEqual(error.exception.message, gettext(
                    'cocagne_bio_shop.msg_order_pickup_full',
                    pickup="Cour de la ferme", cycle=cycle.rec_name,
                    capacity=2))

    @with_transaction()
    def test_refusals(self):
        "Bad orders are refused with their own message"
        pool = Pool()
        Cycle = pool.get('cocagne.order_cycle')
        Sale = pool.get('sale.sale')
        Line = pool.get('sale.line')
        company = create_company()
        with set_company(company):
            shop = setup_shop(company)
            cycle = shop['cycle']
            for quantity, shown in [(0, "0\xa0u"), (-1, "-1\xa0u")]:
                with self.assertRaises(OrderError) as error:
                    Sale.take_cycle_order(cycle, shop['customer'],
                        shop['square'], [(shop['lettuce'], quantity)])
                self.assertEqual(error.exception.message, gettext(
                        'cocagne_bio_shop.msg_order_quantity',
                        product="Laitue", quantity=shown))

            other, = Cycle.copy_next_week([cycle])
            sale = shop['shop'].get_sale(shop['customer'])
            sale.order_cycle = cycle
            sale.on_change_order_cycle()
            sale.pickup = other.pickups[0]
            with self.assertRaises(OrderError) as error:
                sale.save()
            self.assertEqual(error.exception.message, gettext(
                    'cocagne_bio_shop.msg_order_pickup_other_cycle',
                    pickup="Place du marché", cycle=cycle.rec_name))

            order = Sale.take_cycle_order(cycle, shop['customer'],
                shop['square'], [(shop['carrots'], 1.5)])
            line, = [l for l in order.lines if l.offer]
            with self.assertRaises(OrderError) as error:
                Line.write([line], {'actual_weight': 0})
            self.assertEqual(error.exception.message, gettext(
                    'cocagne_bio_shop.msg_order_actual_weight',
                    product="Carottes", sale=order.rec_name))

            future, = Cycle.copy_next_week([cycle])
            future.opens_at = dt.datetime.now() + dt.timedelta(days=1)
            future.save()
            Cycle.open([future])
            with self.assertRaises(CycleError) as error:
                Cycle.close([future])
            self.assertEqual(error.exception.message, gettext(
                    'cocagne_bio_shop.msg_cycle_close_before_open',
                    cycle=future.rec_name, opens=future.opens_at))

            Cycle.close([cycle])
            with self.assertRaises(OrderError) as error:
                Sale.take_cycle_order(cycle, shop['other'], shop['square'],
                    [(shop['lettuce'], 1)])
            self.assertEqual(error.exception.message, gettext(
                    'cocagne_bio_shop.msg_order_not_open',
                    cycle=cycle.rec_name))

    @with_transaction()
    def test_close_weighed(self):
        "Close confirms the orders; the invoice follows the weight packed"
        pool = Pool()
        Cycle = pool.get('cocagne.order_cycle')
        Sale = pool.get('sale.sale')
        Line = pool.get('sale.line')
        Shipment = pool.get('stock.shipment.out')
        company = create_company()
        with set_company(company):
            shop = setup_shop(company)
            cycle = shop['cycle']
            order = Sale.take_cycle_order(cycle, shop['customer'],
                shop['square'], [(shop['carrots'], 2), (shop['lettuce'], 1)])
            Cycle.close([cycle])
            order = Sale(order.id)
            self.assertEqual(order.state, 'confirmed')
            # the queue processes the confirmed orders
            Sale.process([order])
            self.assertEqual(order.state, 'processing')
            line, = [l for l in order.lines if l.offer == shop['carrots']]
            Line.write([line], {'actual_weight': 2.3})
            move, = line.moves
            self.assertEqual(move.quantity, 2.3)
            shipments = order.shipments
            Shipment.wait(shipments)
            Shipment.assign_force(shipments)
            Shipment.pick(shipments)
            Shipment.pack(shipments)
            Shipment.do(shipments)
            order = Sale(order.id)
            Sale.process([order])
            # the fee (a service) is invoiced at once, the goods once shipped
            quantities = {l.product.name: l.quantity
                for i in order.invoices for l in i.lines}
            self.assertEqual(quantities, {"Carottes": 2.3, "Laitue": 1,
                    "Frais de préparation": 1})


del ModuleTestCase

"""Closing a cycle: the partner farms' purchases, made once and emailed;
the packing and delivery lists in PDF and XLSX"""
import io
import unittest
from decimal import Decimal
from unittest.mock import patch

import openpyxl
from pypdf import PdfReader

from trytond.modules.cocagne_base.tests.tools import StackTestMixin
from trytond.modules.cocagne_bio_shop.lists import (
    by_customer, by_producer, by_product, deliveries, sheet_name)
from trytond.modules.cocagne_bio_shop.purchase import (
    farm_quantities, producer_price)
from trytond.modules.cocagne_base.tests.tools import create_garden
from trytond.modules.cocagne_bio_shop.tests.tools import setup_shop
from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

SEND = 'trytond.ir.email_.send_message_transactional'


def pdf_text(content):
    "The text of a PDF on one line, its spaces made plain."
    text = ' '.join(p.extract_text() for p in PdfReader(
            io.BytesIO(content)).pages)
    return ' '.join(text.replace('\xa0', ' ').replace('\u202f', ' ').split())


def item(product, producer, quantity, unit='kg', weighed=False,
        cold_chain=False):
    return {'product': product, 'producer': producer, 'quantity': quantity,
        'unit': unit, 'digits': 2, 'weighed': weighed,
        'actual_weight': None, 'cold_chain': cold_chain}


def order(number, customer, pickup, items, amount='10'):
    return {'number': number, 'customer': customer, 'phone': '',
        'pickup': pickup, 'place': f"Lieu {pickup}", 'items': items,
        'amount': Decimal(amount)}


class ListsTestCase(unittest.TestCase):
    "The lists built from plain data, and the purchases' quantities"

    def setUp(self):
        self.orders = [
            order('V2', "dominique", 1, [
                    item("Carottes", "Ferme", 1.5, weighed=True)]),
            order('V1', "Camille", 2, [
                    item("Œufs", "Poulailler", 2, 'u', cold_chain=True),
                    item("Carottes", "Ferme", 2.25, weighed=True)],
                amount='12.40'),
            ]

    def test_by_customer(self):
        "Orders by customer name, whatever its case"
        self.assertEqual([o['number'] for o in by_customer(self.orders)],
            ['V1', 'V2'])

    def test_by_producer(self):
        "What each producer's products sold"
        self.assertEqual(by_producer(self.orders), [
                {'producer': "Ferme", 'products': [{'product': "Carottes",
                            'quantity': 3.75, 'unit': 'kg', 'digits': 2}]},
                {'producer': "Poulailler", 'products': [{'product': "Œufs",
                            'quantity': 2, 'unit': 'u', 'digits': 2}]},
                ])

    def test_by_product(self):
        "The total of each product and its customers"
        carrots, eggs = by_product(self.orders)
        self.assertEqual((carrots['product'], carrots['quantity']),
            ("Carottes", 3.75))
        self.assertEqual([(c['customer'], c['quantity'])
                for c in carrots['customers']],
            [("Camille", 2.25), ("dominique", 1.5)])
        self.assertTrue(eggs['cold_chain'])

    def test_deliveries(self):
        "One list per pickup place, even empty, with the amount due"
        pickups = [{'key': k, 'place': f"Lieu {k}", 'window': '',
                'address': '', 'instructions': ''} for k in [2, 1, 3]]
        lists = deliveries(pickups, self.orders)
        self.assertEqual([(l['place'], len(l['orders']), l['cold_chain'],
                    l['amount']) for l in lists], [
                ("Lieu 2", 1, 1, Decimal('12.40')),
                ("Lieu 1", 1, 0, Decimal('10')),
                ("Lieu 3", 0, 0, 0),
                ])

    def test_sheet_name(self):
        "Worksheet names: short, allowed characters, unique"
        taken = set()
        self.assertEqual(sheet_name("Cour/de la ferme", taken),
            "Cour de la ferme")
        self.assertEqual(sheet_name("cour de la ferme", taken),
            "cour de la ferme (2)")
        self.assertEqual(len(sheet_name("x" * 40, taken)), 31)

    def test_farm_quantities(self):
        "A farm's offers summed; an offer that sold nothing left out"
        self.assertEqual(farm_quantities([
                    ('c', 'farm', 'carrots', 2), ('c', 'farm', 'leeks', 0),
                    ('c', 'farm', 'carrots', 1.5), ('c', 'hens', 'eggs', 3),
                    ]), {
                ('c', 'farm'): [('carrots', 3.5)],
                ('c', 'hens'): [('eggs', 3)]})
        self.assertEqual(producer_price(Decimal('2.50'), Decimal('0.15')),
            Decimal('2.1250'))


class CloseTestCase(StackTestMixin, _DBTestCase):
    "Test the close of a cycle: purchases and lists"
    module = 'cocagne_bio_shop'

    def take_orders(self, shop):
        """Three orders: Camille at the market place (carrots, eggs,
        lettuce), Dominique and Sacha in the farmyard."""
        pool = Pool()
        Party = pool.get('party.party')
        Sale = pool.get('sale.sale')
        Template = pool.get('product.template')
        cycle = shop['cycle']
        Template.write([shop['eggs'].product.template], {'cold_chain': True})
        Party.write([shop['farm']], {'addresses': [('create', [{
                            'city': "Thorigné-Fouillard"}])]})
        sacha, = Party.create([{'name': "Sacha Roux",
                    'addresses': [('create', [{'city': "Rennes"}])]}])
        orders = [
            Sale.take_cycle_order(cycle, shop['customer'], shop['square'],
                [(shop['carrots'], 2.5), (shop['eggs'], 2),
                    (shop['lettuce'], 1)]),
            Sale.take_cycle_order(cycle, shop['other'], shop['farmyard'],
                [(shop['carrots'], 1.5), (shop['lettuce'], 2)]),
            Sale.take_cycle_order(cycle, sacha, shop['farmyard'],
                [(shop['eggs'], 1)]),
            ]
        return orders

    @with_transaction()
    def test_close_purchase(self):
        """Close buys from each partner farm supplying by purchase what it
        sold, at its price, and emails it the purchase with its document"""
        pool = Pool()
        Email = pool.get('ir.email')
        Purchase = pool.get('purchase.purchase')
        company = create_garden()
        with set_company(company):
            shop, _, send = self.close_with_orders(company)
            cycle = shop['cycle']

            # the hens' eggs are on consignment, the lettuce the garden's
            purchase, = Purchase.search([('order_cycle', '=', cycle.id)])
            self.assertEqual(purchase.party, shop['farm'])
            self.assertEqual(purchase.state, 'confirmed')
            self.assertEqual(purchase.invoice_method, 'manual')
            self.assertEqual(purchase.warehouse, shop['shop'].warehouse)
            self.assertEqual(purchase.delivery_date, cycle.delivery_date)
            line, = purchase.lines
            self.assertEqual(line.product, shop['carrots'].product)
            self.assertEqual((line.quantity, line.unit.symbol), (4, 'kg'))
            # 2,50 € less the commission of 15 %
            self.assertEqual(line.unit_price, Decimal('2.1250'))
            self.assertEqual(purchase.untaxed_amount, Decimal('8.50'))
            self.assertEqual(purchase.farm_email, 'sent')

            send.assert_called_once()
            message = send.call_args[0][0]
            self.assertIn('fermedespres@example.org', message['To'])
            self.assertIn(cycle.rec_name, message['Subject'])
            self.assertIn(purchase.number, message['Subject'])
            attachment, = message.iter_attachments()
            self.assertTrue(attachment.get_filename().endswith('.odt'))
            self.assertTrue(attachment.get_content())
            email, = Email.search([('resource', '=', str(purchase))])
            self.assertEqual(email.subject, message['Subject'])
            self.assertIn(purchase.number, email.body)
            self.assertIn(company.rec_name, email.body)

    @with_transaction()
    def test_close_idempotent(self):
        "A farm and a cycle never have two purchases"
        pool = Pool()
        Cycle = pool.get('cocagne.order_cycle')
        Purchase = pool.get('purchase.purchase')
        company = create_garden()
        with set_company(company):
            shop = setup_shop(company)
            cycle = shop['cycle']
            self.take_orders(shop)
            with patch(SEND) as send:
                Cycle.close([cycle])
                Cycle.close([cycle])
                self.assertEqual(Purchase.make_for_cycles([cycle]), [])
            self.assertEqual(Purchase.search_count(
                    [('order_cycle', '=', cycle.id)]), 1)
            self.assertEqual(send.call_count, 1)

    @with_transaction()
    def test_close_farm_without_email(self):
        """A farm without email address: its purchase is made and marked
        not sent; sent once the address is added"""
        pool = Pool()
        ContactMechanism = pool.get('party.contact_mechanism')
        Purchase = pool.get('purchase.purchase')
        company = create_garden()
        with set_company(company):
            shop, _, send = self.close_with_orders(company,
                farm_without='contact_mechanisms')
            cycle, farm = shop['cycle'], shop['farm']
            purchase, = Purchase.search([('order_cycle', '=', cycle.id)])
            self.assertEqual(purchase.state, 'confirmed')
            self.assertEqual(purchase.farm_email, 'no_email')
            send.assert_not_called()

            ContactMechanism.create([{'party': farm.id, 'type': 'email',
                        'value': 'contact@fermedespres.example.org'}])
            with patch(SEND) as send:
                Purchase.send_to_farm([purchase])
            self.assertEqual(purchase.farm_email, 'sent')
            self.assertIn('contact@fermedespres.example.org',
                send.call_args[0][0]['To'])

    @with_transaction()
    def test_close_farm_without_address(self):
        """A farm without address does not stop the close: its purchase
        waits in draft, and is sent once confirmed"""
        pool = Pool()
        Address = pool.get('party.address')
        Purchase = pool.get('purchase.purchase')
        company = create_garden()
        with set_company(company):
            shop, _, send = self.close_with_orders(company,
                farm_without='addresses')
            cycle, farm = shop['cycle'], shop['farm']
            self.assertEqual(cycle.state, 'closed')
            purchase, = Purchase.search([('order_cycle', '=', cycle.id)])
            self.assertEqual(purchase.state, 'draft')
            self.assertEqual(purchase.farm_email, 'no_address')
            send.assert_not_called()

            address, = Address.create([{'party': farm.id,
                        'city': "Thorigné-Fouillard"}])
            purchase.invoice_address = address
            purchase.save()
            with patch(SEND) as send:
                Purchase.quote([purchase])
                Purchase.confirm([purchase])
            self.assertEqual(purchase.farm_email, 'sent')
            send.assert_called_once()

    def close_with_orders(self, company, farm_without=None):
        """A closed cycle of three orders, the farm's records of the field
        farm_without (its addresses, its contact mechanisms) deleted
        before the close; return the shop, the orders and the mock of the
        emails' sending."""
        pool = Pool()
        Cycle = pool.get('cocagne.order_cycle')
        Sale = pool.get('sale.sale')
        shop = setup_shop(company)
        self.take_orders(shop)
        if farm_without:
            records = list(getattr(shop['farm'], farm_without))
            pool.get(records[0].__name__).delete(records)
        with patch(SEND) as send:
            Cycle.close([shop['cycle']])
        orders = Sale.search([('order_cycle', '=', shop['cycle'].id)],
            order=[('id', 'ASC')])
        return shop, orders, send

    @with_transaction()
    def test_packing_list(self):
        """The packing list PDF: each order with its lines and a blank for
        the weight packed, then by producer, then by product"""
        pool = Pool()
        Report = pool.get('cocagne.order_cycle.packing_list', type='report')
        company = create_garden()
        with set_company(company):
            shop, orders, _ = self.close_with_orders(company)
            ext, content, _, name = Report.execute([shop['cycle'].id], {})
            self.assertEqual(ext, 'pdf')
            text = pdf_text(content)
            by_customer = text.index("Par client")
            by_producer = text.index("Par producteur")
            by_product = text.index("Par produit")
            self.assertLess(by_customer, by_producer)
            self.assertLess(by_producer, by_product)
            customers = text[by_customer:by_producer]
            for words in [
                    f"Camille Martin — {orders[0].number}",
                    "Retrait : Place du marché",
                    "La Ferme des Prés 2,50 kg (estimé) ______ kg",
                    "Œufs (boîte de 6) (froid) Le Poulailler 2 u",
                    f"Sacha Roux — {orders[2].number}"]:
                self.assertIn(words, customers)
            self.assertLess(customers.index("Camille Martin"),
                customers.index("Dominique Petit"))
            producers = text[by_producer:by_product]
            self.assertIn("La Ferme des Prés Produit Quantité Reçu "
                "Carottes 4,00 kg", producers)
            self.assertIn("Le Poulailler Produit Quantité Reçu "
                "Œufs (boîte de 6) 3 u", producers)
            products = text[by_product:]
            self.assertIn("Carottes (La Ferme des Prés) : 4,00 kg", products)
            self.assertIn(
                f"Camille Martin {orders[0].number} Place du marché 2,50 kg",
                products)

    @with_transaction()
    def test_packing_list_xlsx(self):
        "The packing lists as a workbook: the same rows as the PDF"
        pool = Pool()
        Report = pool.get('cocagne.order_cycle.packing_list.xlsx',
            type='report')
        company = create_garden()
        with set_company(company):
            shop, orders, _ = self.close_with_orders(company)
            cycle = shop['cycle']
            ext, content, _, name = Report.execute([cycle.id], {})
            self.assertEqual(ext, 'xlsx')
            workbook = openpyxl.load_workbook(io.BytesIO(content))
            self.assertEqual(workbook.sheetnames,
                ["Par client", "Par producteur", "Par produit"])
            rows = list(workbook["Par client"].values)
            self.assertEqual(rows[1][:2], (cycle.rec_name, orders[0].number))
            self.assertEqual([r[2:] for r in rows[1:4]], [
                    ("Camille Martin", "Place du marché", "Carottes",
                        "La Ferme des Prés", 2.5, "kg", 2.5, None),
                    ("Camille Martin", "Place du marché",
                        "Œufs (boîte de 6)", "Le Poulailler", 2, "u", None,
                        None),
                    ("Camille Martin", "Place du marché", "Laitue",
                        company.party.rec_name, 1, "u", None, None),
                    ])
            self.assertEqual(len(rows), 1 + 6)
            self.assertIn((cycle.rec_name, "La Ferme des Prés", "Carottes",
                    4, "kg"), list(workbook["Par producteur"].values))
            products = [r[1:] for r in workbook["Par produit"].values]
            self.assertIn(("Carottes", "La Ferme des Prés", 4, "kg",
                    "Camille Martin", orders[0].number, "Place du marché",
                    2.5), products)
            self.assertIn(("Carottes", "La Ferme des Prés", None, "kg",
                    "Dominique Petit", orders[1].number, "Cour de la ferme",
                    1.5), products)

    @with_transaction()
    def test_delivery_list(self):
        """The delivery list of each pickup place: its window and
        instructions, each order's customer, phone, items, amount due and
        cold-chain items"""
        pool = Pool()
        Report = pool.get('cocagne.order_cycle.delivery_list', type='report')
        company = create_garden()
        with set_company(company):
            shop, orders, _ = self.close_with_orders(company)
            ext, content, _, name = Report.execute([shop['cycle'].id], {})
            self.assertEqual(ext, 'pdf')
            text = pdf_text(content)
            square = text.index("Liste de retrait : Place du marché")
            farmyard = text.index("Liste de retrait : Cour de la ferme")
            at_square, at_farmyard = text[square:farmyard], text[farmyard:]
            camille = orders[0]
            for words in ["Sous la halle.", "16:00 – 19:00",
                    "dont 1 avec produits frais",
                    f"Camille Martin {camille.number} +33 2 99 00 00 01 "
                    "Carottes : 2,50 kg",
                    "Œufs (boîte de 6) : 2 u — FROID",
                    # 2,5 × 2,50 + 2 × 3,20 + 1,20 + 0,50 and 5,5 % VAT
                    "Total dû : 15,14 €"]:
                self.assertIn(words, at_square)
            self.assertEqual(camille.total_amount, Decimal('15.14'))
            self.assertNotIn("Dominique", at_square)
            self.assertIn("16:00 – 18:00", at_farmyard)
            self.assertLess(at_farmyard.index("Dominique Petit"),
                at_farmyard.index("Sacha Roux"))
            self.assertEqual(at_farmyard.count("FROID"), 1)

    @with_transaction()
    def test_delivery_list_xlsx(self):
        "The delivery lists as a workbook: a sheet per pickup place"
        pool = Pool()
        Report = pool.get('cocagne.order_cycle.delivery_list.xlsx',
            type='report')
        company = create_garden()
        with set_company(company):
            shop, orders, _ = self.close_with_orders(company)
            ext, content, _, name = Report.execute([shop['cycle'].id], {})
            self.assertEqual(ext, 'xlsx')
            workbook = openpyxl.load_workbook(io.BytesIO(content))
            self.assertEqual(workbook.sheetnames,
                ["Place du marché", "Cour de la ferme"])
            rows = list(workbook["Place du marché"].values)
            self.assertEqual(rows[0][0], "Place du marché")
            self.assertIn("Sous la halle.", rows[4])
            camille = orders[0]
            self.assertEqual(rows[7:10], [
                    ("Camille Martin", "+33 2 99 00 00 01", camille.number,
                        "Carottes", 2.5, "kg", None, 15.14),
                    ("Camille Martin", "+33 2 99 00 00 01", camille.number,
                        "Œufs (boîte de 6)", 2, "u", "Oui", None),
                    ("Camille Martin", "+33 2 99 00 00 01", camille.number,
                        "Laitue", 1, "u", None, None),
                    ])

    @with_transaction()
    def test_cold_chain(self):
        "A product is not cold-chain unless said so, on its form"
        pool = Pool()
        Template = pool.get('product.template')
        self.assertIs(Template.default_cold_chain(), False)
        view = Template.fields_view_get(view_type='form')
        self.assertIn('cold_chain', view['fields'])
        self.assertIn('name="cold_chain"', view['arch'])


del _DBTestCase

"Producers' settlement: figures, the invoice, consignment lines taken over"
from decimal import Decimal

from trytond.i18n import gettext
from trytond.modules.cocagne_base.tests.tools import StackTestMixin
from trytond.modules.cocagne_bio_shop.exceptions import SettlementError
from trytond.modules.cocagne_bio_shop.fees import (
    apportion, line_amount, settle_groups)
from trytond.modules.cocagne_bio_shop.tests.tools import setup_shop
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction


class SettlementTestCase(StackTestMixin, _DBTestCase):
    "Test the producers' settlement of the Cocagne Bio shop"
    module = 'cocagne_bio_shop'

    def test_settle_groups(self):
        "Fees split pro rata, a settle() per VAT rate, invoice rounding"
        self.assertEqual(apportion(Decimal('1'), [1, 1, 1]),
            [Decimal('0.34'), Decimal('0.33'), Decimal('0.33')])
        self.assertEqual(apportion(Decimal('2'), [0, 0]),
            [Decimal('2.00'), Decimal(0)])
        self.assertEqual(line_amount(1.5, Decimal('2.55')), Decimal('3.82'))
        totals, groups = settle_groups(
            [(Decimal('100'), Decimal('0.055')), (Decimal('50'), '0.2')],
            '0.15', [Decimal('3'), Decimal('1')])
        self.assertEqual([g['fee_shares'] for g in groups], [
                [Decimal('2.00'), Decimal('0.67')],
                [Decimal('1.00'), Decimal('0.33')]])
        self.assertEqual(totals, {
                'sold': Decimal('150.00'), 'commission': Decimal('22.50'),
                'fees': Decimal('4.00'), 'base': Decimal('123.50'),
                'vat': Decimal('12.76'), 'owed': Decimal('136.26')})

    @with_transaction()
    def test_settlement(self):
        "Settle a cycle: figures, one invoice per farm, never twice"
        pool = Pool()
        Address = pool.get('party.address')
        Configuration = pool.get('account.configuration')
        Cycle = pool.get('cocagne.order_cycle')
        Fee = pool.get('cocagne.order_cycle.fee')
        InvoiceLine = pool.get('account.invoice.line')
        Location = pool.get('stock.location')
        Move = pool.get('stock.move')
        Offer = pool.get('cocagne.order_cycle.offer')
        Party = pool.get('party.party')
        ProductSupplier = pool.get('purchase.product_supplier')
        Sale = pool.get('sale.sale')
        SaleLine = pool.get('sale.line')
        Settlement = pool.get('cocagne.order_cycle.settlement')
        company = create_company()
        with set_company(company):
            shop = setup_shop(company)
            cycle, farm, hens = shop['cycle'], shop['farm'], shop['hens']
            carrots, eggs = shop['carrots'], shop['eggs']
            warehouse, = Location.search([('code', '=', 'WH')])
            # the hens' eggs on the shelf: their consignment stock
            consignment, = Location.create([{
                        'name': "Dépôt Le Poulailler", 'type': 'supplier',
                        'parent': warehouse.storage_location.id,
                        'consignment_party': hens.id}])
            # the farm's price, at which stock_consignment makes its lines
            ProductSupplier.create([{
                        'template': eggs.product.template.id,
                        'product': eggs.product.id, 'party': hens.id,
                        'prices': [('create', [{
                                        'quantity': 0,
                                        'unit_price': Decimal('2.72')}])],
                        }])
            Fee.create([{
                        'cycle': cycle.id, 'name': "Transport",
                        'product': shop['packing'].id, 'basis': 'order',
                        'payer': 'producer', 'amount': Decimal('0.30')}])
            third, = Party.create([{'name': "Sacha Roux",
                        'company': company.id,
                        'addresses': [('create', [{'city': "Épinal"}])]}])
            first = Sale.take_cycle_order(cycle, shop['customer'],
                shop['square'], [(carrots, 2), (eggs, 3)])
            second = Sale.take_cycle_order(cycle, shop['other'],
                shop['square'], [(carrots, 1.5), (eggs, 2),
                    (shop['lettuce'], 1)])
            # no goods of the farms: no producer fee
            Sale.take_cycle_order(cycle, third, shop['square'],
                [(shop['lettuce'], 2)])

            with self.assertRaises(SettlementError) as error:
                Cycle.settle_producers([cycle])
            self.assertEqual(error.exception.message, gettext(
                    'cocagne_bio_shop.msg_settlement_cycle_not_closed',
                    cycle=cycle.rec_name))

            Cycle.close([cycle])
            first, second = Sale.browse([first.id, second.id])
            Sale.process([first, second])
            line, = [l for l in first.lines if l.offer == carrots]
            SaleLine.write([line], {'actual_weight': 2.3})
            self.ship(first, eggs, consignment)
            standalone, = InvoiceLine.search([
                    ('product', '=', eggs.product.id),
                    ('invoice_type', '=', 'in')])
            self.assertEqual((standalone.party, standalone.invoice,
                    standalone.quantity, standalone.unit_price),
                (hens, None, 3, Decimal('2.72')))

            Cycle.settle_producers([cycle])
            by_farm = {s.producer: s for s in cycle.settlements}
            self.assertEqual(set(by_farm), {farm, hens})
            bought, consigned = by_farm[farm], by_farm[hens]
            line, fee = bought.lines
            # the actual weight of the first order, the estimate of the other
            self.assertEqual((line.product, line.quantity, line.unit_price,
                    line.amount), (carrots.product, 3.8, Decimal('2.50'),
                    Decimal('9.50')))
            self.assertEqual((fee.cycle_fee.name, fee.quantity, fee.amount),
                ("Transport", 2, Decimal('0.60')))
            self.assertEqual(
                [getattr(bought, n) for n in
                    ['commission_rate', 'sold', 'commission', 'fees',
                        'base', 'vat', 'owed']],
                [Decimal('0.15'), Decimal('9.50'), Decimal('1.43'),
                    Decimal('0.60'), Decimal('7.47'), Decimal('0.41'),
                    Decimal('7.88')])
            line, _ = consigned.lines
            self.assertEqual((line.supply, line.quantity, line.consigned,
                    line.amount), ('consignment', 5, 3, Decimal('16.00')))
            self.assertEqual(
                [consigned.sold, consigned.commission, consigned.fees,
                    consigned.vat, consigned.owed],
                [Decimal('16.00'), Decimal('2.40'), Decimal('0.60'),
                    Decimal('0.72'), Decimal('13.72')])

            # settling again changes nothing
            Cycle.settle_producers([cycle])
            self.assertEqual(
                sorted(s.id for s in Settlement.search([])),
                sorted([bought.id, consigned.id]))

            # refused: no payable account, no price
            config = Configuration(1)
            payable = config.default_account_payable
            config.default_account_payable = None
            config.save()
            with self.assertRaises(SettlementError) as error:
                Settlement.create_invoice([bought])
            self.assertEqual(error.exception.message, gettext(
                    'cocagne_bio_shop.msg_settlement_no_payable',
                    producer="La Ferme des Prés",
                    settlement=bought.rec_name))
            config.default_account_payable = payable
            config.save()
            with self.assertRaises(SettlementError) as error:
                Settlement.create_invoice([bought])
            self.assertEqual(error.exception.message, gettext(
                    'cocagne_bio_shop.msg_settlement_no_address',
                    producer="La Ferme des Prés"))
            Address.create([{'party': p.id, 'city': "Mirecourt"}
                    for p in [farm, hens]])
            Offer.write([carrots], {'unit_price': Decimal(0)})
            with self.assertRaises(SettlementError) as error:
                Settlement.create_invoice([bought])
            self.assertEqual(error.exception.message, gettext(
                    'cocagne_bio_shop.msg_settlement_no_price',
                    product="Carottes", settlement=bought.rec_name))
            Offer.write([carrots], {'unit_price': Decimal('2.50')})
            self.assertEqual(Settlement(bought.id).invoice, None)

            Settlement.create_invoice([bought, consigned])
            for settlement in Settlement.browse([bought, consigned]):
                invoice = settlement.invoice
                self.assertEqual((settlement.state, invoice.type,
                        invoice.party, invoice.state),
                    ('done', 'in', settlement.producer, 'draft'))
                self.assertEqual(invoice.untaxed_amount, settlement.base)
                self.assertEqual(invoice.tax_amount, settlement.vat)
                self.assertEqual(invoice.total_amount, settlement.owed)
            invoice = Settlement(consigned.id).invoice
            # the consigned eggs: the standalone line taken over at the
            # settlement's price, one line for those not from the shelf
            egg_lines = [l for l in invoice.lines if l.product == eggs.product]
            self.assertIn(standalone, egg_lines)
            self.assertEqual(
                sorted((l.quantity, l.unit_price) for l in egg_lines),
                [(2, Decimal('3.20')),
                    (3, Decimal('3.20'))])
            self.assertEqual(
                {l.description: l.amount for l in invoice.lines
                    if not l.product}, {
                    gettext('cocagne_bio_shop.msg_settlement_commission',
                        rate='15'): Decimal('-2.40'),
                    "Transport": Decimal('-0.60')})
            self.assertEqual(
                sorted(l.amount for l in invoice.lines),
                sorted([Decimal('9.60'), Decimal('6.40'), Decimal('-2.40'),
                        Decimal('-0.60')]))

            # again: nothing new; the second order's eggs shipped from the
            # consignment later make no second line for the farm
            Cycle.settle_producers([cycle])
            Settlement.create_invoice(Settlement.search([]))
            self.ship(second, eggs, consignment)
            lines = InvoiceLine.search([
                    ('product', '=', eggs.product.id),
                    ('invoice_type', '=', 'in')])
            self.assertEqual(sorted(l.quantity for l in lines), [2, 3])
            self.assertTrue(all(l.invoice == invoice for l in lines))
            self.assertEqual(Settlement.search_count([]), 2)
            self.assertEqual(len(Move.search([
                            ('from_location', '=', consignment.id),
                            ('state', '=', 'done')])), 2)

    @staticmethod
    def ship(order, offer, consignment):
        "Ship order, the goods of offer taken from consignment."
        pool = Pool()
        Move = pool.get('stock.move')
        Shipment = pool.get('stock.shipment.out')
        shipment, = order.shipments
        if shipment.state == 'draft':
            Shipment.wait([shipment])
        moves = [m for m in shipment.inventory_moves
            if m.product == offer.product]
        Move.write(moves, {'from_location': consignment.id})
        Shipment.assign_force([shipment])
        Shipment.pick([shipment])
        Shipment.pack([shipment])
        Shipment.do([shipment])


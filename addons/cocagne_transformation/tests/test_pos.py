"Lots on point-of-sale tickets (sale_point activated)"
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model.exceptions import RequiredValidationError
from trytond.modules.cocagne_base.tests.tools import (
    StackTestMixin, create_sale_point)
from trytond.modules.cocagne_transformation.exceptions import TicketLotError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

from . import test_module as base


def create_point(company):
    "A till selling from the default warehouse's storage."
    storage, = Pool().get('stock.location').search([('code', '=', 'STO')])
    return create_sale_point(company, storage, "Boutique")


def line(product, quantity=1, lot=None):
    "The values of a ticket line at 3 € the unit."
    return {
        'product': product.id, 'quantity': quantity,
        'lot': lot.id if lot else None,
        'unit_list_price': Decimal('3'),
        'unit_gross_price': Decimal('3'),
        }


class PointOfSaleLotTestCase(StackTestMixin, _DBTestCase):
    "Test the lots of point-of-sale tickets"
    module = 'cocagne_transformation'

    @with_transaction()
    def test_ticket_line_lot(self):
        """A ticket line of a product traced up to the customer needs its
        lot, which the stock move of the line carries"""
        pool = Pool()
        Sale = pool.get('sale.point.sale')
        Line = pool.get('sale.point.sale.line')
        Lot = pool.get('stock.lot')
        company = create_company()
        with set_company(company):
            point = create_point(company)
            jam = base.create_product(company, "Confiture", unit='u',
                salable=True, sale_uom=base.uom('u').id,
                lot_required=['customer'])
            jar = base.create_product(company, "Bocal vide", unit='u',
                salable=True, sale_uom=base.uom('u').id,
                lot_required=['production'])
            lot, = Lot.create([{'number': 'CF-1', 'product': jam.id}])
            ticket, = Sale.create([{'point': point.id}])
            with self.assertRaises(RequiredValidationError):
                Line.create([dict(line(jam), sale=ticket.id)])
            sold, loose = Line.create([
                    dict(line(jam, 2, lot), sale=ticket.id),
                    dict(line(jar), sale=ticket.id)])
            self.assertTrue(sold.lot_required)
            self.assertFalse(loose.lot_required)
            move = sold.get_stock_move()
            self.assertEqual(move.lot, lot)
            self.assertEqual(move.to_location, point.customer_location)
            self.assertIsNone(loose.get_stock_move().lot)
            # a return comes back from the customer: its lot too
            returned, = Line.create([dict(line(jam, -1), lot=lot.id,
                        sale=ticket.id)])
            self.assertTrue(returned.lot_required)

    @with_transaction()
    def test_ticket_without_lot_refused(self):
        """A ticket selling a product that became traced by lot after the
        line was entered is refused until its lot is entered"""
        pool = Pool()
        Sale = pool.get('sale.point.sale')
        Template = pool.get('product.template')
        company = create_company()
        with set_company(company):
            point = create_point(company)
            jam = base.create_product(company, "Confiture", unit='u',
                salable=True, sale_uom=base.uom('u').id,
                lot_required=[])
            ticket, = Sale.create([{
                        'point': point.id,
                        'lines': [('create', [line(jam)])],
                        }])
            Template.write([jam.template], {'lot_required': ['customer']})
            with self.assertRaises(TicketLotError) as cm:
                Sale.do([ticket])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_transformation.msg_ticket_line_no_lot',
                    ticket=ticket.rec_name, point="Boutique",
                    date=Pool().get('ir.lang').get().strftime(ticket.date),
                    product=jam.rec_name))
            self.assertIn("Boutique", cm.exception.message)
            self.assertIn("Confiture", cm.exception.message)
            ticket = Sale(ticket.id)
            self.assertEqual(ticket.state, 'open')
            self.assertIsNone(ticket.number)


del _DBTestCase

import datetime as dt
import io
from decimal import Decimal

import openpyxl
from pypdf import PdfReader

from trytond.modules.cocagne_base.tests.tools import (
    StackTestMixin, create_garden)
from trytond.modules.company.tests import create_employee, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

from .test_module import VILLAGES, create_product, create_round

DATE = dt.date(2026, 6, 2)


def day(date):
    "date as the reports write it, in the language of the database."
    return Pool().get('ir.lang').get().strftime(date)


def pdf_text(content):
    "The text of a PDF on one line, its spaces made plain."
    text = ' '.join(p.extract_text() for p in PdfReader(
            io.BytesIO(content)).pages)
    return ' '.join(text.replace('\xa0', ' ').replace('\u202f', ' ').split())


def pdf_lines(content):
    """The lines of text of the first page of a PDF, from the top, each
    made of what is written at the same height."""
    lines = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            lines.setdefault(round(cm[5] + tm[5] * cm[3]), []).append(text)
    PdfReader(io.BytesIO(content)).pages[0].extract_text(visitor_text=visit)
    return [' '.join(' '.join(parts).split())
        for _, parts in sorted(lines.items(), reverse=True)]


class SheetTestCase(StackTestMixin, _DBTestCase):
    "Test the sheets of the driver"
    module = 'cocagne_tournees'

    def setup_run(self, company):
        """A delivery run through three villages: a load of carrots, a
        shop delivered with leeks sold 4.50 €/kg at the first stop and a
        farm where apples are collected at the second."""
        pool = Pool()
        Party = pool.get('party.party')
        Run = pool.get('cocagne.round.run')
        RunStop = pool.get('cocagne.round.run.stop')
        RoundStop = pool.get('cocagne.round.stop')
        Template = pool.get('product.template')
        Sale = pool.get('sale.sale')
        Shipment = pool.get('stock.shipment.out')
        driver = create_employee(company, "Jeanne Conductrice")
        round_ = create_round(company, VILLAGES[:3], kind='delivery',
            driver=driver.id)
        RoundStop.write([round_.stops[0]], {
                'window_start': dt.time(8, 30),
                'window_end': dt.time(10, 0)})
        carrot = create_product(company, "Carottes")
        leek = create_product(company, "Poireaux")
        apple = create_product(company, "Pommes")
        Template.write([apple.template], {
                'purchasable': True, 'purchase_uom': apple.default_uom.id})
        shop, farm = Party.create([{
                    'name': "Épicerie de Roulans",
                    'addresses': [('create', [{'city': "Roulans"}])],
                    }, {
                    'name': "Ferme des Grands Prés",
                    'addresses': [('create', [{'city': "Thise"}])],
                    }])
        run, = Run.create([{
                    'round': round_.id, 'date': DATE,
                    'lines': [('create', [{
                                    'product': carrot.id,
                                    'loaded_quantity': 12,
                                    }])],
                    }])
        customer_stop, farm_stop, _ = run.stops
        RunStop.write([customer_stop], {'party': shop.id})
        RunStop.write([farm_stop], {
                'party': farm.id,
                'collected': [('create', [{
                                'product': apple.id, 'quantity': 20,
                                'unit': apple.default_uom.id,
                                }])],
                })
        sale, = Sale.create([{
                    'company': company.id, 'party': shop.id,
                    'invoice_address': shop.addresses[0].id,
                    'shipment_address': shop.addresses[0].id,
                    'invoice_method': 'manual', 'shipment_method': 'manual',
                    'warehouse': round_.site.id,
                    'lines': [('create', [{
                                    'product': leek.id, 'quantity': 3,
                                    'unit': leek.default_uom.id,
                                    'unit_price': Decimal('4.50'),
                                    }])],
                    }])
        Sale.quote([sale])
        Sale.confirm([sale])

        def shipment(date, state='draft'):
            site = round_.site
            shipment, = Shipment.create([{
                        'company': company.id, 'customer': shop.id,
                        'delivery_address': shop.addresses[0].id,
                        'warehouse': site.id, 'planned_date': date,
                        'warehouse_storage': site.storage_location.id,
                        'warehouse_output': site.output_location.id,
                        'outgoing_moves': [('create', [{
                                        'product': leek.id, 'quantity': 3,
                                        'unit': leek.default_uom.id,
                                        'from_location':
                                        site.output_location.id,
                                        'to_location':
                                        shop.customer_location.id,
                                        'unit_price': Decimal('4.50'),
                                        'currency': company.currency.id,
                                        'company': company.id,
                                        'planned_date': date,
                                        'origin': str(sale.lines[0]),
                                        }])],
                        }])
            if state == 'cancelled':
                Shipment.cancel([shipment])
            return shipment
        delivered = shipment(DATE)
        # neither another day's shipment nor a cancelled one is delivered
        shipment(DATE + dt.timedelta(days=1))
        shipment(DATE, 'cancelled')
        return Run(run.id), delivered, sale

    @with_transaction()
    def test_deliveries(self):
        """A stop of a delivery run has the shipments planned to its
        customer that day, what is left to pay of them, and the run loads
        them"""
        pool = Pool()
        Run = pool.get('cocagne.round.run')
        company = create_garden()
        with set_company(company):
            run, shipment, sale = self.setup_run(company)
            customer_stop, farm_stop, last = run.stops
            self.assertEqual(list(customer_stop.deliveries), [shipment])
            self.assertEqual(customer_stop.amount_to_pay, Decimal('13.50'))
            self.assertEqual(farm_stop.deliveries, ())
            self.assertIsNone(farm_stop.amount_to_pay)
            self.assertEqual({p.name: q for p, q in run.deliveries().items()},
                {"Poireaux": 3})
            Run.propose_load([run])
            self.assertEqual({l.product.name: l.loaded_quantity
                    for l in Run(run.id).lines},
                {"Carottes": 12, "Poireaux": 3})
            # what is delivered is neither sold nor lost
            leeks, = [l for l in Run(run.id).lines
                if l.product.name == "Poireaux"]
            leeks.returned_quantity = 0
            leeks.save()
            self.assertEqual((leeks.sold_quantity, leeks.delivered_quantity,
                    leeks.loss_quantity), (0, 3, 0))

    @with_transaction()
    def test_round_sheet(self):
        """The round sheet lists the load and the stops in order with their
        times, what to unload and collect and what is left to pay"""
        pool = Pool()
        Sheet = pool.get('cocagne.round.run.sheet', type='report')
        company = create_garden()
        with set_company(company):
            run, shipment, sale = self.setup_run(company)
            ext, content, _, name = Sheet.execute([run.id], {})
            self.assertEqual(ext, 'pdf')
            text = pdf_text(content)
            for words in [
                    "Feuille de route : Tournée du mardi", day(DATE),
                    "Jeanne Conductrice", "Carottes 12,00 kg",
                    "Poireaux 3,00 kg", "13,50 €",
                    "Ferme des Grands Prés", "Pommes 20,00 kg",
                    "créneau 08:30 – 10:00", " km"]:
                self.assertIn(words, text)
            # the boxes to tick stay on one line with their words
            self.assertIn("Arrivée à ____ h ____ livré encaissé",
                pdf_lines(content))
            positions = [text.index(f"{i}. {v[0]}")
                for i, v in enumerate(VILLAGES[:3], 1)]
            self.assertEqual(positions, sorted(positions))
            for stop in run.stops:
                self.assertIn(stop.planned_arrival.strftime('%H:%M'), text)
            self.assertIn(sale.number, text)

    @with_transaction()
    def test_round_sheet_xlsx(self):
        "The round sheet as a workbook: the load and one row per good"
        pool = Pool()
        Sheet = pool.get('cocagne.round.run.sheet.xlsx', type='report')
        company = create_garden()
        with set_company(company):
            run, shipment, sale = self.setup_run(company)
            ext, content, _, name = Sheet.execute([run.id], {})
            self.assertEqual(ext, 'xlsx')
            workbook = openpyxl.load_workbook(io.BytesIO(content))
            self.assertEqual(workbook.sheetnames,
                ["Tournées", "Chargement", "Arrêts"])
            load = list(workbook["Chargement"].values)
            self.assertEqual(load[1], ("Tournée du mardi", "Carottes", 12,
                    "kg"))
            rows = list(workbook["Arrêts"].values)[1:]
            self.assertEqual([(r[1], r[4], r[7], r[9], r[10], r[12])
                    for r in rows], [
                    (1, "Place de Roulans", "Livrer", "Poireaux", 3, 13.5),
                    (2, "Place de Thise", "Collecter", "Pommes", 20, None),
                    (3, "Place de Marchaux", None, None, None, None),
                    ])
            self.assertEqual(rows[0][2],
                run.stops[0].planned_arrival.strftime('%H:%M'))

    @with_transaction()
    def test_delivery_sheet(self):
        """The delivery sheet of a stop says who receives what and what is
        left to pay; the run's holds the stops with deliveries only"""
        pool = Pool()
        StopSheet = pool.get(
            'cocagne.round.run.stop.delivery_sheet', type='report')
        RunSheet = pool.get('cocagne.round.run.delivery_sheet', type='report')
        company = create_garden()
        with set_company(company):
            run, shipment, sale = self.setup_run(company)
            ext, content, _, _ = StopSheet.execute([run.stops[0].id], {})
            self.assertEqual(ext, 'pdf')
            text = pdf_text(content)
            for words in [
                    "Bon de livraison : Épicerie de Roulans",
                    "1. Place de Roulans", day(DATE),
                    f"Livraison {sale.number}", "Poireaux 3,00 kg",
                    "13,50 €", "livré", "encaissé", "Signature"]:
                self.assertIn(words, text)

            ext, content, _, _ = RunSheet.execute([run.id], {})
            text = pdf_text(content)
            self.assertEqual(text.count("Bon de livraison"), 1)
            self.assertNotIn("Grands Prés", text)

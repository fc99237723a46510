"""The sheets the driver takes on a run: the round sheet (the stops in
order, what to load, unload and collect) as PDF from HTML and as XLSX, and
the delivery sheet of each stop as PDF."""
import io

import xlsxwriter

from trytond.modules.company import CompanyReport
from trytond.pool import Pool
from trytond.report import Report

from .delivery import amount_to_pay, moves, sales


def label(model, field):
    "The label of field of model, in the language of the transaction."
    return Pool().get(model).fields_get([field])[field]['string']


def selection(model, field, value):
    "The label of value of the selection field of model."
    return dict(Pool().get(model).fields_get([field])[field]['selection']
        ).get(value, '')


def clock(time):
    return time.strftime('%H:%M') if time else ''


def window(stop):
    "The time window of the round stop of stop, as text."
    round_stop = stop.round_stop
    if not round_stop or (
            round_stop.window_start is None and round_stop.window_end is None):
        return ''
    return (f'{clock(round_stop.window_start) or "…"}'
        f' – {clock(round_stop.window_end) or "…"}')


def address(place):
    "The address of place on one line."
    return ', '.join(filter(None, [
                (place.street or '').replace('\n', ', '),
                ' '.join(filter(None, [place.postal_code, place.city])),
                ]))


def goods(lines, quantity='quantity'):
    """(product, quantity, unit) of lines of moves, loads or collections,
    those without quantity left out."""
    return [(l.product.rec_name, getattr(l, quantity), l.unit)
        for l in lines if getattr(l, quantity)]


def delivery(shipment):
    """What a shipment brings and what its sales leave to pay; named by
    its number, or before it has one by the numbers of its sales."""
    return {
        'number': shipment.number or ', '.join(sorted(
                s.number for s in sales([shipment]) if s.number))
        or shipment.rec_name,
        'goods': goods(moves([shipment])),
        'amount': amount_to_pay([shipment]),
        }


def stop_sheet(stop):
    "What the driver does at stop."
    return {
        'run': stop.run,
        'sequence': stop.sequence,
        'place': stop.place.rec_name,
        'address': address(stop.place),
        'party': stop.party.rec_name if stop.party else '',
        'arrival': clock(stop.planned_arrival),
        'window': window(stop),
        'note': stop.round_stop.note if stop.round_stop else '',
        'deliveries': [delivery(s) for s in stop.deliveries],
        'collect': goods(stop.collected),
        'amount': stop.amount_to_pay,
        }


def run_sheet(run):
    "The round sheet of run."
    round_ = run.round
    return {
        'run': run,
        'round': round_.rec_name,
        'kind': selection('cocagne.round', 'kind', round_.kind),
        'grocery': round_.kind == 'grocery',
        'driver': run.driver.rec_name if run.driver else '',
        'van': round_.van.rec_name,
        'departure': clock(round_.departure),
        'start': round_.start_place.rec_name,
        'end': round_.end_place.rec_name,
        'distance': round_.distance,
        'duration': round_.duration,
        'load': goods(run.lines, 'loaded_quantity'),
        'stops': [stop_sheet(s) for s in run.stops],
        }


class SheetMixin:
    "The formats and labels of the driver's sheets."

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        lang = Pool().get('ir.lang').get()
        currency = context['company'].currency

        def quantity(value, unit):
            return cls.format_number_symbol(
                value or 0, lang, unit, digits=unit.digits)

        def amount(value):
            return cls.format_currency(value, lang, currency) if (
                value is not None) else ''
        context['lang'] = lang
        context['quantity'] = quantity
        context['amount'] = amount
        context['label'] = label
        return context


class RoundSheet(SheetMixin, CompanyReport):
    "The round sheet of runs, in PDF"
    __name__ = 'cocagne.round.run.sheet'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['sheets'] = [run_sheet(r) for r in records]
        return context


class DeliverySheet(SheetMixin, CompanyReport):
    "The delivery sheet of stops, one page each, in PDF"
    __name__ = 'cocagne.round.run.stop.delivery_sheet'

    @classmethod
    def stops(cls, records):
        return records

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['sheets'] = [stop_sheet(s) for s in cls.stops(records)]
        return context


class RunDeliverySheet(DeliverySheet):
    "The delivery sheets of the stops of runs with deliveries, in PDF"
    __name__ = 'cocagne.round.run.delivery_sheet'

    @classmethod
    def stops(cls, records):
        Stop = Pool().get('cocagne.round.run.stop')
        stops = Stop.browse([s.id for r in records for s in r.stops])
        return [s for s in stops if s.deliveries]


class RoundSheetXlsx(Report):
    "The round sheet of runs, as an XLSX workbook"
    __name__ = 'cocagne.round.run.sheet.xlsx'

    @classmethod
    def _execute(cls, records, header, data, action):
        data = io.BytesIO()
        workbook = xlsxwriter.Workbook(data, {'in_memory': True})
        bold = workbook.add_format({'bold': True})
        day = workbook.add_format({'num_format': 'dd/mm/yyyy'})
        money = workbook.add_format({'num_format': '#,##0.00 [$€-40C]'})

        def sheet(title, header, rows):
            worksheet = workbook.add_worksheet(title)
            worksheet.write_row(0, 0, header, bold)
            for i, row in enumerate(rows, 1):
                for j, value in enumerate(row):
                    if hasattr(value, 'isoformat'):
                        worksheet.write_datetime(i, j, value, day)
                    elif hasattr(value, 'as_tuple'):
                        worksheet.write_number(i, j, value, money)
                    else:
                        worksheet.write(i, j, value)
            worksheet.set_column(0, len(header) - 1, 18)

        run, run_line = 'cocagne.round.run', 'cocagne.round.run.line'
        stop = 'cocagne.round.run.stop'
        sheets = [run_sheet(r) for r in records]
        sheet("Tournées", [
                label(run, 'round'), label(run, 'date'),
                label(run, 'driver'), "Camion", "Départ",
                "Distance (km)", "Durée (min)"],
            [(s['round'], s['run'].date, s['driver'], s['van'],
                    s['departure'], s['distance'],
                    s['duration'].total_seconds() / 60
                    if s['duration'] else None)
                for s in sheets])
        sheet("Chargement", [
                label(run, 'round'), label(run_line, 'product'),
                label(run_line, 'loaded_quantity'), label(run_line, 'unit')],
            [(s['round'], p, q, u.symbol)
                for s in sheets for p, q, u in s['load']])
        sheet("Arrêts", [
                label(run, 'round'), label(stop, 'sequence'),
                label(stop, 'planned_arrival'), "Créneau",
                label(stop, 'place'), "Adresse", label(stop, 'party'),
                "Opération", "Document", "Produit", "Quantité", "Unité",
                label(stop, 'amount_to_pay')],
            [row for s in sheets for t in s['stops']
                for row in cls.stop_rows(s, t)])
        workbook.close()
        return 'xlsx', data.getvalue()

    @classmethod
    def stop_rows(cls, sheet, stop):
        "The rows of stop: one per good to deliver or collect, or one."
        head = (sheet['round'], stop['sequence'], stop['arrival'],
            stop['window'], stop['place'], stop['address'], stop['party'])
        rows = [(*head, "Livrer", d['number'], p, q, u.symbol,
                d['amount'] if i == 0 else None)
            for d in stop['deliveries']
            for i, (p, q, u) in enumerate(d['goods'])]
        rows += [(*head, "Collecter", '', p, q, u.symbol, None)
            for p, q, u in stop['collect']]
        return rows or [(*head, '', '', '', None, '', None)]

# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The lists of a cycle: the packing lists (by customer, by producer, by
product) and the delivery list of each pickup place, as PDF (HTML printed by
WeasyPrint) and as XLSX workbooks.

The orders are read once into plain data (`cycle_data`); the pure functions
`by_customer`, `by_producer`, `by_product` and `deliveries` build the lists
from it, and the PDF templates and the workbooks only lay them out, so both
formats say the same thing."""
import io
import re
from collections import defaultdict

import xlsxwriter

from trytond.model import fields
from trytond.modules.company import CompanyReport
from trytond.pool import Pool, PoolMeta
from trytond.report import Report
from trytond.tools import timezone as tz


class Template(metaclass=PoolMeta):
    __name__ = 'product.template'

    cold_chain = fields.Boolean("Cold Chain",
        help="Kept cold from the garden to the customer: flagged on the "
        "delivery lists.")

    @classmethod
    def default_cold_chain(cls):
        return False


# the lists from plain data: an order is a dict of number, customer, phone,
# place (its pickup place's name), pickup (the place's key), amount (due,
# taxes included) and items; an item a dict of product, producer, quantity,
# unit (symbol), digits, weighed, actual_weight and cold_chain

def _name(text):
    return (text or '').casefold()


def by_customer(orders):
    "The orders sorted by customer, then number."
    return sorted(orders, key=lambda o: (_name(o['customer']), o['number']))


def by_producer(orders):
    """What each producer's products sold: [{producer, products: [{product,
    quantity, unit, digits}]}] sorted by producer and product."""
    totals = defaultdict(float)
    digits = {}
    for order in orders:
        for item in order['items']:
            key = item['producer'], item['product'], item['unit']
            totals[key] += item['quantity']
            digits[key] = item['digits']
    producers = defaultdict(list)
    for key in sorted(totals, key=lambda k: (_name(k[0]), _name(k[1]))):
        producer, product, unit = key
        producers[producer].append({'product': product,
                'quantity': round(totals[key], digits[key]), 'unit': unit,
                'digits': digits[key]})
    return [{'producer': p, 'products': products}
        for p, products in producers.items()]


def by_product(orders):
    """The total of each product and who ordered it: [{product, producer,
    quantity, unit, digits, cold_chain, customers: [{customer, number,
    place, quantity}]}] sorted by product, the customers by name."""
    products = {}
    for order in by_customer(orders):
        for item in order['items']:
            key = item['product'], item['producer'], item['unit']
            product = products.setdefault(key, {
                    'product': item['product'], 'producer': item['producer'],
                    'quantity': 0., 'unit': item['unit'],
                    'digits': item['digits'],
                    'cold_chain': item['cold_chain'], 'customers': []})
            product['quantity'] += item['quantity']
            product['customers'].append({'customer': order['customer'],
                    'number': order['number'], 'place': order['place'],
                    'quantity': item['quantity']})
    result = sorted(products.values(),
        key=lambda p: (_name(p['product']), _name(p['producer'])))
    for product in result:
        product['quantity'] = round(product['quantity'], product['digits'])
    return result


def deliveries(pickups, orders):
    """The delivery list of each pickup place, in the order of pickups
    [{key, place, window, address, instructions}]: the place and its
    orders by customer, with the count of the orders holding cold-chain
    items and the amount due."""
    at = defaultdict(list)
    for order in orders:
        at[order['pickup']].append(order)
    lists = []
    for pickup in pickups:
        here = by_customer(at[pickup['key']])
        lists.append({**pickup, 'orders': here,
                'cold_chain': sum(1 for o in here
                    if any(i['cold_chain'] for i in o['items'])),
                'amount': sum((o['amount'] for o in here
                        if o['amount'] is not None), 0)})
    return lists


def sheet_name(name, taken):
    "A worksheet name for name (31 characters, none of []:*?/\\) not taken."
    base = re.sub(r'[\[\]:*?/\\]', ' ', name).strip()[:31] or 'Sheet'
    name, i = base, 1
    while name.casefold() in taken:
        i += 1
        suffix = f' ({i})'
        name = base[:31 - len(suffix)] + suffix
    taken.add(name.casefold())
    return name


# the plain data of the cycles, read in batches

def label(model, field):
    "The label of field of model, in the language of the transaction."
    return Pool().get(model).fields_get([field])[field]['string']


def clock(value):
    return value.strftime('%H:%M')


def pickup_data(pickup, lang, timezone):
    "The plain data of a pickup place of a cycle."
    place = pickup.place
    starts = pickup.starts_at.replace(tzinfo=tz.UTC).astimezone(timezone)
    ends = pickup.ends_at.replace(tzinfo=tz.UTC).astimezone(timezone)
    if starts.date() == ends.date():
        window = (f'{lang.strftime(starts.date())}, {clock(starts)} – '
            f'{clock(ends)}')
    else:
        window = (f'{lang.strftime(starts.date())} {clock(starts)} – '
            f'{lang.strftime(ends.date())} {clock(ends)}')
    return {
        'key': pickup.id,
        'place': place.rec_name,
        'address': ', '.join(filter(None, [
                    (place.street or '').replace('\n', ', '),
                    ' '.join(filter(None, [place.postal_code, place.city])),
                    ])),
        'window': window,
        'instructions': pickup.instructions or '',
        }


def item_data(line):
    "The plain data of a line of goods of an order."
    template = line.product.template
    if line.offer:
        producer = line.offer.producer
    else:
        producer = template.producer or line.sale.company.party
    return {
        'product': line.product.rec_name,
        'producer': producer.rec_name,
        'quantity': line.quantity,
        'unit': line.unit.symbol,
        'digits': line.unit.digits,
        'weighed': bool(line.weighed),
        'actual_weight': line.actual_weight,
        'cold_chain': bool(template.cold_chain),
        }


def order_data(sale):
    "The plain data of an order of a cycle."
    party = sale.party
    return {
        'number': sale.number or '',
        'customer': party.rec_name,
        'phone': party.phone or party.mobile or '',
        'pickup': sale.pickup.id if sale.pickup else None,
        'place': sale.pickup.rec_name if sale.pickup else '',
        'amount': sale.total_amount,
        'items': [item_data(l) for l in sale.lines
            if l.type == 'line' and l.product and not l.cycle_fee
            and l.product.type != 'service'],
        }


def cycles_data(cycles):
    """The plain data of cycles: {name, delivery_date, shop, currency,
    pickups, orders} each, the orders not cancelled."""
    pool = Pool()
    Lang = pool.get('ir.lang')
    Sale = pool.get('sale.sale')
    lang = Lang.get()
    orders = defaultdict(list)
    for sale in Sale.search([
                ('order_cycle', 'in', [c.id for c in cycles]),
                ('state', '!=', 'cancelled'),
                ]):
        orders[sale.order_cycle.id].append(order_data(sale))
    result = []
    for cycle in cycles:
        company = cycle.company
        timezone = (tz.get_tzinfo(company.timezone) if company.timezone
            else tz.UTC)
        result.append({
                'name': cycle.rec_name,
                'delivery_date': cycle.delivery_date,
                'shop': cycle.shop.rec_name,
                'currency': cycle.shop.currency or company.currency,
                'pickups': [pickup_data(p, lang, timezone)
                    for p in cycle.pickups],
                'orders': orders[cycle.id],
                })
    return result


def cycle_lists(cycle):
    "The lists of the plain data of a cycle."
    orders = cycle['orders']
    return {
        **cycle,
        'by_customer': by_customer(orders),
        'by_producer': by_producer(orders),
        'by_product': by_product(orders),
        'deliveries': deliveries(cycle['pickups'], orders),
        }


# the renderers

class ListMixin:
    "The formats of a cycle's lists in PDF."

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        lang = Pool().get('ir.lang').get()

        def quantity(value, unit, digits):
            return (f'{cls.format_number(value or 0, lang, digits=digits)}'
                f'\u00a0{unit}')

        def amount(value, currency):
            return cls.format_currency(value, lang, currency) if (
                value is not None) else ''
        context['lang'] = lang
        context['quantity'] = quantity
        context['amount'] = amount
        context['label'] = label
        context['cycles'] = [cycle_lists(c) for c in cycles_data(records)]
        return context


class PackingList(ListMixin, CompanyReport):
    "The packing lists of cycles, in PDF"
    __name__ = 'cocagne.order_cycle.packing_list'


class DeliveryList(ListMixin, CompanyReport):
    "The delivery lists of the pickup places of cycles, in PDF"
    __name__ = 'cocagne.order_cycle.delivery_list'


class Workbook:
    "An XLSX workbook of tables, with formats for dates and amounts."

    def __init__(self):
        self.data = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(self.data, {'in_memory': True})
        self.bold = self.workbook.add_format({'bold': True})
        self.day = self.workbook.add_format({'num_format': 'dd/mm/yyyy'})
        self.money = self.workbook.add_format(
            {'num_format': '#,##0.00 [$€-40C]'})
        self.names = set()

    def sheet(self, title, header, rows, heading=()):
        """Add a worksheet of rows under header, after the lines of
        heading."""
        worksheet = self.workbook.add_worksheet(sheet_name(title, self.names))
        for i, line in enumerate(heading):
            worksheet.write_row(i, 0, line, self.bold if i == 0 else None)
        start = len(heading) + 1 if heading else 0
        worksheet.write_row(start, 0, header, self.bold)
        for i, row in enumerate(rows, start + 1):
            for j, value in enumerate(row):
                if hasattr(value, 'isoformat'):
                    worksheet.write_datetime(i, j, value, self.day)
                elif hasattr(value, 'as_tuple'):
                    worksheet.write_number(i, j, value, self.money)
                elif value is None:
                    worksheet.write_blank(i, j, None)
                else:
                    worksheet.write(i, j, value)
        worksheet.set_column(0, len(header) - 1, 18)
        return worksheet

    def close(self):
        self.workbook.close()
        return 'xlsx', self.data.getvalue()


class PackingListXlsx(Report):
    "The packing lists of cycles, as an XLSX workbook"
    __name__ = 'cocagne.order_cycle.packing_list.xlsx'

    @classmethod
    def _execute(cls, records, header, data, action):
        sale, line = 'sale.sale', 'sale.line'
        cycles = [cycle_lists(c) for c in cycles_data(records)]
        workbook = Workbook()
        workbook.sheet("Par client", [
                "Cycle", label(sale, 'number'), label(sale, 'party'),
                label(sale, 'pickup'), label(line, 'product'), "Producteur",
                label(line, 'quantity'), label(line, 'unit'),
                "Poids estimé", "Poids préparé"],
            [(c['name'], o['number'], o['customer'], o['place'],
                    i['product'], i['producer'], i['quantity'], i['unit'],
                    i['quantity'] if i['weighed'] else None,
                    i['actual_weight'] if i['weighed'] else None)
                for c in cycles for o in c['by_customer']
                for i in o['items']])
        workbook.sheet("Par producteur", [
                "Cycle", "Producteur", label(line, 'product'),
                label(line, 'quantity'), label(line, 'unit')],
            [(c['name'], p['producer'], r['product'], r['quantity'],
                    r['unit'])
                for c in cycles for p in c['by_producer']
                for r in p['products']])
        workbook.sheet("Par produit", [
                "Cycle", label(line, 'product'), "Producteur", "Total",
                label(line, 'unit'), label(sale, 'party'),
                label(sale, 'number'), label(sale, 'pickup'),
                label(line, 'quantity')],
            [(c['name'], p['product'], p['producer'],
                    p['quantity'] if i == 0 else None, p['unit'],
                    u['customer'], u['number'], u['place'], u['quantity'])
                for c in cycles for p in c['by_product']
                for i, u in enumerate(p['customers'])])
        return workbook.close()


class DeliveryListXlsx(Report):
    "The delivery lists of the pickup places of cycles, as an XLSX workbook"
    __name__ = 'cocagne.order_cycle.delivery_list.xlsx'

    @classmethod
    def _execute(cls, records, header, data, action):
        sale, line = 'sale.sale', 'sale.line'
        pickup = 'cocagne.order_cycle.pickup'
        workbook = Workbook()
        for cycle in [cycle_lists(c) for c in cycles_data(records)]:
            for place in cycle['deliveries']:
                workbook.sheet(place['place'], [
                        label(sale, 'party'), "Téléphone",
                        label(sale, 'number'), label(line, 'product'),
                        label(line, 'quantity'), label(line, 'unit'),
                        "Chaîne du froid", "Montant dû"],
                    [row for order in place['orders']
                        for row in cls.order_rows(order)],
                    heading=[
                        (place['place'],),
                        (cycle['name'],),
                        ("Créneau", place['window']),
                        ("Adresse", place['address']),
                        (label(pickup, 'instructions'),
                            place['instructions']),
                        ])
        return workbook.close()

    @classmethod
    def order_rows(cls, order):
        "The rows of an order: one per item, the amount due on the first."
        head = order['customer'], order['phone'], order['number']
        rows = [(*head, i['product'], i['quantity'], i['unit'],
                "Oui" if i['cold_chain'] else None,
                order['amount'] if n == 0 else None)
            for n, i in enumerate(order['items'])]
        return rows or [(*head, None, None, None, None, order['amount'])]

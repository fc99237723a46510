"""Recall: from a lot, the lots it was made of and the lots made of it on
any depth, the stock left of them and the customers who received them."""
import io

import xlsxwriter
from sql import Null, With
from sql.aggregate import Sum

from trytond import backend
from trytond.model import Index, ModelView, fields
from trytond.model.fields import SQL_OPERATORS
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction
from trytond.wizard import Button, StateView, Wizard


def trace(lot_ids, direction):
    """The ids of the lots made of lot_ids ('down') or that lot_ids were
    made of ('up'), on any depth, in one recursive query: from each lot
    reached, its moves into ('down') or out of ('up') a production lead to
    the lots of the moves out of or into the same production."""
    pool = Pool()
    Move = pool.get('stock.move')
    Lot = pool.get('stock.lot')
    if not lot_ids:
        return set()
    cursor = Transaction().connection.cursor()
    move, other, lot = Move.__table__(), Move.__table__(), Lot.__table__()
    if direction == 'down':
        condition = other.production_output == move.production_input
    else:
        condition = other.production_input == move.production_output
    reached = With('lot', recursive=True)
    reached.query = lot.select(
        lot.id, where=SQL_OPERATORS['in'](lot.id, list(lot_ids)))
    # UNION, not UNION ALL: a lot reached twice is followed once
    reached.query |= move.join(other, condition=condition).join(
        reached, condition=move.lot == reached.lot).select(
        other.lot,
        where=(other.lot != Null)
        & (move.state != 'cancelled')
        & (other.state != 'cancelled'))
    query = reached.select(reached.lot, with_=[reached])
    if backend.name == 'postgresql':
        # planned for its values: once psycopg has prepared the statement,
        # PostgreSQL's generic plan misjudges the states and scans every
        # production move at each step (30 times slower)
        cursor.execute(*query, prepare=False)
    else:
        cursor.execute(*query)
    return {found for found, in cursor} - set(lot_ids)


class Move(metaclass=PoolMeta):
    __name__ = 'stock.move'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        # the recall follows the lots through the productions
        cls._sql_indexes.update({
                Index(t, (t.lot, Index.Range()), where=t.lot != Null),
                Index(t, (t.production_input, Index.Range()),
                    where=t.production_input != Null),
                Index(t, (t.production_output, Index.Range()),
                    where=t.production_output != Null),
                })


class RecallStart(ModelView):
    __name__ = 'cocagne.transformation.recall.start'
    __string__ = "Recall"
    lot = fields.Many2One('stock.lot', "Lot", readonly=True)
    upstream = fields.Many2Many(
        'stock.lot', None, None, "Lots Used", readonly=True,
        help="The lots that the lot was made of, on any depth.")
    downstream = fields.Many2Many(
        'stock.lot', None, None, "Lots Made", readonly=True,
        help="The lots made of the lot, on any depth.")
    stock = fields.One2Many(
        'cocagne.transformation.recall.stock', None, "Stock Left",
        readonly=True)
    deliveries = fields.One2Many(
        'cocagne.transformation.recall.delivery', None, "Customers",
        readonly=True)
    file = fields.Binary("Spreadsheet", filename='filename', readonly=True)
    filename = fields.Char("File Name", readonly=True)


class RecallStock(ModelView):
    __name__ = 'cocagne.transformation.recall.stock'
    __string__ = "Recall Stock"
    location = fields.Many2One('stock.location', "Location", readonly=True)
    lot = fields.Many2One('stock.lot', "Lot", readonly=True)
    product = fields.Many2One('product.product', "Product", readonly=True)
    quantity = fields.Float("Quantity", readonly=True)


class RecallDelivery(ModelView):
    __name__ = 'cocagne.transformation.recall.delivery'
    __string__ = "Recall Delivery"
    customer = fields.Many2One('party.party', "Customer", readonly=True)
    date = fields.Date("Date", readonly=True)
    lot = fields.Many2One('stock.lot', "Lot", readonly=True)
    product = fields.Many2One('product.product', "Product", readonly=True)
    quantity = fields.Float("Quantity", readonly=True)
    sale = fields.Many2One('sale.sale', "Sale", readonly=True)
    amount = fields.Numeric(
        "Amount", digits=(16, 2), readonly=True,
        help="The total of the sale or of the ticket.")
    document = fields.Char("Document", readonly=True)


class Recall(Wizard):
    "Recall the lots linked to a lot and find who received them"
    __name__ = 'cocagne.transformation.recall'
    start = StateView('cocagne.transformation.recall.start',
        'cocagne_transformation.recall_start_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        lot = self.record
        upstream = trace([lot.id], 'up')
        downstream = trace([lot.id], 'down')
        lots = sorted({lot.id} | downstream | upstream)
        stock = self.stock_left(lots)
        deliveries = self.deliveries(sorted({lot.id} | downstream))
        return {
            'lot': lot.id,
            'upstream': sorted(upstream),
            'downstream': sorted(downstream),
            'stock': stock,
            'deliveries': deliveries,
            'file': self.spreadsheet(lot, upstream, downstream, stock,
                deliveries),
            'filename': f'rappel-{lot.number}.xlsx',
            }

    @classmethod
    def stock_left(cls, lot_ids):
        """The quantities of the lots left in each storage location: what
        the done moves brought there minus what they took away, read in
        two grouped queries."""
        pool = Pool()
        Move = pool.get('stock.move')
        Location = pool.get('stock.location')
        if not lot_ids:
            return []
        cursor = Transaction().connection.cursor()
        move, location = Move.__table__(), Location.__table__()
        quantities = {}
        for column, sign in [(move.to_location, 1), (move.from_location, -1)]:
            cursor.execute(*move.join(location,
                    condition=column == location.id).select(
                    column, move.product, move.lot,
                    Sum(move.internal_quantity),
                    where=SQL_OPERATORS['in'](move.lot, list(lot_ids))
                    & (move.state == 'done')
                    & (location.type == 'storage'),
                    group_by=[column, move.product, move.lot]))
            for key_location, product, lot, quantity in cursor:
                key = (key_location, product, lot)
                quantities[key] = quantities.get(key, 0) + sign * quantity
        return [{
                'location': location_id, 'product': product, 'lot': lot,
                'quantity': quantity,
                } for (location_id, product, lot), quantity in sorted(
                quantities.items())
            if abs(quantity) > 1e-9]

    @classmethod
    def deliveries(cls, lot_ids):
        """The done moves of the lots to customers, one row each, read in
        one search.

        Who received them depends on where the move comes from: each
        source has its classmethod, named in delivery_sources(), which
        receives the moves no source before it described and returns
        {move: values of cocagne.transformation.recall.delivery}. A module
        that delivers in its own way (basket orders of cocagne_bio_shop,
        rounds of cocagne_tournees; point-of-sale tickets in pos.py)
        extends the wizard in a [register <module>] section: it adds its
        classmethod to delivery_sources() and, for new fields of the
        delivery, its columns to delivery_columns()."""
        Move = Pool().get('stock.move')
        moves = Move.search([
                ('lot', 'in', lot_ids),
                ('to_location.type', '=', 'customer'),
                ('state', '=', 'done'),
                ], order=[('effective_date', 'ASC'), ('id', 'ASC')])
        described, left = {}, moves
        for source in cls.delivery_sources():
            described.update(getattr(cls, source)(left))
            left = [m for m in left if m not in described]
        deliveries = []
        for move in moves:
            document = move.shipment or move.origin
            delivery = {
                'customer': None,
                'date': move.effective_date,
                'lot': move.lot.id,
                'product': move.product.id,
                'quantity': move.quantity,
                'sale': None,
                'amount': None,
                'document': document.rec_name if document else '',
                }
            delivery.update(described.get(move, {}))
            deliveries.append(delivery)
        return deliveries

    @classmethod
    def delivery_sources(cls):
        """The names of the classmethods that describe the deliveries,
        the first that describes a move wins (see deliveries)."""
        return ['deliveries_from_sales', 'deliveries_from_shipments']

    @classmethod
    def deliveries_from_sales(cls, moves):
        """The moves of sale lines: the sale and its customer (the one of
        the customer shipment, which may differ from the buyer)."""
        SaleLine = Pool().get('sale.line')
        rows = {}
        for move in moves:
            if isinstance(move.origin, SaleLine) and move.origin.sale:
                sale = move.origin.sale
                shipment = move.shipment
                customer = getattr(shipment, 'customer', None) or (
                    sale.shipment_party or sale.party)
                rows[move] = {
                    'customer': customer.id,
                    'sale': sale.id,
                    'amount': sale.total_amount,
                    'document': (shipment or sale).rec_name,
                    }
        return rows

    @classmethod
    def deliveries_from_shipments(cls, moves):
        "The moves of customer shipments made without a sale."
        rows = {}
        for move in moves:
            customer = getattr(move.shipment, 'customer', None)
            if customer:
                rows[move] = {
                    'customer': customer.id,
                    'document': move.shipment.rec_name,
                    }
        return rows

    @classmethod
    def delivery_columns(cls):
        """The columns of the customers' sheet: (field of
        cocagne.transformation.recall.delivery, header)."""
        return [
            ('customer', "Client"),
            ('date', "Date"),
            ('lot', "Lot"),
            ('product', "Produit"),
            ('quantity', "Quantité"),
            ('sale', "Vente"),
            ('amount', "Montant"),
            ('document', "Document"),
            ]

    @classmethod
    def spreadsheet(cls, lot, upstream, downstream, stock, deliveries):
        "The recall as an XLSX workbook (bytes), one sheet per list."
        pool = Pool()
        Lot = pool.get('stock.lot')
        Location = pool.get('stock.location')
        Product = pool.get('product.product')
        lots = {l.id: l for l in Lot.browse(list(
                    {lot.id} | upstream | downstream
                    | {s['lot'] for s in stock}))}
        data = io.BytesIO()
        workbook = xlsxwriter.Workbook(data, {'in_memory': True})
        bold = workbook.add_format({'bold': True})
        day = workbook.add_format({'num_format': 'dd/mm/yyyy'})

        def sheet(title, header, rows):
            worksheet = workbook.add_worksheet(title)
            worksheet.write_row(0, 0, header, bold)
            for i, row in enumerate(rows, 1):
                for j, value in enumerate(row):
                    if hasattr(value, 'isoformat'):
                        worksheet.write_datetime(i, j, value, day)
                    else:
                        worksheet.write(i, j, value)
            worksheet.set_column(0, len(header) - 1, 22)

        def lot_rows(ids):
            return [(lots[i].number, lots[i].product.rec_name)
                for i in sorted(ids)]
        sheet("Lots utilisés", ["Lot", "Produit"], lot_rows(upstream))
        sheet("Lots fabriqués", ["Lot", "Produit"], lot_rows(downstream))
        locations = {l.id: l.rec_name for l in Location.browse(
                    list({s['location'] for s in stock}))}
        products = {p.id: p.rec_name for p in Product.browse(
                    list({s['product'] for s in stock}))}
        sheet("Stock restant", ["Emplacement", "Lot", "Produit", "Quantité"],
            [(locations[s['location']], lots[s['lot']].number,
                    products[s['product']], s['quantity'])
                for s in stock])
        Delivery = pool.get('cocagne.transformation.recall.delivery')
        columns = cls.delivery_columns()
        names = {}
        for name, _ in columns:
            field = Delivery._fields[name]
            if field._type == 'many2one':
                Target = pool.get(field.model_name)
                names[name] = {r.id: r.rec_name for r in Target.browse(
                            list({d[name] for d in deliveries
                                    if d.get(name)}))}

        def cell(delivery, name):
            value = delivery.get(name)
            if name in names:
                return names[name].get(value, '')
            return value
        sheet("Clients", [header for _, header in columns],
            [[cell(d, name) for name, _ in columns] for d in deliveries])
        workbook.close()
        return data.getvalue()

"""Lots on point-of-sale tickets: the cashier picks the lot of a
lot-tracked product, the stock move that posting creates carries it, and
the recall finds the tickets that sold it (registered only when
sale_point is activated)."""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval

from .exceptions import TicketLotError


class POSSale(metaclass=PoolMeta):
    __name__ = 'sale.point.sale'

    @classmethod
    def do(cls, sales):
        cls.check_lots(sales)
        super().do(sales)

    @classmethod
    def post(cls, sales):
        cls.check_lots(sales)
        super().post(sales)

    @classmethod
    def check_lots(cls, sales):
        """Refuse a ticket selling a lot-tracked product without its lot,
        before Tryton's stock refuses its move half-way through posting."""
        lang = Pool().get('ir.lang').get()
        for sale in sales:
            for line in sale.lines:
                if line.needs_lot() and not line.lot:
                    raise TicketLotError(gettext(
                            'cocagne_transformation.msg_ticket_line_no_lot',
                            ticket=sale.rec_name,
                            point=sale.point.rec_name,
                            date=lang.strftime(sale.date),
                            product=line.product.rec_name))


class POSSaleLine(metaclass=PoolMeta):
    __name__ = 'sale.point.sale.line'
    lot = fields.Many2One(
        'stock.lot', "Lot", ondelete='RESTRICT',
        domain=[
            ('product', '=', Eval('product', -1)),
            ],
        states={
            'readonly': Eval('sale_state') != 'open',
            'required': Bool(Eval('lot_required')),
            'invisible': ~Eval('lot_required') & ~Eval('lot'),
            },
        help="The lot sold, for the products traced by lot.")
    lot_required = fields.Function(
        fields.Boolean("Lot Required"), 'on_change_with_lot_required')

    @fields.depends(
        'product', 'quantity', 'sale', '_parent_sale.point')
    def on_change_with_lot_required(self, name=None):
        return self.needs_lot()

    @fields.depends('product', 'lot')
    def on_change_product(self):
        super().on_change_product()
        if self.lot and self.lot.product != self.product:
            self.lot = None

    def needs_lot(self):
        "Whether the stock move of the line needs a lot."
        if (not self.product or self.product.type == 'service'
                or not self.sale or not self.sale.point):
            return False
        if (self.quantity or 0) >= 0:
            from_ = self.sale.point.storage_location
            to = self.sale.point.customer_location
        else:
            from_ = self.sale.point.customer_location
            to = (self.sale.point.return_location
                or self.sale.point.storage_location)
        if not from_ or not to:
            return False
        return self.product.lot_is_required(from_, to)

    def get_stock_move(self):
        move = super().get_stock_move()
        if move:
            move.lot = self.lot
        return move

    @classmethod
    def copy(cls, lines, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('lot')
        return super().copy(lines, default=default)


class RecallDelivery(metaclass=PoolMeta):
    __name__ = 'cocagne.transformation.recall.delivery'
    point = fields.Many2One('sale.point', "Sale Point", readonly=True)
    ticket = fields.Many2One('sale.point.sale', "Ticket", readonly=True)


class Recall(metaclass=PoolMeta):
    __name__ = 'cocagne.transformation.recall'

    @classmethod
    def delivery_sources(cls):
        return ['deliveries_from_tickets'] + super().delivery_sources()

    @classmethod
    def delivery_columns(cls):
        columns = super().delivery_columns()
        at = [c[0] for c in columns].index('sale') + 1
        return columns[:at] + [
            ('point', "Point de vente"),
            ('ticket', "Ticket"),
            ] + columns[at:]

    @classmethod
    def deliveries_from_tickets(cls, moves):
        """The moves of point-of-sale tickets: the ticket, its date, its
        sale point and its total; tickets have no customer."""
        Line = Pool().get('sale.point.sale.line')
        rows = {}
        for move in moves:
            if isinstance(move.origin, Line):
                ticket = move.origin.sale
                rows[move] = {
                    'date': ticket.date,
                    'point': ticket.point.id,
                    'ticket': ticket.id,
                    'amount': ticket.total,
                    'document': ticket.rec_name,
                    }
        return rows

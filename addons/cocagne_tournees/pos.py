"""Tickets of the van's till recorded against the stop of a run, and the
van's stock that they may not exceed."""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.modules.cocagne_base.garden import GardenOwnedMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If

from .exceptions import VanStockError
from .run import TICKET_STATES

# the runs whose van is out selling
SELLING_STATES = ['loaded', 'on_road']


class POS(GardenOwnedMixin, metaclass=PoolMeta):
    __name__ = 'sale.point'


class POSSale(GardenOwnedMixin, metaclass=PoolMeta):
    __name__ = 'sale.point.sale'
    round_stop = fields.Many2One(
        'cocagne.round.run.stop', "Round Stop",
        domain=[
            ('run.company', '=', Eval('company', -1)),
            If(Eval('state') == 'open',
                ('run.state', 'in', SELLING_STATES), ()),
            ('run.round.sale_point', '=', Eval('point', -1)),
            ],
        states={
            'readonly': Eval('state') != 'open',
            },
        help="The stop of the van's run where the ticket was made.")
    customer = fields.Many2One(
        'party.party', "Customer",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        states={
            'readonly': Eval('state') != 'open',
            },
        help="The customer, when known (a loyalty card): the figures of "
        "the stops then count their tickets as one customer.")

    @classmethod
    def validate(cls, sales):
        super().validate(sales)
        cls.check_van_stock([s for s in sales if s.round_stop])

    @classmethod
    def check_van_stock(cls, sales):
        """Refuse the tickets of a run that sell more of a product than the
        van loaded, naming the product and the quantities."""
        Line = Pool().get('cocagne.round.run.line')
        runs = {s.round_stop.run for s in sales}
        if not runs:
            return
        sold = Line.ticket_quantities([r.id for r in runs], TICKET_STATES)
        loaded = {(l.run.id, l.product.id): l.loaded_quantity or 0
            for l in Line.search([('run', 'in', [r.id for r in runs])])}
        products = {l.product for s in sales for l in s.lines}
        for run in runs:
            for product in products:
                quantity = sold.get((run.id, product.id), 0)
                available = loaded.get((run.id, product.id), 0)
                if quantity > available + product.default_uom.rounding / 2:
                    raise VanStockError(gettext(
                            'cocagne_tournees.msg_van_stock_exceeded',
                            product=product.rec_name,
                            run=run.rec_name,
                            sold=product.default_uom.round(quantity),
                            loaded=available,
                            unit=product.default_uom.symbol))


class POSSaleLine(metaclass=PoolMeta):
    __name__ = 'sale.point.sale.line'

    @classmethod
    def validate(cls, lines):
        super().validate(lines)
        Sale = Pool().get('sale.point.sale')
        Sale.check_van_stock(list({l.sale for l in lines
                    if l.sale.round_stop}))

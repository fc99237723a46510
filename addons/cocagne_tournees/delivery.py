"""Deliveries: the customer shipments a run of a delivery or basket round
brings to its stops, and what their customers still have to pay."""
from decimal import Decimal

from trytond.model import fields
from trytond.pool import Pool, PoolMeta

# the kinds of rounds that bring the customer shipments to their stops
DELIVERY_KINDS = {'delivery', 'basket'}


def moves(shipments):
    "The moves of shipments that are not cancelled."
    return [m for s in shipments for m in s.outgoing_moves
        if m.state != 'cancelled']


def sales(shipments):
    "The sales the moves of shipments come from."
    SaleLine = Pool().get('sale.line')
    return {m.origin.sale for m in moves(shipments)
        if isinstance(m.origin, SaleLine) and m.origin.sale}


def sale_to_pay(sale):
    """What is still to pay of sale: what its posted invoices leave to pay
    plus the total of those not posted yet, or its total when it is not
    invoiced."""
    invoices = [i for i in sale.invoices if i.state != 'cancelled']
    if not invoices:
        return sale.total_amount
    return sum((i.amount_to_pay if i.state in {'posted', 'paid'}
            else i.total_amount for i in invoices), Decimal(0))


def amount_to_pay(shipments):
    """What is still to pay of the sales of shipments, each sale counted
    once; None when they come from no sale."""
    sales_ = sales(shipments)
    if not sales_:
        return None
    return sum((sale_to_pay(s) for s in sales_), Decimal(0))


class Run(metaclass=PoolMeta):
    __name__ = 'cocagne.round.run'

    def deliveries(self):
        "Add the quantities of the shipments due at the stops."
        quantities = super().deliveries()
        shipments = {s for stop in self.stops for s in stop.deliveries}
        for move in moves(shipments):
            quantities[move.product] = (
                quantities.get(move.product, 0) + move.internal_quantity)
        return quantities


class RunStop(metaclass=PoolMeta):
    __name__ = 'cocagne.round.run.stop'
    deliveries = fields.Function(
        fields.Many2Many('stock.shipment.out', None, None, "Deliveries",
            help="The shipments to the stop's customer planned on the "
            "run's date from the round's site."),
        'get_deliveries')
    amount_to_pay = fields.Function(
        fields.Numeric("Amount to Pay", digits=(16, 2),
            help="What the customer still has to pay for the sales "
            "delivered."),
        'get_amount_to_pay')

    @classmethod
    def get_deliveries(cls, stops, name):
        """The customer shipments, not cancelled, planned on the run's date
        from the round's site to the party of each stop of a delivery or
        basket round, found in one search."""
        Shipment = Pool().get('stock.shipment.out')
        result = {s.id: [] for s in stops}
        keys = {}
        for stop in stops:
            if stop.party and stop.run.round.kind in DELIVERY_KINDS:
                key = (stop.run.date, stop.run.round.site.id, stop.party.id)
                keys.setdefault(key, []).append(stop.id)
        if not keys:
            return result
        parties = {}
        for date, site, party in keys:
            parties.setdefault((date, site), set()).add(party)
        shipments = Shipment.search([
                ('state', '!=', 'cancelled'),
                ['OR'] + [[
                        ('planned_date', '=', date),
                        ('warehouse', '=', site),
                        ('customer', 'in', sorted(ids)),
                        ] for (date, site), ids in parties.items()],
                ], order=[('id', 'ASC')])
        for shipment in shipments:
            key = (shipment.planned_date, shipment.warehouse.id,
                shipment.customer.id)
            for stop_id in keys.get(key, []):
                result[stop_id].append(shipment.id)
        return result

    @classmethod
    def get_amount_to_pay(cls, stops, name):
        return {s.id: amount_to_pay(s.deliveries) for s in stops}

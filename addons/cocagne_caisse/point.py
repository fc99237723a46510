"""What the cashier screen needs of a till: the prefixes of the scale's
barcodes, the largest weight of a weighing, and how a gap in the cash count
is booked."""
from decimal import Decimal

from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction


class POS(metaclass=PoolMeta):
    __name__ = 'sale.point'
    weight_prefix = fields.Char(
        "Weight Barcode Prefix", size=2,
        help="The first two digits of the EAN-13 that the scale prints with "
        "the weight in grams (then the product's scale code, the weight and "
        "the check digit).")
    price_prefix = fields.Char(
        "Price Barcode Prefix", size=2,
        help="The first two digits of the EAN-13 that the scale prints with "
        "the price in cents.")
    max_weight = fields.Numeric(
        "Maximum Weight", digits=(16, 3), required=True,
        domain=[('max_weight', '>', 0)],
        help="The largest weight, in kilograms, that the screen accepts for "
        "one line of a product sold by weight.")
    gap_type = fields.Many2One(
        'sale.point.cash.transfer.type', "Cash Gap",
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        help="The cash transfer that books the gap between the cash counted "
        "and the cash expected when the cashier closes the session.")
    caisse_url = fields.Function(fields.Char(
            "Cashier Screen",
            help="The address of the cashier screen, for the cashiers "
            "whose till this is."),
        'get_caisse_url')

    @classmethod
    def default_weight_prefix(cls):
        return '21'

    @classmethod
    def default_price_prefix(cls):
        return '22'

    @classmethod
    def default_max_weight(cls):
        return Decimal(50)

    def get_caisse_url(self, name):
        "The screen's address on the server the user is connected to."
        transaction = Transaction()
        request = transaction.context.get('_request') or {}
        path = f'/{transaction.database.name}/caisse/'
        if request.get('http_host'):
            return f"{request.get('scheme', 'https')}://{request['http_host']}{path}"
        return path

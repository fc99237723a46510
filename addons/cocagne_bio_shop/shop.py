# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The Cocagne Bio shop: a web shop of type *Cocagne*, selling through
order cycles, with the commission withheld from the partner farms."""
from decimal import Decimal

from trytond.model import fields
from trytond.modules.cocagne_base.garden import GardenOwnedMixin
from trytond.pool import PoolMeta
from trytond.pyson import Eval


class Shop(GardenOwnedMixin, metaclass=PoolMeta):
    __name__ = 'web.shop'

    commission_rate = fields.Numeric("Commission", digits=(1, 4),
        domain=[
            ('commission_rate', '>=', 0),
            ('commission_rate', '<', 1),
            ],
        states={
            'invisible': Eval('type') != 'cocagne',
            'required': Eval('type') == 'cocagne',
            },
        help="The share of the partner farms' sales that the garden "
        "withholds in their settlement.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.type.selection.append(('cocagne', "Cocagne Bio"))

    @classmethod
    def default_commission_rate(cls):
        return Decimal('0.15')

    def cocagne_payment_url(self, sale, return_url):
        """The address where the storefront sends the customer to pay the
        order sale online once taken, or None: paid at pickup, the order's
        total due then (the default).

        The extension point of an online payment provider: a module
        overrides it to open the provider's payment of sale's total and
        records the payment on the sale when the provider comes back to
        return_url (the order's page)."""
        return None

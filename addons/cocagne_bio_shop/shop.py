# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The Cocagne Bio shop: a web shop of type *Cocagne*, selling through
order cycles, with the commission withheld from the partner farms."""
from decimal import Decimal

from trytond.cache import Cache
from trytond.model import fields
from trytond.modules.cocagne_base.garden import GardenOwnedMixin
from trytond.pool import PoolMeta
from trytond.pyson import Eval

# the context of each Cocagne Bio shop for its pages (False: no such shop);
# kept a few minutes at most for the date it holds
_contexts = Cache('cocagne_bio_shop.shop_context', context=False,
    duration=5 * 60)


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
    def on_modification(cls, mode, shops, field_names=None):
        super().on_modification(mode, shops, field_names=field_names)
        _contexts.clear()

    @classmethod
    def cocagne_shop(cls, shop_id):
        """The Cocagne Bio shop shop_id and its context, or (None, None);
        the context is cached: the pages of a shop need it at every
        request."""
        context = _contexts.get(shop_id)
        if context is None:
            shops = cls.search([
                    ('id', '=', shop_id),
                    ('type', '=', 'cocagne'),
                    ], limit=1)
            context = shops[0].get_context() if shops else False
            _contexts.set(shop_id, context)
        if context is False:
            return None, None
        return cls(shop_id), {k: list(v) if isinstance(v, tuple) else v
            for k, v in context.items()}

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

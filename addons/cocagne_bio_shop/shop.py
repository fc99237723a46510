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

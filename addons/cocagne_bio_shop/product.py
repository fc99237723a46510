# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Products as the catalogues of the cycles show them: a change of name,
category, allergens or label shows at once."""
from trytond.pool import PoolMeta

from .catalogue import CatalogueMixin


class Template(CatalogueMixin, metaclass=PoolMeta):
    __name__ = 'product.template'

"""The cashier's settings: the till they sell at (a preference), and the
largest discount their groups allow."""
from decimal import Decimal

from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .tender import rate_domain


class User(metaclass=PoolMeta):
    __name__ = 'res.user'
    sale_point = fields.Many2One(
        'sale.point', "Till",
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        help="The till of the cashier screen: the screen sells at this "
        "sale point, in its cash session.")
    caisse_max_discount = fields.Function(fields.Numeric(
            "Maximum Discount", digits=(1, 4)),
        'get_caisse_max_discount')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._preferences_fields.append('sale_point')

    @fields.depends('company', 'sale_point')
    def on_change_company(self):
        super().on_change_company()
        if self.sale_point and self.sale_point.company != self.company:
            self.sale_point = None

    @classmethod
    def get_caisse_max_discount(cls, users, name):
        return {u.id: max((g.caisse_max_discount or Decimal(0)
                    for g in u.groups), default=Decimal(0))
            for u in users}

    @classmethod
    def current_max_discount(cls):
        "The discount rate the current user may give; any for root."
        user = Transaction().user
        if not user:
            return Decimal(1)
        return cls(user).caisse_max_discount


class Group(metaclass=PoolMeta):
    __name__ = 'res.group'
    caisse_max_discount = fields.Numeric(
        "Maximum Discount on the Till", digits=(1, 4),
        domain=rate_domain('caisse_max_discount'),
        help="The largest discount rate that the members of the group may "
        "give on a line of the cashier screen.")

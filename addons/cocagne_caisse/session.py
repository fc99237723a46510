"""Closing the cash session from the screen: the cash counted, the gap with
the cash expected booked as a cash transfer with its reason, and the next
session opened."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import fields
from trytond.modules.cocagne_base.garden import GardenOwnedMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .exceptions import CountError
from .tender import money


class CashSession(metaclass=PoolMeta):
    __name__ = 'sale.point.cash.session'

    @property
    def expected_amount(self):
        "The cash that should be in the till."
        return self.start_amount + self.balance

    def close_counted(self, counted, reason=None):
        """Close the session with the cash counted; book the gap with the
        expected cash, for reason, as a transfer of the till's gap type.
        Return the gap and the next session of the till."""
        pool = Pool()
        Transfer = pool.get('sale.point.cash.transfer')
        if self.state != 'open':
            raise CountError(gettext('cocagne_caisse.msg_session_not_open',
                    session=self.rec_name))
        counted = Decimal(counted)
        if counted < 0:
            raise CountError(gettext('cocagne_caisse.msg_count_negative',
                    session=self.rec_name))
        gap = self.currency.round(counted - self.expected_amount)
        if gap:
            if not (reason or '').strip():
                raise CountError(gettext('cocagne_caisse.msg_gap_no_reason',
                        session=self.rec_name, gap=money(gap)))
            if not self.point.gap_type:
                raise CountError(gettext('cocagne_caisse.msg_gap_no_type',
                        point=self.point.rec_name))
            Transfer.save([Transfer(point=self.point, session=self,
                        type=self.point.gap_type, amount=gap,
                        reason=reason.strip())])
        self.end_amount = counted
        self.save()
        self.close([self])
        return gap, self.get_current(self.point)


class CashTransfer(GardenOwnedMixin, metaclass=PoolMeta):
    __name__ = 'sale.point.cash.transfer'
    reason = fields.Char(
        "Reason",
        states={
            'readonly': Eval('state') == 'posted',
            },
        help="Why the cash moved: for a gap of the count, what the cashier "
        "found.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # searchable, for the rule that keeps each garden's transfers
        cls.company.searcher = 'search_company'

    @classmethod
    def search_company(cls, name, clause):
        return [('point.company',) + tuple(clause[1:])]

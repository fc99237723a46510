# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Optional analytic axes: a move line is complete once it fills the
mandatory axes, so the grants' axis never blocks the accountants."""
from collections import defaultdict
from decimal import Decimal

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval


class Account(metaclass=PoolMeta):
    __name__ = 'analytic_account.account'
    mandatory = fields.Boolean(
        "Mandatory",
        states={
            'invisible': Eval('type') != 'root',
            },
        help="Move lines stay in draft until they fill this axis.")

    @classmethod
    def default_mandatory(cls):
        return True


class MoveLine(metaclass=PoolMeta):
    __name__ = 'account.move.line'

    @classmethod
    def set_analytic_state(cls, lines):
        "Validate the lines that fill every mandatory axis of their garden."
        super().set_analytic_state(lines)
        Account = Pool().get('analytic_account.account')
        draft = [l for l in lines
            if l.analytic_state == 'draft' and l.must_have_analytic]
        if not draft or not Account.search(
                [('parent', '=', None), ('mandatory', '=', False)], limit=1):
            return
        required = defaultdict(set)
        for root in Account.search([
                    ('parent', '=', None), ('mandatory', '=', True)]):
            required[root.company].add(root)
        for line in draft:
            amounts = defaultdict(Decimal)
            for analytic_line in line.analytic_lines:
                amounts[analytic_line.account.root] += (
                    analytic_line.debit - analytic_line.credit)
            if (required[line.move.company] <= set(amounts)
                    and all(a == line.debit - line.credit
                        for a in amounts.values())):
                line.analytic_state = 'valid'

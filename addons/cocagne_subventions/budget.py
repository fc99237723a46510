# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Budget lines: the eligible expenses planned per category."""
from decimal import Decimal

from sql.aggregate import Sum

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.transaction import Transaction

from .exceptions import BudgetError
from .programme import CATEGORIES


class BudgetLine(ModelSQL, ModelView):
    __name__ = 'cocagne.grant.budget_line'
    __string__ = "Grant Budget Line"
    grant = fields.Many2One(
        'cocagne.grant', "Grant", required=True, ondelete='CASCADE')
    category = fields.Selection(CATEGORIES, "Category", required=True)
    category_string = category.translated('category')
    description = fields.Char("Description")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')
    planned = Monetary(
        "Planned", currency='currency', digits='currency', required=True,
        domain=[('planned', '>=', 0)])
    allocated = fields.Function(Monetary(
            "Allocated", currency='currency', digits='currency'),
        'get_allocated')
    remaining = fields.Function(Monetary(
            "Remaining", currency='currency', digits='currency'),
        'get_allocated')
    over_budget = fields.Function(
        fields.Boolean("Over Budget",
            help="The expenses allocated exceed the planned amount."),
        'get_allocated')
    comment = fields.Text(
        "Comment", help="The explanation of a gap, shown in the Cerfa "
        "15059 table.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('grant')
        cls._order = [('grant', 'ASC'), ('category', 'ASC'), ('id', 'ASC')]

    def get_currency(self, name):
        return self.grant.company.currency.id

    def get_rec_name(self, name):
        if self.description:
            return f'{self.category_string} - {self.description}'
        return self.category_string

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('description',) + tuple(clause[1:])]

    @classmethod
    def get_allocated(cls, lines, names):
        Allocation = Pool().get('cocagne.grant.allocation')
        allocation = Allocation.__table__()
        cursor = Transaction().connection.cursor()
        allocated = dict.fromkeys((l.id for l in lines), Decimal(0))
        cursor.execute(*allocation.select(
                allocation.budget_line, Sum(allocation.amount),
                where=allocation.budget_line.in_(list(allocated)),
                group_by=allocation.budget_line))
        for line, amount in cursor:
            allocated[line] = Decimal(str(amount or 0))
        result = {n: {} for n in names}
        for line in lines:
            amount = line.grant.company.currency.round(allocated[line.id])
            if 'allocated' in names:
                result['allocated'][line.id] = amount
            if 'remaining' in names:
                result['remaining'][line.id] = (line.planned or 0) - amount
            if 'over_budget' in names:
                result['over_budget'][line.id] = amount > (line.planned or 0)
        return result

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        if field_names & {'category', 'grant'}:
            for line in lines:
                allowed = line.grant.programme.categories
                if allowed and line.category not in allowed:
                    raise BudgetError(gettext(
                            'cocagne_subventions.msg_budget_category',
                            line=line.rec_name,
                            grant=line.grant.rec_name,
                            programme=line.grant.programme.rec_name))

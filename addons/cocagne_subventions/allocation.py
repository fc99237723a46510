# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Expenses charged to a grant's budget lines, checked against its rules."""
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Sum

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.cocagne_base.timesheet import ACTIVITIES
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import eligibility as rules
from .exceptions import AllocationError

KINDS = [
    ('invoice', "Supplier invoice"),
    ('timesheet', "Time sheet"),
    ('entry', "Entry with proof"),
    ]
# the fields computed from the expense's source
SOURCES = {'kind', 'invoice_line', 'timesheet_line', 'share',
    'untaxed_amount', 'taxed_amount'}
# the fields the eligibility rules read
CHECKED = SOURCES | {'date', 'budget_line', 'amount', 'grant'}


class Allocation(ModelSQL, ModelView):
    __name__ = 'cocagne.grant.allocation'
    __string__ = "Grant Allocation"
    _computed = {
        'readonly': Eval('kind') != 'entry',
        }
    grant = fields.Many2One(
        'cocagne.grant', "Grant", required=True, ondelete='CASCADE')
    company = fields.Function(
        fields.Many2One('company.company', "Garden"),
        'on_change_with_company')
    budget_line = fields.Many2One(
        'cocagne.grant.budget_line', "Budget Line", required=True,
        ondelete='RESTRICT',
        domain=[
            ('grant', '=', Eval('grant', -1)),
            ])
    kind = fields.Selection(KINDS, "Kind", required=True)
    invoice_line = fields.Many2One(
        'account.invoice.line', "Invoice Line", ondelete='RESTRICT',
        domain=[
            ('invoice.type', '=', 'in'),
            ('invoice.company', '=', Eval('company', -1)),
            ('type', '=', 'line'),
            ],
        states={
            'invisible': Eval('kind') != 'invoice',
            'required': Eval('kind') == 'invoice',
            })
    timesheet_line = fields.Many2One(
        'timesheet.line', "Time Sheet Line", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        states={
            'invisible': Eval('kind') != 'timesheet',
            'required': Eval('kind') == 'timesheet',
            })
    activity = fields.Function(
        fields.Selection(ACTIVITIES, "Activity"), 'get_activity')
    share = fields.Numeric(
        "Share", digits=(16, 4), required=True,
        domain=[('share', '>', 0), ('share', '<=', 1)],
        help="The part of the expense charged to the grant.")
    date = fields.Date("Date", required=True, states=_computed,
        help="The date of the expense: of the invoice or the time sheet.")
    supplier = fields.Many2One(
        'party.party', "Supplier", states=_computed,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    reference = fields.Char("Reference", states=_computed,
        help="The number of the invoice or of the proof.")
    description = fields.Char("Description", required=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')
    hours = fields.Float("Hours", digits=(16, 2), readonly=True,
        states={
            'invisible': Eval('kind') != 'timesheet',
            })
    hourly_cost = Monetary(
        "Hourly Cost", currency='currency', digits=(16, 4), readonly=True,
        states={
            'invisible': Eval('kind') != 'timesheet',
            })
    untaxed_amount = Monetary(
        "Amount excl. VAT", currency='currency', digits='currency',
        required=True, states=_computed)
    taxed_amount = Monetary(
        "Amount incl. VAT", currency='currency', digits='currency',
        required=True, states=_computed)
    amount = Monetary(
        "Eligible Amount", currency='currency', digits='currency',
        readonly=True,
        help="The amount excluding VAT times the share.")
    payment_date = fields.Date("Payment Date")
    payment_means = fields.Char("Means of Payment")
    proof = fields.Binary("Proof", filename='proof_name',
        states={
            'required': Eval('kind') == 'entry',
            })
    proof_name = fields.Char("Proof Name")
    del _computed

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('grant')
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_kind(cls):
        return 'invoice'

    @classmethod
    def default_share(cls):
        return Decimal(1)

    @classmethod
    def default_untaxed_amount(cls):
        return Decimal(0)

    @classmethod
    def default_taxed_amount(cls):
        return Decimal(0)

    @fields.depends('grant', '_parent_grant.company')
    def on_change_with_company(self, name=None):
        return self.grant.company if self.grant else None

    def get_currency(self, name):
        return self.grant.company.currency.id

    def get_activity(self, name):
        if self.timesheet_line:
            return self.timesheet_line.work.activity

    def get_rec_name(self, name):
        lang = Pool().get('ir.lang').get()
        reference = self.reference or (
            lang.strftime(self.date) if self.date else '')
        return f'{self.description} ({reference})'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') else 'OR'
        return [bool_op,
            ('description', operator, operand, *extra),
            ('reference', operator, operand, *extra),
            ]

    @fields.depends('kind', 'invoice_line', 'timesheet_line', 'share',
        'untaxed_amount', 'taxed_amount', 'grant', '_parent_grant.company',
        'description', 'date', 'supplier', 'reference', 'payment_date',
        'payment_means')
    def on_change_with_amount(self, name=None):
        values = self.source_values()
        for name_, value in values.items():
            if name_ != 'amount':
                setattr(self, name_, value)
        return values.get('amount')

    def source_values(self):
        """The values of the allocation taken from its expense: the invoice
        line or the time sheet line, times the share."""
        values = {}
        if self.kind == 'invoice' and self.invoice_line:
            values.update(self._invoice_values(self.invoice_line))
        elif self.kind == 'timesheet' and self.timesheet_line:
            values.update(self._timesheet_values(self.timesheet_line))
        untaxed = values.get('untaxed_amount', self.untaxed_amount)
        if untaxed is not None and self.share is not None:
            amount = untaxed * self.share
            if self.grant:
                amount = self.grant.company.currency.round(amount)
            values['amount'] = amount
        return values

    def _invoice_values(self, line):
        invoice = line.invoice
        taxes = sum((t.amount for t in line._get_taxes().values()),
            Decimal(0)) if line.taxes else Decimal(0)
        values = {
            'date': invoice.invoice_date,
            'supplier': invoice.party,
            'reference': invoice.reference or invoice.number,
            'untaxed_amount': line.amount,
            'taxed_amount': line.amount + taxes,
            }
        if not self.description:
            values['description'] = line.description or (
                line.product.rec_name if line.product else None)
        payments = sorted(invoice.reconciliation_lines or [],
            key=lambda l: l.date)
        if invoice.reconciled and not self.payment_date:
            values['payment_date'] = invoice.reconciled
        if payments and not self.payment_means:
            values['payment_means'] = payments[-1].move.journal.rec_name
        return values

    def _timesheet_values(self, line):
        hours = line.duration.total_seconds() / 3600
        cost = line.employee.compute_cost_price(date=line.date)
        amount = line.company.currency.round(
            Decimal(str(hours)) * cost)
        values = {
            'date': line.date,
            'supplier': line.employee.party,
            'reference': None,
            'hours': hours,
            'hourly_cost': cost,
            'untaxed_amount': amount,
            'taxed_amount': amount,
            }
        if not self.description:
            values['description'] = ' - '.join(filter(None, [
                        line.employee.rec_name, line.work.rec_name,
                        line.description]))
        return values

    @classmethod
    def preprocess_values(cls, mode, values):
        "Fill the required description and date of a new computed expense."
        pool = Pool()
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            source = None
            if values.get('invoice_line'):
                source = pool.get('account.invoice.line')(
                    values['invoice_line'])
                date = source.invoice.invoice_date
                text = source.description
            elif values.get('timesheet_line'):
                source = pool.get('timesheet.line')(values['timesheet_line'])
                date = source.date
                text = source.work.rec_name
            if source:
                values.setdefault('date', date)
                if not values.get('description'):
                    values['description'] = text or '-'
        return values

    def compute_fields(self, field_names=None):
        values = super().compute_fields(field_names=field_names)
        if field_names is None or set(field_names) & SOURCES:
            for name, value in self.source_values().items():
                if getattr(self, name, None) != value:
                    values[name] = value
        return values

    @classmethod
    def on_modification(cls, mode, allocations, field_names=None):
        super().on_modification(mode, allocations, field_names=field_names)
        if mode in {'create', 'write'} and (
                field_names is None or set(field_names) & CHECKED):
            cls.check_eligibility(allocations)

    @classmethod
    def check_eligibility(cls, allocations):
        """Raise AllocationError unless each allocation lies in its grant's
        period, fits its line's category and cap, and its expense is not
        charged beyond 100 %."""
        lang = Pool().get('ir.lang').get()
        for allocation in allocations:
            grant = allocation.grant
            if not rules.in_period(
                    allocation.date, grant.start_date, grant.end_date):
                raise AllocationError(gettext(
                        'cocagne_subventions.msg_allocation_period',
                        allocation=allocation.rec_name,
                        date=lang.strftime(allocation.date),
                        grant=grant.rec_name,
                        start=lang.strftime(grant.start_date)
                        if grant.start_date else '-',
                        end=lang.strftime(grant.end_date)
                        if grant.end_date else '-'))
            line = allocation.budget_line
            if not rules.category_allowed(allocation.kind, line.category,
                    grant.programme.categories):
                raise AllocationError(gettext(
                        'cocagne_subventions.msg_allocation_category',
                        allocation=allocation.rec_name,
                        line=line.rec_name,
                        grant=grant.rec_name))
        cls.check_caps(allocations)
        cls.check_shares(allocations)

    @classmethod
    def check_caps(cls, allocations):
        "Raise AllocationError if a budget line's allocations exceed it."
        pool = Pool()
        BudgetLine = pool.get('cocagne.grant.budget_line')
        lang = pool.get('ir.lang').get()
        lines = list({a.budget_line for a in allocations})
        allocated = BudgetLine.get_allocated(lines, ['allocated'])['allocated']
        for line in lines:
            excess = rules.over_cap(line.planned, allocated[line.id], 0)
            if excess:
                allocation = next(
                    a for a in allocations if a.budget_line == line)
                currency = line.grant.company.currency
                raise AllocationError(gettext(
                        'cocagne_subventions.msg_allocation_cap',
                        allocation=allocation.rec_name,
                        line=line.rec_name,
                        grant=line.grant.rec_name,
                        planned=lang.currency(line.planned, currency),
                        excess=lang.currency(excess, currency)))

    @classmethod
    def check_shares(cls, allocations):
        """Raise AllocationError if an invoice line or a time sheet line is
        charged beyond 100 % across all grants."""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        for column in ['invoice_line', 'timesheet_line']:
            sources = {getattr(a, column).id: a for a in allocations
                if getattr(a, column)}
            if not sources:
                continue
            shares = defaultdict(list)
            cursor.execute(*table.select(
                    getattr(table, column), Sum(table.share),
                    where=getattr(table, column).in_(list(sources)),
                    group_by=getattr(table, column)))
            for source, share in cursor:
                shares[source].append(Decimal(str(share)))
            for source, allocation in sources.items():
                if rules.over_allocated(shares[source]):
                    raise AllocationError(gettext(
                            'cocagne_subventions.msg_allocation_full',
                            allocation=allocation.rec_name,
                            expense=getattr(allocation, column).rec_name,
                            share=round(sum(shares[source]) * 100, 2)))

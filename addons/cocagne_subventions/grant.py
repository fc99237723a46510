# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Grants: from the application to the final report."""
from decimal import Decimal

from sql.aggregate import Sum

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.cocagne_base.garden import GardenOwnedMixin
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

from . import eligibility as rules
from .exceptions import FinancingError, FinancingWarning, GrantError

STATES = [
    ('draft', "Draft"),
    ('submitted', "Submitted"),
    ('awarded', "Awarded"),
    ('in_progress', "In progress"),
    ('reporting', "Reporting"),
    ('closed', "Closed"),
    ('refused', "Refused"),
    ('cancelled', "Cancelled"),
    ]
AWARDED = ['awarded', 'in_progress', 'reporting', 'closed']


class Grant(GardenOwnedMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'cocagne.grant'
    __string__ = "Grant"
    _rec_name = 'title'
    _states = {
        'readonly': Eval('state').in_(['closed', 'refused', 'cancelled']),
        }
    _awarded = {
        'required': Eval('state').in_(AWARDED),
        'readonly': Eval('state').in_(['closed', 'refused', 'cancelled']),
        }

    company = fields.Many2One(
        'company.company', "Garden", required=True,
        states={
            'readonly': Eval('state') != 'draft',
            })
    title = fields.Char("Title", required=True, states=_states)
    programme = fields.Many2One(
        'cocagne.grant.programme', "Programme", required=True,
        ondelete='RESTRICT', states=_states)
    funder = fields.Many2One(
        'party.party', "Funder", required=True, ondelete='RESTRICT',
        states=_states,
        context={
            'company': Eval('company', -1),
            })
    convention_number = fields.Char(
        "Convention Number", strip=True, states=_awarded,
        help="The number of the agreement or of the award decision.")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')
    amount_requested = Monetary(
        "Amount Requested", currency='currency', digits='currency',
        states=_states)
    amount_awarded = Monetary(
        "Amount Awarded", currency='currency', digits='currency',
        states=_awarded)
    eligible_base = Monetary(
        "Eligible Base", currency='currency', digits='currency',
        states=_states,
        help="The eligible expenses on which the aid rate applies.")
    rate = fields.Function(
        fields.Numeric("Aid Rate", digits=(16, 4),
            help="The amount awarded over the eligible base."),
        'on_change_with_rate')
    start_date = fields.Date(
        "Eligible From", states=_awarded,
        help="Expenses are eligible from this day on.")
    end_date = fields.Date(
        "Eligible To", states=_awarded,
        domain=[
            If(Eval('start_date') & Eval('end_date'),
                ('end_date', '>=', Eval('start_date')),
                ()),
            ],
        help="Expenses are eligible up to this day.")
    submission_date = fields.Date("Submission Date", states=_states)
    award_date = fields.Date(
        "Award Date", states=_awarded,
        help="The date of the award decision or of the signed convention.")
    analytic_account = fields.Many2One(
        'analytic_account.account', "Analytic Account", readonly=True,
        help="Created at the award under the grants' analytic axis.")
    managers = fields.Many2Many(
        'cocagne.grant-res.user', 'grant', 'user', "Managers",
        help="The users reminded of the grant's deadlines.")
    budget_lines = fields.One2Many(
        'cocagne.grant.budget_line', 'grant', "Budget Lines",
        states=_states)
    financings = fields.One2Many(
        'cocagne.grant.financing', 'grant', "Financing Plan",
        states=_states)
    allocations = fields.One2Many(
        'cocagne.grant.allocation', 'grant', "Allocated Expenses",
        readonly=True)
    instalments = fields.One2Many(
        'cocagne.grant.instalment', 'grant', "Instalments", states=_states)
    indicators = fields.One2Many(
        'cocagne.grant.indicator', 'grant', "Indicators", states=_states)
    deadlines = fields.One2Many(
        'cocagne.grant.deadline', 'grant', "Deadlines", states=_states)
    comment = fields.Text("Comment")
    state = fields.Selection(STATES, "State", readonly=True, required=True,
        sort=False)

    budget_total = fields.Function(Monetary(
            "Budget", currency='currency', digits='currency'),
        'get_amounts')
    amount_allocated = fields.Function(Monetary(
            "Allocated", currency='currency', digits='currency'),
        'get_amounts')
    amount_claimed = fields.Function(Monetary(
            "Claimed", currency='currency', digits='currency'),
        'get_amounts')
    amount_received = fields.Function(Monetary(
            "Received", currency='currency', digits='currency'),
        'get_amounts')
    amount_to_claim = fields.Function(Monetary(
            "Still to Claim", currency='currency', digits='currency'),
        'get_amounts')
    next_deadline = fields.Function(
        fields.Date("Next Deadline"), 'get_next_deadline')

    del _states, _awarded

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start_date', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'submitted'),
            ('submitted', 'draft'),
            ('submitted', 'awarded'),
            ('submitted', 'refused'),
            ('awarded', 'in_progress'),
            ('in_progress', 'reporting'),
            ('reporting', 'in_progress'),
            ('reporting', 'closed'),
            ('draft', 'cancelled'),
            ('submitted', 'cancelled'),
            ('awarded', 'cancelled'),
            ('refused', 'draft'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': ~Eval('state').in_(
                        ['submitted', 'refused', 'cancelled']),
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'submit': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'award': {
                    'invisible': Eval('state') != 'submitted',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'refuse': {
                    'invisible': Eval('state') != 'submitted',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'start': {
                    'invisible': Eval('state') != 'awarded',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'report': {
                    'invisible': Eval('state') != 'in_progress',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'reporting',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(
                        ['draft', 'submitted', 'awarded']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_managers(cls):
        user = Transaction().user
        return [user] if user else []

    def get_currency(self, name):
        return self.company.currency.id

    @fields.depends('amount_awarded', 'eligible_base')
    def on_change_with_rate(self, name=None):
        if self.amount_awarded is not None and self.eligible_base:
            return (self.amount_awarded / self.eligible_base).quantize(
                Decimal('0.0001'))

    @classmethod
    def get_amounts(cls, grants, names):
        pool = Pool()
        BudgetLine = pool.get('cocagne.grant.budget_line')
        Allocation = pool.get('cocagne.grant.allocation')
        Instalment = pool.get('cocagne.grant.instalment')
        ids = [g.id for g in grants]
        totals = {}
        cursor = Transaction().connection.cursor()
        for name, Model, column in [
                ('budget_total', BudgetLine, 'planned'),
                ('amount_allocated', Allocation, 'amount'),
                ('amount_claimed', Instalment, 'amount'),
                ('amount_received', Instalment, 'received_amount'),
                ]:
            table = Model.__table__()
            totals[name] = dict.fromkeys(ids, Decimal(0))
            cursor.execute(*table.select(
                    table.grant, Sum(getattr(table, column)),
                    where=table.grant.in_(ids),
                    group_by=table.grant))
            for grant, amount in cursor:
                if amount is not None:
                    totals[name][grant] = Decimal(str(amount))
        totals['amount_to_claim'] = {g.id: max(
                (g.amount_awarded or 0) - totals['amount_claimed'][g.id], 0)
            for g in grants}
        return {n: {g.id: g.company.currency.round(totals[n][g.id])
                for g in grants}
            for n in names}

    def get_next_deadline(self, name):
        today = Pool().get('ir.date').today()
        dates = [d.date for d in self.deadlines
            if not d.done and d.date >= today]
        return min(dates) if dates else None

    @classmethod
    def copy(cls, grants, default=None):
        default = default.copy() if default is not None else {}
        for name in ['analytic_account', 'convention_number', 'award_date',
                'amount_awarded', 'submission_date']:
            default.setdefault(name, None)
        for name in ['allocations', 'instalments', 'deadlines']:
            default.setdefault(name, None)
        return super().copy(grants, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, grants):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, grants):
        today = Pool().get('ir.date').today()
        for grant in grants:
            if not grant.submission_date:
                grant.submission_date = today
        cls.save(grants)

    @classmethod
    @ModelView.button
    @Workflow.transition('awarded')
    def award(cls, grants):
        "Check the award and the financing plan, open the grant's account."
        for grant in grants:
            grant.check_award()
        for grant in grants:
            grant.check_financing()
        for grant in grants:
            grant.create_analytic_account()
            grant.create_report_deadline()
        cls.save(grants)

    @classmethod
    @ModelView.button
    @Workflow.transition('refused')
    def refuse(cls, grants):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('in_progress')
    def start(cls, grants):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('reporting')
    def report(cls, grants):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, grants):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, grants):
        pass

    def check_award(self):
        "Raise GrantError unless the award is complete and within the rate."
        if not (self.amount_awarded and self.award_date and self.start_date
                and self.end_date):
            raise GrantError(gettext(
                    'cocagne_subventions.msg_grant_award_incomplete',
                    grant=self.rec_name))
        max_rate = self.programme.max_rate
        rate = self.on_change_with_rate()
        if max_rate and rate is not None and rate > max_rate:
            raise GrantError(gettext(
                    'cocagne_subventions.msg_grant_rate',
                    grant=self.rec_name,
                    rate=round(rate * 100, 2),
                    programme=self.programme.rec_name,
                    max_rate=round(max_rate * 100, 2)))

    def check_financing(self):
        """Raise FinancingError unless the financing plan balances with the
        budget; warn of EU funds without a national public match."""
        Warning = Pool().get('res.user.warning')
        lang = Pool().get('ir.lang').get()
        budget = sum((l.planned or 0 for l in self.budget_lines), Decimal(0))
        amounts = [f.amount or Decimal(0) for f in self.financings]
        if not self.budget_lines or rules.financing_gap(budget, amounts):
            raise FinancingError(gettext(
                    'cocagne_subventions.msg_financing_unbalanced',
                    grant=self.rec_name,
                    budget=lang.currency(budget, self.company.currency),
                    financing=lang.currency(
                        sum(amounts, Decimal(0)), self.company.currency)))
        if rules.eu_without_national_match(
                f.funder_type for f in self.financings):
            key = Warning.format('eu_alone', [self])
            if Warning.check(key):
                raise FinancingWarning(key, gettext(
                        'cocagne_subventions.msg_financing_eu_alone',
                        grant=self.rec_name))

    @without_check_access
    def create_analytic_account(self):
        "Open the analytic account of the grant under the grants' root."
        pool = Pool()
        Account = pool.get('analytic_account.account')
        Configuration = pool.get('cocagne.configuration')
        if self.analytic_account:
            return
        root = Configuration.grant_root(self.company)
        account = Account(
            name=self.title, code=self.convention_number,
            company=self.company, type='normal', root=root, parent=root,
            state='opened')
        account.save()
        self.analytic_account = account

    def create_report_deadline(self):
        """Add the deadline of the compte rendu financier: 6 months after
        the end of the financial year of the award."""
        pool = Pool()
        Deadline = pool.get('cocagne.grant.deadline')
        FiscalYear = pool.get('account.fiscalyear')
        if any(d.kind == 'report' for d in self.deadlines):
            return
        years = FiscalYear.search([
                ('company', '=', self.company.id),
                ('start_date', '<=', self.award_date),
                ('end_date', '>=', self.award_date),
                ])
        periods = [(y.start_date, y.end_date) for y in years]
        Deadline(grant=self, kind='report',
            date=rules.report_deadline(self.award_date, periods)).save()


class GrantUser(ModelSQL):
    __name__ = 'cocagne.grant-res.user'
    __string__ = "Grant - Manager"
    grant = fields.Many2One(
        'cocagne.grant', "Grant", required=True, ondelete='CASCADE')
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')

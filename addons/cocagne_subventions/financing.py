# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The co-financing plan of a grant: who pays what share of the budget."""
from decimal import Decimal

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval

from .programme import FUNDER_TYPES


class Financing(ModelSQL, ModelView):
    __name__ = 'cocagne.grant.financing'
    __string__ = "Grant Financing"
    grant = fields.Many2One(
        'cocagne.grant', "Grant", required=True, ondelete='CASCADE')
    funder = fields.Many2One(
        'party.party', "Funder", required=True, ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    company = fields.Function(
        fields.Many2One('company.company', "Garden"),
        'on_change_with_company')
    funder_type = fields.Selection(FUNDER_TYPES, "Funder Type", required=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        domain=[('amount', '>=', 0)])
    share = fields.Function(
        fields.Numeric("Share", digits=(16, 4),
            help="The part of the financing plan that the funder pays."),
        'get_share')
    received = fields.Function(Monetary(
            "Received", currency='currency', digits='currency',
            help="The instalments received from the funder."),
        'get_received')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('grant')
        cls._order = [('grant', 'ASC'), ('amount', 'DESC'), ('id', 'ASC')]

    @fields.depends('grant', '_parent_grant.company')
    def on_change_with_company(self, name=None):
        return self.grant.company if self.grant else None

    @fields.depends('grant', 'funder', '_parent_grant.programme',
        '_parent_grant.funder')
    def on_change_funder(self):
        if (self.grant and self.grant.programme
                and self.funder == self.grant.funder):
            self.funder_type = self.grant.programme.funder_type

    def get_currency(self, name):
        return self.grant.company.currency.id

    def get_rec_name(self, name):
        return self.funder.rec_name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('funder.rec_name',) + tuple(clause[1:])]

    def get_share(self, name):
        total = sum((f.amount or 0 for f in self.grant.financings),
            Decimal(0))
        if total and self.amount is not None:
            return (self.amount / total).quantize(Decimal('0.0001'))

    def get_received(self, name):
        Instalment = Pool().get('cocagne.grant.instalment')
        instalments = Instalment.search([
                ('grant', '=', self.grant.id),
                ('funder', '=', self.funder.id),
                ])
        return sum((i.received_amount or 0 for i in instalments), Decimal(0))

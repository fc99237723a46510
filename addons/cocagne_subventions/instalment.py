# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Instalments: the advance, interim payments and balance of a grant."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval

from . import eligibility as rules
from .exceptions import InstalmentError

KINDS = [
    ('advance', "Advance"),
    ('interim', "Interim payment"),
    ('balance', "Balance"),
    ]


class Instalment(ModelSQL, ModelView):
    __name__ = 'cocagne.grant.instalment'
    __string__ = "Grant Instalment"
    grant = fields.Many2One(
        'cocagne.grant', "Grant", required=True, ondelete='CASCADE')
    company = fields.Function(
        fields.Many2One('company.company', "Garden"),
        'on_change_with_company')
    kind = fields.Selection(KINDS, "Kind", required=True)
    funder = fields.Many2One(
        'party.party', "Funder", required=True, ondelete='RESTRICT',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="Who pays the instalment: the grant's funder or a co-funder.")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')
    expected_date = fields.Date("Expected Date")
    amount = Monetary(
        "Amount Claimed", currency='currency', digits='currency',
        required=True, domain=[('amount', '>=', 0)])
    received_date = fields.Date("Received Date")
    received_amount = Monetary(
        "Amount Received", currency='currency', digits='currency',
        domain=['OR',
            ('received_amount', '=', None),
            ('received_amount', '>=', 0),
            ])
    move_line = fields.Many2One(
        'account.move.line', "Payment", ondelete='SET NULL',
        domain=[
            ('move.company', '=', Eval('company', -1)),
            ('credit', '>', 0),
            ],
        help="The accounting line of the payment received.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('grant')
        cls._order = [
            ('expected_date', 'ASC NULLS LAST'), ('id', 'ASC')]

    @classmethod
    def default_kind(cls):
        return 'interim'

    @fields.depends('grant', '_parent_grant.company')
    def on_change_with_company(self, name=None):
        return self.grant.company if self.grant else None

    @fields.depends('grant', 'funder', '_parent_grant.funder')
    def on_change_grant(self):
        if self.grant and not self.funder:
            self.funder = self.grant.funder

    @fields.depends('move_line', 'received_amount', 'received_date')
    def on_change_move_line(self):
        if self.move_line:
            self.received_amount = self.move_line.credit
            self.received_date = self.move_line.date

    def get_currency(self, name):
        return self.grant.company.currency.id

    def get_rec_name(self, name):
        lang = Pool().get('ir.lang').get()
        return (f'{self.grant.rec_name} - '
            + lang.currency(self.amount, self.grant.company.currency))

    @classmethod
    def validate_fields(cls, instalments, field_names):
        super().validate_fields(instalments, field_names)
        if field_names & {'amount', 'kind', 'grant'}:
            cls.check_claimable({i.grant for i in instalments})

    @classmethod
    def check_claimable(cls, grants):
        """Raise InstalmentError if the claims before the balance of a grant
        exceed the programme's claimable share of the award."""
        lang = Pool().get('ir.lang').get()
        for grant in grants:
            awarded = grant.amount_awarded or grant.amount_requested
            share = grant.programme.claimable_share
            claims = [i.amount for i in grant.instalments
                if i.kind != 'balance']
            currency = grant.company.currency
            if rules.claim_excess(awarded, share, claims):
                raise InstalmentError(gettext(
                        'cocagne_subventions.msg_instalment_claimable',
                        grant=grant.rec_name,
                        claimed=lang.currency(
                            sum(claims, Decimal(0)), currency),
                        claimable=lang.currency(
                            rules.claimable_before_balance(awarded, share),
                            currency)))
            amounts = [i.amount for i in grant.instalments]
            if rules.claim_excess(awarded, None, amounts):
                raise InstalmentError(gettext(
                        'cocagne_subventions.msg_instalment_awarded',
                        grant=grant.rec_name,
                        claimed=lang.currency(
                            sum(amounts, Decimal(0)), currency),
                        awarded=lang.currency(awarded or 0, currency)))

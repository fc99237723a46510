# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Garden settings of the grants: the analytic root of their accounts."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, fields
from trytond.modules.company.model import CompanyValueMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import without_check_access

grant_analytic_root = fields.Many2One(
    'analytic_account.account', "Grants Analytic Root",
    domain=[
        ('type', '=', 'root'),
        ('company', '=', Eval('company', -1)),
        ],
    help="The analytic axis under which each awarded grant gets its "
    "account; created, not mandatory, at the first award.")


class Configuration(metaclass=PoolMeta):
    __name__ = 'cocagne.configuration'
    grant_analytic_root = fields.MultiValue(fields.Many2One(
            'analytic_account.account', "Grants Analytic Root",
            domain=[
                ('type', '=', 'root'),
                ('company', '=', Eval('context', {}).get('company', -1)),
                ],
            help="The analytic axis under which each awarded grant gets its "
            "account; created, not mandatory, at the first award."))

    @classmethod
    def multivalue_model(cls, field):
        if field == 'grant_analytic_root':
            return Pool().get('cocagne.configuration.grant')
        return super().multivalue_model(field)

    @classmethod
    @without_check_access
    def grant_root(cls, company):
        """The analytic root of the grants of company, created (not
        mandatory: move lines need not carry it) if missing."""
        pool = Pool()
        Account = pool.get('analytic_account.account')
        configuration = cls(1)
        root = configuration.get_multivalue(
            'grant_analytic_root', company=company.id)
        if not root:
            root = Account(
                name=gettext('cocagne_subventions.msg_grant_analytic_root'),
                type='root', company=company, mandatory=False,
                state='opened')
            root.save()
            configuration.set_multivalue(
                'grant_analytic_root', root, company=company.id)
            configuration.save()
        return root


class ConfigurationGrant(ModelSQL, CompanyValueMixin):
    __name__ = 'cocagne.configuration.grant'
    __string__ = "Cocagne Grant Configuration"
    grant_analytic_root = grant_analytic_root

from unittest.mock import patch

from trytond.modules.company.tests import CompanyTestMixin
from trytond.pool import isregisteredby
from trytond.tests.test_tryton import ModuleTestCase

# Parties, products and locations may be shared by the whole network: their
# optional garden scopes who sees them, while their company-dependent values
# (accounts, prices) keep following the user's current company.
SHARED = {
    ('party.party', 'company'),
    ('product.template', 'company'),
    ('stock.location', 'company'),
    }


class CocagneBaseTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Cocagne Base module"
    module = 'cocagne_base'

    @property
    def _skip_company_rule(self):
        # their rule also lets through the records without garden
        return super()._skip_company_rule | SHARED

    def test_company_multivalue_context(self):
        "Test context of company multivalue target, shared models excepted"
        shared = {m for m, _ in SHARED}

        def registered(model, module):
            return (model.__name__ not in shared
                and isregisteredby(model, module))
        with patch('trytond.modules.company.tests.test_module.isregisteredby',
                registered):
            super().test_company_multivalue_context()


del ModuleTestCase

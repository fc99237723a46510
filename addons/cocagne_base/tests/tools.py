"""Test helpers shared by the test files of the Cocagne modules."""
import datetime as dt
from contextlib import contextmanager
from unittest.mock import patch

from trytond.modules import get_modules
from trytond.modules.company.tests import create_company, create_employee
from trytond.modules.currency.tests import create_currency
from trytond.pool import Pool, isregisteredby
from trytond.tests.test_tryton import (
    DB_NAME, _DBTestCase, activate_module, drop_db)
from trytond.transaction import Transaction, TransactionError

# The language of the databases of the tests: Cocagne's users are French.
LANGUAGE = 'fr'

HOUR = dt.timedelta(hours=1)


def create_garden():
    "A garden counting in euros."
    euro = create_currency('EUR')
    euro.symbol = '€'
    euro.save()
    return create_company("Jardin de Cocagne", currency=euro)


def create_staff(company, insertion_end=None):
    """Return an insertion employee and a supervisor of company, both under
    contract since 1 January 2026; the insertion contract ends on
    insertion_end (None: no end)."""
    pool = Pool()
    Contract = pool.get('cocagne.employee.contract')
    Employee = pool.get('company.employee')
    insertion = create_employee(company, "Salarié en insertion")
    supervisor = create_employee(company, "Encadrante")
    Employee.write([insertion, supervisor],
        {'start_date': dt.date(2026, 1, 1)})
    Contract.create([{
                'employee': insertion.id, 'kind': 'insertion',
                'start_date': dt.date(2026, 1, 1),
                'end_date': insertion_end,
                }, {
                'employee': supervisor.id, 'kind': 'supervisor',
                'start_date': dt.date(2026, 1, 1),
                'weekly_hours': 35,
                }])
    return insertion, supervisor


def log_hours(entries):
    "Create the time sheet lines of (employee, work, date, hours) entries."
    Line = Pool().get('timesheet.line')
    Line.create([{'employee': e.id, 'work': w.id, 'date': d,
                'duration': h * HOUR} for e, w, d, h in entries])


def create_garden_user(companies, company_filter='one', login='jardinier'):
    "A Cocagne user of companies (the first one current)."
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    groups = [ModelData.get_id(module, group) for module, group in [
            ('cocagne_base', 'group_cocagne'),
            ('company', 'group_employee_admin'),
            ]]
    user, = User.create([{
                'login': login, 'name': login.capitalize(),
                'companies': [('add', [c.id for c in companies])],
                'company': companies[0].id,
                'company_filter': company_filter,
                'groups': [('add', groups)],
                }])
    return user


@contextmanager
def acting_as(user):
    "Act as user, in the user's context and with the record rules applied."
    User = Pool().get('res.user')
    with Transaction().set_user(user.id):
        context = User.get_preferences(context_only=True)
    with Transaction().set_user(user.id), Transaction().set_context(
            context, _check_access=True):
        yield


def create_sale_point(company, storage, name):
    """A till of company named name (its ticket sequence too), selling from
    the storage location to the customers (sale_point activated)."""
    pool = Pool()
    Point = pool.get('sale.point')
    Location = pool.get('stock.location')
    Journal = pool.get('account.journal')
    Sequence = pool.get('ir.sequence.strict')
    ModelData = pool.get('ir.model.data')
    customer, = Location.search([('code', '=', 'CUS')])
    journal, = Journal.search([('code', '=', 'REV')])
    sequence, = Sequence.create([{
                'name': name, 'company': company.id,
                'sequence_type': ModelData.get_id(
                    'sale_point', 'sequence_type_sale'),
                }])
    point, = Point.create([{
                'name': name, 'company': company.id,
                'journal': journal.id, 'sequence': sequence.id,
                'storage_location': storage.id,
                'customer_location': customer.id,
                }])
    return point


def run_committed(setup):
    """Run setup() as user 0 in a transaction of the test database that is
    committed (for tests over HTTP, which open transactions of their own);
    start again with the lock when a sequence locks its table."""
    extras = {}
    while True:
        with Transaction().start(DB_NAME, 0, **extras) as transaction:
            try:
                setup()
            except TransactionError as error:
                transaction.rollback()
                error.fix(extras)
                continue
            transaction.commit()
            return


def stack_modules():
    """The modules that every database test of Cocagne activates: each
    Cocagne module present and sale_point. One set for every test, so that
    one database build per backend serves them all (trytond's DB_CACHE keeps
    one copy per set of modules)."""
    return sorted(m for m in get_modules() if m.startswith('cocagne_')) + [
        'sale_point']


def activate_stack():
    "Activate stack_modules() in the test database, in French."
    activate_module(stack_modules(), lang=LANGUAGE)


def activate_scenario(*setup):
    """activate_modules(stack_modules(), *setup) of trytond.tests.tools for
    the scenarios, without a build of their own: the database of the unit
    tests (activate_stack, cached) with its users and default language
    given back English, the language of Tryton's scenarios, then setup
    run; cached in turn. Return proteus' configuration."""
    from proteus import config as proteus_config
    from trytond.tests import test_tryton

    name = '|'.join(['-'.join(stack_modules()), LANGUAGE, 'en',
            *(f'{f.__module__}.{f.__qualname__}' for f in setup)])
    if test_tryton.restore_db_cache(name):
        return proteus_config.set_trytond()
    drop_db()
    activate_stack()
    with Transaction().start(DB_NAME, 0) as transaction:
        pool = Pool()
        Configuration = pool.get('ir.configuration')
        Lang = pool.get('ir.lang')
        User = pool.get('res.user')
        english, = Lang.search([('code', '=', 'en')])
        english.translatable = True
        english.save()
        User.write(User.search([('login', '!=', 'root')]),
            {'language': english.id})
        configuration = Configuration(1)
        configuration.language = 'en'
        configuration.save()
        transaction.commit()
    config = proteus_config.set_trytond()
    for function in setup:
        function(config=config)
    test_tryton.backup_db_cache(name)
    return config


class StackTestMixin:
    """A database test case of a Cocagne module that runs in the database
    of the whole stack (stack_modules()); put it first among the bases.
    `module` still names the module under test."""
    language = LANGUAGE

    @classmethod
    def setUpClass(cls):
        # _DBTestCase.setUpClass activates [module] + extras, a set of its
        # own for each module: activate the shared one instead
        super(_DBTestCase, cls).setUpClass()
        drop_db()
        activate_stack()


class SharedModelsMixin:
    """CompanyTestMixin's checks for a module that extends models shared by
    the gardens: their rule also lets through the records without a garden
    (a record of the network), listed as (model, field) in `shared`."""
    shared = {
        ('party.party', 'company'),
        ('product.template', 'company'),
        ('stock.location', 'company'),
        }

    @property
    def _skip_company_rule(self):
        return super()._skip_company_rule | self.shared

    def test_company_multivalue_context(self):
        "Test context of company multivalue target, shared models excepted"
        # the variants follow their template
        shared = {m for m, _ in self.shared} | {'product.product'}

        def registered(model, module):
            return (model.__name__ not in shared
                and isregisteredby(model, module))
        with patch('trytond.modules.company.tests.test_module.isregisteredby',
                registered):
            super().test_company_multivalue_context()

import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.modules.cocagne_base.exceptions import GardenAccessError
from trytond.modules.cocagne_base.tests.tools import StackTestMixin
from trytond.modules.cocagne_subventions.exceptions import (
    AllocationError, BudgetError, FinancingError, FinancingWarning,
    GrantError, InstalmentError)
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.modules.currency.tests import create_currency
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

YEAR = dt.date.today().year
START, END = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)


def create_programme(**values):
    Programme = Pool().get('cocagne.grant.programme')
    programme, = Programme.create([{
                'name': "Programme LEADER",
                'code': 'LEADER',
                'funder_type': 'eu',
                'max_rate': Decimal('0.8'),
                'claimable_share': Decimal('0.8'),
                **values,
                }])
    return programme


def create_grant(company, programme, budget=(('services', 10000),),
        financing=None, **values):
    "Create a submitted grant of company with its budget and financing."
    pool = Pool()
    Grant = pool.get('cocagne.grant')
    Party = pool.get('party.party')
    funder, = Party.create([{'name': "Région Bourgogne-Franche-Comté"}])
    total = sum(a for _, a in budget)
    if financing is None:
        financing = [(funder.id, 'region', total)]
    grant, = Grant.create([{
                'company': company.id,
                'title': "Circuits courts",
                'programme': programme.id,
                'funder': funder.id,
                'amount_requested': Decimal(total // 2),
                'eligible_base': Decimal(total),
                'start_date': START,
                'end_date': END,
                'budget_lines': [('create', [{
                                'category': c, 'planned': Decimal(a)}
                            for c, a in budget])],
                'financings': [('create', [{
                                'funder': f, 'funder_type': t,
                                'amount': Decimal(a)}
                            for f, t, a in financing])],
                **values,
                }])
    Grant.submit([grant])
    return grant


def award(grant):
    Grant = Pool().get('cocagne.grant')
    Grant.write([grant], {
            'amount_awarded': grant.amount_requested,
            'award_date': START,
            'convention_number': 'CONV-1',
            })
    Grant.award([grant])


class CocagneSubventionsTestCase(
        StackTestMixin, CompanyTestMixin, ModuleTestCase):
    "Test Cocagne Subventions module"
    module = 'cocagne_subventions'

    @with_transaction()
    def test_award(self):
        "Awarding opens the analytic account and the report deadline"
        company = create_company()
        with set_company(company):
            grant = create_grant(company, create_programme(funder_type='region'))
            award(grant)
            self.assertEqual(grant.state, 'awarded')
            account = grant.analytic_account
            self.assertEqual(account.root.name, "Subventions")
            self.assertFalse(account.root.mandatory)
            self.assertEqual(
                [(d.kind, d.date) for d in grant.deadlines],
                [('report', dt.date(YEAR + 1, 6, 30))])
            self.assertEqual(grant.rate, Decimal('0.5'))
            self.assertEqual(grant.amount_to_claim, Decimal(5000))

    @with_transaction()
    def test_award_unbalanced(self):
        "An unbalanced financing plan is refused at the award"
        company = create_company()
        with set_company(company):
            grant = create_grant(company, create_programme(),
                budget=[('services', 10000)],
                financing=[])
            Pool().get('cocagne.grant.financing').create([{
                        'grant': grant.id, 'funder': grant.funder.id,
                        'funder_type': 'region', 'amount': Decimal(8000)}])
            with self.assertRaises(FinancingError) as cm:
                award(grant)
            lang = Pool().get('ir.lang').get()
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_subventions.msg_financing_unbalanced',
                    grant="Circuits courts",
                    budget=lang.currency(Decimal(10000), company.currency),
                    financing=lang.currency(Decimal(8000), company.currency)))
            self.assertEqual(grant.state, 'submitted')
            self.assertIsNone(grant.analytic_account)

    @with_transaction()
    def test_award_rate(self):
        "An award above the programme's maximum rate is refused"
        company = create_company()
        with set_company(company):
            grant = create_grant(company, create_programme(
                    funder_type='region', max_rate=Decimal('0.4')))
            with self.assertRaises(GrantError) as cm:
                award(grant)
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_subventions.msg_grant_rate',
                    grant="Circuits courts", rate=Decimal('50.00'),
                    programme="LEADER - Programme LEADER",
                    max_rate=Decimal('40.00')))
            self.assertEqual(grant.state, 'submitted')

    @with_transaction()
    def test_award_eu_alone(self):
        "EU funds without a national public match raise a warning"
        company = create_company()
        with set_company(company):
            grant = create_grant(company, create_programme(), financing=[])
            Pool().get('cocagne.grant.financing').create([{
                        'grant': grant.id, 'funder': grant.funder.id,
                        'funder_type': 'eu', 'amount': Decimal(10000)}])
            with self.assertRaises(FinancingWarning) as cm:
                award(grant)
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_subventions.msg_financing_eu_alone',
                    grant="Circuits courts"))

    @with_transaction()
    def test_budget_category(self):
        "A budget line outside the programme's categories is refused"
        company = create_company()
        with set_company(company):
            programme = create_programme(categories=['services'])
            with self.assertRaises(BudgetError) as cm:
                create_grant(company, programme,
                    budget=[('services', 5000), ('travel', 5000)])
            self.assertIn("Déplacements", cm.exception.message)
            self.assertIn("Circuits courts", cm.exception.message)

    @with_transaction()
    def test_allocation_entries(self):
        "Entries are checked against the period, the category and the cap"
        pool = Pool()
        Allocation = pool.get('cocagne.grant.allocation')
        company = create_company()
        with set_company(company):
            grant = create_grant(company, create_programme(
                    funder_type='region'),
                budget=[('services', 1000), ('personnel', 1000)])
            award(grant)
            services, personnel = sorted(
                grant.budget_lines, key=lambda l: l.category != 'services')

            def entry(line, amount, date=START, description="Frais"):
                return Allocation.create([{
                            'grant': grant.id, 'budget_line': line.id,
                            'kind': 'entry', 'date': date,
                            'description': description,
                            'untaxed_amount': Decimal(amount),
                            'taxed_amount': Decimal(amount),
                            'proof': b'%PDF', 'proof_name': 'proof.pdf',
                            }])[0]
            first = entry(services, 600)
            self.assertEqual(first.amount, Decimal(600))
            lang = pool.get('ir.lang').get()
            with self.assertRaises(AllocationError) as cm:
                entry(services, 500, description="Trop")
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_subventions.msg_allocation_cap',
                    allocation=f"Trop ({lang.strftime(START)})",
                    line="Prestations de services", grant="Circuits courts",
                    planned=lang.currency(Decimal(1000), company.currency),
                    excess=lang.currency(Decimal(100), company.currency)))
            with self.assertRaises(AllocationError) as cm:
                entry(services, 100, date=END + dt.timedelta(days=1),
                    description="Tardive")
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_subventions.msg_allocation_period',
                    allocation="Tardive (%s)" % lang.strftime(
                        END + dt.timedelta(days=1)),
                    date=lang.strftime(END + dt.timedelta(days=1)),
                    grant="Circuits courts",
                    start=lang.strftime(START), end=lang.strftime(END)))
            # the refused ones are written in this test's transaction
            # only: a request is rolled back (see the scenario)
            self.assertTrue(services.over_budget)

    @with_transaction()
    def test_instalment_claimable(self):
        "Claims before the balance stay within the programme's share"
        pool = Pool()
        Instalment = pool.get('cocagne.grant.instalment')
        company = create_company()
        with set_company(company):
            grant = create_grant(company, create_programme(
                    funder_type='region'))
            award(grant)
            Instalment.create([{'grant': grant.id, 'kind': 'advance',
                        'funder': grant.funder.id,
                        'amount': Decimal(3000)}])
            with self.assertRaises(InstalmentError) as cm:
                Instalment.create([{'grant': grant.id, 'kind': 'interim',
                            'funder': grant.funder.id,
                            'amount': Decimal(1001)}])
            lang = pool.get('ir.lang').get()
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_subventions.msg_instalment_claimable',
                    grant="Circuits courts",
                    claimed=lang.currency(Decimal(4001), company.currency),
                    claimable=lang.currency(Decimal(4000), company.currency)))

    @with_transaction()
    def test_reminders(self):
        "Managers are reminded 30 and 7 days before, once per threshold"
        pool = Pool()
        Deadline = pool.get('cocagne.grant.deadline')
        Notification = pool.get('res.notification')
        Date = pool.get('ir.date')
        company = create_company()
        with set_company(company):
            grant = create_grant(company, create_programme(
                    funder_type='region'))
            award(grant)
            today = Date.today()
            deadline, = Deadline.create([{'grant': grant.id, 'kind': 'claim',
                        'date': today + dt.timedelta(days=20)}])
            Deadline.send_reminders()
            Deadline.send_reminders()
            self.assertEqual(deadline.reminded, 30)
            self.assertEqual(Notification.search([], count=True), 1)
            Deadline.write([deadline], {
                    'date': today + dt.timedelta(days=7)})
            Deadline.send_reminders()
            self.assertEqual(deadline.reminded, 7)
            notifications = Notification.search([])
            self.assertEqual(len(notifications), 2)
            self.assertEqual(notifications[0].label, gettext(
                    'cocagne_subventions.msg_deadline_reminder',
                    days=7, grant="Circuits courts"))

    @with_transaction()
    def test_indicators(self):
        "Indicators are entered or computed from the garden's data"
        pool = Pool()
        Indicator = pool.get('cocagne.grant.indicator')
        Place = pool.get('cocagne.place')
        company = create_company()
        with set_company(company):
            grant = create_grant(company, create_programme(
                    funder_type='region'))
            Place.create([{'name': "Biocoop", 'kind': 'drop_point'},
                    {'name': "Place du marché", 'kind': 'market_square'}])
            points, baskets, hours = Indicator.create([
                    {'grant': grant.id, 'name': "Points de dépôt",
                        'kind': 'drop_points', 'target': 4},
                    {'grant': grant.id, 'name': "Paniers",
                        'kind': 'entered', 'target': 100, 'entered': 25},
                    {'grant': grant.id, 'name': "Heures",
                        'kind': 'insertion_hours'},
                    ])
            self.assertEqual(points.actual, Decimal(1))
            self.assertEqual(points.progress, 0.25)
            self.assertEqual(baskets.actual, Decimal(25))
            self.assertEqual(hours.actual, Decimal(0))

    @with_transaction()
    def test_grant_other_garden(self):
        "A user of garden A can neither list, read nor write garden B's grant"
        pool = Pool()
        Grant = pool.get('cocagne.grant')
        User = pool.get('res.user')
        euro = create_currency('EUR')
        garden_a = create_company("Jardin A", currency=euro)
        garden_b = create_company("Jardin B", currency=euro)
        with set_company(garden_b):
            grant = create_grant(garden_b, create_programme(
                    funder_type='region'))
        user, = User.create([{'name': "Gestionnaire A", 'login': 'gest_a',
                    'companies': [('add', [garden_a.id])],
                    'company': garden_a.id,
                    'groups': [('add', [pool.get('ir.model.data').get_id(
                                    'cocagne_base', 'group_cocagne')])],
                    }])
        with Transaction().set_user(user.id), \
                Transaction().set_context(
                    company=garden_a.id, _check_access=True):
            self.assertEqual(Grant.search([]), [])
            message = gettext('cocagne_base.msg_garden_access_other',
                garden="Jardin B")
            with self.assertRaises(GardenAccessError) as cm:
                Grant.read([grant.id], ['title'])
            self.assertEqual(cm.exception.message, message)
            with self.assertRaises(GardenAccessError) as cm:
                Grant.write([Grant(grant.id)], {'title': "Piratée"})
            self.assertEqual(cm.exception.message, message)
        self.assertEqual(grant.title, "Circuits courts")

    @with_transaction()
    def test_optional_analytic_root(self):
        "The grants' axis is not required to validate a move line"
        pool = Pool()
        Account = pool.get('analytic_account.account')
        company = create_company()
        with set_company(company):
            grant = create_grant(company, create_programme(
                    funder_type='region'))
            award(grant)
            roots = Account.search([('parent', '=', None)])
            self.assertEqual([(r.name, r.mandatory) for r in roots],
                [("Subventions", False)])


del ModuleTestCase

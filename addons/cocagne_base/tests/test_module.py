import datetime as dt
import json
from unittest.mock import patch

from trytond.i18n import gettext, ngettext
from trytond.model.exceptions import AccessError, SQLConstraintError
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, create_employee, set_company)
from trytond.modules.cocagne_base.exceptions import (
    CertificateError, CertifierError, ContractError, CoordinatesError,
    EmployeeError, OrganicCoverWarning, OrganicError, ProductError)
from trytond.modules.currency.tests import create_currency
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import (
    SharedModelsMixin, StackTestMixin, create_staff, log_hours)

# Parties, products and locations may be shared by the whole network: their
# optional garden scopes who sees them, while their company-dependent values
# (accounts, prices) keep following the user's current company.
TODAY = dt.date.today()


def create_gardens():
    "Create two gardens sharing the euro."
    euro = create_currency('EUR')
    return (create_company("Jardin A", currency=euro),
        create_company("Jardin B", currency=euro))


def certifier(code='01'):
    "The approved control body FR-BIO-<code> of the module's data."
    return Pool().get('ir.model.data').get_id(
        'cocagne_base', f'certifier_fr_bio_{code}')


def create_producer(company, name="Ferme du Chêne", certificate=None):
    "Create a producer of company, holding a certificate for the period."
    pool = Pool()
    Party = pool.get('party.party')
    Certificate = pool.get('cocagne.organic.certificate')
    producer, = Party.create([{
                'name': name,
                'producer': True,
                'company': company.id,
                'addresses': [('create', [{}])],
                }])
    if certificate:
        Certificate.create([{
                    'company': company.id,
                    'producer': producer.id,
                    'certifier': certifier(),
                    'number': f'CERT-{producer.id}',
                    'valid_from': certificate[0],
                    'valid_to': certificate[1],
                    }])
    return producer


def create_template(company, **values):
    Template = Pool().get('product.template')
    Uom = Pool().get('product.uom')
    kg, = Uom.search([('symbol', '=', 'kg')])
    template, = Template.create([{
                'name': "Courgette",
                'type': 'goods',
                'default_uom': kg.id,
                'company': company.id,
                **values,
                }])
    return template


class CocagneBaseTestCase(StackTestMixin, SharedModelsMixin,
        CompanyTestMixin, ModuleTestCase):
    "Test Cocagne Base module"
    module = 'cocagne_base'

    @with_transaction()
    def test_place_coordinates(self):
        "A place out of the latitude range is refused, nothing written"
        Place = Pool().get('cocagne.place')
        company = create_company()
        with set_company(company):
            place, = Place.create([{
                        'name': "Place de l'église",
                        'latitude': 47.25, 'longitude': 6.03}])
            with self.assertRaises(CoordinatesError) as cm:
                Place.write([place], {'latitude': 123})
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_base.msg_invalid_coordinates',
                    record="Place de l'église", latitude=123.0,
                    longitude=6.03))
            with self.assertRaises(CoordinatesError) as cm:
                Place.create([{'name': "Nulle part", 'longitude': -181}])
            self.assertIn("-181", cm.exception.message)

    @with_transaction()
    def test_place_distance(self):
        "Distance of a place from its garden"
        pool = Pool()
        Place = pool.get('cocagne.place')
        Address = pool.get('party.address')
        company = create_company()
        Address.write(list(company.party.addresses), {
                'latitude': 47.2378, 'longitude': 6.0241})  # Besançon
        with set_company(company):
            place, = Place.create([{
                        'name': "Dijon", 'kind': 'market_square',
                        'latitude': 47.3220, 'longitude': 5.0415}])
            self.assertAlmostEqual(place.distance, 74.9, delta=0.5)
            unknown, = Place.create([{'name': "Sans coordonnées"}])
            self.assertIsNone(unknown.distance)

    @with_transaction()
    def test_certifier_code(self):
        "The approved control bodies are data; an invalid code is refused"
        Certifier = Pool().get('cocagne.organic.certifier')
        ecocert = Certifier(certifier())
        self.assertEqual(
            (ecocert.code, ecocert.name), ('FR-BIO-01', "Ecocert France"))
        self.assertEqual(Certifier.search([('rec_name', 'ilike', '%ecocert%')]),
            [ecocert])
        for code in ['FR-BIO-1', 'FR-BIO-ABC', 'BIO-01', 'fr-bio-01']:
            with self.subTest(code=code):
                with self.assertRaises(CertifierError) as cm:
                    Certifier.create([{'code': code, 'name': "Nouveau"}])
                self.assertEqual(cm.exception.message, gettext(
                        'cocagne_base.msg_certifier_invalid_code', code=code))
        new, = Certifier.create([{'code': 'FR-BIO-99', 'name': "Nouveau"}])
        with self.assertRaises(SQLConstraintError) as cm:
            Certifier.create([{'code': 'FR-BIO-99', 'name': "Doublon"}])
        self.assertEqual(cm.exception.message,
            gettext('cocagne_base.msg_certifier_code_unique'))

    @with_transaction()
    def test_certificate_dates(self):
        "A certificate ending before it starts is refused"
        Certificate = Pool().get('cocagne.organic.certificate')
        company = create_company()
        with set_company(company):
            producer = create_producer(company)
            with self.assertRaises(CertificateError) as cm:
                Certificate.create([{
                            'producer': producer.id,
                            'certifier': certifier(),
                            'number': 'X1',
                            'valid_from': TODAY,
                            'valid_to': TODAY - dt.timedelta(days=1),
                            }])
            self.assertIn('X1', cm.exception.message)
            self.assertIn("prend fin le", cm.exception.message)

    @with_transaction()
    def test_certificate_state(self):
        "Certificate state is computed and searchable"
        pool = Pool()
        Certificate = pool.get('cocagne.organic.certificate')
        Party = pool.get('party.party')
        company = create_company()
        day = dt.timedelta(days=1)
        with set_company(company):
            periods = {
                'valid': (TODAY - 100 * day, TODAY + 200 * day),
                'expiring': (TODAY - 100 * day, TODAY + 10 * day),
                'expired': (TODAY - 100 * day, TODAY - day),
                'future': (TODAY + day, TODAY + 400 * day),
                }
            for state, period in periods.items():
                create_producer(company, name=state, certificate=period)
            for state in periods:
                with self.subTest(state=state):
                    certificate, = Certificate.search(
                        [('state', '=', state)])
                    self.assertEqual(certificate.state, state)
                    self.assertEqual(certificate.producer.name, state)
                    self.assertEqual(
                        certificate.producer.organic_state, state)
            self.assertEqual(
                len(Certificate.search([('state', '!=', 'expired')])), 3)
            self.assertEqual(len(Certificate.search(
                        [('state', 'in', ['valid', 'expiring'])])), 2)
            # a renewal already issued keeps the producer valid
            producer, = Party.search([('name', '=', 'expiring')])
            Certificate.create([{
                        'producer': producer.id,
                        'certifier': certifier(),
                        'number': 'RENEWAL',
                        'valid_from': TODAY + 11 * day,
                        'valid_to': TODAY + 400 * day,
                        }])
            self.assertEqual(Party(producer.id).organic_state, 'valid')

    @with_transaction()
    def test_certificate_expiring_days_per_garden(self):
        "Each garden sets how long before its end a certificate expires"
        pool = Pool()
        Certificate = pool.get('cocagne.organic.certificate')
        Configuration = pool.get('cocagne.configuration')
        garden_a, garden_b = create_gardens()
        day = dt.timedelta(days=1)
        for garden in [garden_a, garden_b]:
            with set_company(garden):
                create_producer(garden, name=garden.rec_name,
                    certificate=(TODAY - 100 * day, TODAY + 10 * day))
        with set_company(garden_b):
            configuration = Configuration(1)
            configuration.certificate_expiring_days = 5
            configuration.save()
        self.assertEqual(
            Configuration.garden_value('certificate_expiring_days', garden_a),
            60)
        self.assertEqual(
            Configuration.garden_value('certificate_expiring_days', garden_b),
            5)
        expiring, = Certificate.search([('state', '=', 'expiring')])
        valid, = Certificate.search([('state', '=', 'valid')])
        self.assertEqual(
            (expiring.company, expiring.state, valid.company, valid.state),
            (garden_a, 'expiring', garden_b, 'valid'))
        self.assertEqual(valid.producer.organic_state, 'valid')

    @with_transaction()
    def test_certificate_other_garden_producer(self):
        "A certificate must belong to its producer's garden"
        Certificate = Pool().get('cocagne.organic.certificate')
        garden_a, garden_b = create_gardens()
        with set_company(garden_b):
            producer_b = create_producer(garden_b)
        with set_company(garden_a):
            with self.assertRaises(CertificateError) as cm:
                Certificate.create([{
                            'company': garden_a.id,
                            'producer': producer_b.id,
                            'certifier': certifier(),
                            'number': 'X1',
                            'valid_from': TODAY,
                            'valid_to': TODAY,
                            }])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_base.msg_certificate_other_garden',
                    certificate=f'X1 ({producer_b.rec_name})',
                    producer=producer_b.rec_name))

    @with_transaction()
    def test_product_organic_needs_certificate(self):
        "The organic flag of a partner product needs a valid certificate"
        Template = Pool().get('product.template')
        company = create_company()
        day = dt.timedelta(days=1)
        with set_company(company):
            certified = create_producer(company, "Certifiée",
                certificate=(TODAY - day, TODAY + day))
            lapsed = create_producer(company, "Échue",
                certificate=(TODAY - 10 * day, TODAY - day))
            uncertified = create_producer(company, "Sans certificat")
            template = create_template(company,
                origin='partner', producer=certified.id, organic=True)
            self.assertTrue(template.organic)
            for producer in [lapsed, uncertified]:
                with self.subTest(producer=producer.name):
                    with self.assertRaises(OrganicError) as cm:
                        create_template(company, name="Oeufs",
                            origin='partner', producer=producer.id,
                            organic=True)
                    self.assertEqual(cm.exception.message, gettext(
                            'cocagne_base.msg_product_organic_uncertified',
                            product="Oeufs", producer=producer.name,
                            date=Pool().get('ir.lang').get().strftime(
                                TODAY)))
            # own production is certified with the garden itself
            create_template(company, name="Poireau", organic=True)
            with self.assertRaises(OrganicError) as cm:
                Template.write([template], {'producer': lapsed.id})
            self.assertIn(lapsed.name, cm.exception.message)

    @with_transaction()
    def test_product_organic_warns_at_once(self):
        "Ticking Organic warns at once when the producer is not certified"
        Template = Pool().get('product.template')
        company = create_company()
        with set_company(company):
            uncertified = create_producer(company, "Sans certificat")
            certified = create_producer(company, "Certifiée",
                certificate=(TODAY, TODAY + dt.timedelta(days=1)))
            template = Template(name="Oeufs", origin='partner',
                producer=uncertified, organic=True)
            notification, = template.on_change_notify()
            self.assertEqual(notification, ('warning', gettext(
                        'cocagne_base.msg_product_organic_uncertified',
                        product="Oeufs", producer=uncertified.name,
                        date=Pool().get('ir.lang').get().strftime(TODAY))))
            template.producer = certified
            self.assertEqual(template.on_change_notify(), [])

    @with_transaction()
    def test_product_origin_presets(self):
        "Unit, purchasable and salable follow the origin"
        pool = Pool()
        Template = pool.get('product.template')
        ModelData = pool.get('ir.model.data')
        kg = ModelData.get_id('product', 'uom_kilogram')
        unit = ModelData.get_id('product', 'uom_unit')
        template = Template()
        for origin, uom, salable, purchasable in [
                ('partner', kg, True, True),
                ('processed', unit, True, False),
                ('bought', unit, False, True),
                ('own', kg, True, False),
                ]:
            with self.subTest(origin=origin):
                template.origin = origin
                template.on_change_origin()
                self.assertEqual(
                    (template.default_uom.id, template.sale_uom.id,
                        template.salable, template.purchasable),
                    (uom, uom, salable, purchasable))
        # the menu of partner farm products gives the origin as default
        with Transaction().set_context(default_origin='partner'):
            values = Template.default_get(
                ['origin', 'default_uom', 'salable', 'purchasable',
                    'purchase_uom'], with_rec_name=False)
        self.assertEqual(values, {
                'origin': 'partner', 'default_uom': kg, 'salable': True,
                'purchasable': True, 'purchase_uom': kg})

    @with_transaction()
    def test_product_other_garden_producer(self):
        "A product cannot be linked to another garden's producer"
        garden_a, garden_b = create_gardens()
        with set_company(garden_b):
            producer_b = create_producer(garden_b)
        with set_company(garden_a):
            with self.assertRaises(ProductError) as cm:
                create_template(garden_a,
                    origin='partner', producer=producer_b.id)
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_base.msg_product_producer_other_garden',
                    product="Courgette", producer=producer_b.rec_name))

    @with_transaction()
    def test_producer_distance_local(self):
        "Distance and local flag of producers"
        pool = Pool()
        Address = pool.get('party.address')
        company = create_company()
        Address.write(list(company.party.addresses), {
                'latitude': 48.1173, 'longitude': -1.6778})  # Rennes
        with set_company(company):
            near = create_producer(company, "Près")
            far = create_producer(company, "Loin")
            nowhere = create_producer(company, "Inconnue")
            Address.write(list(near.addresses), {
                    'latitude': 48.0, 'longitude': -1.5})
            Address.write(list(far.addresses), {
                    'latitude': 45.764, 'longitude': 4.8357})  # Lyon
            self.assertLess(near.garden_distance, 20)
            self.assertTrue(near.local)
            self.assertGreater(far.garden_distance, 500)
            self.assertFalse(far.local)
            self.assertIsNone(nowhere.garden_distance)
            self.assertFalse(nowhere.local)
            Configuration = Pool().get('cocagne.configuration')
            configuration = Configuration(1)
            configuration.local_radius = 1000
            configuration.save()
            self.assertTrue(type(far)(far.id).local)

    @with_transaction()
    def test_contract_checks(self):
        "Contracts: dates, working time and overlap"
        Contract = Pool().get('cocagne.employee.contract')
        company = create_company()
        with set_company(company):
            employee = create_employee(company)
            contract, = Contract.create([{
                        'employee': employee.id,
                        'start_date': dt.date(2026, 1, 1),
                        'end_date': dt.date(2026, 6, 30),
                        }])
            self.assertEqual(contract.weekly_hours, 26)
            Contract.create([{
                        'employee': employee.id, 'kind': 'permanent',
                        'start_date': dt.date(2026, 7, 1),
                        'weekly_hours': 35}])
            lang = Pool().get('ir.lang').get()
            name = f"{employee.rec_name} - Insertion (CDDI)"
            for values, message in [
                    ({'start_date': dt.date(2026, 6, 1)},
                        gettext('cocagne_base.msg_contract_overlap',
                            contract=name,
                            other_start=lang.strftime(dt.date(2026, 7, 1)))),
                    ({'start_date': dt.date(2025, 7, 1),
                            'end_date': dt.date(2025, 6, 1)},
                        gettext('cocagne_base.msg_contract_dates',
                            contract=name)),
                    ({'start_date': dt.date(2025, 1, 1),
                            'end_date': dt.date(2025, 6, 1),
                            'weekly_hours': 60},
                        gettext('cocagne_base.msg_contract_weekly_hours',
                            contract=name, hours=60.0, maximum=48.0)),
                    ]:
                with self.subTest(values=values):
                    with self.assertRaises(ContractError) as cm:
                        Contract.create([{'employee': employee.id, **values}])
                    self.assertEqual(cm.exception.message, message)

    @with_transaction()
    def test_contract_hours_settings(self):
        "The garden's settings give the default and the maximum hours"
        pool = Pool()
        Contract = pool.get('cocagne.employee.contract')
        Configuration = pool.get('cocagne.configuration')
        company = create_company()
        with set_company(company):
            configuration = Configuration(1)
            configuration.insertion_weekly_hours = 24
            configuration.contract_max_weekly_hours = 39
            configuration.save()
            employee = create_employee(company)
            contract, = Contract.create([{
                        'employee': employee.id,
                        'start_date': dt.date(2026, 1, 1),
                        }])
            self.assertEqual(contract.weekly_hours, 24)
            with self.assertRaises(ContractError) as cm:
                Contract.write([contract], {'weekly_hours': 40})
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_base.msg_contract_weekly_hours',
                    contract=contract.rec_name, hours=40.0, maximum=39.0))

    @with_transaction()
    def test_employee_party_garden(self):
        "An employee's party, personal data, belongs to the employee's garden"
        pool = Pool()
        Party = pool.get('party.party')
        Employee = pool.get('company.employee')
        garden_a, garden_b = create_gardens()
        with set_company(garden_b):
            party_b, = Party.create([{'name': "Personne de B"}])
            # a party created in a garden belongs to it, producer or not
            self.assertEqual(party_b.company, garden_b)
        # the gardens' own parties stay shared with the network
        self.assertEqual(
            {garden_a.party.company, garden_b.party.company}, {None})
        shared, = Party.create([{'name': "Partagée"}])
        self.assertIsNone(shared.company)
        with set_company(garden_a):
            with self.assertRaises(EmployeeError) as cm:
                Employee.create([{
                            'party': party_b.id,
                            'company': garden_a.id}])
            self.assertEqual(cm.exception.message, gettext(
                    'cocagne_base.msg_employee_party_other_garden',
                    employee="Personne de B",
                    garden=garden_a.rec_name,
                    party_garden=garden_b.rec_name))
            employee = create_employee(garden_a, "Personne de A")
            self.assertEqual(employee.party.company, garden_a)
            # a shared party that becomes an employee leaves the network
            employee, = Employee.create([{
                        'party': shared.id, 'company': garden_a.id}])
            self.assertEqual(Party(shared.id).company, garden_a)

    @with_transaction()
    def test_workforce_hours(self):
        "Hours by month, activity and kind of contract"
        pool = Pool()
        Work = pool.get('timesheet.work')
        Hours = pool.get('cocagne.workforce.hours')
        Employee = pool.get('company.employee')
        company = create_company()
        with set_company(company):
            insertion, supervisor = create_staff(
                company, insertion_end=dt.date(2026, 3, 31))
            garden, sales = Work.create([
                    {'name': "Maraîchage", 'activity': 'market_gardening'},
                    {'name': "Vente", 'activity': 'sales'}])
            log_hours([
                    (insertion, garden, dt.date(2026, 2, 2), 4),
                    (insertion, garden, dt.date(2026, 2, 3), 3),
                    (insertion, sales, dt.date(2026, 2, 4), 2),
                    # after the end of the insertion contract
                    (insertion, garden, dt.date(2026, 4, 1), 5),
                    (supervisor, garden, dt.date(2026, 2, 2), 7),
                    ])
            rows = {(r.month, r.activity, r.contract_kind): r.hours
                for r in Hours.search([])}
            self.assertEqual(rows, {
                    (2, 'market_gardening', 'insertion'): 7,
                    (2, 'sales', 'insertion'): 2,
                    (2, 'market_gardening', 'supervisor'): 7,
                    (4, 'market_gardening', None): 5,
                    })
            with Transaction().set_context(
                    from_date=dt.date(2026, 2, 3),
                    to_date=dt.date(2026, 2, 28)):
                self.assertEqual(
                    sorted(r.hours for r in Hours.search([])), [2, 3])
            self.assertEqual(Employee.search(
                    [('contract_kind', '=', 'supervisor')]), [supervisor])

    @with_transaction()
    def test_network_figures(self):
        "Key figures of each garden"
        pool = Pool()
        Company = pool.get('company.company')
        Place = pool.get('cocagne.place')
        garden_a, garden_b = create_gardens()
        day = dt.timedelta(days=1)
        with set_company(garden_a):
            Place.create([{'name': "A1"}, {'name': "A2"}])
            create_producer(garden_a, "P1",
                certificate=(TODAY - day, TODAY + day))
            create_producer(garden_a, "P2")
        with set_company(garden_b):
            Place.create([{'name': "B1"}])
        garden_a, garden_b = Company.browse([garden_a, garden_b])
        # the admin of the test works for both gardens, not a third one
        create_company("Jardin C", currency=garden_a.currency)
        self.assertEqual(
            Company.search(
                [('user_allowed', '=', True)], order=[('id', 'ASC')]),
            [garden_a, garden_b])
        self.assertEqual(
            len(Company.search([('user_allowed', '=', False)])), 1)
        self.assertEqual(
            (garden_a.place_count, garden_a.producer_count,
                garden_a.certified_producer_count),
            (2, 2, 1))
        self.assertEqual(
            (garden_b.place_count, garden_b.producer_count), (1, 0))

    @with_transaction()
    def test_report_lapses(self):
        "The daily job warns once of expiring and expired certificates"
        pool = Pool()
        Certificate = pool.get('cocagne.organic.certificate')
        Notification = pool.get('res.notification')
        Template = pool.get('product.template')
        User = pool.get('res.user')
        company = create_company()
        day = dt.timedelta(days=1)
        with set_company(company):
            producer = create_producer(company,
                certificate=(TODAY - 100 * day, TODAY + 10 * day))
            create_producer(company, "Ferme sereine",
                certificate=(TODAY - 100 * day, TODAY + 300 * day))
            template = create_template(company,
                origin='partner', producer=producer.id, organic=True)
            admin = User(Transaction().user)

            Certificate.report_lapses()
            notification, = Notification.search([('user', '=', admin.id)])
            self.assertEqual(notification.model, 'cocagne.organic.certificate')
            self.assertEqual(notification.label, ngettext(
                    'cocagne_base.msg_notify_certificates_expiring', 1,
                    count=1, days=60, company=company.rec_name))
            Certificate.report_lapses()
            self.assertEqual(len(Notification.search([])), 1)

            # 11 days later the certificate has lapsed: the product loses
            # its certification
            later = patch.object(pool.get('ir.date'), 'today',
                return_value=TODAY + 11 * day)
            later.start()
            self.addCleanup(later.stop)
            Certificate.report_lapses()
            notifications = Notification.search(
                [], order=[('id', 'ASC')])[1:]
            self.assertEqual(
                [n.model for n in notifications],
                ['cocagne.organic.certificate', 'product.template'])
            self.assertEqual(
                json.loads(notifications[1].records), [template.id])
            self.assertEqual(notifications[1].label, ngettext(
                    'cocagne_base.msg_notify_products_lapsed', 1,
                    count=1, days=60, company=company.rec_name))
            self.assertTrue(Template(template.id).organic)

            # a producer whose renewal is recorded is not reported
            renewed = create_producer(company, "Ferme renouvelée",
                certificate=(TODAY - 300 * day, TODAY + 20 * day))
            Certificate.create([{
                        'producer': renewed.id,
                        'certifier': certifier(),
                        'number': 'RENEWAL',
                        'valid_from': TODAY + 21 * day,
                        'valid_to': TODAY + 400 * day,
                        }])
            count = len(Notification.search([]))
            Certificate.report_lapses()
            self.assertEqual(len(Notification.search([])), count)
            self.assertEqual(
                {c.reported_state for c in renewed.organic_certificates},
                {'expiring', None})

    @with_transaction()
    def test_certificate_dates_uncover_products(self):
        "Shortening a certificate warns of the organic products it uncovers"
        pool = Pool()
        Certificate = pool.get('cocagne.organic.certificate')
        Template = pool.get('product.template')
        Warning = pool.get('res.user.warning')
        company = create_company()
        day = dt.timedelta(days=1)
        with set_company(company):
            producer = create_producer(company,
                certificate=(TODAY - 100 * day, TODAY + 100 * day))
            covered = create_template(company, name="Miel",
                origin='partner', producer=producer.id, organic=True)
            certificate, = producer.organic_certificates
            # still covering today: no warning
            Certificate.write([certificate], {'valid_to': TODAY + 50 * day})
            with self.assertRaises(OrganicCoverWarning) as cm:
                Certificate.write([certificate], {'valid_to': TODAY - day})
            self.assertEqual(cm.exception.message, ngettext(
                    'cocagne_base.msg_certificate_products_uncovered', 1,
                    products="Miel",
                    date=pool.get('ir.lang').get().strftime(TODAY)))
            self.assertEqual(
                Certificate(certificate.id).valid_to, TODAY + 50 * day)
            self.assertTrue(Template(covered.id).organic)

            # the user confirms: the dates are saved, Organic unchecked
            Warning.create([{
                        'user': Transaction().user,
                        'name': cm.exception.name,
                        }])
            Certificate.write([certificate], {'valid_to': TODAY - day})
            self.assertEqual(Certificate(certificate.id).valid_to, TODAY - day)
            self.assertFalse(Template(covered.id).organic)

    @with_transaction()
    def test_garden_isolation(self):
        "A user of garden A can neither read nor write garden B's records"
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        Place = pool.get('cocagne.place')
        Party = pool.get('party.party')
        Contract = pool.get('cocagne.employee.contract')
        Location = pool.get('stock.location')
        garden_a, garden_b = create_gardens()
        day = dt.timedelta(days=1)
        records_b = {}
        with set_company(garden_b):
            records_b['cocagne.place'], = Place.create([{'name': "B"}])
            producer_b = create_producer(garden_b, "Ferme B",
                certificate=(TODAY - day, TODAY + day))
            records_b['party.party'] = producer_b
            records_b['cocagne.organic.certificate'], = (
                producer_b.organic_certificates)
            records_b['product.template'] = create_template(garden_b,
                origin='partner', producer=producer_b.id, organic=True)
            records_b['company.employee'] = create_employee(garden_b)
            records_b['cocagne.employee.contract'], = Contract.create([{
                        'employee': records_b['company.employee'].id,
                        'start_date': TODAY}])
            warehouse, = Location.search([('type', '=', 'warehouse')])
            Location.write([warehouse], {'company': garden_b.id})
            records_b['stock.location'] = warehouse
        with set_company(garden_a):
            place_a, = Place.create([{'name': "A"}])
            shared, = Party.create([{'name': "Client du réseau"}])

        groups = [ModelData.get_id(module, group) for module, group in [
                ('cocagne_base', 'group_cocagne'),
                ('product', 'group_product_admin'),
                ('party', 'group_party_admin'),
                ('stock', 'group_stock_admin'),
                ('company', 'group_employee_admin'),
                ]]
        user_a, = User.create([{
                    'login': 'jardin_a', 'name': "Utilisateur A",
                    'companies': [('add', [garden_a.id])],
                    'company': garden_a.id,
                    'groups': [('add', groups)],
                    }])
        with Transaction().set_user(user_a.id), \
                Transaction().set_context(
                    User.get_preferences(context_only=True),
                    _check_access=True):
            self.assertEqual(Place.search([]), [place_a])
            self.assertIn(shared, Party.search([]))
            for model, record in records_b.items():
                Model = pool.get(model)
                with self.subTest(model=model):
                    self.assertNotIn(record, Model.search([]))
                    with self.assertRaises(AccessError):
                        Model.read([record.id], ['id'])
                    with self.assertRaises(AccessError):
                        Model.write([Model(record.id)], {})
            with self.assertRaises(AccessError):
                Place.create([{'name': "Intrus", 'company': garden_b.id}])


del ModuleTestCase

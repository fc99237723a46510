"The cashier screen's page and API over HTTP, as the page calls them"
import json
import uuid
from decimal import Decimal
from unittest.mock import patch

from trytond.modules.cocagne_base.tests.tools import (
    StackTestMixin, run_committed)
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from .test_module import setup_till

PASSWORD = 'caisse-des-tests'
HTTPS = 'https://localhost'   # the session cookie is a secure one


class CaisseRouteTestCase(StackTestMixin, RouteTestCase):
    "Test the routes of the cashier screen"
    module = 'cocagne_caisse'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        run_committed(cls.setUpDatabase)

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        company = create_company()
        with set_company(company):
            point, methods, carrots, jam = setup_till(company)
        group = ModelData.get_id('sale_point', 'group_sale_point')
        User.create([{
                    'login': login, 'name': login.capitalize(),
                    'password': PASSWORD,
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    'groups': [('add', [group])],
                    'sale_point': point.id if till else None,
                    } for login, till in [('caissiere', True),
                    ('stagiaire', False)]])
        cls.ids = {'cash': methods[0].id, 'card': methods[1].id,
            'carrots': carrots.id, 'jam': jam.id}

    def url(self, path):
        return f'/{self.db_name}/caisse/{path}'

    def log_in(self, login='caissiere'):
        client = self.client()
        response = client.post(f'/{self.db_name}/session/login',
            base_url=HTTPS, json={'params': [login, {'password': PASSWORD},
                    'fr']})
        self.assertEqual(response.status_code, 200)
        return client

    def call(self, client, path, data=None):
        "GET path, or POST data to it; return the status and the JSON."
        if data is None:
            response = client.get(self.url(path), base_url=HTTPS)
        else:
            response = client.post(self.url(path), base_url=HTTPS, json=data)
        return response.status_code, json.loads(response.data)

    def ticket(self, client, **values):
        "A ticket of 1,25 kg of carrots and a jar of jam, 10 € cash."
        status, catalogue = self.call(client, 'api/catalogue')
        self.assertEqual(status, 200, catalogue)
        return dict({'key': str(uuid.uuid4()),
                'session': catalogue['session']['id'],
                'lines': [
                    {'product': self.ids['carrots'], 'quantity': 1.25,
                        'discount': '0'},
                    {'product': self.ids['jam'], 'quantity': 1,
                        'discount': '0'}],
                'payments': [{'method': self.ids['cash'], 'amount': '10'}],
                }, **values)

    def count(self):
        with Transaction().start(DB_NAME, 0):
            return Pool().get('sale.point.sale').search([], count=True)

    def test_page(self):
        "The page and its files are served; the service worker's scope"
        client = self.client()
        response = client.get(f'/{self.db_name}/caisse')
        self.assertEqual(response.status_code, 302)
        response = client.get(self.url(''))
        self.assertEqual(response.status_code, 200)
        self.assertIn(b'caisse.js', response.data)
        response = client.get(self.url('sw.js'))
        self.assertEqual(response.headers['Service-Worker-Allowed'],
            f'/{self.db_name}/caisse/')
        self.assertEqual(client.get(self.url('manifest.webmanifest')
                ).mimetype, 'application/manifest+json')
        self.assertEqual(client.get(self.url('nothing.js')).status_code, 404)

    def test_login_required(self):
        "Without a session, the API answers 401 for the page's login form"
        status, data = self.call(self.client(), 'api/catalogue')
        self.assertEqual((status, data['login']), (401, True))

    def test_no_till(self):
        "A user without a till is told where to choose it"
        status, data = self.call(self.log_in('stagiaire'), 'api/catalogue')
        self.assertEqual(status, 409)
        self.assertTrue(data['setup'])
        self.assertIn("Stagiaire", data['error'])

    def test_sale_once(self):
        """A ticket is recorded, posted and answered with its change; sent
        again, the same ticket comes back; a refused one records nothing"""
        client = self.log_in()
        values = self.ticket(client)
        before = self.count()
        status, sale = self.call(client, 'api/sale', values)
        self.assertEqual(status, 200, sale)
        # 1,25 × 2,40 + 4,50
        self.assertEqual((sale['total'], sale['change'], sale['duplicate']),
            ('7.50', '2.50', False))
        status, again = self.call(client, 'api/sale', values)
        self.assertEqual((status, again['id'], again['change'],
                again['duplicate']), (200, sale['id'], '2.50', True))
        self.assertEqual(self.count(), before + 1)

        refused = self.ticket(client)
        refused['lines'][0]['quantity'] = 0
        status, data = self.call(client, 'api/sale', refused)
        self.assertEqual(status, 400)
        self.assertIn("Carottes", data['error'])
        self.assertEqual(self.count(), before + 1)

        response = client.get(sale['receipt'], base_url=HTTPS)
        page = response.data.decode()
        self.assertIn(sale['number'], page)
        self.assertIn("TOTAL TTC", page)
        self.assertIn("Rendu", page)
        self.assertIn("10,00", page)   # the cash given, change included

    def test_receipt_email(self):
        "The receipt goes by email to an address, refused to a non-address"
        client = self.log_in()
        _, sale = self.call(client, 'api/sale', self.ticket(client))
        path = f"api/receipt/{sale['id']}/email"
        with patch('trytond.modules.cocagne_caisse.receipt.'
                'send_message_transactional') as send:
            status, data = self.call(client, path, {'email': 'client@exemple.fr'})
            self.assertEqual((status, data), (200, {'sent': True}))
            message, = send.call_args[0]
            self.assertEqual(message['To'], 'client@exemple.fr')
            self.assertIn(sale['number'], message['Subject'])
            status, data = self.call(client, path, {'email': 'client'})
            self.assertEqual(status, 400)
            self.assertIn("client", data['error'])

    def test_session_close(self):
        """Closing with a gap needs its reason; a ticket of the closed
        session is then refused with session_closed"""
        client = self.log_in()
        late = self.ticket(client)
        status, session = self.call(client, 'api/session')
        self.assertEqual(status, 200)
        expected = Decimal(session['expected'])
        counted = str(expected - Decimal('1'))
        status, data = self.call(client, 'api/session/close',
            {'counted': counted})
        self.assertEqual(status, 400)
        self.assertIn("-1,00", data['error'])
        status, data = self.call(client, 'api/session/close',
            {'counted': counted, 'reason': "Pièce tombée"})
        self.assertEqual(status, 200, data)
        self.assertEqual(data['gap'], '-1.00')
        self.assertEqual(data['session']['start_amount'], counted)
        status, data = self.call(client, 'api/sale', late)
        self.assertEqual(status, 409)
        self.assertTrue(data['session_closed'])

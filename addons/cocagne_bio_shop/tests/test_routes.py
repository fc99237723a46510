"The storefront's JSON API over HTTP, as the storefront calls it"
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.modules.cocagne_base.allergen import ALLERGENS
from trytond.modules.cocagne_base.tests.tools import (
    StackTestMixin, run_committed)
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from .tools import (
    counting_queries, create_cycle, create_farm, setup_shop)

PASSWORD = 'bio-des-tests-2026'


class ShopDataMixin:
    """Two gardens, the shop of one with its cycles (open, draft, closed,
    one of 60 offers) and customers with their accounts, committed for
    the tests over HTTP."""
    module = 'cocagne_bio_shop'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        run_committed(cls.setUpDatabase)

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        Certificate = pool.get('cocagne.organic.certificate')
        Certifier = pool.get('cocagne.organic.certifier')
        Party = pool.get('party.party')
        Place = pool.get('cocagne.place')
        Shop = pool.get('web.shop')
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')
        WebUser = pool.get('web.user')
        company = create_company("Jardin de la Plaine")
        other_garden = create_company("Jardin de la Vallée",
            currency=company.currency)
        today = dt.date.today()
        kg, = Uom.search([('symbol', '=', 'kg')])
        unit, = Uom.search([('symbol', '=', 'u')])
        with set_company(company):
            shop = setup_shop(company)
            farm, hens = shop['farm'], shop['hens']
            bio01, = Certifier.search([('code', '=', 'FR-BIO-01')])
            bio10, = Certifier.search([('code', '=', 'FR-BIO-10')])
            orchard = create_farm(company, "Le Verger")
            mill = create_farm(company, "Le Moulin")
            Certificate.create([{
                        'company': company.id, 'producer': p.id,
                        'certifier': c.id, 'number': n,
                        'valid_from': today - dt.timedelta(days=100),
                        'valid_to': today + dt.timedelta(days=265),
                        } for p, c, n in [(farm, bio01, 'C-001'),
                        (orchard, bio10, 'V-002')]])
            carrots = shop['carrots'].product.template
            carrots.organic = True
            eggs = shop['eggs'].product.template
            eggs.allergens = ['eggs']
            Template.save([carrots, eggs])
            producers = [farm, hens, orchard, mill, company.party]
            templates = Template.create([{
                        'name': f"Produit {i:02d}", 'type': 'goods',
                        'company': company.id,
                        'default_uom': (kg if i % 2 else unit).id,
                        'sale_uom': (kg if i % 2 else unit).id,
                        'salable': True,
                        'origin': 'own' if i % 5 == 4 else 'partner',
                        'producer': (producers[i % 5].id
                            if i % 5 != 4 else None),
                        'organic': i % 5 in {0, 2},
                        'allergens': [ALLERGENS[i % 14][0]] if i % 3 else [],
                        'account_category': shop['goods'].id,
                        'list_price': Decimal('2'),
                        'products': [('create', [{}])],
                        } for i in range(60)])
            products = [(t.products[0], producers[i % 5], '1.{:02d}'.format(
                        i), 100 if i % 2 else None)
                for i, t in enumerate(templates)]
            square = shop['square'].place
            farmyard = shop['farmyard'].place
            small = create_cycle(shop['shop'], "Petit cycle",
                [(p, f, price, 5 if i == 0 else cap)
                    for i, (p, f, price, cap) in enumerate(products[:10])],
                [(square, None), (farmyard, 1)])
            big = create_cycle(shop['shop'], "Grand cycle", products,
                [(square, None)])
            draft = create_cycle(shop['shop'], "Brouillon", products[:2],
                [(square, None)], state='draft')
            closed = create_cycle(shop['shop'], "Fermé", products[:2],
                [(square, None)], state='closed')
            sacha, = Party.create([{'name': "Sacha Roux",
                        'company': company.id,
                        'addresses': [('create', [{'city': "Acigné"}])]}])
            Size = pool.get('cocagne.basket.size')
            Subscription = pool.get('cocagne.basket.subscription')
            size, = Size.create([{'name': "Panier moyen",
                        'company': company.id,
                        'product': shop['lettuce'].product.id,
                        'price': Decimal('12')}])
            Subscription.create([{
                        'company': company.id, 'member': shop['other'].id,
                        'size': size.id, 'drop_point': square.id,
                        'start_date': today, 'tier': 'solidarity',
                        'solidarity_rate': Decimal('0.5'),
                        'absences': [('create', [{
                                        'start_date': today,
                                        'end_date': today,
                                        }])],
                        }])
        with set_company(other_garden):
            alex, = Party.create([{'name': "Alex Dupont",
                        'company': other_garden.id}])
            shop_b, = Shop.create([{'name': "Vallée Bio", 'type': 'cocagne',
                        'company': other_garden.id,
                        'currency': other_garden.currency.id}])
            leeks, = Template.create([{
                        'name': "Poireaux", 'type': 'goods',
                        'company': other_garden.id, 'default_uom': kg.id,
                        'sale_uom': kg.id, 'salable': True, 'origin': 'own',
                        'list_price': Decimal('3'),
                        'products': [('create', [{}])],
                        }])
            place_b, = Place.create([{'name': "Mairie",
                        'kind': 'drop_point', 'company': other_garden.id}])
            cycle_b = create_cycle(shop_b, "Vallée",
                [(leeks.products[0], other_garden.party, '3', None)],
                [(place_b, None)])
        WebUser.create([{'email': email, 'password': PASSWORD,
                    'email_valid': True,
                    'party': party.id} for email, party in [
                    ('camille@example.org', shop['customer']),
                    ('dominique@example.org', shop['other']),
                    ('sacha@example.org', sacha),
                    ('alex@example.org', alex)]])
        offers = {o.product.name: o.id for o in shop['cycle'].offers}
        cls.ids = {
            'shop': shop['shop'].id, 'cycle': shop['cycle'].id,
            'square': shop['square'].id, 'farmyard': shop['farmyard'].id,
            'carrots': offers["Carottes"], 'eggs': offers["Œufs (boîte de 6)"],
            'lettuce': offers["Laitue"],
            'small': small.id, 'big': big.id, 'draft': draft.id,
            'closed': closed.id, 'shop_b': shop_b.id, 'cycle_b': cycle_b.id,
            'small_offers': [o.id for o in small.offers],
            'big_offers': [o.id for o in big.offers],
            'small_square': small.pickups[0].id,
            'small_full': [p.id for p in small.pickups
                if p.capacity == 1][0],
            'closed_offer': closed.offers[0].id,
            'closed_pickup': closed.pickups[0].id,
            }

    def url(self, path, shop=None):
        return f"/{self.db_name}/cocagne-bio/{shop or self.ids['shop']}/{path}"

    def call(self, client, path, data=None, session=None, shop=None):
        "GET path, or POST data to it; return the status and the JSON."
        headers = {'Authorization': f'Bearer {session}'} if session else {}
        if data is None:
            response = client.get(self.url(path, shop), headers=headers)
        else:
            response = client.post(self.url(path, shop), json=data,
                headers=headers)
        return response.status_code, response.json

    def log_in(self, client, email='camille@example.org'):
        status, data = self.call(client, 'login',
            {'email': email, 'password': PASSWORD})
        self.assertEqual(status, 200, data)
        return data['session']

    def message(self, name, **variables):
        "The text of message name as the API answers it."
        with Transaction().start(DB_NAME, 0):
            return gettext(f'cocagne_bio_shop.{name}', **variables)

    def quantity(self, offer_id, quantity):
        "quantity in the unit of offer, as the messages show it."
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            unit = pool.get('cocagne.order_cycle.offer')(offer_id).unit
            return pool.get('ir.lang').get().format_number_symbol(
                quantity, unit, digits=unit.digits)


class BioShopRouteTestCase(ShopDataMixin, StackTestMixin, RouteTestCase):
    "Test the JSON API of the Cocagne Bio shop"

    def test_cycles(self):
        "The open cycles of the shop, not the draft or closed ones"
        status, cycles = self.call(self.client(), 'cycles')
        self.assertEqual(status, 200)
        ids = {c['id'] for c in cycles}
        self.assertLessEqual(
            {self.ids['cycle'], self.ids['small'], self.ids['big']}, ids)
        self.assertFalse(ids & {self.ids['draft'], self.ids['closed'],
                self.ids['cycle_b']})
        cycle, = [c for c in cycles if c['id'] == self.ids['cycle']]
        self.assertEqual(cycle['name'], "Semaine d'essai")
        self.assertTrue(cycle['closes_at'].endswith('+00:00'))

    def test_catalogue(self):
        """The offers with their producer, organic certifier, allergens and
        price VAT included; the customer fees"""
        status, data = self.call(self.client(),
            f"cycle/{self.ids['cycle']}/catalogue")
        self.assertEqual(status, 200, data)
        offers = {o['name']: o for o in data['offers']}
        carrots, eggs, lettuce = (offers["Carottes"],
            offers["Œufs (boîte de 6)"], offers["Laitue"])
        self.assertEqual(carrots['producer']['name'], "La Ferme des Prés")
        # 2,50 € + 5,5 % VAT
        self.assertEqual((carrots['price'], carrots['unit'],
                carrots['weighed']), ('2.64', 'kg', True))
        self.assertEqual((carrots['organic'], carrots['certifier']),
            (True, 'FR-BIO-01'))
        self.assertIsInstance(carrots['remaining'], float)
        self.assertEqual((eggs['price'], eggs['unit'], eggs['weighed'],
                eggs['organic'], eggs['certifier']),
            ('3.38', 'u', False, False, None))
        with Transaction().start(DB_NAME, 0):
            names = dict(Pool().get('product.template').fields_get(
                    ['allergens'])['allergens']['selection'])
        self.assertEqual(eggs['allergens'],
            [{'code': 'eggs', 'name': names['eggs']}])
        self.assertEqual((lettuce['remaining'], lettuce['allergens'],
                lettuce['price']), (None, [], '1.27'))
        self.assertEqual(data['fees'], [{'id': data['fees'][0]['id'],
                    'name': "Préparation", 'basis': 'order',
                    'amount': '0.53'}])
        self.assertEqual(data['currency']['code'], 'usd')

    def test_catalogue_queries(self):
        "A catalogue of 60 offers takes as many queries as one of 10"
        client = self.client()
        paths = [f"cycle/{self.ids[c]}/catalogue" for c in ['small', 'big']]
        for path in paths:
            # the caches of the server filled, as in production
            self.assertEqual(self.call(client, path)[0], 200)
        counts = []
        for path in paths:
            with counting_queries() as queries:
                status, data = self.call(client, path)
            self.assertEqual(status, 200)
            counts.append((len(data['offers']), len(queries)))
        (small, small_queries), (big, big_queries) = counts
        self.assertEqual((small, big), (10, 60))
        self.assertEqual(small_queries, big_queries)
        certified = [o for o in data['offers'] if o['certifier']]
        self.assertEqual({o['certifier'] for o in certified},
            {'FR-BIO-01', 'FR-BIO-10'})

    def test_pickups(self):
        "The pickup places with their address, window and instructions"
        status, pickups = self.call(self.client(),
            f"cycle/{self.ids['cycle']}/pickups")
        self.assertEqual(status, 200)
        square, farmyard = sorted(pickups, key=lambda p: p['id'])
        self.assertEqual((square['name'], square['instructions'],
                square['full']), ("Place du marché", "Sous la halle.", False))
        self.assertEqual(farmyard['name'], "Cour de la ferme")
        self.assertLess(farmyard['starts_at'], farmyard['ends_at'])
        self.assertEqual(set(square['address']),
            {'street', 'postal_code', 'city', 'country'})

    def test_not_found(self):
        """404 for a cycle of another garden's shop, a draft or closed cycle,
        an unknown shop"""
        client = self.client()
        for shop, cycle in [
                (None, self.ids['cycle_b']),
                (self.ids['shop_b'], self.ids['cycle']),
                (None, self.ids['draft']),
                (None, self.ids['closed']),
                (self.ids['shop_b'] + 1000, self.ids['cycle'])]:
            for what in ['catalogue', 'pickups']:
                status, data = self.call(client,
                    f'cycle/{cycle}/{what}', shop=shop)
                self.assertEqual(status, 404, (shop, cycle, what))
                self.assertTrue(data['error'])
        status, data = self.call(client, f"cycle/{self.ids['draft']}/pickups")
        self.assertEqual(data['error'], self.message('msg_api_cycle_unknown',
                cycle=self.ids['draft'], shop="Cocagne Bio"))
        self.assertIn("Cocagne Bio", data['error'])

    def test_login(self):
        """A customer logs in; a wrong password, a customer of another
        garden and a missing session are refused"""
        client = self.client()
        session = self.log_in(client)
        self.assertTrue(session)
        status, data = self.call(client, 'login',
            {'email': 'nobody@example.org', 'password': PASSWORD})
        self.assertEqual((status, data['error']),
            (401, self.message('msg_api_login_failed')))
        status, data = self.call(client, 'login',
            {'email': 'alex@example.org', 'password': PASSWORD})
        self.assertEqual((status, data['error']), (403, self.message(
                    'msg_api_customer_other_garden',
                    user='alex@example.org', garden="Jardin de la Plaine")))
        for session in [None, 'not-a-session']:
            status, data = self.call(client, 'orders', session=session)
            self.assertEqual((status, data['error'], data['login']),
                (401, self.message('msg_api_login_required'), True))

    def test_order_merged(self):
        """A cart becomes the customer's order; a second cart is added to
        it; my orders list it"""
        client = self.client()
        session = self.log_in(client)
        path = f"cycle/{self.ids['cycle']}/order"
        status, first = self.call(client, path, {
                'pickup': self.ids['square'],
                'lines': [{'offer': self.ids['carrots'], 'quantity': 2},
                    {'offer': self.ids['eggs'], 'quantity': 1}]},
            session=session)
        self.assertEqual(status, 200, first)
        status, second = self.call(client, path, {
                'pickup': self.ids['farmyard'],
                'lines': [{'offer': self.ids['lettuce'], 'quantity': 2},
                    {'offer': self.ids['carrots'], 'quantity': 1.5}]},
            session=session)
        self.assertEqual(status, 200, second)
        self.assertEqual(second['id'], first['id'])
        self.assertEqual(second['pickup']['id'], self.ids['farmyard'])
        quantities = {l['description']: l['quantity']
            for l in second['lines']}
        self.assertEqual(quantities, {"Carottes": 3.5,
                "Œufs (boîte de 6)": 1, "Laitue": 2, "Préparation": 1})
        # 3,5 × 2,50 + 3,20 + 2 × 1,20 + 0,50, 5,5 % VAT
        self.assertEqual((second['untaxed'], second['total']),
            ('14.85', '15.67'))

        status, orders = self.call(client, 'orders', session=session)
        self.assertEqual(status, 200)
        order, = [o for o in orders if o['cycle']['id'] == self.ids['cycle']]
        self.assertEqual((order['id'], order['state'], order['total']),
            (first['id'], 'draft', '15.67'))
        self.assertEqual(len(order['lines']), 4)

    def test_order_refused(self):
        """Sold out, a full pickup place, a closed cycle, a zero quantity,
        an offer of another cycle: refused with their message, nothing
        written"""
        client = self.client()
        dominique = self.log_in(client, 'dominique@example.org')
        sacha = self.log_in(client, 'sacha@example.org')
        path = f"cycle/{self.ids['small']}/order"
        first, second = self.ids['small_offers'][:2]

        def cart(offer, quantity, pickup=self.ids['small_square']):
            return {'pickup': pickup,
                'lines': [{'offer': offer, 'quantity': quantity}]}

        def sold(offer):
            with Transaction().start(DB_NAME, 0):
                return Pool().get('cocagne.order_cycle.offer')(offer).sold

        status, data = self.call(client, path, cart(first, 6),
            session=sacha)
        with Transaction().start(DB_NAME, 0):
            offer = Pool().get('cocagne.order_cycle.offer')(first)
            product, cycle = offer.rec_name, offer.cycle.rec_name
        self.assertEqual((status, data['error']), (409, self.message(
                    'msg_order_sold_out', product=product, cycle=cycle,
                    remaining=self.quantity(first, 5))))

        status, data = self.call(client, path, cart(second, 0),
            session=sacha)
        self.assertEqual((status, data['error']), (400, self.message(
                    'msg_order_quantity', product=self._name(second),
                    quantity=self.quantity(second, 0))))

        status, data = self.call(client, path,
            cart(self.ids['carrots'], 1), session=sacha)
        self.assertEqual((status, data['error']), (400, self.message(
                    'msg_api_offer_unknown', offer=self.ids['carrots'],
                    cycle="Petit cycle")))

        full = self.ids['small_full']
        status, data = self.call(client, path, cart(second, 1, full),
            session=dominique)
        self.assertEqual(status, 200, data)
        status, pickups = self.call(client,
            f"cycle/{self.ids['small']}/pickups")
        self.assertEqual({p['id']: p['full'] for p in pickups}[full], True)
        status, data = self.call(client, path, cart(second, 1, full),
            session=sacha)
        self.assertEqual((status, data['error']), (409, self.message(
                    'msg_order_pickup_full', pickup="Cour de la ferme",
                    cycle="Petit cycle", capacity=1)))

        status, data = self.call(client, f"cycle/{self.ids['closed']}/order",
            cart(self.ids['closed_offer'], 1, self.ids['closed_pickup']),
            session=sacha)
        self.assertEqual((status, data['error']), (409, self.message(
                    'msg_order_not_open', cycle="Fermé")))

        # nothing of the refused carts was written
        self.assertEqual((sold(first), sold(second)), (0, 1))
        status, orders = self.call(client, 'orders', session=sacha)
        self.assertEqual((status, orders), (200, []))

    def _name(self, offer_id):
        with Transaction().start(DB_NAME, 0):
            return Pool().get('cocagne.order_cycle.offer')(offer_id).rec_name

    def test_basket(self):
        "The customer's basket subscriptions, [] without any"
        client = self.client()
        status, data = self.call(client, 'basket',
            session=self.log_in(client, 'dominique@example.org'))
        self.assertEqual(status, 200, data)
        basket, = data
        self.assertEqual((basket['size']['name'],
                basket['drop_point']['name'], basket['tier'],
                basket['price'], len(basket['absences'])),
            ("Panier moyen", "Place du marché", 'solidarity', '6.00', 1))
        status, data = self.call(client, 'basket',
            session=self.log_in(client, 'sacha@example.org'))
        self.assertEqual((status, data), (200, []))

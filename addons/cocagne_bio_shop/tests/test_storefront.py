"The storefront's pages over HTTP, and every bad input they must survive"
import re
from decimal import Decimal
from html import unescape
from unittest.mock import patch
from urllib.parse import urlencode

from trytond.modules.cocagne_base.tests.tools import (
    StackTestMixin, run_committed)
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from ..pages import CART_COOKIE, CSRF_COOKIE, SESSION_COOKIE
from .test_routes import PASSWORD, ShopDataMixin
from .tools import counting_queries

SEND = 'trytond.modules.cocagne_bio_shop.storefront.send_message_transactional'
SEND_WEB_USER = 'trytond.modules.web_user.user.send_message_transactional'
CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')


def text(response):
    "The text of an HTML page, tags removed, entities decoded."
    return ' '.join(unescape(re.sub(r'<[^>]+>', ' ',
                response.get_data(as_text=True))).split())


class StorefrontTestCase(ShopDataMixin, StackTestMixin, RouteTestCase):
    "Test the storefront of the Cocagne Bio shop"

    def page(self, path='', shop=None):
        return f"/{self.db_name}/cocagne-bio/{shop or self.ids['shop']}/{path}"

    def get(self, client, path, **kwargs):
        return client.get(self.page(path), **kwargs)

    def csrf(self, client, path='compte/connexion'):
        "The CSRF token of a form of the page path, as a browser gets it."
        response = self.get(client, path)
        self.assertEqual(response.status_code, 200, text(response))
        return CSRF.search(response.get_data(as_text=True)).group(1)

    def post(self, client, path, data, token=None):
        data = dict(data, csrf=token if token is not None
            else self.csrf(client))
        return client.post(self.page(path), data=data)

    def log_in(self, client, email='camille@example.org', password=PASSWORD):
        response = self.post(client, 'compte/connexion',
            {'email': email, 'password': password})
        self.assertEqual(response.status_code, 303, text(response))
        self.assertTrue(client.get_cookie(SESSION_COOKIE,
                path=self.page().rstrip('/')))

    def add(self, client, offer, quantity, cycle=None):
        return self.post(client,
            f"livraison/{cycle or self.ids['cycle']}/panier",
            {'offer': offer, 'quantity': quantity, 'action': 'ajouter'})

    def cart(self, client):
        cookie = client.get_cookie(CART_COOKIE, path=self.page().rstrip('/'))
        return cookie.value if cookie else None

    def orders_of(self, party_name):
        "[(cycle name, state, {product: quantity})] of party_name's orders."
        with Transaction().start(DB_NAME, 0):
            Sale = Pool().get('sale.sale')
            return sorted((s.order_cycle.name, s.state, {
                        l.product.name: l.quantity for l in s.lines
                        if l.offer}) for s in Sale.search([
                        ('party.name', '=', party_name),
                        ('order_cycle', '!=', None)]))

    def test_home(self):
        "The home page names the open cycles and when their orders close"
        response = self.get(self.client(), '')
        self.assertEqual(response.status_code, 200)
        page = text(response)
        self.assertIn("Cocagne Bio", page)
        self.assertIn("Commandes ouvertes jusqu'au", page)
        self.assertEqual(response.headers['Content-Type'],
            'text/html; charset=utf-8')
        cookie, = [c for c in response.headers.getlist('Set-Cookie')
            if c.startswith(CSRF_COOKIE + '=')]
        for flag in ['HttpOnly', 'Secure', 'SameSite=Strict',
                f"Path={self.page().rstrip('/')}"]:
            self.assertIn(flag, cookie)

    def test_not_found(self):
        "Unknown addresses and shops answer a French 404 page"
        client = self.client()
        for path in [self.page('nulle-part'), self.page('', shop=999999),
                self.page(f"livraison/{self.ids['cycle_b']}/"),
                self.page(f"livraison/{self.ids['cycle']}/produit/999999"),
                f'/{self.db_name}/cocagne-bio/rien/du/tout']:
            response = client.get(path)
            self.assertEqual(response.status_code, 404, path)
            self.assertIn('<html', response.get_data(as_text=True))
            self.assertTrue({"Page introuvable", "Livraison fermée"}
                & set(re.findall(r'Page introuvable|Livraison fermée',
                        text(response))), path)

    def test_catalogue_filters(self):
        "Filter the catalogue by category, producer, organic and search"
        client = self.client()
        path = f"livraison/{self.ids['big']}/"
        everything = text(self.get(client, path))
        self.assertIn("60 produits", everything)
        self.assertIn("Page 1 sur 2", everything)
        organic = text(self.get(client, path, query_string={'bio': '1'}))
        self.assertIn("24 produits", organic)
        search = text(self.get(client, path,
                query_string={'q': 'PRODUIT 07'}))
        self.assertIn("1 produit ", search)
        self.assertIn("Produit 07", search)
        with Transaction().start(DB_NAME, 0):
            Party = Pool().get('party.party')
            farm, = Party.search([('name', '=', "Le Verger")])
        producer = text(self.get(client, path,
                query_string={'producteur': str(farm.id)}))
        self.assertIn("12 produits", producer)
        # tampered filters are ignored, never an error
        odd = self.get(client, path, query_string={'producteur': 'x',
                'categorie': '-1', 'page': '999'})
        self.assertEqual(odd.status_code, 200)

    def test_catalogue_queries(self):
        """A page of 10 offers takes as many queries as one of 60, made
        afresh or from the cache"""
        client = self.client()
        self.get(client, '')
        paths = [(c, f"livraison/{self.ids[c]}/") for c in ['small', 'big']]
        counts = []
        for cycle, path in paths:
            # an offer of the cycle changed: its catalogue is made afresh
            run_committed(lambda: self.set_price(
                    self.ids[f'{cycle}_offers'][0], '1.50'))
            for _ in range(2):
                with counting_queries() as queries:
                    self.assertEqual(self.get(client, path).status_code, 200)
                counts.append(len(queries))
        made, cached = counts[0::2], counts[1::2]
        self.assertEqual(made[0], made[1])
        self.assertEqual(cached[0], cached[1])
        self.assertLess(cached[0], made[0])

    def set_price(self, offer_id, price):
        Offer = Pool().get('cocagne.order_cycle.offer')
        offer = Offer(offer_id)
        offer.unit_price = Decimal(price)
        offer.save()

    def test_catalogue_cache(self):
        "A price changed, an offer sold: the cached page shows it at once"
        client = self.client()
        path = f"livraison/{self.ids['small']}/"
        offer = self.ids['small_offers'][3]
        run_committed(lambda: self.set_price(offer, '2.00'))
        self.assertIn("Produit 03 Le Moulin 2,11", text(self.get(client, path)))
        run_committed(lambda: self.set_price(offer, '4.00'))
        self.assertIn("Produit 03 Le Moulin 4,22", text(self.get(client, path)))
        capped = self.ids['small_offers'][0]
        before = text(self.get(client, path))
        self.log_in(client, 'camille@example.org')
        self.add(client, capped, '1', cycle=self.ids['small'])
        response = self.post(client, f"livraison/{self.ids['small']}/commander",
            {'pickup': self.ids['small_square']})
        self.assertEqual(response.status_code, 303, text(response))
        after = text(self.get(client, path))
        self.assertNotEqual(re.findall(r'Il en reste [\d,]+', before)[:1],
            re.findall(r'Il en reste [\d,]+', after)[:1])

    def test_product_page(self):
        "The product page gives the particulars due before the purchase"
        response = self.get(self.client(),
            f"livraison/{self.ids['cycle']}/produit/{self.ids['eggs']}")
        self.assertEqual(response.status_code, 200)
        page = text(response)
        for particular in ["Œufs (boîte de 6)", "Allergènes", "Producteur",
                "Exploitant", "Déclaration nutritionnelle", "le u"]:
            self.assertIn(particular, page)

    def test_escaped(self):
        "HTML or script in names and notes is shown as text"
        run_committed(lambda: self.rename_lettuce(
                '<script>alert("x")</script>'))
        try:
            response = self.get(self.client(),
                f"livraison/{self.ids['cycle']}/")
            html = response.get_data(as_text=True)
            self.assertNotIn('<script>alert', html)
            self.assertIn('&lt;script&gt;alert', html)
        finally:
            run_committed(lambda: self.rename_lettuce("Laitue"))

    def rename_lettuce(self, name):
        Offer = Pool().get('cocagne.order_cycle.offer')
        template = Offer(self.ids['lettuce']).product.template
        template.name = name
        template.save()

    def test_csrf(self):
        "A form without the browser's token, or a forged one, is refused"
        client = self.client()
        self.csrf(client)
        for token in ['', '0' * 64]:
            response = client.post(
                self.page(f"livraison/{self.ids['cycle']}/panier"),
                data={'offer': self.ids['carrots'], 'quantity': '1',
                    'csrf': token})
            self.assertEqual(response.status_code, 403)
            self.assertIn("Formulaire expiré", text(response))
        self.assertIsNone(self.cart(client))
        # another site's page cannot send the cookie: nothing is posted
        # by a browser without it
        fresh = self.client()
        response = fresh.post(
            self.page(f"livraison/{self.ids['cycle']}/panier"),
            data={'offer': self.ids['carrots'], 'quantity': '1',
                'csrf': 'a' * 64})
        self.assertEqual(response.status_code, 403)
        self.assertIsNone(self.cart(fresh))

    def test_basket_tampered(self):
        "Quantities that are not numbers, or offers of elsewhere: refused"
        client = self.client()
        self.assertEqual(self.add(client, self.ids['carrots'], '1,5')
            .status_code, 303)
        cart = self.cart(client)
        self.assertTrue(cart.endswith(f"{self.ids['carrots']}=1.5"))
        for offer, quantity in [(self.ids['carrots'], 'abc'),
                (self.ids['carrots'], '-2'), (self.ids['carrots'], 'nan'),
                (self.ids['carrots'], '1e12'), (self.ids['eggs'], '1.5'),
                (self.ids['closed_offer'], '1'), ('1 OR 1=1', '1')]:
            response = self.add(client, offer, quantity)
            self.assertEqual(response.status_code, 303)
            self.assertEqual(self.cart(client), cart, (offer, quantity))
        # a cookie tampered by hand is read for what it is worth
        client.set_cookie(CART_COOKIE,
            f"{self.ids['cycle']}:{self.ids['carrots']}=x,<b>=1,"
            f"{self.ids['eggs']}=2", path=self.page().rstrip('/'))
        page = text(self.get(client, f"livraison/{self.ids['cycle']}/panier"))
        self.assertIn("Œufs (boîte de 6)", page)
        self.assertNotIn("Carottes 2,64", page)

    def test_checkout(self):
        """Browse, fill the basket, log in, order at a pickup place: the
        server's prices, a confirmation email; then change the order and
        see it locked once the cycle closes"""
        client = self.client()
        self.add(client, self.ids['carrots'], '2')
        self.add(client, self.ids['eggs'], '1')
        basket = self.page(f"livraison/{self.ids['cycle']}/panier")
        response = client.post(
            self.page(f"livraison/{self.ids['cycle']}/commander"),
            data={'csrf': self.csrf(client), 'pickup': self.ids['square']},
            headers={'Referer': 'http://localhost' + basket})
        self.assertEqual(response.status_code, 303)
        self.assertEqual(response.headers['Location'], self.page(
                'compte/connexion') + '?' + urlencode({'suite': basket}))
        self.log_in(client, 'sacha@example.org')
        with patch(SEND) as send:
            response = self.post(client,
                f"livraison/{self.ids['cycle']}/commander",
                {'pickup': self.ids['square'], 'note': '<i>merci</i>',
                    'unit_price': '0.01'})
        self.assertEqual(response.status_code, 303, text(response))
        self.assertIsNone(self.cart(client))
        message, = [c.args[0] for c in send.call_args_list]
        self.assertEqual(message['To'], 'sacha@example.org')
        self.assertIn("Carottes", message.get_body(('html',)).get_content())
        (_, state, lines), = [o for o in self.orders_of("Sacha Roux")
            if o[0] == "Semaine d'essai"]
        self.assertEqual((state, lines), ('draft',
                {"Carottes": 2, "Œufs (boîte de 6)": 1}))
        order = response.headers['Location']
        page = text(client.get(order))
        self.assertIn("Merci : votre commande est enregistrée", page)
        self.assertIn("À payer au retrait", page)
        # the order changed: carrots 3, no eggs, at the farmyard
        html = client.get(order).get_data(as_text=True)
        lines = re.findall(r'name="quantite-(\d+)"', html)
        self.assertEqual(len(lines), 2)
        with Transaction().start(DB_NAME, 0):
            Line = Pool().get('sale.line')
            names = {int(i): Line(int(i)).product.name for i in lines}
        form = {f'quantite-{i}': '3' if n == "Carottes" else '0'
            for i, n in names.items()}
        form['pickup'] = self.ids['farmyard']
        response = client.post(order, data=dict(form,
                csrf=self.csrf(client)))
        self.assertEqual(response.status_code, 303, text(response))
        (_, _, lines), = [o for o in self.orders_of("Sacha Roux")
            if o[0] == "Semaine d'essai"]
        self.assertEqual(lines, {"Carottes": 3})
        # the cycle closes: the order is locked
        run_committed(lambda: self.set_cycle_state('closed'))
        try:
            page = text(client.get(order))
            self.assertIn("ne peut plus être modifiée", page)
            response = client.post(order, data=dict(form,
                    csrf=self.csrf(client)))
            self.assertEqual(response.status_code, 409)
            self.assertEqual([o[2] for o in self.orders_of("Sacha Roux")
                    if o[0] == "Semaine d'essai"], [{"Carottes": 3}])
        finally:
            run_committed(lambda: self.set_cycle_state('open'))

    def set_cycle_state(self, state):
        Cycle = Pool().get('cocagne.order_cycle')
        Cycle.write([Cycle(self.ids['cycle'])], {'state': state})

    def test_checkout_refused(self):
        """Sold out since the basket, a full pickup place, a closed cycle:
        a clear message, the basket kept, nothing written"""
        client = self.client()
        self.log_in(client, 'dominique@example.org')
        small = self.ids['small']
        capped = self.ids['small_offers'][0]
        before = self.orders_of("Jardin")
        # 5 in the cap: the basket took 4, another customer took 3 since
        self.add(client, capped, '4', cycle=small)
        other = self.client()
        self.log_in(other, 'sacha@example.org')
        self.add(other, capped, '3', cycle=small)
        response = self.post(other, f'livraison/{small}/commander',
            {'pickup': self.ids['small_square']})
        self.assertEqual(response.status_code, 303, text(response))
        cart = self.cart(client)
        response = self.post(client, f'livraison/{small}/commander',
            {'pickup': self.ids['small_square']})
        self.assertEqual(response.status_code, 409)
        self.assertIn("il n'en reste que", text(response).lower())
        self.assertEqual(self.cart(client), cart)
        self.assertFalse([o for o in self.orders_of("Dominique Morel")
                if o[0] == "Petit cycle"])
        # the full pickup place
        self.post(client, f'livraison/{small}/panier',
            {'offer': capped, 'quantity': '1', 'action': 'modifier'})
        self.add(other, self.ids['small_offers'][1], '1', cycle=small)
        response = self.post(other, f'livraison/{small}/commander',
            {'pickup': self.ids['small_full']})
        self.assertEqual(response.status_code, 303, text(response))
        response = self.post(client, f'livraison/{small}/commander',
            {'pickup': self.ids['small_full']})
        self.assertEqual(response.status_code, 409)
        self.assertIn("est complet", text(response))
        # no pickup place chosen, or one of another cycle
        for pickup in [None, self.ids['square']]:
            data = {'pickup': pickup} if pickup else {}
            data['note'] = '<script>alert(1)</script>'
            response = self.post(client, f'livraison/{small}/commander', data)
            self.assertIn(response.status_code, {400, 409})
            self.assertIn("lieu de retrait", text(response).lower())
            html = response.get_data(as_text=True)
            self.assertIn('&lt;script&gt;alert(1)&lt;/script&gt;', html)
            self.assertNotIn('<script>alert', html)
        # a closed cycle
        closed = self.ids['closed']
        client.set_cookie(CART_COOKIE,
            f"{closed}:{self.ids['closed_offer']}=1", path=self.page().rstrip('/'))
        response = self.post(client, f'livraison/{closed}/commander',
            {'pickup': self.ids['closed_pickup']})
        self.assertIn(response.status_code, {404, 409})
        self.assertEqual(self.orders_of("Jardin"), before)

    def test_other_customer_order(self):
        "A customer cannot see nor change another customer's order"
        owner = self.client()
        self.log_in(owner, 'camille@example.org')
        self.add(owner, self.ids['lettuce'], '1')
        response = self.post(owner,
            f"livraison/{self.ids['cycle']}/commander",
            {'pickup': self.ids['square']})
        self.assertEqual(response.status_code, 303, text(response))
        order = response.headers['Location'].rsplit('/', 1)[1]
        intruder = self.client()
        self.log_in(intruder, 'dominique@example.org')
        self.assertEqual(self.get(intruder, f'commandes/{order}')
            .status_code, 404)
        response = self.post(intruder, f'commandes/{order}',
            {'pickup': self.ids['square']})
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Laitue", text(self.get(intruder, 'commandes')))

    def test_login_limited(self):
        """After 5 failures the login is refused at once (429, in French)
        without the sleeping of web_user, for the right password too"""
        client = self.client()
        for _ in range(5):
            response = self.post(client, 'compte/connexion',
                {'email': 'alex@example.org', 'password': 'faux'})
            self.assertEqual(response.status_code, 401)
        with patch('time.sleep') as sleep:
            response = self.post(client, 'compte/connexion',
                {'email': 'alex@example.org', 'password': PASSWORD})
        self.assertEqual(response.status_code, 429)
        self.assertIn("Trop de tentatives de connexion", text(response))
        sleep.assert_not_called()

    def test_account(self):
        """Sign up, validate the email, log in, reset the password; and an
        absence recorded on one's basket subscription"""
        client = self.client()
        with patch(SEND_WEB_USER) as send:
            response = self.post(client, 'compte/inscription', {
                    'name': '<b>Lou</b> Martin', 'email': 'Lou@Example.org',
                    'password': 'un-long-mot-de-passe',
                    'street': '2 rue des Lilas', 'postal_code': '35000',
                    'city': 'Rennes'})
        self.assertEqual(response.status_code, 303, text(response))
        link, = re.findall(r'href="([^"]+/compte/validation\?token=\w+)"',
            send.call_args.args[0].get_body(('html',)).get_content())
        self.log_in(client, 'lou@example.org', 'un-long-mot-de-passe')
        self.add(client, self.ids['lettuce'], '1')
        response = self.post(client,
            f"livraison/{self.ids['cycle']}/commander",
            {'pickup': self.ids['square']})
        self.assertEqual(response.status_code, 403)
        self.assertIn("Validez votre adresse", text(response))
        self.assertEqual(client.get(link.replace('http://localhost', ''))
            .status_code, 303)
        page = self.get(client, 'compte').get_data(as_text=True)
        self.assertIn('&lt;b&gt;Lou&lt;/b&gt; Martin', page)
        # the password forgotten
        with patch(SEND_WEB_USER) as send:
            self.post(client, 'compte/mot-de-passe',
                {'email': 'lou@example.org'})
        link, = re.findall(r'href="([^"]+/compte/nouveau-mot-de-passe\?'
            r'[^"]+)"', send.call_args.args[0].get_body(('html',))
            .get_content())
        link = unescape(link).replace('http://localhost', '')
        response = client.get(link)
        self.assertEqual(response.status_code, 200)
        token = re.search(r'name="token" value="(\w+)"',
            response.get_data(as_text=True)).group(1)
        response = self.post(client, 'compte/nouveau-mot-de-passe', {
                'email': 'lou@example.org', 'token': 'f' * len(token),
                'password': 'encore-un-autre'})
        self.assertEqual(response.status_code, 400)
        response = self.post(client, 'compte/nouveau-mot-de-passe', {
                'email': 'lou@example.org', 'token': token,
                'password': 'encore-un-autre'})
        self.assertEqual(response.status_code, 303, text(response))

    def test_absence(self):
        "A member records an absence; another's subscription is refused"
        member = self.client()
        self.log_in(member, 'dominique@example.org')
        page = self.get(member, 'compte').get_data(as_text=True)
        subscription = re.search(r'name="subscription" value="(\d+)"',
            page).group(1)
        response = self.post(member, 'compte/absence', {
                'subscription': subscription, 'start_date': '2030-07-01',
                'end_date': '2030-07-14'})
        self.assertEqual(response.status_code, 303, text(response))
        self.assertIn("1 juillet 2030", text(self.get(member, 'compte')))
        stranger = self.client()
        self.log_in(stranger, 'camille@example.org')
        response = self.post(stranger, 'compte/absence', {
                'subscription': subscription, 'start_date': '2030-08-01',
                'end_date': '2030-08-14'})
        self.assertEqual(response.status_code, 404)
        response = self.post(member, 'compte/absence', {
                'subscription': subscription, 'start_date': 'hier',
                'end_date': '2030-08-14'})
        self.assertEqual(response.status_code, 400)

# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The storefront of a Cocagne Bio shop: the public pages where customers
browse a cycle's products, fill a basket, choose a pickup place, order and
change their orders until the cycle closes, and keep their account.

The pages are served by trytond under /<db>/cocagne-bio/<shop>/, in French,
as user 0: like the JSON API (routes.py) each one reads only the shop of its
address, its garden and its published cycles, and a customer only their own
orders. Every form carries the CSRF token of pages.py; a refused form
writes nothing and shows why, the basket kept."""
import datetime as dt
import json
import os
import secrets
import unicodedata
from decimal import Decimal
from email.message import EmailMessage
from functools import wraps
from urllib.parse import urlencode, urlsplit

from werkzeug.security import safe_join
from werkzeug.utils import redirect, send_file

from trytond import config
from trytond.exceptions import RateLimitException, UserError
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.protocols.wrappers import (
    HTTPStatus, Response, with_pool, with_transaction)
from trytond.sendmail import send_message_transactional
from trytond.transaction import Transaction
from trytond.wsgi import app

from . import pages
from .catalogue import (
    cached_catalogue, catalogue_pages, customer_orders, cycle_summary,
    open_cycles, orders, pickups, shop_cycle, subscriptions)
from .customer import ACCOUNT_URL
from .routes import PUBLISHED, cart_items
from .exceptions import AccountError, OrderError

PREFIX = '/<database_name>/cocagne-bio/<int:shop_id>'
STATIC = pages.WWW / 'static'
PAGE_SIZE = 30
# what stands for the visitor's CSRF token in the cached pages
CSRF_MARK = secrets.token_hex(32)
# the states of an order that its customer may still change
EDITABLE = {'draft', 'quotation'}
# the states of an order as its customer reads them
STATES = {
    'draft': "Enregistrée", 'quotation': "Enregistrée",
    'confirmed': "Confirmée", 'processing': "En préparation",
    'done': "Retirée", 'cancelled': "Annulée"}


class Visit:
    "A request to the storefront of shop: who asks, their basket, the forms."

    def __init__(self, request, shop):
        pool = Pool()
        Lang = pool.get('ir.lang')
        WebUser = pool.get('web.user')
        self.request = request
        self.shop = shop
        self.database = Transaction().database.name
        self.base = f'/{self.database}/cocagne-bio/{shop.id}'
        self.lang = Lang.get()
        self.csrf = pages.csrf_token(request)
        self.message = pages.flashed(request)
        self.customer = None
        key = request.cookies.get(pages.SESSION_COOKIE)
        user = WebUser.get_user(key) if key else None
        if user and user.party and user.party.company == shop.company:
            self.customer = user
        self.cart_cycle, self.cart = pages.parse_cart(
            request.cookies.get(pages.CART_COOKIE))

    def shop_path(self, path, default):
        """path when it is a page of the shop (where to go back after a
        form), else default: never another site's address."""
        if path.startswith(self.base + '/') and '//' not in path[1:]:
            return path
        return default

    @property
    def currency(self):
        return self.shop.currency

    @property
    def timezone(self):
        return self.shop.company.timezone

    def url(self, path='', **query):
        "The address of a page of the shop."
        query = {k: v for k, v in query.items() if v not in (None, '')}
        return self.base + '/' + path + (
            '?' + urlencode(query) if query else '')

    def money(self, value):
        "An amount (a string or a Decimal) in the shop's currency."
        return self.lang.currency(Decimal(str(value)), self.currency)

    def quantity(self, value, unit, digits):
        "A quantity with its unit: « 1,5 kg »."
        return f'{self.number(value, digits)}\u00a0{unit}'

    def number(self, value, digits):
        "A quantity as typed in a form: « 1,5 »."
        text = self.lang.format_number(value, digits, grouping=False)
        decimal = self.lang.decimal_point
        if decimal in text:
            text = text.rstrip('0').rstrip(decimal)
        return text

    def date(self, value):
        """A date (or a UTC datetime, in ISO text) as « jeudi 3 décembre
        2026 », the day in local time."""
        if isinstance(value, str):
            value = (self._local(value).date() if 'T' in value
                else dt.date.fromisoformat(value))
        elif isinstance(value, dt.datetime):
            value = self._local(value).date()
        weekday, month = self.lang.strftime(value, '%A|%B').split('|')
        return f'{weekday.lower()} {value.day} {month.lower()} {value.year}'

    def moment(self, value):
        "A UTC datetime (or ISO text) in local time, day and hour."
        value = self._local(value)
        return f"{self.date(value.date())} à {value:%H:%M}"

    def window(self, start, end):
        "A time window in local time: « de 15:00 à 18:00 »."
        return (f"de {self._local(start):%H:%M} "
            f"à {self._local(end):%H:%M}")

    def _local(self, value):
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value).replace(tzinfo=None)
        return pages.local(value, self.timezone)

    def cart_count(self, cycle_id):
        return len(self.cart) if self.cart_cycle == cycle_id else 0

    def render(self, template, status=HTTPStatus.OK, **values):
        "The page of template for this visit."
        values.setdefault('cycle', None)
        response = pages.render(template, status=status, visit=self,
            shop=self.shop, csrf=self.csrf, **values)
        return self.finish(response)

    def redirect(self, path, message=None, **query):
        "Go to the page path (303), showing message there."
        return self.finish(redirect(self.url(path, **query), code=303),
            message)

    def finish(self, response, message=None):
        "Give response the cookies of the visit."
        pages.set_cookie(response, self.base, pages.CSRF_COOKIE, self.csrf)
        if message:
            pages.flash(response, self.base, message)
        elif self.message:
            pages.delete_cookie(response, self.base, pages.FLASH_COOKIE)
        return response


def page(path, methods=('GET',), login=False, readonly=None):
    """Register func(visit, **kwargs) as the page path of the storefront:
    in a database with the module, for a Cocagne Bio shop (a French 404
    page otherwise), run as user 0 in the shop's context. A POST without
    the browser's CSRF token is refused (403); login: the visitor must be
    logged in as a customer of the shop's garden."""
    def decorator(func):
        @wraps(func)
        def in_shop(request, pool, shop_id, **kwargs):
            try:
                pool.get('cocagne.order_cycle')
            except KeyError:
                return not_found(request)
            shop, context = pool.get('web.shop').cocagne_shop(shop_id)
            if not shop:
                return not_found(request)
            with Transaction().set_context(context):
                visit = Visit(request, shop)
                if request.method == 'POST' and not pages.csrf_valid(request):
                    return visit.render('message.html',
                        HTTPStatus.FORBIDDEN,
                        title="Formulaire expiré",
                        text=gettext('cocagne_bio_shop.msg_shop_csrf'))
                if login and not visit.customer:
                    # back to the page, or to the page of the form posted
                    follow = (request.full_path if request.method == 'GET'
                        else urlsplit(request.referrer or '').path)
                    return visit.redirect('compte/connexion',
                        gettext('cocagne_bio_shop.msg_shop_login_first'),
                        suite=follow)
                return func(visit, **kwargs)
        app.route(PREFIX + path, methods=set(methods))(with_pool(
                with_transaction(readonly=readonly)(in_shop)))
        return func
    return decorator


@app.route('/<database_name>/cocagne-bio/<path:rest>', methods={'GET', 'POST'})
def unknown(request, database_name, rest):
    "Any other address of the storefront: a French 404 page."
    return not_found(request)


def not_found(request):
    return pages.render('message.html', HTTPStatus.NOT_FOUND, visit=None,
        shop=None, cycle=None, csrf=None, title="Page introuvable",
        text="Cette page n'existe pas, ou plus. Revenez à l'accueil de "
        "la boutique.")


@app.route('/cocagne-bio/static/<name>', methods={'GET'})
def static(request, name):
    "The style sheet, the script and the icons of the pages."
    path = safe_join(str(STATIC), name)
    if not path or not os.path.isfile(path):
        return not_found(request)
    return send_file(path, request.environ, max_age=60 * 60)


def _cycle(visit, cycle_id, states=('open',)):
    "The cycle cycle_id of the visit's shop in states, else None."
    return shop_cycle(visit.shop, cycle_id, states)


def _catalogue(visit, cycle_id):
    "The catalogue data of the open cycle cycle_id of the shop, or None."
    text = cached_catalogue(visit.shop, cycle_id)
    return json.loads(text) if text is not None else None


def _closed(visit, cycle_id):
    "The page of a cycle that is not open (any more)."
    return visit.render('message.html', HTTPStatus.NOT_FOUND,
        title="Livraison fermée aux commandes",
        text=gettext('cocagne_bio_shop.msg_shop_cycle_not_open',
            cycle=cycle_id))


@page('/')
def home(visit):
    "The open cycles with their close time, or the next opening."
    Cycle = Pool().get('cocagne.order_cycle')
    cycles = open_cycles(visit.shop)
    upcoming = None
    if not cycles:
        upcoming = Cycle.search([
                ('shop', '=', visit.shop.id),
                ('company', '=', visit.shop.company.id),
                ('state', '=', 'draft'),
                ('opens_at', '>=', dt.datetime.now()),
                ], order=[('opens_at', 'ASC')], limit=1)
    return visit.render('home.html', cycles=cycles,
        cycle=cycle_summary(cycles[0]) if cycles else None,
        upcoming=upcoming[0] if upcoming else None)


def _fold(text):
    "text without accents nor case, for the search."
    return ''.join(c for c in unicodedata.normalize('NFKD', text.casefold())
        if not unicodedata.combining(c))


def _number(text):
    "The integer of a query parameter, else None."
    return int(text) if text and text.isdigit() and len(text) < 12 else None


@page('/livraison/<int:cycle_id>/')
def catalogue(visit, cycle_id):
    """The offers of an open cycle, by category, producer, organic, search.
    The page is cached until the catalogue changes, for each query and
    what the header shows of the visitor (logged in, basket's size); its
    CSRF token is the visitor's."""
    args = visit.request.args
    key = (visit.shop.id, cycle_id, tuple(sorted(args.items(multi=True))),
        bool(visit.customer), visit.cart_count(cycle_id),
        Transaction().language)
    html = catalogue_pages.get(key) if not visit.message else None
    if html is None:
        data = _catalogue(visit, cycle_id)
        if data is None:
            return _closed(visit, cycle_id)
        html = pages.render_text('catalogue.html', visit=visit,
            shop=visit.shop, csrf=CSRF_MARK,
            **_catalogue_values(data, args))
        if not visit.message:
            catalogue_pages.set(key, html)
    return visit.finish(pages.html(html.replace(CSRF_MARK, visit.csrf)))


def _catalogue_values(data, args):
    "The values of the catalogue page of data for the query args."
    category, producer = _number(args.get('categorie')), _number(
        args.get('producteur'))
    organic = args.get('bio') == '1'
    search = args.get('q', '').strip()[:100]
    offers = data['offers']
    categories = sorted({(c['id'], c['name']) for o in offers
            for c in o['categories']}, key=lambda c: c[1])
    producers = sorted({(o['producer']['id'], o['producer']['name'])
            for o in offers}, key=lambda p: p[1])
    if category:
        offers = [o for o in offers
            if category in {c['id'] for c in o['categories']}]
    if producer:
        offers = [o for o in offers if o['producer']['id'] == producer]
    if organic:
        offers = [o for o in offers if o['organic']]
    if search:
        words = _fold(search).split()
        offers = [o for o in offers if all(w in _fold(
                        o['name'] + ' ' + o['producer']['name'])
                    for w in words)]
    pages_count = max(1, -(-len(offers) // PAGE_SIZE))
    number = min(max(_number(args.get('page')) or 1, 1), pages_count)
    filters = {'categorie': category, 'producteur': producer,
        'bio': '1' if organic else None, 'q': search}
    return dict(cycle=data['cycle'], catalogue=data,
        offers=offers[(number - 1) * PAGE_SIZE:number * PAGE_SIZE],
        found=len(offers), categories=categories, producers=producers,
        filters=filters, page=number, pages=pages_count)


@page('/livraison/<int:cycle_id>/produit/<int:offer_id>')
def product(visit, cycle_id, offer_id):
    "An offer with every food particular due before a distance sale."
    Offer = Pool().get('cocagne.order_cycle.offer')
    data = _catalogue(visit, cycle_id)
    if data is None:
        return _closed(visit, cycle_id)
    offer = {o['id']: o for o in data['offers']}.get(offer_id)
    if not offer:
        return not_found(visit.request)
    template = Offer(offer_id).product.template
    return visit.render('product.html', cycle=data['cycle'], catalogue=data,
        offer=offer, particulars=template.food_particulars())


def _cart_lines(visit, data):
    """The lines of the visit's basket for the catalogue data: [(offer,
    quantity, amount)], offers gone dropped; and the total."""
    offers = {o['id']: o for o in data['offers']}
    lines = []
    if visit.cart_cycle != data['cycle']['id']:
        return lines, Decimal(0)
    for offer_id, quantity in visit.cart.items():
        offer = offers.get(offer_id)
        if offer:
            lines.append((offer, quantity, visit.currency.round(
                        Decimal(offer['price']) * Decimal(str(quantity)))))
    lines.sort(key=lambda l: l[0]['name'])
    return lines, sum((l[2] for l in lines), Decimal(0))


@page('/livraison/<int:cycle_id>/panier')
def basket(visit, cycle_id, error=None, status=HTTPStatus.OK, note=''):
    "The basket of a cycle, its pickup places and the order form."
    cycle = _cycle(visit, cycle_id)
    if not cycle:
        return _closed(visit, cycle_id)
    data = _catalogue(visit, cycle_id)
    lines, total = _cart_lines(visit, data)
    order = _current_order(visit, cycle)
    places = pickups(cycle)
    chosen = _number(visit.request.form.get('pickup') or '') or (
        order.pickup.id if order and order.pickup else None)
    return visit.render('basket.html', status=status, cycle=data['cycle'],
        catalogue=data, lines=lines, total=total, pickups=places,
        chosen=chosen, order=order, error=error, note=note)


def _current_order(visit, cycle):
    "The visitor's order in cycle, not cancelled, or None."
    Sale = Pool().get('sale.sale')
    if not visit.customer:
        return None
    sales = Sale.search([
            ('order_cycle', '=', cycle.id),
            ('party', '=', visit.customer.party.id),
            ('company', '=', visit.shop.company.id),
            ('state', '!=', 'cancelled'),
            ], limit=1)
    return sales[0] if sales else None


@page('/livraison/<int:cycle_id>/panier', methods=['POST'])
def change_basket(visit, cycle_id):
    """Add an offer to the basket, set its quantity or remove it; the
    server checks the offer and the quantity, never trusting the form."""
    cycle = _cycle(visit, cycle_id)
    if not cycle:
        return _closed(visit, cycle_id)
    form = visit.request.form
    data = _catalogue(visit, cycle_id)
    offers = {o['id']: o for o in data['offers']}
    offer = offers.get(_number(form.get('offer', '')))
    cart = dict(visit.cart) if visit.cart_cycle == cycle.id else {}
    action = form.get('action', 'ajouter')
    back = visit.shop_path(form.get('retour', ''),
        visit.url(f'livraison/{cycle.id}/panier'))
    if not offer:
        return _basket_answer(visit, cycle, cart, back,
            gettext('cocagne_bio_shop.msg_shop_offer_unknown'), False)
    quantity = pages.parse_quantity(form.get('quantity', '1'))
    if action == 'retirer':
        cart.pop(offer['id'], None)
        return _basket_answer(visit, cycle, cart, back, gettext(
                'cocagne_bio_shop.msg_shop_basket_removed',
                product=offer['name']))
    error = _quantity_error(offer, quantity)
    if error:
        return _basket_answer(visit, cycle, cart, back, error, False)
    if action == 'ajouter':
        quantity += cart.get(offer['id'], 0)
    if offer['remaining'] is not None and quantity > offer['remaining']:
        return _basket_answer(visit, cycle, cart, back, gettext(
                'cocagne_bio_shop.msg_shop_basket_remaining',
                product=offer['name'], remaining=visit.quantity(
                    offer['remaining'], offer['unit'], offer['digits'])),
            False)
    cart[offer['id']] = round(quantity, offer['digits'])
    return _basket_answer(visit, cycle, cart, back, gettext(
            'cocagne_bio_shop.msg_shop_basket_added', product=offer['name'],
            quantity=visit.quantity(cart[offer['id']], offer['unit'],
                offer['digits'])))


def _quantity_error(offer, quantity):
    "The message refusing quantity of offer, or None."
    if quantity is None or quantity <= 0 or quantity >= 1e6:
        return gettext('cocagne_bio_shop.msg_shop_quantity_invalid',
            product=offer['name'])
    if not offer['digits'] and quantity != int(quantity):
        return gettext('cocagne_bio_shop.msg_shop_quantity_whole',
            product=offer['name'])


def _basket_answer(visit, cycle, cart, back, message, done=True):
    """Go back with message, the basket saved as cart; as JSON for the
    page's script, which stays where it is."""
    if 'application/json' in visit.request.headers.get('Accept', ''):
        response = Response(json.dumps({'message': message, 'done': done,
                    'count': len(cart)}),
            status=HTTPStatus.OK if done else HTTPStatus.BAD_REQUEST,
            content_type='application/json')
        response = visit.finish(response)
    else:
        response = visit.finish(redirect(back, code=303), message)
    pages.set_cookie(response, visit.base, pages.CART_COOKIE,
        pages.dump_cart(cycle.id, cart), max_age=14 * 24 * 60 * 60)
    return response


@page('/livraison/<int:cycle_id>/commander', methods=['POST'], login=True)
def checkout(visit, cycle_id):
    """Order the basket, to collect at the pickup place chosen: the prices
    and what remains are the server's; refused, nothing is written and the
    basket is kept."""
    pool = Pool()
    Sale = pool.get('sale.sale')
    cycle = _cycle(visit, cycle_id, PUBLISHED)
    if not cycle:
        return _closed(visit, cycle_id)
    form = visit.request.form
    note = form.get('note', '')[:2000]
    if not visit.customer.email_valid:
        return basket(visit, cycle_id, status=HTTPStatus.FORBIDDEN,
            note=note, error=gettext('cocagne_bio_shop.msg_shop_email_unvalidated',
                email=visit.customer.email))
    cart = visit.cart if visit.cart_cycle == cycle.id else {}
    try:
        pickup = _pickup(cycle, form.get('pickup'))
        items = cart_items(cycle, [{'offer': o, 'quantity': q}
                for o, q in sorted(cart.items())])
        sale = Sale.take_cycle_order(cycle, visit.customer.party, pickup,
            items)
        if note.strip():
            sale.comment = '\n'.join(filter(None, [sale.comment, note]))
            sale.save()
    except UserError as error:
        Transaction().rollback()
        status = (HTTPStatus.BAD_REQUEST if not cart
            or form.get('pickup') is None else HTTPStatus.CONFLICT)
        return basket(visit, cycle_id, error=error.message, status=status,
            note=note)
    send_order_email(visit, sale)
    payment = visit.shop.cocagne_payment_url(sale, _absolute(visit,
            f'commandes/{sale.id}'))
    if payment:
        response = visit.finish(redirect(payment, code=303))
    else:
        response = visit.redirect(f'commandes/{sale.id}', gettext(
                'cocagne_bio_shop.msg_shop_order_taken',
                email=visit.customer.email))
    pages.delete_cookie(response, visit.base, pages.CART_COOKIE)
    return response


def _absolute(visit, path):
    "The full address of the page path of the shop, for emails and links."
    return visit.request.host_url.rstrip('/') + visit.url(path)


def _pickup(cycle, value):
    "The pickup place of cycle chosen in a form, or an OrderError."
    Pickup = Pool().get('cocagne.order_cycle.pickup')
    pickup_id = _number(value or '')
    pickups = Pickup.search([
            ('id', '=', pickup_id or -1),
            ('cycle', '=', cycle.id),
            ], limit=1)
    if not pickups:
        raise OrderError(gettext('cocagne_bio_shop.msg_shop_pickup_choose'))
    return pickups[0]


def send_order_email(visit, sale):
    "Send the customer the confirmation of their order, once committed."
    order, = orders([sale])
    message = EmailMessage()
    message['From'] = config.get('email', 'from')
    message['To'] = visit.customer.email
    message['Subject'] = gettext('cocagne_bio_shop.msg_shop_order_email',
        shop=visit.shop.name, date=visit.date(order['cycle']['delivery_date']))
    link = _absolute(visit, f'commandes/{sale.id}')
    html = pages.render_text('email_order.html', visit=visit, order=order,
        link=link, shop=visit.shop)
    message.set_content(gettext('cocagne_bio_shop.msg_shop_order_email_text',
            link=link))
    message.add_alternative(html, subtype='html')
    send_message_transactional(message)


@page('/commandes', login=True)
def my_orders(visit):
    "The customer's orders in the shop, the latest delivery first."
    sales = customer_orders(visit.shop, visit.customer.party)
    return visit.render('orders.html', states=STATES,
        orders=list(zip(orders(sales), [_editable(s) for s in sales])))


def _editable(sale):
    return sale.state in EDITABLE and sale.order_cycle.state == 'open'


def _order(visit, order_id):
    "The visitor's order order_id in the shop, or None."
    Sale = Pool().get('sale.sale')
    sales = Sale.search([
            ('id', '=', order_id),
            ('party', '=', visit.customer.party.id),
            ('company', '=', visit.shop.company.id),
            ('order_cycle.shop', '=', visit.shop.id),
            ], limit=1)
    return sales[0] if sales else None


@page('/commandes/<int:order_id>', login=True)
def my_order(visit, order_id, error=None, status=HTTPStatus.OK):
    "An order of the customer, its form while the cycle is open."
    sale = _order(visit, order_id)
    if not sale:
        return not_found(visit.request)
    order, = orders([sale])
    editable = _editable(sale)
    return visit.render('order.html', status=status, order=order,
        editable=editable, error=error, states=STATES,
        cycle=order['cycle'] if editable else None,
        pickups=pickups(sale.order_cycle) if editable else [])


@page('/commandes/<int:order_id>', methods=['POST'], login=True)
def change_order(visit, order_id):
    """Change the quantities (0 removes a product) and the pickup place of
    an order of the customer while its cycle is open."""
    pool = Pool()
    Sale = pool.get('sale.sale')
    sale = _order(visit, order_id)
    if not sale:
        return not_found(visit.request)
    form = visit.request.form
    lines = []
    for line in sale.lines:
        if not line.offer:
            continue
        quantity = pages.parse_quantity(
            form.get(f'quantite-{line.id}', line.quantity))
        if quantity is None or quantity < 0:
            return my_order(visit, order_id, status=HTTPStatus.BAD_REQUEST,
                error=gettext('cocagne_bio_shop.msg_shop_quantity_invalid',
                    product=line.offer.product.name))
        if quantity:
            lines.append({'offer': line.offer.id, 'quantity': quantity})
    try:
        pickup = _pickup(sale.order_cycle, form.get('pickup'))
        items = cart_items(sale.order_cycle, lines) if lines else []
        sale = Sale.change_cycle_order(sale, pickup, items)
    except UserError as error:
        Transaction().rollback()
        return my_order(visit, order_id, error=error.message,
            status=HTTPStatus.CONFLICT)
    return visit.redirect(f'commandes/{sale.id}', gettext(
            'cocagne_bio_shop.msg_shop_order_changed'
            if sale.state != 'cancelled'
            else 'cocagne_bio_shop.msg_shop_order_cancelled'))


@page('/compte/connexion', methods=['GET', 'POST'])
def login(visit):
    "Log in with email and password; too many failures: 429, at once."
    WebUser = Pool().get('web.user')
    form = visit.request.form
    follow = visit.shop_path(visit.request.args.get('suite', ''),
        visit.url())
    if visit.request.method == 'GET':
        return visit.render('login.html', follow=follow, email='')
    email = form.get('email', '')[:200]
    try:
        user = WebUser.shop_login(email, form.get('password', ''))
    except RateLimitException:
        return visit.render('login.html', HTTPStatus.TOO_MANY_REQUESTS,
            follow=follow, email=email,
            error=gettext('cocagne_bio_shop.msg_api_login_too_many'))
    if not user or not user.party or user.party.company != visit.shop.company:
        return visit.render('login.html', HTTPStatus.UNAUTHORIZED,
            follow=follow, email=email,
            error=gettext('cocagne_bio_shop.msg_api_login_failed'))
    response = visit.finish(redirect(follow, code=303),
        gettext('cocagne_bio_shop.msg_shop_welcome',
            name=user.party.rec_name))
    pages.set_cookie(response, visit.base, pages.SESSION_COOKIE,
        user.new_session())
    return response


@page('/compte/deconnexion', methods=['POST'])
def logout(visit):
    "End the session of the visitor."
    Session = Pool().get('web.user.session')
    key = visit.request.cookies.get(pages.SESSION_COOKIE)
    if key:
        Session.remove(key)
    response = visit.redirect('', gettext('cocagne_bio_shop.msg_shop_bye'))
    pages.delete_cookie(response, visit.base, pages.SESSION_COOKIE)
    return response


SIGN_UP = ['name', 'email', 'street', 'postal_code', 'city', 'phone']


@page('/compte/inscription', methods=['GET', 'POST'])
def sign_up(visit):
    "Open an account: a customer of the garden, to validate by email."
    WebUser = Pool().get('web.user')
    form = visit.request.form
    values = {k: form.get(k, '').strip()[:200] for k in SIGN_UP}
    if visit.request.method == 'GET':
        return visit.render('signup.html', values=values)
    missing = [k for k in SIGN_UP if k != 'phone' and not values[k]]
    try:
        if missing:
            raise AccountError(gettext(
                    'cocagne_bio_shop.msg_account_missing'))
        with Transaction().set_context(**{ACCOUNT_URL: _account_url(visit)}):
            WebUser.sign_up(visit.shop, password=form.get('password', ''),
                **values)
    except UserError as error:
        Transaction().rollback()
        return visit.render('signup.html', HTTPStatus.BAD_REQUEST,
            values=values, error=error.message)
    return visit.redirect('compte/connexion', gettext(
            'cocagne_bio_shop.msg_account_created', email=values['email']))


def _account_url(visit):
    "The address of the account pages, for the links of the emails."
    return _absolute(visit, 'compte')


@page('/compte/validation', readonly=False)
def validate_email(visit):
    "The link of the validation email: the address is the customer's."
    WebUser = Pool().get('web.user')
    token = visit.request.args.get('token', '')[:200]
    users = WebUser.validate_email_token([token]) if token else []
    if not users:
        return visit.render('message.html', HTTPStatus.NOT_FOUND,
            title="Lien de validation inconnu",
            text=gettext('cocagne_bio_shop.msg_account_token_unknown'))
    return visit.redirect('compte/connexion', gettext(
            'cocagne_bio_shop.msg_account_validated', email=users[0].email))


@page('/compte/mot-de-passe', methods=['GET', 'POST'])
def forgotten_password(visit):
    """Send the link to choose a new password; the page says the same
    whether the email is known or not."""
    WebUser = Pool().get('web.user')
    if visit.request.method == 'GET':
        return visit.render('password.html')
    email = visit.request.form.get('email', '').strip().lower()[:200]
    users = WebUser.search([
            ('email', '=', email),
            ('party.company', '=', visit.shop.company.id),
            ], limit=1)
    if users:
        with Transaction().set_context(**{ACCOUNT_URL: _account_url(visit)}):
            WebUser.reset_password(users)
    return visit.redirect('compte/connexion', gettext(
            'cocagne_bio_shop.msg_account_reset_sent', email=email))


@page('/compte/nouveau-mot-de-passe', methods=['GET', 'POST'])
def new_password(visit):
    "Choose a new password with the link of the email."
    WebUser = Pool().get('web.user')
    source = (visit.request.form if visit.request.method == 'POST'
        else visit.request.args)
    email = source.get('email', '')[:200]
    token = source.get('token', '')[:200]
    if visit.request.method == 'GET':
        return visit.render('new_password.html', email=email, token=token)
    try:
        if not WebUser.shop_set_password(email, token,
                visit.request.form.get('password', '')):
            return visit.render('message.html', HTTPStatus.BAD_REQUEST,
                title="Lien expiré ou inconnu",
                text=gettext('cocagne_bio_shop.msg_account_token_unknown'))
    except RateLimitException:
        return visit.render('new_password.html',
            HTTPStatus.TOO_MANY_REQUESTS, email=email, token=token,
            error=gettext('cocagne_bio_shop.msg_api_login_too_many'))
    except UserError as error:
        Transaction().rollback()
        return visit.render('new_password.html', HTTPStatus.BAD_REQUEST,
            email=email, token=token, error=error.message)
    return visit.redirect('compte/connexion', gettext(
            'cocagne_bio_shop.msg_account_password_set'))


@page('/compte', login=True)
def account(visit, error=None, status=HTTPStatus.OK):
    "The customer's account: their details and basket subscriptions."
    return visit.render('account.html', status=status, error=error,
        subscriptions=subscriptions(visit.shop, visit.customer.party))


@page('/compte/absence', methods=['POST'], login=True)
def add_absence(visit):
    "Record an absence of a basket subscription of the customer."
    pool = Pool()
    try:
        Subscription = pool.get('cocagne.basket.subscription')
    except KeyError:
        return not_found(visit.request)
    Absence = pool.get('cocagne.basket.subscription.absence')
    form = visit.request.form
    subscriptions = Subscription.search([
            ('id', '=', _number(form.get('subscription', '')) or -1),
            ('member', '=', visit.customer.party.id),
            ('company', '=', visit.shop.company.id),
            ('state', '!=', 'closed'),
            ], limit=1)
    if not subscriptions:
        return not_found(visit.request)
    try:
        start = dt.date.fromisoformat(form.get('start_date', ''))
        end = dt.date.fromisoformat(form.get('end_date', ''))
    except ValueError:
        return account(visit, status=HTTPStatus.BAD_REQUEST, error=gettext(
                'cocagne_bio_shop.msg_shop_dates_invalid'))
    try:
        Absence.create([{'subscription': subscriptions[0].id,
                    'start_date': start, 'end_date': end}])
    except UserError as error:
        Transaction().rollback()
        return account(visit, error=error.message,
            status=HTTPStatus.BAD_REQUEST)
    return visit.redirect('compte', gettext(
            'cocagne_bio_shop.msg_shop_absence_added',
            start=visit.date(start), end=visit.date(end)))

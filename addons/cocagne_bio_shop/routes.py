# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The JSON API of a Cocagne Bio shop for its storefront (API.md).

The routes run as user 0, without access rights or record rules: each one
reads only the shop named in its address, its company and its cycles. The
customer routes take the session of a `web.user` (Authorization: Bearer
<key>) whose party is a customer of the shop's garden."""
from functools import wraps

from werkzeug.exceptions import abort

from trytond.exceptions import RateLimitException, UserError
from trytond.i18n import gettext
from trytond.modules.cocagne_base.web import activated, answer, refused
from trytond.pool import Pool
from trytond.protocols.wrappers import (
    HTTPStatus, Response, with_pool, with_transaction)
from trytond.transaction import Transaction
from trytond.wsgi import app

from .catalogue import (
    cached_catalogue, customer_orders, cycle_summary, open_cycles, orders,
    pickups, shop_cycle, subscriptions)
from .exceptions import OrderError

PREFIX = '/<database_name>/cocagne-bio/<int:shop_id>'
# the cycles whose orders a customer may still be told about
PUBLISHED = ['open', 'closed', 'done', 'cancelled']


def stop(status, message, **data):
    "Stop the request with the answer status {'error': message, **data}."
    abort(answer(dict(error=message, **data), status))


def route(path, method='GET', customer=False):
    """Register func(request, pool, shop, [customer,] **kwargs) at
    PREFIX + path: in a database with the module, for a Cocagne Bio shop
    (404 otherwise), run as user 0 in the shop's context; customer: the
    web.user of the request's session, a customer of the shop's garden
    (401, 403 otherwise). A UserError answers 400, nothing written."""
    def decorator(func):
        @wraps(func)
        def in_shop(request, pool, shop_id, **kwargs):
            shop, context = pool.get('web.shop').cocagne_shop(shop_id)
            if not shop:
                stop(HTTPStatus.NOT_FOUND, gettext(
                        'cocagne_bio_shop.msg_api_shop_unknown',
                        shop=shop_id))
            with Transaction().set_context(context):
                try:
                    if customer:
                        kwargs['customer'] = session_customer(request, shop)
                    return func(request, pool, shop, **kwargs)
                except UserError as error:
                    return refused(error)
        return app.route(PREFIX + path, methods={method})(with_pool(
                activated('cocagne.order_cycle', "no Cocagne Bio shop")(
                    with_transaction()(in_shop))))
    return decorator


def shop_customer(shop, user):
    "Refuse a web user whose party is not a customer of shop's garden."
    if not user.party or user.party.company != shop.company:
        stop(HTTPStatus.FORBIDDEN, gettext(
                'cocagne_bio_shop.msg_api_customer_other_garden',
                user=user.email, garden=shop.company.rec_name))
    return user


def session_customer(request, shop):
    "The web user of the request's session key, a customer of shop."
    WebUser = Pool().get('web.user')
    authorization = request.authorization
    key = (getattr(authorization, 'token', None)
        if authorization and authorization.type == 'bearer' else None)
    user = WebUser.get_user(key) if key else None
    if not user:
        stop(HTTPStatus.UNAUTHORIZED, gettext(
                'cocagne_bio_shop.msg_api_login_required'), login=True)
    return shop_customer(shop, user)


def open_shop_cycle(shop, cycle_id, states=('open',)):
    "The cycle cycle_id of shop in states, else 404."
    cycle = shop_cycle(shop, cycle_id, states)
    if not cycle:
        stop(HTTPStatus.NOT_FOUND, gettext(
                'cocagne_bio_shop.msg_api_cycle_unknown',
                cycle=cycle_id, shop=shop.name))
    return cycle


@route('/cycles')
def cycles_(request, pool, shop):
    "The open cycles of the shop."
    return answer([cycle_summary(c) for c in open_cycles(shop)])


@route('/cycle/<int:cycle_id>/catalogue')
def catalogue_(request, pool, shop, cycle_id):
    "The offers of an open cycle of the shop."
    text = cached_catalogue(shop, cycle_id)
    if text is None:
        open_shop_cycle(shop, cycle_id)
    return Response(text, content_type='application/json')


@route('/cycle/<int:cycle_id>/pickups')
def pickups_(request, pool, shop, cycle_id):
    "The pickup places of an open cycle of the shop."
    return answer(pickups(open_shop_cycle(shop, cycle_id)))


@route('/login', 'POST')
def login(request, pool, shop):
    "A session key for the email and password of a customer of the shop."
    WebUser = pool.get('web.user')
    values = request.parsed_data or {}
    try:
        user = WebUser.shop_login(
            str(values.get('email') or ''), str(values.get('password') or ''))
    except RateLimitException:
        return answer({'error': gettext(
                    'cocagne_bio_shop.msg_api_login_too_many')},
            HTTPStatus.TOO_MANY_REQUESTS)
    if not user:
        # the failed attempt is recorded: it counts for the rate limit
        return answer({'error': gettext(
                    'cocagne_bio_shop.msg_api_login_failed'), 'login': True},
            HTTPStatus.UNAUTHORIZED)
    shop_customer(shop, user)
    return answer({
            'session': user.new_session(),
            'customer': {'id': user.party.id, 'name': user.party.rec_name},
            })


@route('/cycle/<int:cycle_id>/order', 'POST', customer=True)
def order(request, pool, shop, customer, cycle_id):
    """Add the cart to the customer's order of the cycle: 400 for a wrong
    cart, 409 when the cycle refuses it (closed, sold out, place full)."""
    Sale = pool.get('sale.sale')
    cycle = open_shop_cycle(shop, cycle_id, PUBLISHED)
    values = request.parsed_data or {}
    pickup = cycle_pickup(cycle, values.get('pickup'))
    items = cart_items(cycle, values.get('lines'))
    try:
        sale = Sale.take_cycle_order(cycle, customer.party, pickup, items)
    except UserError as error:
        return refused(error, HTTPStatus.CONFLICT)
    return answer(orders([sale])[0])


def cycle_pickup(cycle, pickup_id):
    "The pickup place pickup_id of cycle, or an OrderError."
    Pickup = Pool().get('cocagne.order_cycle.pickup')
    pickups = Pickup.search([
            ('id', '=', pickup_id if isinstance(pickup_id, int) else -1),
            ('cycle', '=', cycle.id),
            ], limit=1)
    if not pickups:
        raise OrderError(gettext('cocagne_bio_shop.msg_api_pickup_unknown',
                pickup=pickup_id, cycle=cycle.rec_name))
    return pickups[0]


def cart_items(cycle, lines):
    """[(offer, quantity)] of the cart's lines [{offer, quantity}], offers
    of cycle and quantities greater than zero, or an OrderError."""
    pool = Pool()
    Lang = pool.get('ir.lang')
    Offer = pool.get('cocagne.order_cycle.offer')
    if not lines or not isinstance(lines, list):
        raise OrderError(gettext('cocagne_bio_shop.msg_api_order_empty'))
    lines = [l if isinstance(l, dict) else {} for l in lines]
    ids = [l.get('offer') for l in lines]
    offers = {o.id: o for o in Offer.search([
                ('id', 'in', [i for i in ids if isinstance(i, int)]),
                ('cycle', '=', cycle.id),
                ])}
    items = []
    for line in lines:
        offer = offers.get(line.get('offer'))
        if not offer:
            raise OrderError(gettext('cocagne_bio_shop.msg_api_offer_unknown',
                    offer=line.get('offer'), cycle=cycle.rec_name))
        quantity = line.get('quantity')
        if (not isinstance(quantity, (int, float))
                or isinstance(quantity, bool)):
            raise OrderError(gettext(
                    'cocagne_bio_shop.msg_api_quantity_invalid',
                    quantity=quantity, product=offer.rec_name))
        if quantity <= 0:
            # refused here too when it would merge into an existing line
            raise OrderError(gettext('cocagne_bio_shop.msg_order_quantity',
                    product=offer.rec_name,
                    quantity=Lang.get().format_number_symbol(
                        quantity, offer.unit, digits=offer.unit.digits)))
        items.append((offer, quantity))
    return items


@route('/orders', customer=True)
def orders_(request, pool, shop, customer):
    "The customer's orders in the shop's cycles."
    return answer(orders(customer_orders(shop, customer.party)))


@route('/basket', customer=True)
def basket(request, pool, shop, customer):
    "The customer's basket subscriptions in the shop's garden."
    return answer(subscriptions(shop, customer.party))

# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The HTML pages of the storefront: Genshi templates of www/ (every value
escaped unless marked as Markup), their cookies (HttpOnly, Secure,
SameSite=Strict, limited to the shop's address) and the CSRF token of their
forms (a random value in a cookie, repeated by each form: a page of
another site can neither read it nor set it)."""
import datetime as dt
import hmac
import secrets
from pathlib import Path
from urllib.parse import quote, unquote
from zoneinfo import ZoneInfo

from genshi.template import TemplateLoader

from trytond import config
from trytond.protocols.wrappers import HTTPStatus, Response

WWW = Path(__file__).parent / 'www'
CSRF_COOKIE = 'cocagne_bio_csrf'
SESSION_COOKIE = 'cocagne_bio_session'
CART_COOKIE = 'cocagne_bio_panier'
FLASH_COOKIE = 'cocagne_bio_message'
_loader = TemplateLoader([str(WWW)], auto_reload=False)


def render_text(template, **values):
    "The HTML of template (a file of www/) with values."
    return _loader.load(template).generate(**values).render(
        'html', doctype='html5')


def render(template, status=HTTPStatus.OK, **values):
    "The page of template (a file of www/) with values, as a response."
    return html(render_text(template, **values), status)


def html(text, status=HTTPStatus.OK):
    "The response of the page text."
    response = Response(text, status=status,
        content_type='text/html; charset=utf-8')
    response.headers['Cache-Control'] = 'private, no-store'
    response.headers['Referrer-Policy'] = 'same-origin'
    response.headers['X-Content-Type-Options'] = 'nosniff'
    response.headers['Content-Security-Policy'] = (
        "default-src 'self'; img-src 'self' data:; "
        "frame-src https://www.openstreetmap.org; frame-ancestors 'none'; "
        "form-action 'self'")
    return response


def set_cookie(response, path, name, value, max_age=None):
    "Set cookie name to value for the pages under path."
    response.set_cookie(name, value, max_age=max_age, path=path,
        domain=config.get('session', 'cookie_domain'),
        secure=True, httponly=True, samesite='Strict')


def delete_cookie(response, path, name):
    response.delete_cookie(name, path=path,
        domain=config.get('session', 'cookie_domain'),
        secure=True, httponly=True, samesite='Strict')


def csrf_token(request):
    "The CSRF token of the request's browser, a new one when it has none."
    token = request.cookies.get(CSRF_COOKIE, '')
    if len(token) != 64 or not token.isalnum():
        token = secrets.token_hex(32)
    return token


def csrf_valid(request):
    "Whether the form posted repeats the token of the browser's cookie."
    cookie = request.cookies.get(CSRF_COOKIE, '')
    posted = request.form.get('csrf', '')
    return bool(cookie) and hmac.compare_digest(
        cookie.encode(), posted.encode())


def flash(response, path, message):
    "Show message on the next page under path."
    set_cookie(response, path, FLASH_COOKIE, quote(message), max_age=60)


def flashed(request):
    "The message to show once, or None."
    message = request.cookies.get(FLASH_COOKIE)
    return unquote(message)[:500] if message else None


def parse_cart(text):
    """{offer id: quantity} and the cycle id of the cart cookie
    "cycle:offer=quantity,offer=quantity"; tampered values are dropped."""
    cycle, _, items = (text or '').partition(':')
    cart = {}
    for item in items.split(','):
        offer, _, quantity = item.partition('=')
        try:
            offer, quantity = int(offer), float(quantity)
        except ValueError:
            continue
        if offer > 0 and 0 < quantity < 1e6:
            cart[offer] = quantity
    return (int(cycle) if cycle.isdigit() else None), cart


def dump_cart(cycle_id, cart):
    "The cart cookie of cart {offer id: quantity} in cycle cycle_id."
    return f'{cycle_id}:' + ','.join(
        f'{o}={q:g}' for o, q in sorted(cart.items()) if q > 0)


def parse_quantity(text):
    """The quantity typed in a form ("1,5" or "1.5"), or None when it is
    not a finite number."""
    try:
        value = float(str(text).strip().replace(',', '.').replace(' ', ''))
    except ValueError:
        return None
    if value != value or value in {float('inf'), float('-inf')}:
        return None
    return value


def local(value, timezone):
    "A datetime stored in UTC (naive) in the garden's timezone."
    return value.replace(tzinfo=dt.timezone.utc).astimezone(
        ZoneInfo(timezone or 'Europe/Paris'))

"""HTTP routes of the cashier screen: its page and files (public: they hold
no data), and its JSON API for the logged-in cashier (API.md), who works in
their own context, access rights and record rules applied."""
import os
import re
from decimal import Decimal, InvalidOperation
from functools import wraps
from pathlib import Path

from werkzeug.security import safe_join
from werkzeug.utils import redirect, send_file

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.modules.cocagne_base.web import (
    activated, amount, answer, refused)
from trytond.pool import Pool
from trytond.protocols.wrappers import (
    HTTPStatus, Response, with_pool, with_transaction)
from trytond.transaction import Transaction
from trytond.wsgi import app

from . import receipt
from .catalogue import catalogue, session_figures
from .exceptions import (
    CountError, NoTillError, SessionClosedError, TicketError)

STATIC = Path(__file__).parent / 'static'
PREFIX = '/<database_name>/caisse'
EMAIL = re.compile(r'[^@\s]+@[^@\s]+\.[^@\s]+')
# the types that Python's mimetypes may not know
MIMETYPES = {'.webmanifest': 'application/manifest+json',
    '.js': 'text/javascript', '.svg': 'image/svg+xml'}


@app.route(PREFIX, methods={'GET'})
def page_folder(request, database_name):
    "The page's address without its slash: its files are relative to it."
    return redirect(f'/{database_name}/caisse/')


@app.route(PREFIX + '/', methods={'GET'})
@app.route(PREFIX + '/<name>', methods={'GET'})
def page(request, database_name, name='index.html'):
    "The page of the screen and its files."
    path = safe_join(str(STATIC), name)
    if not path or not os.path.isfile(path):
        return Response(status=HTTPStatus.NOT_FOUND)
    response = send_file(path, request.environ, max_age=0,
        mimetype=MIMETYPES.get(Path(name).suffix))
    if name == 'sw.js':
        response.headers['Service-Worker-Allowed'] = (
            f'/{database_name}/caisse/')
        response.headers['Cache-Control'] = 'no-cache'
    return response


def refusal(error):
    """The answer of a refused request, nothing of it written: its message,
    and what the page does."""
    if isinstance(error, SessionClosedError):
        return refused(error, HTTPStatus.CONFLICT, session_closed=True)
    if isinstance(error, NoTillError):
        return refused(error, HTTPStatus.CONFLICT, setup=True)
    return refused(error)


def cashier(func):
    """Run func(request, pool, user, …) in the logged-in user's context,
    access checked; answer 401 without a session, and a refusal with
    nothing written."""
    @wraps(func)
    def in_context(request, pool, **kwargs):
        User = pool.get('res.user')
        transaction = Transaction()
        context = User.get_preferences(context_only=True)
        with transaction.set_context(context, _check_access=True):
            try:
                return func(request, pool, User(transaction.user), **kwargs)
            except UserError as error:
                return refusal(error)
    in_transaction = with_transaction(user='request', readonly=False)(
        in_context)

    @wraps(func)
    def logged_in(request, pool, **kwargs):
        if not request.user_id:
            return answer({'error': "login required", 'login': True},
                HTTPStatus.UNAUTHORIZED)
        return in_transaction(request, pool, **kwargs)
    return with_pool(activated('cocagne.caisse.receipt', "no cashier screen",
            type='report')(logged_in))


def till(user):
    "The till of user, or a refusal that says where to set it."
    if not user.sale_point:
        raise NoTillError(gettext('cocagne_caisse.msg_no_till',
                user=user.rec_name))
    return user.sale_point


@app.route(PREFIX + '/api/catalogue', methods={'GET'})
@cashier
def catalogue_(request, pool, user):
    "What the screen sells, at which till, in which session."
    till(user)
    return answer(catalogue(user))


@app.route(PREFIX + '/api/sale', methods={'POST'})
@cashier
def sale(request, pool, user):
    "Ring up, pay and post a ticket, once per key."
    Sale = pool.get('sale.point.sale')
    values = request.parsed_data
    point = till(user)
    if values.get('email'):
        check_email(values['email'])
    try:
        ticket, duplicate = Sale.ring_up(point, values)
    except UserError:
        # the same ticket sent twice at once: the first request recorded it
        Transaction().rollback()
        recorded = Sale.search([('company', '=', point.company.id),
                ('caisse_key', '=', values.get('key') or '')], limit=1)
        if not recorded:
            raise
        (ticket,), duplicate = recorded, True
    if values.get('email') and not duplicate:
        send_receipt(ticket, values['email'])
    return answer({
            'id': ticket.id, 'number': ticket.number,
            'total': amount(ticket.total),
            'change': amount(ticket.caisse_change or 0),
            'receipt': receipt_url(ticket),
            'duplicate': duplicate,
            })


def receipt_url(ticket):
    return f'/{Transaction().database.name}/caisse/receipt/{ticket.id}'


def check_email(address):
    "Refuse what is not an email address."
    if not EMAIL.fullmatch(address or ''):
        raise TicketError(gettext('cocagne_caisse.msg_email_invalid',
                email=address or ''))


def send_receipt(ticket, to):
    "Send the receipt of ticket to the address to, when it is one."
    check_email(to)
    receipt.send(ticket, to)


@app.route(PREFIX + '/receipt/<int:ticket_id>', methods={'GET'})
@cashier
def receipt_page(request, pool, user, ticket_id):
    "The ticket to print; ?print=1 opens the browser's printing."
    content = receipt.render(ticket_id)
    if request.args.get('print'):
        content = content.replace('</body>',
            '<script>window.addEventListener("load", '
            '() => window.print());</script></body>')
    return Response(content, content_type='text/html; charset=utf-8')


@app.route(PREFIX + '/api/receipt/<int:ticket_id>/email', methods={'POST'})
@cashier
def receipt_email(request, pool, user, ticket_id):
    "Send the receipt of a ticket of the cashier's till by email."
    Sale = pool.get('sale.point.sale')
    ticket, = Sale.search([('id', '=', ticket_id)]) or [None]
    if not ticket:
        raise TicketError(gettext('cocagne_caisse.msg_ticket_unknown',
                ticket=ticket_id))
    send_receipt(ticket, (request.parsed_data or {}).get('email'))
    return answer({'sent': True})


@app.route(PREFIX + '/api/session', methods={'GET'})
@cashier
def session(request, pool, user):
    "The figures of the till's open session, for its closing."
    return answer(session_summary(till(user)))


def session_summary(point):
    "The figures of point's open session and its tickets."
    pool = Pool()
    Session = pool.get('sale.point.cash.session')
    Sale = pool.get('sale.point.sale')
    current = Session.get_current(point)
    tickets = Sale.search([
            ('point', '=', point.id),
            ('state', 'in', ['done', 'posted']),
            ('create_date', '>=', current.create_date),
            ])
    return dict(session_figures(current),
        sales=len(tickets), total=amount(sum(t.total for t in tickets)))


@app.route(PREFIX + '/api/session/close', methods={'POST'})
@cashier
def session_close(request, pool, user):
    "Close the open session with the cash counted, its gap booked."
    Session = pool.get('sale.point.cash.session')
    point = till(user)
    values = request.parsed_data or {}
    counted = values.get('counted')
    try:
        counted = Decimal(str(counted))
    except (InvalidOperation, ValueError):
        raise CountError(gettext('cocagne_caisse.msg_count_invalid',
                counted=counted))
    gap, following = Session.get_current(point).close_counted(
        counted, values.get('reason'))
    return answer({'closed': True, 'gap': amount(gap),
            'session': session_figures(following)})

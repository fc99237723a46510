"""The cashier screen in a browser, on the served demo: the cashier of the
Rennes producers' shop rings up five items (two weighed on the screen, one
from the scale's price barcode, one scanned; an unknown code refused) and
pays cash plus card with a double click, recorded once; then rings up
three tickets without network, sent once when it returns.

Set COCAGNE_SCREENSHOTS to a folder to keep a screenshot of the screen."""
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from cocagne.config import ADMIN_PASSWORD, DATABASE

CASHIER = 'rennes'
QUEUE_TIMEOUT = 45_000   # ms: the page sends its queue when back online


def decimal(value):
    "A Decimal of JSON-RPC (an object with its digits)."
    return Decimal(value['decimal'])


def ean13(digits):
    "digits (12) and their EAN-13 check digit."
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


@pytest.fixture
def screen(demo_url, browser, admin):
    "The cashier screen logged in as the shop's cashier, in a tablet's size."
    from playwright.sync_api import expect
    context = browser.new_context(viewport={'width': 1280, 'height': 800},
        locale='fr-FR')
    page = context.new_page()
    page.errors = []
    page.on('pageerror', lambda e: page.errors.append(str(e)))
    page.goto(f'{demo_url}/{DATABASE}/caisse/')
    page.locator('[data-test=login]').fill(CASHIER)
    page.locator('[data-test=password]').fill(ADMIN_PASSWORD)
    page.locator('[data-test=login-submit]').click()
    expect(page.locator('[data-test=tile]').first).to_be_visible(
        timeout=30_000)
    yield page
    assert not page.errors
    context.close()


def catalogue(page):
    "The catalogue as the page loaded it."
    return page.evaluate(f"""() => fetch('/{DATABASE}/caisse/api/catalogue',
        {{credentials: 'same-origin'}}).then((r) => r.json())""")


def tickets(admin, point):
    "The number of tickets of the till point."
    return len(admin('model.sale.point.sale.search', [('point', '=', point)],
            0, None, None, {}))


def weigh(page, product, weight):
    page.locator(f'[data-test=tile][data-product="{product}"]').click()
    page.locator('[data-test=weight]').fill(weight)
    page.locator('[data-test=weight-ok]').click()


def scan(page, code):
    page.locator('[data-test=scan]').fill(code)
    page.locator('[data-test=scan]').press('Enter')


def pay(page, payments, double_click=False):
    """Pay with payments [(method, amount or None: the rest)] and validate
    (with an impatient double click)."""
    page.locator('[data-test=pay]').click()
    for method, amount in payments:
        if amount is not None:
            page.locator('[data-test=amount]').fill(amount)
        page.locator(f'[data-test=method][data-method="{method}"]').click()
    validate = page.locator('[data-test=validate]')
    validate.dblclick() if double_click else validate.click()


def test_ring_up_and_pay(screen, admin):
    """Five items, two weighed and one from a price barcode, paid 10 € in
    cash and the rest by card: the ticket is posted, its goods leave the
    shop, the cash is in the session"""
    from playwright.sync_api import expect
    page = screen
    data = catalogue(page)
    assert data['point']['name'] == "Caisse de la boutique de Thorigné"
    methods = {m['name']: m['id'] for m in data['methods']}
    # the shop's own produce (not the vegetables cut for the canteens)
    weighed = [p for p in data['products'] if p['weighed'] and p['scale_code']
        and "restauration" not in p['name']]
    scanned = [p for p in data['products'] if p['barcodes']]
    by_unit = [p for p in data['products'] if not p['weighed']
        and p not in scanned]
    first, second, labelled = weighed[:3]
    weigh(page, first['id'], '1,25')
    weigh(page, second['id'], '0,8')
    # the scale's label: 3,00 € of the third vegetable
    scan(page, ean13(data['point']['price_prefix'] + labelled['scale_code']
            + '00300'))
    page.locator(
        f'[data-test=tile][data-product="{by_unit[0]["id"]}"]').click()
    scan(page, scanned[0]['barcodes'][0])
    # a code of no product of the till is refused, named
    scan(page, '4006381333931')
    expect(page.locator('[data-test=message]')).to_contain_text(
        "Code-barres inconnu : 4006381333931")
    expect(page.locator('[data-test=line]')).to_have_count(5)
    total = Decimal(page.locator('[data-test=total]').get_attribute(
            'data-amount'))
    assert total > 10

    if shots := os.environ.get('COCAGNE_SCREENSHOTS'):
        page.screenshot(path=str(Path(shots) / 'caisse.png'))
    before = tickets(admin, data['point']['id'])
    pay(page, [(methods["Espèces"], '10'), (methods["Carte bancaire"], None)],
        double_click=True)
    number = page.locator('[data-test=done-number]')
    expect(number).to_be_visible(timeout=20_000)
    assert tickets(admin, data['point']['id']) == before + 1

    sale, = admin('model.sale.point.sale.search_read',
        [('number', '=', number.inner_text().strip())], 0, None, None,
        ['state', 'total', 'lines', 'payments', 'point.name'], {})
    assert sale['state'] == 'posted'
    assert decimal(sale['total']) == total
    assert len(sale['lines']) == 5
    payments = admin('model.sale.point.payment.read', sale['payments'],
        ['method', 'amount', 'session'], {})
    assert sorted((p['method'], decimal(p['amount']))
        for p in payments) == sorted([(methods["Espèces"], Decimal(10)),
            (methods["Carte bancaire"], total - 10)])
    cash, = [p for p in payments if p['method'] == methods["Espèces"]]
    session, = admin('model.sale.point.cash.session.read',
        [cash['session']], ['state', 'point'], {})
    assert session['state'] == 'open'
    moves = admin('model.stock.move.search_read',
        [('origin.sale', '=', sale['id'], 'sale.point.sale.line')],
        0, None, None, ['state', 'product'], {})
    assert sorted(m['product'] for m in moves) == sorted([first['id'],
            second['id'], labelled['id'], by_unit[0]['id'],
            scanned[0]['id']])
    assert {m['state'] for m in moves} == {'done'}


def test_offline_sales_sent_once(screen, admin):
    """Three tickets rung up without network wait in the page, which sends
    them when the network returns: each is recorded once"""
    from playwright.sync_api import expect
    page = screen
    data = catalogue(page)
    cash = next(m['id'] for m in data['methods'] if m['cash'])
    product = next(p for p in data['products'] if not p['weighed'])
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.context.set_offline(True)
    try:
        for _ in range(3):
            page.locator(
                f'[data-test=tile][data-product="{product["id"]}"]').click()
            pay(page, [(cash, '50')])
            expect(page.locator('#done-title')).to_contain_text(
                "hors ligne")
            page.locator('[data-test=new-sale]').click()
        expect(page.locator('[data-test=queue-count]')).to_contain_text("3")
        # a reload without network keeps the queue (the service worker
        # serves the page)
        page.reload()
        expect(page.locator('[data-test=queue-count]')).to_contain_text("3")
        queue = json.loads(page.evaluate(
                f"() => localStorage.getItem('caisse/{DATABASE}/queue')"))
        keys = [entry['sale']['key'] for entry in queue]
    finally:
        page.context.set_offline(False)
    expect(page.locator('[data-test=queue-count]')).to_be_hidden(
        timeout=QUEUE_TIMEOUT)
    sales = admin('model.sale.point.sale.search_read',
        [('caisse_key', 'in', keys)], 0, None, None, ['state'], {})
    assert len(keys) == 3
    assert [s['state'] for s in sales] == ['posted'] * 3

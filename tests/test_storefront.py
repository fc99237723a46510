"""The Cocagne Bio storefront in a browser, on the served demo, on a phone
and on a desktop: a member browses a cycle of the Rennes shop, filters it,
fills the basket, logs in, orders at a pickup place, finds the order in
"my orders" and changes it; the cycle closes and the order is locked.

The walk runs on a cycle of its own, a copy of the demo's open cycle, so
that the demo's orders stay as they are. Set COCAGNE_SCREENSHOTS to a
folder to keep screenshots of the pages."""
import datetime as dt
import os
import re
from pathlib import Path

import pytest

from cocagne.config import ADMIN_PASSWORD, DATABASE

SHOP = "Cocagne Bio du Pays de Rennes"
TIMEOUT = 20_000   # ms
SIZES = {'phone': {'width': 390, 'height': 844},
    'desktop': {'width': 1280, 'height': 900}}


@pytest.fixture(scope='module')
def shop(admin):
    "The Rennes shop: {id, company}."
    shop, = admin('model.web.shop.search_read', [('name', '=', SHOP)],
        0, None, None, ['company'], {})
    return shop


def context(shop):
    return {'company': shop['company'], 'companies': [shop['company']]}


@pytest.fixture
def cycle(admin, shop):
    "A copy of the demo's open cycle, opened for the walk; cancelled after."
    ctx = context(shop)
    model, = admin('model.cocagne.order_cycle.search',
        [('shop', '=', shop['id']), ('state', '=', 'open')], 0, 1, None, ctx)
    stamp = dt.datetime.now().strftime('%H%M%S%f')
    copy, = admin('model.cocagne.order_cycle.copy', [model],
        {'name': f"Essai du navigateur {stamp}"}, ctx)
    admin('model.cocagne.order_cycle.open', [copy], ctx)
    yield copy
    state, = admin('model.cocagne.order_cycle.read', [copy], ['state'], ctx)
    if state['state'] == 'open':
        admin('model.cocagne.order_cycle.close', [copy], ctx)


@pytest.fixture
def member(admin, shop):
    "The email of a demo member with a storefront account."
    users = admin('model.web.user.search_read',
        [('party.company', '=', shop['company']), ('email_valid', '=', True)],
        0, 1, [('id', 'ASC')], ['email'], {})
    assert users, "the demo has no storefront account"
    return users[0]['email']


def shot(page, name):
    if shots := os.environ.get('COCAGNE_SCREENSHOTS'):
        page.screenshot(path=str(Path(shots) / f'{name}.png'),
            full_page=False)


@pytest.mark.parametrize('size', list(SIZES))
def test_order_and_change(demo_url, browser, admin, shop, cycle, member,
        size):
    """Browse → filter → basket → checkout → my orders → change → the cycle
    closes → the order is locked"""
    from playwright.sync_api import expect
    base = f"{demo_url}/{DATABASE}/cocagne-bio/{shop['id']}"
    # the cookies are Secure: the demo is served on loopback, which
    # browsers trust as a secure origin
    browser_context = browser.new_context(viewport=SIZES[size],
        locale='fr-FR', is_mobile=size == 'phone', has_touch=size == 'phone')
    page = browser_context.new_page()
    errors = []
    page.on('pageerror', lambda e: errors.append(str(e)))
    page.on('response', lambda r: r.status >= 500
        and errors.append(f'{r.status} {r.url}'))

    page.goto(base + '/')
    expect(page.locator('h1')).to_have_text(SHOP)
    page.goto(f'{base}/livraison/{cycle}/')
    expect(page.locator('.offer').first).to_be_visible(timeout=TIMEOUT)
    if size == 'phone':
        width = page.evaluate('document.documentElement.scrollWidth')
        assert width <= SIZES['phone']['width'], "the page scrolls sideways"
    shot(page, f'boutique-{size}')

    # filter: organic only, then a search
    page.get_by_label("Bio seulement").check()
    page.get_by_role('button', name="Filtrer").click()
    found = page.locator('.found')
    expect(found).to_contain_text("produit")
    badges = page.locator('.offer .bio')
    assert badges.count() == page.locator('.offer').count() > 0
    name = page.locator('.offer h2').first.inner_text().strip()
    page.get_by_label("Rechercher").fill(name.split()[0])
    page.get_by_role('button', name="Filtrer").click()
    expect(page.locator('.offer h2').first).to_contain_text(name.split()[0])

    # two products in the basket, the page's script keeping the page
    count = page.locator('[data-basket-count]')
    page.locator('.offer form.add button').first.click()
    expect(count).to_have_text('1', timeout=TIMEOUT)
    page.get_by_label("Bio seulement").uncheck()
    page.get_by_label("Rechercher").fill('')
    page.get_by_role('button', name="Filtrer").click()
    other = page.locator('.offer').filter(
        has_not=page.get_by_role('heading', name=name)).filter(
        has=page.locator('form.add')).first
    other.get_by_role('button', name="Ajouter au panier").click()
    expect(count).to_have_text('2', timeout=TIMEOUT)

    # the basket, then the login asked at checkout, the basket kept
    page.get_by_role('link', name=re.compile("Panier")).click()
    expect(page.locator('table.lines tbody tr')).to_have_count(2)
    page.get_by_role('link', name="connectez-vous").click()
    page.get_by_label("Adresse e-mail").fill(member)
    page.get_by_label("Mot de passe").fill(ADMIN_PASSWORD)
    page.get_by_role('button', name="Se connecter").click()
    expect(page.locator('table.lines tbody tr')).to_have_count(2,
        timeout=TIMEOUT)
    page.locator('.pickup input[type=radio]:not([disabled])').first.check()
    page.get_by_label("Un mot pour le jardin").fill(
        '<script>alert("!")</script> merci')
    shot(page, f'panier-{size}')
    page.get_by_role('button', name="Commander").click()
    expect(page.locator('.notice').first).to_contain_text("commande est enregistrée",
        timeout=TIMEOUT)
    expect(page.get_by_text("À payer au retrait")).to_be_visible()

    # my orders, then the order changed
    page.get_by_role('link', name="Mes commandes", exact=True).click()
    expect(page.locator('.order').first).to_be_visible()
    page.locator('.order h2 a').first.click()
    quantities = page.locator('input[name^=quantite-]')
    expect(quantities).to_have_count(2)
    quantities.first.fill('3')
    page.get_by_role('button', name="Enregistrer les modifications").click()
    expect(page.locator('.notice').first).to_contain_text("modifiée",
        timeout=TIMEOUT)
    expect(quantities.first).to_have_value('3')
    shot(page, f'commande-{size}')

    # the cycle closes: the order is locked
    admin('model.cocagne.order_cycle.close', [cycle], context(shop))
    page.reload()
    expect(page.locator('.locked')).to_contain_text(
        "ne peut plus être modifiée")
    expect(page.locator('input[name^=quantite-]')).to_have_count(0)
    assert not errors, errors
    browser_context.close()

"""The web client in a real browser: log in through sao and open every menu
under "Cocagne", as a user would.

Set COCAGNE_SCREENSHOTS to a folder to keep a screenshot of each menu
opened.
"""
import os
import time
from pathlib import Path

import pytest

from cocagne.config import ADMIN_LOGIN, ADMIN_PASSWORD

playwright = pytest.importorskip('playwright.sync_api')

CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic',
    '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync']
# sao asks for these optional files; the server answers 405 when absent
OPTIONAL = ('/custom.css', '/custom.js', '/locale/')


def menu_paths(admin):
    "Return the paths of names, as users see them, of the Cocagne menus."
    context = {'language': 'fr'}
    root, = admin('model.ir.ui.menu.search',
        [('name', '=', "Cocagne"), ('parent', '=', None)], 0, None, None,
        context)
    menus = admin('model.ir.ui.menu.search_read',
        [('parent', 'child_of', [root])], 0, None, None,
        ['complete_name', 'action'], context)
    return sorted(m['complete_name'].split(' / ') for m in menus
        if m['action'])


@pytest.fixture(scope='module')
def page(demo_url, admin):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
            headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={'width': 1400, 'height': 900},
            locale='fr-FR')
        page.errors = []
        page.on('pageerror', lambda e: page.errors.append(str(e)))
        page.on('response', lambda r: (r.status >= 400
                and not r.url.split(demo_url, 1)[-1].startswith(OPTIONAL)
                and page.errors.append(f'{r.status} {r.url}')))
        page.goto(demo_url + '/')
        login = page.locator('#login')
        login.fill(ADMIN_LOGIN)
        login.press('Enter')
        password = page.locator('.modal input[type=password]:visible')
        password.fill(ADMIN_PASSWORD)
        password.press('Enter')
        page.locator('#menu .column-char[title="Cocagne"]').wait_for()
        yield page
        browser.close()


def _check_no_error(page, what):
    dialog = page.locator('.modal-dialog .alert-danger:visible')
    if dialog.count():
        pytest.fail(f"{what}: {dialog.first.inner_text()}")
    assert not page.errors, f"{what}: {page.errors}"


def _wait_records(page, rows, timeout=20):
    """Wait for the list of the current tab to show its records; return
    how many the counter announces (it reads "_/N")."""
    counter = page.locator('#tabcontent .tab-pane.active .navbar-text .badge')
    empty_since = None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        total = int(counter.first.inner_text().rsplit('/', 1)[-1] or 0)
        if total and rows.count():
            return total
        if not total:
            empty_since = empty_since or time.monotonic()
            if time.monotonic() - empty_since > 3:
                return 0
        else:
            empty_since = None
        page.wait_for_timeout(200)
    pytest.fail(f"the list announces {total} records but shows none")


def test_open_every_menu(admin, page):
    "Every Cocagne menu, and its first record, opens without a client error"
    paths = menu_paths(admin)
    assert len(paths) >= 8, paths
    shots = os.environ.get('COCAGNE_SCREENSHOTS')
    expanded = set()
    for path in paths:
        for depth, name in enumerate(path[:-1]):
            if tuple(path[:depth + 1]) in expanded:
                continue
            row = page.locator('#menu tr', has=page.locator(
                    f'.column-char[title="{name}"]')).first
            row.locator('.expander').click()
            expanded.add(tuple(path[:depth + 1]))
        leaf = page.locator(
            f'#menu .column-char[title="{path[-1]}"]:visible')
        leaf.first.click()
        tab = page.locator('#tablist li.active')
        tab.wait_for()
        page.wait_for_load_state('networkidle')
        page.locator('#tabcontent .tab-pane.active .treeview, '
            '#tabcontent .tab-pane.active .form').first.wait_for()
        assert path[-1] in tab.inner_text(), (path, tab.inner_text())
        _check_no_error(page, ' / '.join(path))
        rows = page.locator(
            '#tabcontent .tab-pane.active .treeview tbody tr:visible')
        if _wait_records(page, rows):
            # the form of the first record shows too
            rows.first.dblclick()
            page.locator('#tabcontent .tab-pane.active .form').first.wait_for()
            page.wait_for_load_state('networkidle')
            page.wait_for_timeout(1000)  # the form's relations load after
            _check_no_error(page, ' / '.join(path) + " (fiche)")
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / (
                        '-'.join(path[1:]).replace(' ', '_') + '.png')))
        page.locator('#tablist li.active .close').click()

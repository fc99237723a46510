"""The web client in a real browser: log in through sao and open every menu
under "Cocagne", as a user would.

The demo is the one served at COCAGNE_DEMO_URL (``.ci/run`` serves it), or
one built and served here in a temporary folder. Set COCAGNE_SCREENSHOTS to
a folder to keep a screenshot of each menu opened.
"""
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from cocagne.config import ADMIN_LOGIN, ADMIN_PASSWORD, DATABASE

playwright = pytest.importorskip('playwright.sync_api')

CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic',
    '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync']
# sao asks for these optional files; the server answers 405 when absent
OPTIONAL = ('/custom.css', '/custom.js', '/locale/')


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture(scope='module')
def demo_url():
    if url := os.environ.get('COCAGNE_DEMO_URL'):
        yield url.rstrip('/')
        return
    var = tempfile.mkdtemp(prefix='cocagne-browser-')
    env = {**os.environ, 'COCAGNE_VAR': var}
    env.pop('TRYTOND_DATABASE__URI', None)
    env.pop('TRYTOND_DATABASE_URI', None)
    cocagne = [sys.executable, '-m', 'cocagne']
    subprocess.run(cocagne + ['demo', '--no-serve'], env=env, check=True)
    port = _free_port()
    server = subprocess.Popen(cocagne + ['serve', '--port', str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f'http://127.0.0.1:{port}'
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(url + '/', timeout=2)
                break
            except OSError:
                time.sleep(1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(var, ignore_errors=True)


def _rpc(url, method, params, session=None):
    headers = {'Content-Type': 'application/json'}
    if session:
        token = base64.b64encode(session.encode()).decode()
        headers['Authorization'] = f'Session {token}'
    request = urllib.request.Request(f'{url}/{DATABASE}/rpc/',
        data=json.dumps(
            {'id': 0, 'method': method, 'params': params}).encode(),
        headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.load(response)
    assert not answer.get('error'), answer['error']
    return answer['result']


def _login(url):
    "Open a session by JSON-RPC; the first one also loads the server's pool."
    user_id, key, _ = _rpc(url, 'common.db.login',
        [ADMIN_LOGIN, {'password': ADMIN_PASSWORD}, 'fr'])
    return f'{ADMIN_LOGIN}:{user_id}:{key}'


def menu_paths(url):
    "Return the paths of names, as users see them, of the Cocagne menus."
    session = _login(url)
    context = {'language': 'fr'}
    root, = _rpc(url, 'model.ir.ui.menu.search',
        [[('name', '=', "Cocagne"), ('parent', '=', None)], 0, None, None,
            context], session)
    menus = _rpc(url, 'model.ir.ui.menu.search_read', [
            [('parent', 'child_of', [root])], 0, None, None,
            ['complete_name', 'action'], context], session)
    return sorted(m['complete_name'].split(' / ') for m in menus
        if m['action'])


@pytest.fixture(scope='module')
def page(demo_url):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    _login(demo_url)
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


def test_open_every_menu(demo_url, page):
    "Every Cocagne menu, and its first record, opens without a client error"
    paths = menu_paths(demo_url)
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
        leaf = page.locator(f'#menu .column-char[title="{path[-1]}"]')
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

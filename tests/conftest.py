"""The demo served over HTTP, shared by the tests of this folder, and the
web client logged in as a demo user (`sao` fixture).

The demo is the one served at COCAGNE_DEMO_URL (``.ci/run`` serves it), or
one built and served once per session here, in a temporary folder.
"""
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cocagne.config import ADMIN_LOGIN, ADMIN_PASSWORD, DATABASE


class RPCError(Exception):
    "An error answered by the server."


class Client:
    "A JSON-RPC session, as sao opens one."

    def __init__(self, url, login, password=ADMIN_PASSWORD):
        self.url, self.login = url, login
        self.session = None
        user_id, key, _ = self('common.db.login',
            login, {'password': password}, 'fr')
        self.session = f'{login}:{user_id}:{key}'

    def __call__(self, method, *params):
        headers = {'Content-Type': 'application/json'}
        if self.session:
            token = base64.b64encode(self.session.encode()).decode()
            headers['Authorization'] = f'Session {token}'
        request = urllib.request.Request(f'{self.url}/{DATABASE}/rpc/',
            data=json.dumps(
                {'id': 0, 'method': method, 'params': params}).encode(),
            headers=headers)
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.load(response)
        if answer.get('error'):
            raise RPCError(answer['error'])
        return answer['result']


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture(scope='session')
def demo_url():
    if url := os.environ.get('COCAGNE_DEMO_URL'):
        yield url.rstrip('/')
        return
    var = tempfile.mkdtemp(prefix='cocagne-demo-')
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


@pytest.fixture(scope='session')
def admin(demo_url):
    "The administrator's session; the first login also loads the pool."
    return Client(demo_url, ADMIN_LOGIN)


CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic',
    '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync']
# sao asks for these optional files; the server answers 405 when absent
OPTIONAL = ('/custom.css', '/custom.js', '/locale/')
LOGIN_TIMEOUT = 20_000   # ms: trytond delays logins after failed attempts


class Sao:
    "The web client in a browser page, logged in as login."

    def __init__(self, browser, url, login):
        self.url, self.login = url, login
        self.page = browser.new_page(
            viewport={'width': 1400, 'height': 900}, locale='fr-FR')
        self.errors = []
        self.page.on('pageerror', lambda e: self.errors.append(str(e)))
        self.page.on('response', lambda r: (r.status >= 400
                and not r.url.split(url, 1)[-1].startswith(OPTIONAL)
                and self.errors.append(f'{r.status} {r.url}')))
        self._log_in()

    def _log_in(self, attempts=3):
        """Log in through sao's two steps, waiting for each to be ready.

        sao accepts the user name before it has filled in the database
        field (an answer of the server) and then silently does nothing, so
        the name is entered again when the password prompt does not come.
        """
        from playwright.sync_api import TimeoutError, expect
        page = self.page
        page.goto(self.url + '/')
        database = page.locator('.login-dialog #database:visible')
        user_name = page.locator('.login-dialog #login')
        password = page.locator('.modal input[type=password]:visible')
        for _ in range(attempts):
            expect(database).to_have_value(re.compile('.+'),
                timeout=LOGIN_TIMEOUT)
            expect(user_name).to_be_enabled(timeout=LOGIN_TIMEOUT)
            user_name.fill(self.login)
            user_name.press('Enter')
            try:
                password.wait_for(timeout=LOGIN_TIMEOUT)
                break
            except TimeoutError:
                continue
        else:
            pytest.fail(f"sao never asked the password of {self.login}")
        expect(password).to_be_enabled()
        password.fill(ADMIN_PASSWORD)
        password.press('Enter')
        page.locator('#menu .column-char[title="Cocagne"]').wait_for(
            timeout=LOGIN_TIMEOUT)

    def close(self):
        self.page.close()


@pytest.fixture(scope='session')
def browser():
    "Debian's chromium, headless (never a downloaded browser)."
    sync_api = pytest.importorskip('playwright.sync_api')
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
            headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope='session')
def sao(demo_url, browser, admin):
    "sao(login): the web client logged in as a demo user (one per login)."
    pages = {}

    def open_as(login):
        if login not in pages:
            pages[login] = Sao(browser, demo_url, login)
        return pages[login]
    yield open_as
    for page in pages.values():
        page.close()

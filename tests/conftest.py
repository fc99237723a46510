"""The demo served over HTTP, shared by the tests of this folder.

The demo is the one served at COCAGNE_DEMO_URL (``.ci/run`` serves it), or
one built and served once per session here, in a temporary folder.
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
import urllib.error
import urllib.request

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

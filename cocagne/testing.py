"""Test runner (`cocagne test`) and pytest plugin (`-p cocagne.testing`).

The plugin makes pytest behave like trytond's own unittest runner:

* files of a module folder (addons/<m>/…, found by its tryton.cfg) are
  imported as ``trytond.modules.<m>.…``, so pytest does not load a second,
  top-level copy of the module (TRYTON.md 3.2);
* ``scenario_*.rst`` files run as trytond's ``load_doc_tests`` runs them:
  same option flags (STRIP_DECIMAL on SQLite), set-up/tear-down dropping the
  database, one run per globals dict of an optional ``scenario_*.json``.
"""
import doctest
import hashlib
import importlib
import importlib.util
import json
import shutil
import subprocess
import sys
import time
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
    DB_CACHE defaults to .cache/trytond-<backend>-<hash of the code>.
    """
    env = dict(ENVIRON)
    uri = (env.get('TRYTOND_DATABASE__URI') or env.get('TRYTOND_DATABASE_URI')
        or 'sqlite://')
    backend = 'postgresql' if uri.startswith('postgresql') else 'sqlite'
    env['TRYTOND_DATABASE__URI'] = uri
    env.pop('TRYTOND_CONFIG', None)
    env.setdefault('DB_NAME', ':memory:' if backend == 'sqlite' else 'test_cocagne')
    if 'DB_CACHE' not in env:
        cache_dir = REPO / '.cache' / f'trytond-{backend}-{code_hash()}'
        # older caches go, but not those another run may still be using
        for old in cache_dir.parent.glob(f'trytond-{backend}-*'):
            if old != cache_dir and time.time() - old.stat().st_mtime > 3600:
                shutil.rmtree(old, ignore_errors=True)
        env['DB_CACHE'] = str(cache_dir)
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

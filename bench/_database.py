"""The database of the benches that run in the tests' database: the module
set of the tests, on SQLite in memory unless TRYTOND_DATABASE__URI says
PostgreSQL, its build cached where `cocagne test` caches it, per state of
the code (a folder on SQLite, the template databases on PostgreSQL: see
cocagne.testing). Not a bench itself (its name starts with _)."""
import os

from cocagne.config import REPO
from cocagne.testing import code_hash, setup_postgresql


def use_test_database(name):
    """Point trytond's test tools at the database of bench name (call it
    before importing them); return the backend's name."""
    uri = os.environ.setdefault('TRYTOND_DATABASE__URI', 'sqlite://')
    backend = 'postgresql' if uri.startswith('postgresql') else 'sqlite'
    os.environ.setdefault('DB_NAME',
        ':memory:' if backend == 'sqlite' else f'bench_{name}')
    os.environ.setdefault('DB_CACHE', uri if backend == 'postgresql'
        else str(REPO / '.cache' / f'trytond-{backend}-{code_hash()}'))
    # as for the tests: the catalogs analyzed during a build on PostgreSQL
    # (else it takes over 10 minutes), the build kept as a template
    setup_postgresql()
    return backend

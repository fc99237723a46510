"""Create, initialise, update and tune the demo database.

Schema work goes through `trytond-admin` (a subprocess of the venv); the few
in-process steps use trytond's backend and pool once `configure()` has read
the effective configuration file.
"""
import subprocess
import sys
import tempfile
from pathlib import Path

from .config import ADMIN_EMAIL, ADMIN_PASSWORD, ENVIRON, LANGUAGE

BIN = Path(sys.executable).parent
_conf = None


def configure(conf):
    """Load the trytond configuration file used by every later step."""
    global _conf
    from trytond import config
    config.update_etc(str(conf))
    _conf = str(conf)


def backend_name():
    from trytond import backend
    return backend.name


def exists(name):
    """Whether the database exists (even if not initialised)."""
    from trytond import config
    if backend_name() == 'sqlite':
        return (Path(config.get('database', 'path')) / f'{name}.sqlite').exists()
    from trytond.transaction import Transaction
    with Transaction().start(None, 0, close=True, autocommit=True) as tr, \
            tr.connection.cursor() as cursor:
        cursor.execute('SELECT 1 FROM pg_database WHERE datname = %s', (name,))
        return bool(cursor.fetchone())


def initialised(name):
    """Whether the database holds a Tryton schema."""
    from trytond import backend
    database = backend.Database(name).connect()
    try:
        return database.test()
    finally:
        database.close()


def create(name):
    from trytond.transaction import Transaction
    with Transaction().start(None, 0, close=True, autocommit=True) as tr:
        tr.database.create(tr.connection, name)


def drop(name):
    from trytond import backend
    from trytond.transaction import Transaction
    backend.Database(name).close()
    with Transaction().start(None, 0, close=True, autocommit=True) as tr:
        tr.database.drop(tr.connection, name)


def admin(name, *args):
    """Run `trytond-admin -c <conf> -d <name> ARGS` (admin password via
    TRYTONPASSFILE, used only when the database is initialised)."""
    with tempfile.NamedTemporaryFile('w', suffix='.pass') as passfile:
        passfile.write(ADMIN_PASSWORD + '\n')
        passfile.flush()
        env = dict(ENVIRON, TRYTONPASSFILE=passfile.name)
        subprocess.run([str(BIN / 'trytond-admin'), '-c', _conf, '-d', name,
                *args], env=env, check=True)


def initialise(name):
    """ir + res, French loaded, admin with ADMIN_PASSWORD (≈10 s)."""
    admin(name, '--all', '--email', ADMIN_EMAIL, '-l', LANGUAGE)


def activate(name, modules):
    """Activate (first time) or update the modules, with dependencies."""
    admin(name, '-u', *modules, '--activate-dependencies')


def finish(name, language=True):
    """Close the module configuration wizards (first login lands on the
    menu) and, if language, give the admin user the French language."""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool(name)
    pool.init()
    with Transaction().start(name, 0):
        Item = pool.get('ir.module.config_wizard.item')
        items = Item.search([('state', '!=', 'done')])
        if items:
            Item.write(items, {'state': 'done'})
        if language:
            User, Lang = pool.get('res.user'), pool.get('ir.lang')
            lang, = Lang.search([('code', '=', LANGUAGE)])
            admins = User.search([('login', '=', 'admin')])
            User.write(admins, {'language': lang.id})

"""Create, initialise, update and tune the demo database.

Schema work goes through `trytond-admin` (a subprocess of the venv); the few
in-process steps use trytond's backend and pool once `configure()` has read
the effective configuration file.
"""
import subprocess
import sys
import tempfile
from pathlib import Path

from .config import ADMIN_EMAIL, ADMIN_PASSWORD, DATE_FORMAT, ENVIRON, LANGUAGE

BIN = Path(sys.executable).parent
ICU_LOCALE = 'fr-FR'
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
    """Create the database. On PostgreSQL it sorts text the French way
    (ICU collation ICU_LOCALE) where the server can: trytond's own creation
    takes the cluster's collation, often C, which puts "Équipe" after "Z".
    Return the ICU locale used, or None."""
    from trytond.transaction import Transaction
    with Transaction().start(None, 0, close=True, autocommit=True) as tr:
        if backend_name() == 'postgresql' and _has_icu(tr.connection):
            from psycopg.sql import SQL, Identifier, Literal
            tr.connection.cursor().execute(SQL(
                    "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' "
                    "LOCALE_PROVIDER icu ICU_LOCALE {}").format(
                    Identifier(name), Literal(ICU_LOCALE)))
            return ICU_LOCALE
        tr.database.create(tr.connection, name)


def _has_icu(connection):
    "Whether the PostgreSQL server creates databases with ICU (15 or later)."
    cursor = connection.cursor()
    cursor.execute("SELECT current_setting('server_version_num')::int >= "
        "150000 AND EXISTS (SELECT 1 FROM pg_collation "
        "WHERE collprovider = 'i')")
    return cursor.fetchone()[0]


def align_price_decimal(name):
    """Record in the database the [product] price_decimal of the
    configuration: trytond refuses to start when it differs from the value
    saved when the product module was activated. Prices already stored keep
    their decimals until edited."""
    from sql import Table
    from trytond import config
    from trytond.transaction import Transaction
    decimals = config.getint('product', 'price_decimal', default=4)
    module, configuration = Table('ir_module'), Table('ir_configuration')
    with Transaction().start(name, 0) as tr:
        cursor = tr.connection.cursor()
        cursor.execute(*module.select(module.id,
                where=(module.name == 'product')
                & (module.state == 'activated')))
        if cursor.fetchone():
            cursor.execute(*configuration.update(
                    [configuration.product_price_decimal], [decimals]))


def drop(name):
    from trytond import backend
    from trytond.transaction import Transaction
    backend.Database(name).close()
    with Transaction().start(None, 0, close=True, autocommit=True) as tr:
        tr.database.drop(tr.connection, name)


def admin(name, *args):
    """Run `trytond-admin -c <conf> -d <name> ARGS` (admin password via
    TRYTONPASSFILE, used only when the database is initialised: the demo's
    unless the environment names a file, as in production)."""
    with tempfile.NamedTemporaryFile('w', suffix='.pass') as passfile:
        passfile.write(ADMIN_PASSWORD + '\n')
        passfile.flush()
        env = dict(ENVIRON)
        env.setdefault('TRYTONPASSFILE', passfile.name)
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
    menu), write French dates as 24/12/2025 and, if language, give the
    admin user the French language."""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool(name)
    pool.init()
    with Transaction().start(name, 0):
        Item = pool.get('ir.module.config_wizard.item')
        items = Item.search([('state', '!=', 'done')])
        if items:
            Item.write(items, {'state': 'done'})
        User, Lang = pool.get('res.user'), pool.get('ir.lang')
        lang, = Lang.search([('code', '=', LANGUAGE)])
        if lang.date != DATE_FORMAT:
            Lang.write([lang], {'date': DATE_FORMAT})
        if language:
            admins = User.search([('login', '=', 'admin')])
            User.write(admins, {'language': lang.id})

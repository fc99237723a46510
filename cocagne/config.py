"""Paths, demo credentials and the trytond configuration file."""
import configparser
import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADDONS = REPO / 'addons'
SAO_DIR = Path(os.environ.get('COCAGNE_SAO', REPO / 'var' / 'sao'))
SAO_ROOT = SAO_DIR / 'package'

DATABASE = os.environ.get('COCAGNE_DATABASE', 'cocagne')
ADMIN_LOGIN = 'admin'
ADMIN_PASSWORD = 'cocagne-demo'   # trytond asks for 8 characters at least
ADMIN_EMAIL = 'admin@cocagne.example.org'
LANGUAGE = 'fr'
DATE_FORMAT = '%d/%m/%Y'   # of the French language: 24/12/2025
PRICE_DECIMAL = 2          # decimals of product prices ([product] section)
PORT = 8000

# Environment as it was when the command started (proteus may add
# TRYTOND_DATABASE_URI to os.environ later on).
ENVIRON = dict(os.environ)


def var_dir():
    """Folder of the demo state (database files, configuration)."""
    return Path(ENVIRON.get('COCAGNE_VAR', REPO / 'var')).resolve()


def cocagne_modules():
    """Names of the Tryton modules found in addons/ (folders with tryton.cfg),
    or those listed in COCAGNE_MODULES (comma-separated) when set."""
    if chosen := ENVIRON.get('COCAGNE_MODULES'):
        return sorted({m.strip() for m in chosen.split(',') if m.strip()})
    return sorted(p.parent.name for p in ADDONS.glob('*/tryton.cfg'))


def base_config(path=None):
    """Return the editable configuration file, writing it if missing."""
    var = var_dir()
    path = Path(path or var / 'trytond.conf')
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            '# Configuration Tryton de la démo Cocagne (créée par `cocagne`).\n'
            '# Les variables TRYTOND_<SECTION>__<OPTION> la surchargent, par\n'
            '# ex. TRYTOND_DATABASE__URI=postgresql://postgres@127.0.0.1:5432/\n'
            '[database]\n'
            'uri = sqlite://\n'
            f'path = {var / "db"}\n'
            f'language = {LANGUAGE}\n'
            '\n[web]\n'
            f'listen = 127.0.0.1:{PORT}\n'
            f'root = {SAO_ROOT}\n'
            '\n[product]\n'
            '# décimales des prix des produits (2,20 € et non 2,2000 €)\n'
            f'price_decimal = {PRICE_DECIMAL}\n',
            encoding='utf-8')
    return path


def effective_config(port=None):
    """Write var/run/trytond.conf: the base file + TRYTOND_* environment.

    trytond reads environment overrides *before* its -c files, so a file
    would silently win over TRYTOND_DATABASE__URI; this merged file makes
    the environment win for every process (trytond-admin, trytond, demo
    loader).
    """
    parser = configparser.ConfigParser(interpolation=None)
    # files written before the [product] section: prices with 2 decimals
    parser.read_dict({'product': {'price_decimal': str(PRICE_DECIMAL)}})
    parser.read(base_config(), encoding='utf-8')
    overrides = {('database', 'uri'): ENVIRON.get('TRYTOND_DATABASE_URI')}
    for key, value in ENVIRON.items():
        if key.startswith('TRYTOND_') and '__' in key:
            section, option = key[len('TRYTOND_'):].lower().split('__', 1)
            overrides[section.replace('wsgi_', 'wsgi '), option] = value
    if port:
        overrides['web', 'listen'] = f'127.0.0.1:{port}'
    for (section, option), value in overrides.items():
        if value:
            if not parser.has_section(section):
                parser.add_section(section)
            parser.set(section, option, value)
    path = var_dir() / 'run' / 'trytond.conf'
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open('w', encoding='utf-8') as fp:
        fp.write('# Généré à chaque commande `cocagne` : modifier '
            f'{base_config()} à la place.\n')
        parser.write(fp)
    Path(parser.get('database', 'path', fallback=var_dir() / 'db')).mkdir(
        parents=True, exist_ok=True)
    return path

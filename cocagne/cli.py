"""`cocagne`: la base de démonstration, le client web, les tests.

    cocagne demo [--reset] [--no-serve] [--port 8000]
    cocagne init [--reset]        cocagne load-demo [--force]
    cocagne serve [--port 8000]   cocagne test [ARGS PYTEST…]
    cocagne bench [NOM…]
    cocagne backup [-o ARCHIVE]   cocagne restore ARCHIVE [--force]
    cocagne upgrade
"""
import argparse
import importlib
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

from . import db, leaflet, sao
from .config import (
    ADMIN_LOGIN, ADMIN_PASSWORD, DATABASE, ENVIRON, PORT, REPO,
    cocagne_modules, effective_config, var_dir)


def _duration(seconds):
    return f'{seconds:.0f} s' if seconds < 90 else f'{seconds / 60:.1f} min'


class Steps:
    """Numbered steps printed as « [2/4] Titre… (≈1 min) » + elapsed time."""

    def __init__(self, total):
        self.total, self.number, self.start = total, 0, time.monotonic()

    def begin(self, title, estimate=None):
        self.number += 1
        self.start = time.monotonic()
        hint = f' (≈{estimate})' if estimate else ''
        print(f'[{self.number}/{self.total}] {title}…{hint}', flush=True)

    @contextmanager
    def step(self, title, estimate=None):
        self.begin(title, estimate)
        yield
        print(f'      fait en {_duration(time.monotonic() - self.start)}',
            flush=True)

    def progress(self, message):
        """Sub-step line; the callable given to cocagne.demo.load()."""
        elapsed = _duration(time.monotonic() - self.start)
        print(f'      {message} [{elapsed}]', flush=True)


def _marker(name):
    """File recording that the demo data of database `name` is loaded."""
    return var_dir() / f'{name}-{db.backend_name()}.demo-loaded'


def _prepare(args, steps):
    """Create/initialise the database if needed, then activate or update
    the Cocagne modules, close the configuration wizards."""
    name = args.database
    with steps.step(f'Base de données « {name} » ({db.backend_name()})',
            '10 s'):
        if args.reset and db.exists(name):
            db.drop(name)
            steps.progress('ancienne base supprimée')
        if not db.exists(name):
            if collation := db.create(name):
                steps.progress(f'tri des noms à la française ({collation})')
        if db.initialised(name):
            steps.progress('déjà créée, données conservées')
            db.align_price_decimal(name)
        else:
            _marker(name).unlink(missing_ok=True)
            db.initialise(name)
    modules = cocagne_modules()
    fresh = not _marker(name).exists()
    with steps.step('Activation des modules Cocagne' if fresh
            else 'Mise à jour des modules Cocagne',
            '1 à 2 min' if fresh else '30 s'):
        if modules:
            steps.progress(', '.join(modules))
            db.activate(name, modules)
        else:
            steps.progress('aucun module dans addons/')
        db.finish(name, language=fresh)


def _load_demo(args, steps, force=False):
    name = args.database
    with steps.step('Données de démonstration', '1 min'):
        if _marker(name).exists() and not force:
            steps.progress('déjà chargées (--reset pour repartir de zéro)')
            return
        try:
            load = importlib.import_module('cocagne.demo').load
        except (ImportError, AttributeError) as error:
            if getattr(error, 'name', None) not in {'cocagne.demo', 'load'}:
                raise
            steps.progress('cocagne.demo.load absent : base sans données '
                'de démonstration')
            return
        load(name, str(args.conf), steps.progress)
        _marker(name).touch()


def _port_free(host, port):
    with socket.socket() as sock:
        return sock.connect_ex((host, port)) != 0


def _serve(args, steps=None):
    """Run trytond's web server in the foreground until Ctrl+C."""
    from trytond import config
    host, port = next(config.parse_listen(config.get('web', 'listen')))
    host = host if host not in ('', '0.0.0.0') else '127.0.0.1'
    url = f'http://{host}:{port}/'
    if not _port_free(host, port):
        sys.exit(f'Le port {port} est déjà pris : '
            f'choisissez-en un autre avec --port.')
    sao.ensure()
    leaflet.ensure()
    if steps:
        steps.begin('Serveur web')
    server = subprocess.Popen([str(db.BIN / 'trytond'), '-c', str(args.conf),
            '-d', args.database], env=ENVIRON)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        for _ in range(300):
            if server.poll() is not None or not _port_free(host, port):
                break
            time.sleep(0.1)
        if server.poll() is None:
            print(f'\n  Cocagne est prêt / is ready : {url}\n'
                f'  Base / database  : {args.database}\n'
                f'  Identifiant / login : {ADMIN_LOGIN}\n'
                f'  Mot de passe / password : {ADMIN_PASSWORD}\n'
                '  (Ctrl+C pour arrêter / to stop)\n', flush=True)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait()


def cmd_demo(args):
    steps = Steps(3 if args.no_serve else 4)
    _prepare(args, steps)
    _load_demo(args, steps)
    if args.no_serve:
        print(f'Base « {args.database} » prête ; `cocagne serve` pour '
            f'l\'ouvrir ({ADMIN_LOGIN} / {ADMIN_PASSWORD}).')
        return 0
    return _serve(args, steps)


def cmd_init(args):
    _prepare(args, Steps(2))
    return 0


def cmd_load_demo(args):
    if not (db.exists(args.database) and db.initialised(args.database)):
        sys.exit(f'La base « {args.database} » n\'existe pas : '
            'lancez d\'abord `cocagne init`.')
    _load_demo(args, Steps(1), force=args.force)
    return 0


def cmd_serve(args):
    if not (db.exists(args.database) and db.initialised(args.database)):
        sys.exit(f'La base « {args.database} » n\'existe pas : '
            'lancez d\'abord `cocagne demo`.')
    return _serve(args)


def cmd_bench(args):
    scripts = sorted(p for p in (REPO / 'bench').glob('*.py')
        if not p.name.startswith('_'))
    if args.names:
        scripts = [p for p in scripts if p.stem in args.names]
    if not scripts:
        print('no benchmark yet / aucun banc d\'essai')
        return 0
    status = 0
    for script in scripts:
        print(f'== {script.stem}', flush=True)
        status |= subprocess.call([sys.executable, str(script)], cwd=REPO)
    return status


def cmd_backup(args):
    from .backup import backup
    print(f'Sauvegarde écrite : {backup(args.database, args.output)}')
    return 0


def cmd_restore(args):
    from .backup import restore
    info = restore(args.archive, args.database, force=args.force)
    print(f'Base « {args.database} » restaurée depuis {args.archive} '
        f'(sauvegarde de « {info["database"]} » du {info["date"]}).')
    return 0


def cmd_upgrade(args):
    from .backup import upgrade
    saved = upgrade(args.database)
    print(f'Modules Cocagne mis à jour ; sauvegarde d\'avant : {saved}')
    return 0


def parser():
    main = argparse.ArgumentParser(prog='cocagne', description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = main.add_subparsers(dest='command', required=True,
        metavar='COMMANDE')

    def command(name, func, help_):
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(func=func)
        return p

    def database(p):
        p.add_argument('-d', '--database', default=DATABASE,
            help='nom de la base (défaut : %(default)s)')

    def port(p):
        p.add_argument('--port', type=int,
            help=f'port HTTP sur 127.0.0.1 (défaut : {PORT})')

    def reset(p):
        p.add_argument('--reset', action='store_true',
            help='supprimer et recréer la base (données perdues)')

    p = command('demo', cmd_demo, 'crée ou met à jour la base de démonstration '
        'puis ouvre le client web')
    database(p), reset(p), port(p)
    p.add_argument('--no-serve', action='store_true',
        help='préparer la base sans lancer le serveur')
    p = command('init', cmd_init, 'crée la base et active les modules Cocagne '
        '(sans données de démonstration)')
    database(p), reset(p)
    p = command('load-demo', cmd_load_demo,
        'charge les données de démonstration dans la base')
    database(p)
    p.add_argument('--force', action='store_true',
        help='recharger même si elles le sont déjà')
    p = command('serve', cmd_serve, 'lance le serveur et le client web (sao)')
    database(p), port(p)
    # `cocagne test` goes straight to pytest (see main): this entry only
    # documents it in --help
    p = command('test', None, 'lance les tests de tous les modules '
        '(SQLite, ou PostgreSQL si TRYTOND_DATABASE__URI=postgresql://…)')
    p.add_argument('pytest_args', nargs='*', metavar='ARG',
        help='arguments passés tels quels à pytest (ex. -x -k scenario)')
    p = command('bench', cmd_bench, 'lance les bancs d\'essai de bench/')
    p.add_argument('names', nargs='*', help='noms des bancs (défaut : tous)')
    p = command('backup', cmd_backup, 'sauvegarde la base PostgreSQL et ses '
        'fichiers joints dans une archive')
    database(p)
    p.add_argument('-o', '--output', metavar='ARCHIVE',
        help='fichier .tar à écrire (défaut : var/backups/BASE-DATE.tar)')
    p = command('restore', cmd_restore, 'restaure une archive de `cocagne '
        'backup` (refuse une base non vide sans --force)')
    database(p)
    p.add_argument('archive', help='archive .tar de `cocagne backup`')
    p.add_argument('--force', action='store_true',
        help='remplacer la base si elle n\'est pas vide (données perdues)')
    p = command('upgrade', cmd_upgrade, 'sauvegarde puis met à jour les '
        'modules Cocagne ; restaure la sauvegarde en cas d\'échec')
    database(p)
    return main


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ['test'] and argv[1:2] not in (['-h'], ['--help']):
        from . import testing   # pytest's options are not ours to parse
        return testing.run(argv[1:])
    args = parser().parse_args(argv)
    if args.func is not cmd_bench:
        args.conf = effective_config(getattr(args, 'port', None))
        db.configure(args.conf)
    from .backup import BackupError
    try:
        return args.func(args)
    except BackupError as error:
        print(error, file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as error:
        print(f'Échec : {" ".join(map(str, error.cmd))} '
            f'(code {error.returncode})', file=sys.stderr)
        return 1

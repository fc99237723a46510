"""Backups, restores and upgrades of a PostgreSQL database.

A backup is one tar archive: ``manifest.json`` (versions, modules, date,
checksum of the dump), ``database.dump`` (``pg_dump -Fc``) and
``filestore/`` (the database's folder of the trytond filestore). A restore
goes into a temporary database first and takes the target's name only once
complete, so a bad archive leaves the existing database untouched. An
upgrade takes a backup, runs ``trytond-admin -u`` and restores that backup
when it fails (trytond-admin commits before its clean-up and indexes).
SQLite databases are files: copy them instead.
"""
import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from . import db
from .config import ENVIRON, cocagne_modules, var_dir

MANIFEST, DUMP, FILESTORE = 'manifest.json', 'database.dump', 'filestore'
FORMAT = 1


class BackupError(Exception):
    "A refused backup, restore or upgrade; its message is for the user."


def _check_postgresql():
    if db.backend_name() != 'postgresql':
        raise BackupError('Sauvegarde et restauration : PostgreSQL seulement '
            '(une base SQLite est un fichier de [database] path, à copier '
            'serveur arrêté).')


def conninfo(name):
    "libpq URI of database name, from trytond's [database] uri."
    from trytond import config
    uri = urlsplit(config.get('database', 'uri'))
    return urlunsplit(('postgresql', uri.netloc, '/' + name, uri.query, ''))


def _filestore(name):
    from trytond import config
    return Path(config.get('database', 'path')) / name


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as fp:
        for block in iter(lambda: fp.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def _run(*args):
    "Run a PostgreSQL client; raise BackupError with its message if it fails."
    result = subprocess.run(args, env=ENVIRON, capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f'{Path(args[0]).name} a échoué : '
            f'{result.stderr.strip() or result.returncode}')


def activated_modules(name):
    from trytond.transaction import Transaction
    with Transaction().start(name, 0, readonly=True, close=True) as tr, \
            tr.connection.cursor() as cursor:
        cursor.execute("SELECT name FROM ir_module "
            "WHERE state = 'activated' ORDER BY name")
        return [n for n, in cursor]


def manifest(name, dump):
    "What the archive holds, to read before restoring it."
    import trytond
    versions = {}
    for module in cocagne_modules():
        try:
            versions[module] = importlib.metadata.version(module)
        except importlib.metadata.PackageNotFoundError:
            versions[module] = None
    return {
        'format': FORMAT,
        'database': name,
        'date': dt.datetime.now(dt.timezone.utc).isoformat(timespec='seconds'),
        'trytond': trytond.__version__,
        'cocagne': versions,
        'activated_modules': activated_modules(name),
        'dump_sha256': _sha256(dump),
        }


def backup(name, archive=None):
    """Write the archive of database name (default: var/backups/
    <name>-<date>.tar) and return its path."""
    _check_postgresql()
    if not db.exists(name):
        raise BackupError(f'La base « {name} » n\'existe pas.')
    if archive is None:
        stamp = dt.datetime.now().strftime('%Y%m%d-%H%M%S')
        archive = var_dir() / 'backups' / f'{name}-{stamp}.tar'
    archive = Path(archive)
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=archive.parent) as tmp:
        dump = Path(tmp) / DUMP
        _run(shutil.which('pg_dump') or 'pg_dump', '--format=custom',
            '--no-owner', '--file', str(dump), conninfo(name))
        info = manifest(name, dump)
        (Path(tmp) / MANIFEST).write_text(
            json.dumps(info, indent=2, ensure_ascii=False), encoding='utf-8')
        partial = Path(tmp) / archive.name
        with tarfile.open(partial, 'w') as tar:
            tar.add(Path(tmp) / MANIFEST, MANIFEST)
            tar.add(dump, DUMP)
            if _filestore(name).is_dir():
                tar.add(_filestore(name), FILESTORE)
        partial.replace(archive)
    return archive


def read_archive(archive, folder):
    """Extract archive into folder, check it is whole; return its manifest.
    Raise BackupError for a missing, corrupt or incomplete archive."""
    refused = f'Archive « {archive} » refusée'
    try:
        with tarfile.open(archive) as tar:
            tar.extractall(folder, filter='data')
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f'{refused} : illisible ou incomplète ({error}). '
            'Aucune base n\'a été modifiée.') from error
    try:
        info = json.loads((Path(folder) / MANIFEST).read_text('utf-8'))
        expected = info['dump_sha256']
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BackupError(f'{refused} : pas de {MANIFEST} lisible, ce n\'est '
            'pas une sauvegarde `cocagne backup`. Aucune base n\'a été '
            'modifiée.') from error
    dump = Path(folder) / DUMP
    if not dump.is_file() or _sha256(dump) != expected:
        raise BackupError(f'{refused} : la copie de la base est absente ou '
            'abîmée (somme de contrôle différente). Aucune base n\'a été '
            'modifiée.')
    return info


def _is_empty(name):
    "Whether database name holds no table (a database just created is empty)."
    from trytond.transaction import Transaction
    with Transaction().start(name, 0, readonly=True, close=True) as tr, \
            tr.connection.cursor() as cursor:
        cursor.execute("SELECT NOT EXISTS (SELECT 1 FROM pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema'))")
        return cursor.fetchone()[0]


def _execute(*queries):
    "Run SQL statements (psycopg.sql objects) outside any database."
    from trytond import backend
    from trytond.transaction import Transaction
    for name in list(backend.Database._databases.get(os.getpid(), {})):
        backend.Database(name).close()
    with Transaction().start(None, 0, close=True, autocommit=True) as tr:
        cursor = tr.connection.cursor()
        for query in queries:
            cursor.execute(query)


def restore(archive, name, force=False):
    """Restore archive as database name; return the manifest.

    Refuses a non-empty target unless force. Everything is restored into a
    temporary database, which then takes the name (the replaced database
    and filestore are dropped only after)."""
    from psycopg.errors import Error as PgError
    from psycopg.sql import SQL, Identifier
    _check_postgresql()
    target_exists = db.exists(name)
    if target_exists and not force and not _is_empty(name):
        raise BackupError(f'La base « {name} » n\'est pas vide : rien n\'est '
            'restauré. Restaurez dans une autre base (-d NOM) ou ajoutez '
            '--force pour la remplacer.')
    suffix = f'_{os.getpid()}'
    temporary = f'{name[:50]}_new{suffix}'
    replaced = f'{name[:50]}_old{suffix}'
    folder = Path(tempfile.mkdtemp(prefix='cocagne-restore-'))
    try:
        info = read_archive(archive, folder)
        if db.exists(temporary):
            db.drop(temporary)
        db.create(temporary)
        try:
            _run(shutil.which('pg_restore') or 'pg_restore', '--no-owner',
                '--exit-on-error', '--dbname', conninfo(temporary),
                str(folder / DUMP))
        except BackupError:
            db.drop(temporary)
            raise
        files = _filestore(name)
        if (folder / FILESTORE).is_dir():
            files.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(folder / FILESTORE, files.with_name(temporary))
        try:
            if target_exists:
                _execute(SQL('ALTER DATABASE {} RENAME TO {}').format(
                        Identifier(name), Identifier(replaced)))
            _execute(SQL('ALTER DATABASE {} RENAME TO {}').format(
                    Identifier(temporary), Identifier(name)))
        except PgError as error:
            db.drop(temporary)
            shutil.rmtree(files.with_name(temporary), ignore_errors=True)
            raise BackupError(f'La base « {name} » est utilisée ({error}) : '
                'arrêtez le serveur, le planificateur et le worker, puis '
                'relancez la restauration. Rien n\'a été modifié.') from error
        if files.is_dir():
            files.rename(files.with_name(replaced))
        if files.with_name(temporary).is_dir():
            files.with_name(temporary).rename(files)
        if target_exists:
            _execute(SQL('DROP DATABASE {}').format(Identifier(replaced)))
            shutil.rmtree(files.with_name(replaced), ignore_errors=True)
        return info
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def upgrade(name, modules=None, archive=None):
    """Back up, then update the Cocagne modules with trytond-admin -u; on
    failure restore that backup and raise BackupError. Return the backup."""
    saved = backup(name, archive)
    print(f'Sauvegarde avant mise à jour : {saved}', flush=True)
    try:
        db.activate(name, modules or cocagne_modules())
    except subprocess.CalledProcessError as error:
        print('La mise à jour a échoué : restauration de la sauvegarde…',
            file=sys.stderr, flush=True)
        restore(saved, name, force=True)
        raise BackupError(f'Mise à jour annulée (trytond-admin, code '
            f'{error.returncode}) : la base « {name} » a été restaurée telle '
            f'qu\'avant, depuis {saved}.') from error
    return saved

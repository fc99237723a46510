"""Install Leaflet, the map library of the round maps, from the npm registry.

Fetched like sao (cocagne/sao.py): `npm pack leaflet@VERSION`, checked
against the pinned integrity of the registry, extracted into
var/leaflet/package (or $COCAGNE_LEAFLET/package). The cocagne_tournees
module serves its dist/ at /cocagne/static/leaflet/ (never from a CDN).
Run as `python -m cocagne.leaflet [FOLDER]`; does nothing when already
installed.
"""
import base64
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from .config import REPO

LEAFLET_DIR = Path(os.environ.get('COCAGNE_LEAFLET', REPO / 'var' / 'leaflet'))
LEAFLET_ROOT = LEAFLET_DIR / 'package'

VERSION = '1.9.4'
# dist.integrity of `npm view leaflet@1.9.4`
INTEGRITY = (
    'sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL'
    '+YR3XnWyZAxwQixURb+FA74PA==')


def ensure(folder=LEAFLET_DIR, version=VERSION, quiet=False):
    """Return folder/package (Leaflet's package), installing it if needed."""
    folder = Path(folder)
    root, stamp = folder / 'package', folder / f'.installed-{version}'
    if not stamp.exists():
        _install(folder, root, stamp, version, quiet)
    return root


def integrity(path):
    "The npm integrity string (sha512) of the file at path."
    digest = hashlib.sha512(Path(path).read_bytes()).digest()
    return 'sha512-' + base64.b64encode(digest).decode('ascii')


def _install(folder, root, stamp, version, quiet):
    npm = shutil.which('npm')
    if not npm:
        sys.exit("npm est introuvable : "
            "installez Node.js (apt-get install npm).")
    if not quiet:
        print(f"Installation de Leaflet {version} (cartes des tournées)…",
            flush=True)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        subprocess.run([npm, 'pack', '--silent', f'leaflet@{version}'],
            cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        tgz, = Path(tmp).glob('leaflet-*.tgz')
        if version == VERSION and integrity(tgz) != INTEGRITY:
            sys.exit(f"{tgz.name} ne correspond pas à l'empreinte attendue.")
        with tarfile.open(tgz) as tar:
            tar.extractall(tmp, filter='data')
        shutil.rmtree(root, ignore_errors=True)
        (Path(tmp) / 'package').rename(root)
    for old in folder.glob('.installed-*'):
        old.unlink()
    stamp.touch()


if __name__ == '__main__':
    ensure(*sys.argv[1:2])

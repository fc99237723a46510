"""Install sao, Tryton's web client, from the npm registry.

`npm pack tryton-sao@VERSION` ships a built dist/; its index.html still loads
jquery, bootstrap… from node_modules/, hence the `npm install` (TRYTON.md 4.3).
Cocagne's custom.js and custom.css (cocagne/web/), which sao's index.html
loads when present, are copied into its root at every call.
Run as `python -m cocagne.sao [FOLDER]`; does nothing when already installed.
"""
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from .config import SAO_DIR

CUSTOM = Path(__file__).parent / 'web'

VERSION = '8.0.11'   # sao major.minor must match trytond's (8.0)


def ensure(folder=SAO_DIR, version=VERSION, quiet=False):
    """Return folder/package (sao's web root), installing it if needed."""
    folder = Path(folder)
    root, stamp = folder / 'package', folder / f'.installed-{version}'
    if not stamp.exists():
        _install(folder, root, stamp, version, quiet)
    for name in ['custom.js', 'custom.css']:
        shutil.copyfile(CUSTOM / name, root / name)
    return root


def _install(folder, root, stamp, version, quiet):
    npm = shutil.which('npm')
    if not npm:
        sys.exit("npm est introuvable : installez Node.js (apt-get install npm).")
    if not quiet:
        print(f"Installation de sao {version} (client web Tryton)…", flush=True)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        subprocess.run([npm, 'pack', '--silent', f'tryton-sao@{version}'],
            cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        tgz, = Path(tmp).glob('tryton-sao-*.tgz')
        with tarfile.open(tgz) as tar:
            tar.extractall(tmp, filter='data')
        subprocess.run([npm, 'install', '--omit=dev', '--legacy-peer-deps',
                '--ignore-scripts', '--no-audit', '--no-fund', '--silent'],
            cwd=Path(tmp) / 'package', check=True)
        shutil.rmtree(root, ignore_errors=True)
        (Path(tmp) / 'package').rename(root)
    for old in folder.glob('.installed-*'):
        old.unlink()
    stamp.touch()


if __name__ == '__main__':
    ensure(*sys.argv[1:2])

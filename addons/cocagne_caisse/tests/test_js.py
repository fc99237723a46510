"""The cashier screen's pure JavaScript (static/ean13.js, static/cart.js),
tested by node's own runner: tests/js/*.test.js."""
import shutil
import subprocess
from pathlib import Path

import pytest

JS_TESTS = Path(__file__).parent / 'js'


def test_javascript():
    node = shutil.which('node')
    if not node:
        pytest.skip("node is not installed")
    result = subprocess.run([node, '--test', str(JS_TESTS)],
        capture_output=True, text=True, timeout=120)
    if result.returncode:
        pytest.fail(result.stdout + result.stderr, pytrace=False)

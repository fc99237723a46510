"""The databases that the `cocagne` command creates."""
import os

import pytest

from cocagne import db


@pytest.fixture
def database():
    "The name of a database created by cocagne.db.create, dropped after."
    if db.backend_name() != 'postgresql':
        pytest.skip("French collation: PostgreSQL only (SQLite sorts by "
            "code point and cannot be set another way; "
            "TRYTOND_DATABASE__URI=postgresql://… to run it)")
    name = f"{os.environ.get('DB_NAME', 'test_cocagne')}_collation"
    if db.exists(name):
        db.drop(name)
    db.create(name)
    yield name
    db.drop(name)


def test_french_sorting(database):
    "Names sort the French way: « Équipe » among the E's, not after Z"
    from trytond.transaction import Transaction
    with Transaction().start(database, 0, readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute("SELECT name FROM (VALUES ('Faure'), ('zèbre'), "
            "('Équipe'), ('Duval')) AS names (name) ORDER BY name")
        assert [n for n, in cursor] == ['Duval', 'Équipe', 'Faure', 'zèbre']

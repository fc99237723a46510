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
    from trytond import backend

    # a connection of its own: a transaction would sync trytond's caches
    # from ir_cache, a table this empty database has not
    pool = backend.Database(database).connect()
    connection = pool.get_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT name FROM (VALUES ('Faure'), ('zèbre'), "
            "('Équipe'), ('Duval')) AS names (name) ORDER BY name")
        assert [n for n, in cursor] == ['Duval', 'Équipe', 'Faure', 'zèbre']
    finally:
        pool.put_connection(connection)

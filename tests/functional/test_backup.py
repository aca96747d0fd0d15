"""`flask lbs backup` makes a consistent copy that restores to the same data (check 24)."""

import hashlib
import sqlite3

import pytest
from sqlalchemy import inspect, text

from lbs.extensions import db


def _fingerprint(connection, tables):
    """Row count and a content hash per table: equal fingerprints mean equal data."""
    prints = {}
    for table in tables:
        rows = connection.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()  # noqa: S608
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()
        prints[table] = (len(rows), digest)
    return prints


def test_a_backup_restores_to_the_same_rows_and_content(app, runner, make_user, tmp_path, dialect):
    if dialect != "sqlite":
        pytest.skip("the online backup command is for SQLite; PostgreSQL uses pg_dump")
    make_user("ada")
    runner.invoke(args=["lbs", "load-starter"])
    target = tmp_path / "backup.sqlite"

    result = runner.invoke(args=["lbs", "backup", str(target)])

    assert result.exit_code == 0, result.output
    with app.app_context():
        tables = inspect(db.engine).get_table_names()
        with db.engine.connect() as live:
            original = _fingerprint(live.connection.driver_connection, tables)
    restored = sqlite3.connect(target)
    assert _fingerprint(restored, tables) == original
    assert original["entries"][0] == 45


def test_a_backup_never_overwrites_an_earlier_one(runner, tmp_path, dialect):
    if dialect != "sqlite":
        pytest.skip("the online backup command is for SQLite")
    target = tmp_path / "backup.sqlite"
    target.write_bytes(b"an earlier backup")

    result = runner.invoke(args=["lbs", "backup", str(target)])

    assert result.exit_code != 0
    assert "exists already" in result.output
    assert target.read_bytes() == b"an earlier backup"


def test_on_postgresql_the_command_points_to_pg_dump(runner, tmp_path, dialect):
    if dialect != "postgresql":
        pytest.skip("only PostgreSQL refuses")
    result = runner.invoke(args=["lbs", "backup", str(tmp_path / "x.sqlite")])
    assert result.exit_code != 0
    assert "pg_dump" in result.output


def test_the_backup_is_readable_while_the_site_writes(app, runner, make_user, tmp_path, dialect):
    if dialect != "sqlite":
        pytest.skip("the online backup command is for SQLite")
    make_user("ada")
    with app.app_context():
        # An open write transaction elsewhere must not end up half in the copy.
        connection = db.engine.connect()
        transaction = connection.begin()
        connection.execute(text("UPDATE users SET karma = 99"))
        result = runner.invoke(args=["lbs", "backup", str(tmp_path / "b.sqlite")])
        transaction.rollback()
        connection.close()
    assert result.exit_code == 0, result.output
    karma = sqlite3.connect(tmp_path / "b.sqlite").execute("SELECT karma FROM users").fetchall()
    assert karma == [(0,)]

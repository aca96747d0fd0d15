"""Fixtures in the spirit of the Flask tutorial: app, client, runner, and an `auth` helper.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set. The
schema is built once per run by the real migrations; each test starts from empty tables.
"""

import os
import re

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import TestingConfig
from lbs import create_app
from lbs.extensions import db

PASSWORD = "correct horse battery"


def _own_postgres_database(url):
    """A database of this test run's own beside TEST_DATABASE_URL's, so that runs on one
    server at the same time (two developers, or a run and a benchmark) never meet."""
    base = make_url(url)
    name = f"{base.database}_run{os.getpid()}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        # Databases of runs that ended without cleaning up (killed) are dropped here.
        for (stale,) in connection.execute(text(
            "SELECT datname FROM pg_database WHERE datname LIKE :prefix"
        ), {"prefix": f"{base.database}_run%"}):
            pid = int(stale.rsplit("_run", 1)[1])
            if pid != os.getpid() and not _alive(pid):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{stale}" WITH (FORCE)'))
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        # A session a test forgot to close must not hold locks that stall a later migration
        # for ever: end such sessions, and make any wait for a lock fail instead of hang.
        connection.execute(text(
            f'ALTER DATABASE "{name}" SET idle_in_transaction_session_timeout = \'60s\''))
        connection.execute(text(f'ALTER DATABASE "{name}" SET lock_timeout = \'120s\''))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _drop_own_database(url):
    own = make_url(url)
    engine = create_engine(own.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)'))
    engine.dispose()


def _database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


def _check_reachable(url):
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure here means the run cannot go on
        pytest.exit(f"TEST_DATABASE_URL is set but the database cannot be reached: {error}", 2)
    finally:
        engine.dispose()


def _reset_schema(url):
    engine = create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def make_test_app(url, **settings):
    """An app on the test database; `settings` apply before the extensions read them."""
    settings = {"SQLALCHEMY_DATABASE_URI": url, **settings}
    Settings = type("Settings", (TestingConfig,), settings)
    return create_app(Settings)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = _database_url(tmp_path_factory)
    _check_reachable(url)
    own_database = url.startswith("postgresql")
    if own_database:
        url = _own_postgres_database(url)
    _reset_schema(url)
    app = make_test_app(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield url
    if own_database:
        _drop_own_database(url)


@pytest.fixture(scope="session")
def dialect(database_url):
    return "postgresql" if database_url.startswith("postgresql") else "sqlite"


def _empty_tables(app):
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in db.metadata.sorted_tables]
        with db.engine.begin() as connection:
            if db.engine.dialect.name == "postgresql":
                connection.execute(
                    text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
                )
            else:
                for name in reversed(tables):
                    connection.execute(text(f"DELETE FROM {name}"))  # noqa: S608
        db.engine.dispose()


@pytest.fixture
def app(database_url):
    app = make_test_app(database_url)
    yield app
    _empty_tables(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create an account directly through the domain; returns its username."""
    from lbs.domain import accounts

    counter = {"n": 0}

    def make(username=None, role="peer", password=PASSWORD, email=None, **columns):
        counter["n"] += 1
        username = username or f"peer{counter['n']}"
        with app.app_context():
            user = accounts.sign_up(username, email or f"{username}@example.org", password, role)
            for name, value in columns.items():
                setattr(user, name, value)
            db.session.commit()
        return username

    return make


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, login, password=PASSWORD, remember=False, next=None):
        data = {"login": login, "password": password}
        if remember:
            data["remember"] = "y"
        if next is not None:
            data["next"] = next
        return self._client.post("/login", data=data)

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def csrf_token_from(html):
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    return match.group(1) if match else None

"""The migrations build exactly the models' schema on an empty database, and undo it cleanly.

They run on a database of their own (a new SQLite file, or a PostgreSQL schema made for the
test) so the schema the other tests share is never touched.
"""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import check, downgrade, upgrade
from sqlalchemy import inspect

from lbs.domain.search import include_in_schema_comparison
from lbs.extensions import db
from tests.conftest import make_test_app
from tests.support.scratch import scratch_database

SCHEMA = "migration_check"


@pytest.fixture
def fresh_url(database_url, dialect, tmp_path):
    with scratch_database(database_url, dialect, tmp_path, SCHEMA) as url:
        yield url


@pytest.fixture
def fresh_app(fresh_url):
    app = make_test_app(fresh_url)
    with app.app_context():
        yield app
        db.session.remove()
        # Idle pooled connections would keep the schema from being dropped.
        db.engine.dispose()


def schema_differences():
    # The full-text index (FTS5 tables, a tsvector column) is made by hand in a migration,
    # outside the models; migrations/env.py leaves it out by this rule, and so does this check.
    opts = {"compare_type": True, "include_object": include_in_schema_comparison}
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=opts)
        return compare_metadata(context, db.metadata)


def table_names():
    return set(inspect(db.engine).get_table_names())


def test_the_fresh_database_is_really_empty(fresh_app):
    assert table_names() == set()


def test_upgrading_an_empty_database_gives_exactly_the_models_schema(fresh_app):
    upgrade()

    assert schema_differences() == []
    modelled = {
        name for name in table_names()
        if include_in_schema_comparison(None, name, "table", True, None)
    }
    assert modelled == set(db.metadata.tables) | {"alembic_version"}


def test_downgrading_to_base_leaves_only_the_version_table(fresh_app):
    upgrade()

    downgrade(revision="base")

    assert table_names() == {"alembic_version"}


def test_upgrading_again_after_a_full_downgrade_works(fresh_app):
    upgrade()
    downgrade(revision="base")

    upgrade()

    assert schema_differences() == []


def test_flask_db_check_finds_nothing_to_generate(fresh_app):
    upgrade()

    # Flask-Migrate exits when autogenerate would write a migration.
    check()

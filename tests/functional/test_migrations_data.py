"""The migration history holds up with data in it (SECURITY.md, check 23).

pytest-alembic's built-in checks (one head, upgrade, every step down and up again, the models
matching what the migrations build) run through the library on a database of their own, as
the schema checks of test_migrations.py do: a new SQLite file, or a PostgreSQL schema made
for the test. Then a commons seeded at revision 0001 goes to head, down and up again, and
must come out whole and searchable, since migration 0002 builds the search index from the
rows already there.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from pytest_alembic import Config as AlembicTestConfig
from pytest_alembic import runner as alembic_test_runner
from pytest_alembic import tests as builtin
from sqlalchemy import inspect, select

from lbs.domain import accounts, discussion, entries, search, voting
from lbs.extensions import db
from lbs.models import User
from tests.conftest import make_test_app
from tests.support.scratch import scratch_database

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
SCHEMA = "migration_data_check"
FIRST = "0001"


@pytest.fixture
def scratch_url(database_url, dialect, tmp_path):
    with scratch_database(database_url, dialect, tmp_path, SCHEMA) as url:
        yield url


@pytest.fixture
def scratch_app(scratch_url):
    app = make_test_app(scratch_url)
    with app.app_context():
        yield app
        db.session.remove()
        # Idle pooled connections would keep the schema from being dropped.
        db.engine.dispose()


@pytest.fixture
def alembic_runner(scratch_app):
    """pytest-alembic's runner on the scratch database.

    migrations/env.py migrates through the app's engine (Flask-Migrate's way), so the runner
    is handed that same engine for its own look-ups, and the app's comparison rules
    (compare_type, and leaving out the search index the models do not describe) apply.
    """
    config = AlembicTestConfig.from_raw_config(
        {"file": str(MIGRATIONS / "alembic.ini"), "script_location": str(MIGRATIONS)}
    )
    with alembic_test_runner(config=config, engine=db.engine) as context:
        yield context


def test_the_history_has_a_single_head(alembic_runner):
    builtin.test_single_head_revision(alembic_runner)


def test_the_history_upgrades_from_empty_to_head(alembic_runner):
    builtin.test_upgrade(alembic_runner)


def test_every_migration_goes_down_and_up_again(alembic_runner):
    builtin.test_up_down_consistency(alembic_runner)


def test_the_models_match_what_the_migrations_build(alembic_runner):
    builtin.test_model_definitions_match_ddl(alembic_runner)


# -- a commons seeded before the search index existed ------------------------------------

HUBS = [
    {"title": "OpenStreetMap", "url": "https://www.openstreetmap.org",
     "summary": "The free map of the world, drawn by its cartographers.", "tags": ["maps"],
     "focus": "peer-driven production", "languages": "many", "region": "worldwide",
     "licence": "ODbL"},
    {"title": "Appropedia", "url": "https://www.appropedia.org",
     "summary": "A wiki of appropriate technology: biogas digesters, water filters.",
     "tags": ["appropriate-tech", "wiki"], "focus": "commons-based initiative",
     "languages": "English, Español", "region": "worldwide", "licence": "CC BY-SA 4.0"},
]
READINGS = [
    {"title": "The Wealth of Networks", "url": "https://www.benkler.org/wealth",
     "summary": "How social production transforms markets and freedom.", "tags": ["commons"],
     "authors": "Yochai Benkler", "year": 2006, "venue": "Yale University Press",
     "reading_type": "book", "doi": None, "isbn": None},
    {"title": "Governing the Commons", "url": None,
     "summary": "Institutions for collective action, from Swiss pastures to Japanese forests.",
     "tags": ["commons", "institutions"], "authors": "Elinor Ostrom", "year": 1990,
     "venue": "Cambridge University Press", "reading_type": "book", "doi": None,
     "isbn": "9780521405997"},
]
# A word of each seeded entry that only it holds, in a different field each time.
FINDS = {"cartographers": "openstreetmap", "digesters": "appropedia",
         "benkler": "the-wealth-of-networks", "ostrom": "governing-the-commons",
         "institutions": "governing-the-commons"}


def _seed():
    """Peers, entries with revisions and tags, votes and comments, made the way the app makes
    them, so every counter agrees with its rows."""
    people = {}
    for name, karma in (("ada", 10), ("bob", 10), ("cy", 0)):
        people[name] = User(
            username=name, username_key=name, email=f"{name}@example.org",
            email_key=f"{name}@example.org", password_hash="!", karma=karma,  # noqa: S106
        )
        db.session.add(people[name])
    moderator = accounts.system_user()
    db.session.flush()
    made = [entries.create_entry("hub", fields, people["ada"], moderator, reason="seed")
            for fields in HUBS]
    made += [entries.create_entry("reading", fields, people["bob"], moderator, reason="seed")
             for fields in READINGS]
    for entry in made:
        voter = people["cy"] if entry.proposer_id != people["cy"].id else people["ada"]
        voting.cast_vote(voter, entry, 1)
        comment = discussion.add_comment(voter, entry, f"Worth reading, **{entry.title}**.")
        discussion.add_comment(people["bob"], entry, "Agreed.", parent_id=comment.id)
    voting.cast_vote(people["bob"], made[0], -1)
    db.session.commit()


def _contents():
    """Every modelled table's rows, in key order: what a migration must not lose or change."""
    contents = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        contents[table.name] = [tuple(row) for row in rows]
    db.session.rollback()
    return contents


def _found(word):
    slugs = [entry.slug for entry in search.search({"q": word}).rows]
    # An open read would hold a lock that the next migration's DDL waits on forever.
    db.session.rollback()
    return slugs


def _tables():
    return set(inspect(db.engine).get_table_names())


def test_a_commons_seeded_at_0001_survives_the_trip_to_head_and_back(scratch_app):
    upgrade(revision=FIRST)
    _seed()
    seeded = _contents()
    assert len(seeded["entries"]) == 4 and len(seeded["votes"]) == 5
    assert len(seeded["comments"]) == 8 and len(seeded["revisions"]) == 4

    upgrade()

    db.session.expire_all()
    assert _contents() == seeded
    # 0002 indexed the rows already there: each entry is found by words only it holds,
    # whether they are in its title, summary, authors or tags.
    for word, slug in FINDS.items():
        assert _found(word) == [slug], word
    assert _found("commons")[:2] and set(_found("commons")) >= {
        "the-wealth-of-networks", "governing-the-commons"}

    downgrade(revision=FIRST)

    assert _contents() == seeded

    downgrade(revision="base")

    assert _tables() == {"alembic_version"}

    upgrade()

    assert _found("ostrom") == []
    _seed()
    for word, slug in FINDS.items():
        assert _found(word) == [slug], word


def test_flask_db_check_is_clean_on_a_migrated_database(scratch_app, scratch_url):
    upgrade()

    # The command itself, as a deployment runs it: a process of its own on the migrated database.
    result = subprocess.run(
        [str(Path(sys.executable).with_name("flask")), "--app", "lbs", "db", "check"],
        env={**os.environ, "LBS_CONFIG": "testing", "TEST_DATABASE_URL": scratch_url},
        cwd=MIGRATIONS.parent, capture_output=True, text=True, timeout=120, check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No new upgrade operations detected" in result.stdout

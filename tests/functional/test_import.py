"""`flask lbs import`: a JSON export loaded into a new, empty site gives back the same commons.

The round trip runs into a database of its own (a new SQLite file, or a PostgreSQL schema
made for the test), so the one the other tests share is never touched.
"""

import json

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from lbs.domain.accounts import SYSTEM_USERNAME
from lbs.domain.relations import set_related
from lbs.extensions import db
from lbs.models import Entry, Revision, User
from tests.conftest import make_test_app
from tests.functional.sharing import add_entry, add_user, change_entry, contribute
from tests.support.scratch import scratch_database

SCHEMA = "import_check"


@pytest.fixture
def second_url(database_url, dialect, tmp_path):
    with scratch_database(database_url, dialect, tmp_path, SCHEMA) as url:
        yield url


@pytest.fixture
def second_app(second_url):
    """A new site on an empty, migrated database."""
    app = make_test_app(second_url)
    with app.app_context():
        upgrade()
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        # Idle pooled connections would keep the schema from being dropped.
        db.engine.dispose()


@pytest.fixture
def commons(app):
    """The starter commons, and entries that several peers shaped, voted on and related."""
    for name in ("ada", "bob", "Cy-3"):
        add_user(app, name)
    assert app.test_cli_runner().invoke(args=["lbs", "load-starter"]).exit_code == 0
    hub = add_entry(app, "ada", "hub", title="Appropedia {wiki} 100% & $#_~^\\",
                    url="https://www.appropedia.org", tags=["wiki", "appropriate-tech"])
    reading = add_entry(app, "bob", "reading", title="Ünïcödé: “peer” production",
                        url="https://example.org/peer", doi="10.1234/peer_2006",
                        isbn="9780300110562", summary="Line one.\n\n* a list\n* `code`")
    contribute(app, reading, "Cy-3", summary="Rewritten by Cy.")
    contribute(app, reading, "ada", tags=["commons", "economics"])
    contribute(app, reading, "Cy-3", year=2008)
    change_entry(app, reading, ups=7, downs=3)
    change_entry(app, hub, ups=2)
    with app.app_context():
        set_related(db.session.scalar(select(Entry).where(Entry.slug == reading)), [hub])
        db.session.commit()
    return {"hub": hub, "reading": reading}


def export_file(app, path):
    result = app.test_cli_runner().invoke(args=["lbs", "export", "--output", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(path.read_text("utf-8"))


def import_file(app, path):
    return app.test_cli_runner().invoke(args=["lbs", "import", str(path)])


# What an import cannot keep, and why:
# - exported_at: when each export was made, not part of the commons.
# - revision_count: the export carries each entry's current fields, not its history. The
#   import writes revision 1 with the entry as exported, credited to its first contributor,
#   and one revision for each further contributor so that all of them stay credited; how
#   many revisions there were before cannot be rebuilt.
NOT_KEPT = {"exported_at"}
NOT_KEPT_PER_ENTRY = {"revision_count"}


def test_an_export_imported_into_an_empty_site_exports_the_same(app, second_app, commons,
                                                               tmp_path):
    first = export_file(app, tmp_path / "first.json")

    result = import_file(second_app, tmp_path / "first.json")

    assert result.exit_code == 0, result.output
    second = export_file(second_app, tmp_path / "second.json")
    assert {k: v for k, v in first.items() if k not in NOT_KEPT | {"entries"}} == {
        k: v for k, v in second.items() if k not in NOT_KEPT | {"entries"}}
    assert [e["slug"] for e in first["entries"]] == [e["slug"] for e in second["entries"]]
    for before, after in zip(first["entries"], second["entries"], strict=True):
        assert set(before) == set(after)
        for name in set(before) - NOT_KEPT_PER_ENTRY:
            assert after[name] == before[name], (before["slug"], name)
    assert len(first["entries"]) > 20


def test_an_imported_entry_keeps_every_contributor_and_its_first_revision(app, second_app,
                                                                         commons, tmp_path):
    export_file(app, tmp_path / "commons.json")

    import_file(second_app, tmp_path / "commons.json")

    with second_app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.slug == commons["reading"]))
        revisions = db.session.scalars(
            select(Revision).where(Revision.entry_id == entry.id).order_by(Revision.number)
        ).all()
        assert [(r.number, r.author.username) for r in revisions] == [
            (1, "bob"), (2, "Cy-3"), (3, "ada")]
        assert revisions[0].fields["title"] == "Ünïcödé: “peer” production"
        assert entry.revision_count == 3 and entry.contributor_count == 3
        assert entry.proposer.username == "bob"
        assert entry.status == "live"
    page = second_app.test_client().get(f"/entries/{commons['reading']}").get_data(as_text=True)
    for name in ("bob", "Cy-3", "ada"):
        assert f'href="/users/{name}"' in page


def test_contributors_come_back_as_accounts_no_password_opens(app, second_app, commons,
                                                             tmp_path):
    export_file(app, tmp_path / "commons.json")

    import_file(second_app, tmp_path / "commons.json")

    with second_app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User))}
        assert set(users) == {"ada", "bob", "Cy-3", SYSTEM_USERNAME}
        assert {u.password_hash for u in users.values()} == {"!"}
        assert users[SYSTEM_USERNAME].role == "admin"
        assert users["ada"].role == "peer"
    response = second_app.test_client().post("/login", data={"login": "ada", "password": "!"})
    assert response.status_code != 302


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_importing_into_a_database_that_has_entries_is_refused(app, commons, tmp_path):
    export_file(app, tmp_path / "commons.json")
    entries_before = count(app, Entry)

    result = import_file(app, tmp_path / "commons.json")

    assert result.exit_code != 0
    assert "not empty" in result.output
    assert count(app, Entry) == entries_before


def test_importing_into_a_database_with_accounts_is_refused(app, tmp_path):
    add_user(app, "admin")
    path = tmp_path / "empty.json"
    path.write_text(json.dumps({"format": "lbs-commons", "version": 1, "entries": []}))

    result = import_file(app, path)

    assert result.exit_code != 0
    assert "not empty" in result.output


@pytest.mark.parametrize("content, message", [
    ("not json at all", "is not a JSON export"),
    ('{"hello": "world"}', "not an export of the commons"),
    ('{"format": "lbs-commons", "version": 99, "entries": []}', "version 99"),
])
def test_a_file_that_is_not_an_export_is_refused(app, tmp_path, content, message):
    path = tmp_path / "file.json"
    path.write_text(content)

    result = import_file(app, path)

    assert result.exit_code != 0
    assert message in result.output


@pytest.mark.parametrize("breakage, message", [
    ({"kind": "podcast"}, "the kind must be one of hub, reading"),
    ({"contributors": []}, "needs its contributors"),
    ({"score": {"ups": -1, "downs": 0}}, "the score must be counts"),
    ({"created_at": "last tuesday"}, "ISO 8601"),
    ({"tags": ["Not A Tag!"]}, "Tags are words"),
    ({"year": 99}, "breaks a rule of the database"),
])
def test_a_broken_entry_stops_the_import_with_nothing_written(app, second_app, commons, tmp_path,
                                                             breakage, message):
    data = export_file(app, tmp_path / "commons.json")
    last = next(e for e in reversed(data["entries"]) if e["kind"] == "reading")
    last.update(breakage)
    (tmp_path / "broken.json").write_text(json.dumps(data))

    result = import_file(second_app, tmp_path / "broken.json")

    assert result.exit_code != 0
    assert message in result.output
    assert count(second_app, Entry) == 0
    assert count(second_app, User) == 0

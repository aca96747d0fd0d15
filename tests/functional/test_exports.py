"""Exports: the whole commons as JSON and CSV, on the web and from the command line, crediting
everyone whose proposals were merged into each entry."""

import csv
import io
import json

import pytest

from lbs.domain import exports
from lbs.domain.relations import set_related
from lbs.extensions import db
from lbs.models import Entry
from tests.functional.sharing import (
    add_entry,
    add_user,
    change_entry,
    contribute,
)
from tests.support.query_counter import counting

LICENCE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"


@pytest.fixture
def commons(app):
    """A hub and a reading that point at each other; bob and cy edited the reading."""
    for name in ("ada", "bob", "cy"):
        add_user(app, name)
    hub = add_entry(app, "ada", "hub")
    reading = add_entry(app, "ada", "reading", title="Ünïcödé, “quotes” & commas",
                        doi="10.1234/abc", isbn="9780300110562")
    contribute(app, reading, "bob", summary="Better summary.\nSecond line.")
    contribute(app, reading, "cy", tags=["commons", "economics"])
    contribute(app, reading, "bob", year=2007)
    change_entry(app, reading, ups=5, downs=2)
    with app.app_context():
        set_related(db.session.query(Entry).filter_by(slug=reading).one(), [hub])
        db.session.commit()
    return {"hub": hub, "reading": reading}


def web_json(client):
    response = client.get("/export/commons.json")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "application/json"
    return json.loads(response.get_data(as_text=True))


def web_csv(client):
    response = client.get("/export/commons.csv")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def by_slug(records):
    return {r["slug"]: r for r in records}


def test_the_json_export_holds_every_live_entry_with_its_current_fields(client, commons):
    data = web_json(client)

    entries = by_slug(data["entries"])
    assert set(entries) == {commons["hub"], commons["reading"]}
    reading = entries[commons["reading"]]
    assert reading["kind"] == "reading"
    assert reading["title"] == "Ünïcödé, “quotes” & commas"
    assert reading["url"] == "https://www.benkler.org/wealth"
    assert reading["summary"] == "Better summary.\nSecond line."
    assert reading["tags"] == ["commons", "economics"]
    assert reading["authors"] == "Yochai Benkler"
    assert reading["year"] == 2007
    assert reading["venue"] == "Yale University Press"
    assert reading["reading_type"] == "book"
    assert reading["doi"] == "10.1234/abc"
    assert reading["isbn"] == "9780300110562"
    assert reading["status"] == "live"
    assert reading["related"] == [commons["hub"]]
    assert reading["revision_count"] == 4
    assert reading["score"] == {"ups": 5, "downs": 2}
    assert reading["created_at"].endswith("Z")
    hub = entries[commons["hub"]]
    assert (hub["focus"], hub["languages"], hub["region"], hub["licence"]) == (
        "peer-driven production", "many", "worldwide", "ODbL")
    assert hub["related"] == [commons["reading"]]
    assert "authors" not in hub


def test_the_json_export_names_the_licence(client, commons):
    licence = web_json(client)["licence"]

    assert licence["name"] == "CC BY-SA 4.0"
    assert licence["url"] == LICENCE_URL
    assert "CC BY-SA 4.0" in licence["notice"]


def test_the_json_export_credits_every_contributor_with_their_profile(client, commons):
    reading = by_slug(web_json(client)["entries"])[commons["reading"]]

    assert reading["contributors"] == [
        {"username": "ada", "profile_url": "http://localhost/users/ada"},
        {"username": "bob", "profile_url": "http://localhost/users/bob"},
        {"username": "cy", "profile_url": "http://localhost/users/cy"},
    ]
    assert reading["page_url"] == f"http://localhost/entries/{commons['reading']}"


def test_profile_links_follow_the_address_the_export_was_asked_at(client, commons):
    response = client.get("/export/commons.json", base_url="https://lbs.example.org")

    reading = by_slug(json.loads(response.data)["entries"])[commons["reading"]]
    assert reading["contributors"][0]["profile_url"] == "https://lbs.example.org/users/ada"


def test_archived_merged_away_and_flag_hidden_entries_are_not_exported(app, client, commons):
    kept = add_entry(app, "ada", "hub", title="Kept", url="https://kept.example.org")
    archived = add_entry(app, "ada", "hub", title="Archived", url="https://a.example.org")
    hidden = add_entry(app, "ada", "hub", title="Hidden", url="https://h.example.org")
    change_entry(app, archived, status="archived")
    change_entry(app, hidden, flag_hidden=True)

    exported = {r["slug"] for r in web_json(client)["entries"]}

    assert kept in exported
    assert archived not in exported and hidden not in exported


def test_the_export_downloads_with_a_file_name_and_the_licence_link(client, commons):
    for path, name in (("/export/commons.json", "commons.json"),
                       ("/export/commons.csv", "commons.csv")):
        response = client.get(path)
        response.get_data()  # a streamed body is read to its end, as a browser would
        assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
        assert response.headers["Link"] == f'<{LICENCE_URL}>; rel="license"'


def test_the_csv_export_has_a_header_row_and_one_row_per_entry(client, commons):
    rows = by_slug(web_csv(client))

    reading = rows[commons["reading"]]
    assert reading["title"] == "Ünïcödé, “quotes” & commas"
    assert reading["summary"] == "Better summary.\nSecond line."
    assert reading["tags"] == "commons, economics"
    assert reading["contributors"] == "ada, bob, cy"
    assert (reading["revision_count"], reading["ups"], reading["downs"]) == ("4", "5", "2")
    assert reading["year"] == "2007"
    assert reading["licence"] == ""
    assert rows[commons["hub"]]["licence"] == "ODbL"


def test_every_csv_row_names_the_licence_of_the_commons(client, commons):
    rows = web_csv(client)

    assert {row["shared_under"] for row in rows} == {f"CC BY-SA 4.0 {LICENCE_URL}"}


def test_the_csv_starts_with_a_byte_order_mark_for_spreadsheets(client, commons):
    data = client.get("/export/commons.csv").data

    assert data.startswith("\ufeffkind,slug,title".encode())


def test_a_title_that_looks_like_a_formula_is_not_one_in_the_csv(app, client, commons):
    slug = add_entry(app, "ada", "hub", title='=HYPERLINK("https://evil.example")',
                     url="https://formula.example.org")

    row = by_slug(web_csv(client))[slug]

    assert row["title"] == "'=HYPERLINK(\"https://evil.example\")"


def test_large_commons_come_out_whole_and_in_order_across_batches(app, client, monkeypatch):
    monkeypatch.setattr(exports, "BATCH_SIZE", 2)
    add_user(app, "ada")
    made = [add_entry(app, "ada", "hub", title=f"Hub {n}", url=f"https://h{n}.example.org")
            for n in range(5)]

    assert [r["slug"] for r in web_json(client)["entries"]] == made
    assert [r["slug"] for r in web_csv(client)] == made


def test_a_batch_costs_the_same_queries_however_many_contributors_and_tags(app, client,
                                                                          monkeypatch):
    monkeypatch.setattr(exports, "BATCH_SIZE", 3)
    for name in ("ada", "bob", "cy"):
        add_user(app, name)
    plain = [add_entry(app, "ada", "hub", title=f"Hub {n}", url=f"https://h{n}.example.org",
                       tags=[]) for n in range(3)]
    with counting(app) as few:
        client.get("/export/commons.json").get_data()
    for slug in plain:
        contribute(app, slug, "bob", tags=["maps", "geodata"])
        contribute(app, slug, "cy", tags=["maps", "geodata", "wiki"])
    with counting(app) as many:
        client.get("/export/commons.json").get_data()

    assert len(many) == len(few)


def lbs(runner, *args):
    return runner.invoke(args=["lbs", *args])


def test_the_command_line_export_writes_json_to_standard_output(runner, commons):
    result = lbs(runner, "export", "--format", "json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    reading = by_slug(data["entries"])[commons["reading"]]
    assert data["licence"]["url"] == LICENCE_URL
    # No request, no host: the command line gives the site's paths.
    assert reading["contributors"][1] == {"username": "bob", "profile_url": "/users/bob"}
    assert reading["page_url"] == f"/entries/{commons['reading']}"


def test_the_command_line_export_writes_csv_to_a_file(runner, commons, tmp_path):
    target = tmp_path / "commons.csv"

    result = lbs(runner, "export", "--format", "csv", "--output", str(target))

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8-sig"))))
    assert {r["slug"] for r in rows} == {commons["hub"], commons["reading"]}


def test_the_command_line_and_web_exports_agree_but_for_links(client, runner, commons):
    web = web_json(client)
    cli = json.loads(lbs(runner, "export").output)

    def without_links(data):
        for record in data["entries"]:
            record.pop("page_url")
            for contributor in record["contributors"]:
                contributor.pop("profile_url")
        return data["entries"]

    assert without_links(web) == without_links(cli)


def test_an_unknown_export_format_is_refused(runner):
    result = lbs(runner, "export", "--format", "xml")

    assert result.exit_code != 0
    assert "xml" in result.output


def test_an_empty_commons_exports_an_empty_list(client, runner):
    assert web_json(client)["entries"] == []
    assert web_csv(client) == []

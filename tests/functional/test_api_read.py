"""Reading the commons through the API: the same lists, filters, search and pages as the site,
as JSON with stable names, UTC times and absolute links; JSON errors; reads open to any origin."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select, update

from lbs.domain import contributions, entries, moderation, voting
from lbs.extensions import db
from lbs.models import Entry, EntryTag, Tag, User
from tests.functional.api_scene import (
    API,
    api_get,
    api_post,
    error_of,
    issue_token,
)
from tests.functional.contributing import add_entry, add_user, entry_row
from tests.support.query_counter import counting

ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def _user(username):
    return db.session.scalar(select(User).where(User.username_key == username.lower()))


def upvote(app, voter, slug):
    with app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.slug == slug))
        voting.cast_vote(_user(voter), entry, 1)
        db.session.commit()


def set_entry(app, slug, **values):
    with app.app_context():
        db.session.execute(update(Entry).where(Entry.slug == slug).values(**values))
        db.session.commit()


def slugs(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["slug"] for item in response.get_json()["data"]]


@pytest.fixture
def commons(app):
    """Two hubs and a reading by grace; ada has voted the second hub up."""
    add_user(app, "grace")
    add_user(app, "ada")
    osm = add_entry(app, "grace", "hub", tags=["maps", "geodata"])
    wiki = add_entry(app, "grace", "hub", title="Wikipedia", url="https://www.wikipedia.org",
                     summary="The free encyclopedia.", tags=["wiki"], focus="commons-based initiative")
    book = add_entry(app, "grace", "reading", tags=["commons"])
    upvote(app, "ada", wiki)
    return {"osm": osm, "wiki": wiki, "book": book}


def test_entries_come_best_first_by_default(app, commons):
    response = api_get(app, "/entries")

    assert slugs(response)[0] == commons["wiki"]
    assert response.get_json()["sort"] == "top"


def test_an_entry_in_a_list_has_stable_fields_and_utc_times(app, commons):
    item = api_get(app, "/entries?kind=reading").get_json()["data"][0]

    assert set(item) == {
        "id", "slug", "kind", "status", "fields", "ups", "downs", "comment_count",
        "current_revision", "created_at", "updated_at", "links",
    }
    assert item["fields"]["authors"] == "Yochai Benkler"
    assert item["fields"]["year"] == 2006
    assert ISO_UTC.fullmatch(item["created_at"])
    assert item["links"]["self"] == f"http://localhost{API}/entries/{commons['book']}"
    assert item["links"]["html"] == f"http://localhost/entries/{commons['book']}"


def test_sort_kind_tag_and_focus_filter_like_the_site(app, commons):
    assert slugs(api_get(app, "/entries?sort=new"))[0] == commons["book"]
    assert slugs(api_get(app, "/entries?kind=reading")) == [commons["book"]]
    assert slugs(api_get(app, "/entries?tag=maps")) == [commons["osm"]]
    assert slugs(api_get(app, "/entries?kind=hub&focus=commons-based+initiative")) == [commons["wiki"]]


def test_the_filters_that_applied_are_named_in_the_answer(app, commons):
    body = api_get(app, "/entries?kind=hub&tag=maps&sort=hot").get_json()

    assert body["filters"] == {"kind": "hub", "tag": "maps"}
    assert body["sort"] == "hot"


def test_q_searches_and_ranks_by_relevance(app, commons):
    response = api_get(app, "/entries?q=encyclopedia")

    assert slugs(response) == [commons["wiki"]]
    assert response.get_json()["sort"] == "relevance"


@pytest.mark.parametrize("query", ["AND", '"x', "C++", "NEAR(", "*", "x" * 1000])
def test_any_search_text_is_taken_as_words(app, commons, query):
    assert api_get(app, "/entries", query_string={"q": query}).status_code == 200


def test_pages_link_to_their_neighbours_with_absolute_urls(app):
    add_user(app, "grace")
    for i in range(31):
        add_entry(app, "grace", "hub", title=f"Hub {i}", url=f"https://hub{i}.example.org")

    first = api_get(app, "/entries?sort=new&kind=hub").get_json()
    second = api_get(app, "/entries?sort=new&kind=hub&page=2").get_json()

    assert len(first["data"]) == 30 and len(second["data"]) == 1
    assert first["links"]["prev"] is None
    next_url = urlsplit(first["links"]["next"])
    assert (next_url.scheme, next_url.netloc, next_url.path) == ("http", "localhost", f"{API}/entries")
    assert parse_qs(next_url.query) == {"sort": ["new"], "kind": ["hub"], "page": ["2"]}
    assert second["links"]["next"] is None
    assert parse_qs(urlsplit(second["links"]["prev"]).query)["page"] == ["1"]


@pytest.mark.parametrize(
    ("query", "culprits"),
    [
        ("sort=best", {"sort"}),
        ("page=abc", {"page"}),
        ("page=0", {"page"}),
        ("page=1001", {"page"}),
        ("kind=book&type=novel", {"kind", "type"}),
        ("tag=no%20spaces", {"tag"}),
        ("tag=maps%0A", {"tag"}),
        ("year_from=99", {"year_from"}),
    ],
)
def test_wrong_query_values_are_400s_naming_each_one(app, query, culprits):
    response = api_get(app, f"/entries?{query}")

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == culprits


def test_unknown_query_parameters_are_ignored(app, commons):
    assert api_get(app, "/entries?_=12345").status_code == 200


def test_archived_and_flag_hidden_entries_are_not_listed(app, commons):
    set_entry(app, commons["osm"], status="archived")
    set_entry(app, commons["wiki"], flag_hidden=True)

    assert slugs(api_get(app, "/entries")) == [commons["book"]]
    assert slugs(api_get(app, "/entries?q=map")) == []


def test_an_archived_entry_is_not_found(app, commons):
    set_entry(app, commons["osm"], status="archived")

    response = api_get(app, f"/entries/{commons['osm']}")

    assert response.status_code == 404
    assert error_of(response)["message"]


def test_an_entry_merged_into_another_redirects_there(app, commons):
    target_id = entry_row(app, commons["wiki"])["id"]
    set_entry(app, commons["osm"], status="merged-away", merged_into_id=target_id)

    response = api_get(app, f"/entries/{commons['osm']}")

    assert response.status_code == 301
    assert response.location == f"http://localhost{API}/entries/{commons['wiki']}"
    assert response.get_json()["merged_into"] == commons["wiki"]


def test_an_entry_shows_its_revisions_newest_first(app, commons):
    add_user(app, "mod", role="moderator")
    with app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.slug == commons["osm"]))
        fields = {**entries.snapshot(entry), "licence": "ODbL 1.0", "related": [commons["book"]]}
        entries.add_revision(entry, fields, _user("ada"), _user("mod"), reason="Licence version")
        db.session.commit()

    body = api_get(app, f"/entries/{commons['osm']}").get_json()

    assert body["current_revision"] == 2
    assert body["fields"]["licence"] == "ODbL 1.0"
    assert body["fields"]["related"] == [commons["book"]]
    newest, first = body["revisions"]
    assert (newest["number"], newest["author"], newest["merged_by"], newest["reason"]) == (
        2, "ada", "mod", "Licence version"
    )
    assert newest["fields"]["licence"] == "ODbL 1.0"
    assert (first["number"], first["author"], first["fields"]["licence"]) == (1, "grace", "ODbL")
    assert ISO_UTC.fullmatch(newest["created_at"])


@pytest.mark.parametrize("slug", ["no-such-entry", "UPPER", "a" * 121, "%00", "x%20y"])
def test_an_unknown_slug_is_a_json_404(app, slug):
    response = api_get(app, f"/entries/{slug}")

    assert response.status_code == 404
    error_of(response)


def test_proposals_are_listed_by_status_and_kind(app):
    add_user(app, "grace")
    secret = issue_token(app, "grace")
    hub = {"title": "Appropedia", "url": "https://www.appropedia.org", "focus": "production"}
    reading = {"title": "Peer production", "url": "https://example.org/p", "reading_type": "article"}
    hub_id = api_post(app, "/proposals", {"kind": "hub", "fields": hub}, secret).get_json()["id"]
    api_post(app, "/proposals", {"kind": "reading", "fields": reading}, secret)

    open_hubs = api_get(app, "/proposals?kind=hub").get_json()
    merged = api_get(app, "/proposals?status=merged").get_json()

    assert [p["id"] for p in open_hubs["data"]] == [hub_id]
    assert open_hubs["filters"] == {"status": "open", "kind": "hub"}
    assert merged["data"] == []


def test_an_edit_proposal_names_its_entry_and_base_revision(app, commons):
    secret = issue_token(app, "ada")
    fields = {**api_get(app, f"/entries/{commons['osm']}").get_json()["fields"], "region": "Earth"}
    created = api_post(app, f"/entries/{commons['osm']}/proposals",
                       {"base_revision": 1, "fields": fields, "rationale": "Wider."}, secret)

    body = api_get(app, f"/proposals/{created.get_json()['id']}").get_json()

    assert (body["kind"], body["target_entry"], body["base_revision"]) == ("edit", commons["osm"], 1)
    assert body["fields"]["region"] == "Earth"
    assert (body["author"], body["status"], body["rationale"]) == ("ada", "open", "Wider.")


@pytest.mark.parametrize("proposal_id", ["999", "0", "99999999999", "abc"])
def test_an_unknown_proposal_is_a_json_404(app, proposal_id):
    response = api_get(app, f"/proposals/{proposal_id}")

    assert response.status_code == 404
    error_of(response)


def test_tags_count_live_entries_only(app, commons):
    set_entry(app, commons["osm"], status="archived")

    tags = api_get(app, "/tags").get_json()["data"]

    assert {t["name"]: t["count"] for t in tags} == {"wiki": 1, "commons": 1}
    assert tags[0]["links"]["entries"].startswith(f"http://localhost{API}/entries?tag=")


def test_the_tag_list_is_bounded_with_the_most_used_first(app, commons):
    with app.app_context():
        entry_id = entry_row(app, commons["book"])["id"]
        for i in range(250):
            tag = Tag(name=f"tag-{i:03}")
            db.session.add(tag)
            db.session.flush()
            db.session.add(EntryTag(entry_id=entry_id, tag_id=tag.id))
        db.session.commit()
    add_entry(app, "grace", "reading", title="Second", url="https://example.org/2", tags=["commons"])

    tags = api_get(app, "/tags").get_json()["data"]

    assert len(tags) == 200
    assert tags[0] == {**tags[0], "name": "commons", "count": 2}


def test_a_profile_shows_public_facts_and_proposals_but_never_the_email(app):
    add_user(app, "Grace", karma=7)
    secret = issue_token(app, "Grace")
    reading = {"title": "Peer production", "url": "https://example.org/p", "reading_type": "article"}
    proposal_id = api_post(app, "/proposals", {"kind": "reading", "fields": reading}, secret).get_json()["id"]

    response = api_get(app, "/users/grace")
    body = response.get_json()

    assert (body["username"], body["karma"], body["role"]) == ("Grace", 7, "peer")
    assert ISO_UTC.fullmatch(body["created_at"])
    assert [(p["id"], p["status"]) for p in body["proposals"]] == [(proposal_id, "open")]
    assert "@example.org" not in response.get_data(as_text=True)
    assert "email" not in response.get_data(as_text=True)


@pytest.mark.parametrize("username", ["nobody", "ab", "a" * 31, "bad%00name"])
def test_an_unknown_user_is_a_json_404(app, username):
    response = api_get(app, f"/users/{username}")

    assert response.status_code == 404
    error_of(response)


def test_an_unknown_api_address_is_a_json_404_and_a_page_elsewhere(app):
    api = api_get(app, "/no-such-thing")
    page = app.test_client().get("/no-such-thing")

    assert api.status_code == page.status_code == 404
    error_of(api)
    assert page.mimetype == "text/html"


def test_a_method_an_address_does_not_take_is_a_json_405_with_allow(app):
    response = app.test_client().delete(f"{API}/entries")

    assert response.status_code == 405
    error_of(response)
    assert "GET" in response.headers["Allow"]


def test_a_server_error_is_json_without_a_trace(app, monkeypatch):
    def broken():
        raise RuntimeError("secret internals")

    monkeypatch.setattr("lbs.api.views.tag_counts", broken)

    response = api_get(app, "/tags")

    assert response.status_code == 500
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    error_of(response)


def test_any_origin_may_read(app, commons):
    response = api_get(app, "/entries", headers={"Origin": "https://elsewhere.example"})

    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert api_get(app, "/no-such-thing").headers["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_for_a_read_is_allowed_and_one_for_a_write_is_not(app):
    client = app.test_client()
    preflight = {"Origin": "https://elsewhere.example"}

    read = client.options(f"{API}/proposals", headers={**preflight, "Access-Control-Request-Method": "GET"})
    write = client.options(f"{API}/proposals", headers={
        **preflight, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    })

    assert read.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in read.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in write.headers
    assert "Access-Control-Allow-Headers" not in write.headers


def test_the_html_pages_get_no_cors_headers(app, commons):
    assert "Access-Control-Allow-Origin" not in app.test_client().get("/hubs").headers


def test_the_openapi_document_is_served_to_anyone(app):
    response = api_get(app, "/openapi.json")
    document = response.get_json()

    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def _decided_edits(app, first, last):
    """Entries first..last-1, each with an edit by its own peer that a moderator rejected."""
    for i in range(first, last):
        add_user(app, f"peer{i}")
        slug = add_entry(app, f"peer{i}", "hub", title=f"Hub {i}", url=f"https://hub{i}.example.org")
        with app.app_context():
            entry = db.session.scalar(select(Entry).where(Entry.slug == slug))
            fields = {**contributions.current_fields(entry), "region": "Earth"}
            proposal = contributions.propose_edit(_user(f"peer{i}"), entry, fields, "Wider.", 1)
            moderation.reject(_user("mod"), proposal, "Not now.")
            db.session.commit()


@pytest.mark.parametrize("path", ["/proposals?status=rejected", "/entries?sort=new"])
def test_a_list_costs_the_same_whatever_its_length(app, path):
    def statements(rows):
        api_get(app, path)  # the first visit may fill caches; the second is the steady cost
        with counting(app) as run:
            response = api_get(app, path)
        assert len(response.get_json()["data"]) == rows
        return len(run)

    add_user(app, "mod", role="moderator")
    _decided_edits(app, 0, 2)
    few = statements(2)
    _decided_edits(app, 2, 12)

    assert statements(12) == few

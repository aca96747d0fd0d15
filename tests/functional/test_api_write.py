"""Writing through the API with a token: proposing entries and edits, commenting and voting
under the web's rules and quotas; every refusal is a JSON error and stores nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from lbs.extensions import db
from lbs.models import Comment, Entry, Proposal, Vote
from tests.conftest import make_test_app
from tests.functional.api_scene import API, api_post, error_of, issue_token
from tests.functional.contributing import (
    add_comment_row,
    add_entry,
    add_user,
    browser,
    count,
    entry_row,
    propose,
    row,
)

READING = {
    "title": "Peer production", "url": "https://Example.org/peer-production/?utm_source=x",
    "summary": "An essay on **peer production**.", "tags": ["commons", "peer-production"],
    "authors": "Ada Lovelace", "year": 2006, "venue": "Commons Press", "reading_type": "article",
}
HUB = {
    "title": "Appropedia", "url": "https://www.appropedia.org", "summary": "A wiki.",
    "tags": ["wiki"], "focus": "commons-based initiative", "languages": "English",
    "region": "worldwide", "licence": "CC BY-SA 4.0",
}
NEW = timedelta(days=1)


@pytest.fixture
def scene(app):
    """ada holds a token; grace proposed the OpenStreetMap hub, which is live."""
    add_user(app, "ada")
    add_user(app, "grace")
    slug = add_entry(app, "grace", "hub")
    return {"token": issue_token(app, "ada"), "slug": slug, "entry_id": entry_row(app, slug)["id"]}


def propose_reading(app, secret, **changes):
    body = {"kind": "reading", "fields": {**READING, **changes.pop("fields", {})}, **changes}
    return api_post(app, "/proposals", body, secret)


def current_fields(app, slug):
    return app.test_client().get(f"{API}/entries/{slug}").get_json()["fields"]


def propose_edit(app, scene, secret=None, fields=None, **changes):
    """An edit of the scene's hub: its region changed, unless other `fields` are given."""
    if fields is None:
        fields = {**current_fields(app, scene["slug"]), "region": "Earth"}
    body = {"base_revision": 1, "fields": fields, "rationale": "Wider.", **changes}
    return api_post(app, f"/entries/{scene['slug']}/proposals", body, secret or scene["token"])


def vote(app, secret, target_id, value=1, target_type="entry"):
    return api_post(app, "/votes", {"target_type": target_type, "target_id": target_id,
                                    "value": value}, secret)


def comment(app, secret, target_id, body="Good find.", target_type="entry", **extra):
    return api_post(app, "/comments", {"target_type": target_type, "target_id": target_id,
                                       "body": body, **extra}, secret)


# -- Proposing entries -------------------------------------------------------------------------

def test_a_reading_is_proposed_with_a_token(app, scene):
    response = propose_reading(app, scene["token"], rationale="A classic.")
    body = response.get_json()

    assert response.status_code == 201
    assert response.location == f"http://localhost{API}/proposals/{body['id']}"
    assert (body["kind"], body["entry_kind"], body["status"], body["author"]) == (
        "new", "reading", "open", "ada"
    )
    assert body["fields"]["url"] == "https://example.org/peer-production"
    assert body["fields"]["year"] == 2006
    assert body["rationale"] == "A classic."
    assert row(app, Proposal, body["id"])["title"] == "Peer production"


def test_a_hub_is_proposed_with_a_token(app, scene):
    response = api_post(app, "/proposals", {"kind": "hub", "fields": HUB}, scene["token"])

    assert response.status_code == 201
    assert response.get_json()["fields"]["focus"] == "commons-based initiative"


def test_the_domain_rules_name_every_wrong_field(app, scene):
    response = api_post(app, "/proposals", {"kind": "hub", "fields": {
        **HUB, "url": "javascript:alert(1)", "focus": None, "title": "  "}}, scene["token"])

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"url", "focus", "title"}
    assert count(app, Proposal) == 0


@pytest.mark.parametrize(
    ("body", "culprits"),
    [
        ({"kind": "reading", "fields": READING, "colour": "red"}, {"colour"}),
        ({"kind": "reading", "fields": {**READING, "focus": "production"}}, {"focus"}),
        ({"kind": "reading", "fields": {**READING, "year": "2006"}}, {"year"}),
        ({"kind": "reading", "fields": {**READING, "year": 2006.5}}, {"year"}),
        ({"kind": "reading", "fields": {**READING, "year": 999}}, {"year"}),
        ({"kind": "reading", "fields": {**READING, "tags": "commons, maps"}}, {"tags"}),
        ({"kind": "reading", "fields": {**READING, "title": "x" * 201}}, {"title"}),
        ({"kind": "reading", "fields": {**READING, "related": ["Not A Slug"]}}, {"related"}),
        ({"kind": "reading", "fields": {**READING, "related": ["a-hub\n"]}}, {"related"}),
        ({"kind": "reading", "fields": {**READING, "title": "\ud800"}}, {"title"}),
        ({"kind": "reading", "fields": ["title"]}, {"fields"}),
        ({"kind": "reading", "fields": READING, "accept_similar": "yes"}, {"accept_similar"}),
        ({"kind": "book", "fields": READING}, {"kind"}),
        ({"fields": READING}, {"kind"}),
        ({"kind": "reading"}, {"fields"}),
    ],
)
def test_unknown_fields_and_wrong_types_are_400s_naming_them(app, scene, body, culprits):
    response = api_post(app, "/proposals", body, scene["token"])

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == culprits
    assert count(app, Proposal) == 0


def test_a_whole_number_written_with_a_point_is_a_whole_number(app, scene):
    response = propose_reading(app, scene["token"], fields={"year": 2006.0})

    assert response.status_code == 201
    assert response.get_json()["fields"]["year"] == 2006


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ('{"kind": "reading"', "application/json"),
        ("[1, 2]", "application/json"),
        ('"text"', "application/json"),
        ("kind=reading", "application/x-www-form-urlencoded"),
        ("[" * 100_000 + "]" * 100_000, "application/json"),
        (b"\xff\xfe{", "application/json"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_400(app, scene, data, content_type):
    response = app.test_client().post(
        f"{API}/proposals", data=data, content_type=content_type,
        headers={"Authorization": f"Bearer {scene['token']}"},
    )

    assert response.status_code == 400
    assert "body" in error_of(response)["fields"]


def test_a_body_over_the_size_limit_is_a_json_413_and_stores_nothing(app, scene):
    response = propose_reading(app, scene["token"], fields={"summary": "x" * (1024 * 1024)})

    assert response.status_code == 413
    error_of(response)
    assert count(app, Proposal) == 0


def test_a_link_already_in_the_commons_names_the_entry(app, scene):
    response = api_post(app, "/proposals", {"kind": "hub", "fields": {
        **HUB, "url": "https://www.openstreetmap.org/"}}, scene["token"])

    assert response.status_code == 400
    assert error_of(response)["duplicate_of"] == scene["slug"]


def test_a_link_in_an_open_proposal_needs_accept_similar(app, scene):
    first = propose_reading(app, issue_token(app, "grace")).get_json()["id"]

    refused = propose_reading(app, scene["token"])
    accepted = propose_reading(app, scene["token"], accept_similar=True)

    assert refused.status_code == 400
    assert error_of(refused)["similar_proposals"] == [first]
    assert accepted.status_code == 201


def test_new_accounts_keep_the_link_limit_of_the_site(app, scene):
    add_user(app, "newbie", age=NEW)
    links = " ".join(f"[{i}](https://example.org/{i})" for i in range(3))

    response = propose_reading(app, issue_token(app, "newbie"), fields={"summary": links})

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"summary"}


# -- Proposing edits ---------------------------------------------------------------------------

def test_an_edit_is_proposed_against_a_revision(app, scene):
    response = propose_edit(app, scene)
    body = response.get_json()

    assert response.status_code == 201
    assert (body["kind"], body["target_entry"], body["base_revision"]) == ("edit", scene["slug"], 1)
    assert body["fields"]["region"] == "Earth"
    assert response.location == f"http://localhost{API}/proposals/{body['id']}"


def test_an_edit_against_a_revision_that_does_not_exist_is_a_409(app, scene):
    response = propose_edit(app, scene, base_revision=7)

    assert response.status_code == 409
    error_of(response)
    assert count(app, Proposal) == 0


def test_an_edit_that_changes_nothing_is_a_400(app, scene):
    response = propose_edit(app, scene, fields=current_fields(app, scene["slug"]))

    assert response.status_code == 400
    assert count(app, Proposal) == 0


@pytest.mark.parametrize(
    ("changes", "culprits"),
    [
        ({"fields": {"title": "OpenStreetMap", "year": 2001}}, {"year"}),
        ({"rationale": None}, {"rationale"}),
        ({"base_revision": 0}, {"base_revision"}),
        ({"kind": "hub"}, {"kind"}),
    ],
)
def test_an_edit_takes_only_its_own_kinds_fields(app, scene, changes, culprits):
    response = propose_edit(app, scene, **changes)

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == culprits


def test_an_edit_needs_a_rationale(app, scene):
    fields = current_fields(app, scene["slug"])
    response = api_post(app, f"/entries/{scene['slug']}/proposals",
                        {"base_revision": 1, "fields": {**fields, "region": "Earth"}}, scene["token"])

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"rationale"}


def test_an_archived_or_unknown_entry_takes_no_edits(app, scene):
    fields = {**current_fields(app, scene["slug"]), "region": "Earth"}
    with app.app_context():
        db.session.execute(update(Entry).values(status="archived"))
        db.session.commit()

    assert propose_edit(app, scene, fields=fields).status_code == 404
    assert api_post(app, "/entries/nothing-here/proposals", {}, scene["token"]).status_code == 404
    assert count(app, Proposal) == 0


# -- Comments ----------------------------------------------------------------------------------

def test_a_comment_is_added_with_a_token(app, scene):
    response = comment(app, scene["token"], scene["entry_id"], "Try the *beginners' guide*.")
    body = response.get_json()

    assert response.status_code == 201
    assert (body["author"], body["target_type"], body["target_id"], body["parent_id"]) == (
        "ada", "entry", scene["entry_id"], None
    )
    assert body["body"] == "Try the *beginners' guide*."
    assert body["links"]["html"] == f"http://localhost/comments/{body['id']}"
    assert entry_row(app, scene["slug"])["comment_count"] == 1


def test_a_reply_stays_in_its_discussion(app, scene):
    parent = add_comment_row(app, "grace", "entry", scene["entry_id"])
    proposal_id = propose_reading(app, scene["token"]).get_json()["id"]

    reply = comment(app, scene["token"], scene["entry_id"], "Agreed.", parent_id=parent)
    astray = comment(app, scene["token"], proposal_id, "Lost.", target_type="proposal",
                     parent_id=parent)

    assert reply.status_code == 201
    assert reply.get_json()["parent_id"] == parent
    assert astray.status_code == 400
    assert count(app, Comment) == 2


def test_a_comment_needs_words_and_a_target_that_exists(app, scene):
    assert comment(app, scene["token"], scene["entry_id"], "   ").status_code == 400
    assert comment(app, scene["token"], 999).status_code == 404
    assert comment(app, scene["token"], scene["entry_id"], target_type="comment").status_code == 400
    assert count(app, Comment) == 0


def test_an_archived_entry_takes_no_comments(app, scene):
    with app.app_context():
        db.session.execute(update(Entry).values(status="archived"))
        db.session.commit()

    response = comment(app, scene["token"], scene["entry_id"])

    assert response.status_code == 403
    error_of(response)


# -- Votes -------------------------------------------------------------------------------------

def test_a_vote_is_cast_changed_and_withdrawn(app, scene):
    up = vote(app, scene["token"], scene["entry_id"], 1)
    again = vote(app, scene["token"], scene["entry_id"], 1)
    withdrawn = vote(app, scene["token"], scene["entry_id"], 0)

    assert up.status_code == again.status_code == withdrawn.status_code == 200
    assert up.get_json() == {"target_type": "entry", "target_id": scene["entry_id"], "value": 1,
                             "ups": 1, "downs": 0}
    assert again.get_json()["ups"] == 1
    assert withdrawn.get_json()["ups"] == 0
    assert count(app, Vote) == 0


def test_nobody_votes_on_their_own_contribution(app, scene):
    response = vote(app, issue_token(app, "grace"), scene["entry_id"])

    assert response.status_code == 403
    error_of(response)
    assert count(app, Vote) == 0


def test_a_down_vote_needs_karma(app, scene):
    response = vote(app, scene["token"], scene["entry_id"], -1)

    assert response.status_code == 403
    assert "karma" in error_of(response)["message"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"target_type": "entry", "target_id": 999, "value": 1}, 404),
        ({"target_type": "entry", "target_id": 2**31, "value": 1}, 400),
        ({"target_type": "entry", "target_id": "1", "value": 1}, 400),
        ({"target_type": "entry", "target_id": 1, "value": 2}, 400),
        ({"target_type": "entry", "target_id": 1, "value": True}, 400),
        ({"target_type": "flag", "target_id": 1, "value": 1}, 400),
        ({"target_type": "entry", "target_id": 1}, 400),
    ],
)
def test_a_vote_on_nothing_or_of_the_wrong_shape_is_refused(app, scene, body, status):
    response = api_post(app, "/votes", body, scene["token"])

    assert response.status_code == status
    error_of(response)
    assert count(app, Vote) == 0


# -- Quotas ------------------------------------------------------------------------------------

@pytest.fixture
def limited(app, database_url):
    """An app with the limits switched on. Built after `app`: the limiter is shared, and the
    last app built decides whether it is on."""
    limited_app = make_test_app(database_url, RATELIMIT_ENABLED=True)
    yield limited_app
    with limited_app.app_context():
        db.session.remove()
        db.engine.dispose()


def assert_slow_down(response):
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 24 * 60 * 60
    assert "Try again in" in error_of(response)["message"]


def test_a_new_account_gets_three_proposals_a_day_through_the_api_too(limited):
    add_user(limited, "newbie", age=NEW)
    secret = issue_token(limited, "newbie")

    statuses = [propose_reading(limited, secret, fields={"url": f"https://example.org/{i}"})
                .status_code for i in range(3)]
    fourth = propose_reading(limited, secret, fields={"url": "https://example.org/4"})

    assert statuses == [201] * 3
    assert_slow_down(fourth)
    assert count(limited, Proposal) == 3


def test_refused_proposals_do_not_use_up_the_quota(limited):
    add_user(limited, "newbie", age=NEW)
    secret = issue_token(limited, "newbie")

    for _ in range(4):
        assert propose_reading(limited, secret, fields={"url": "javascript:x"}).status_code == 400
    statuses = [propose_reading(limited, secret, fields={"url": f"https://example.org/{i}"})
                .status_code for i in range(3)]

    assert statuses == [201] * 3


def test_the_site_and_the_api_draw_on_one_proposal_quota(limited):
    add_user(limited, "newbie", age=NEW)
    site = browser(limited, "newbie")
    secret = issue_token(limited, "newbie")

    assert propose(site, "reading", url="https://example.org/site-1").status_code == 302
    assert propose(site, "reading", url="https://example.org/site-2").status_code == 302
    assert propose_reading(limited, secret).status_code == 201
    assert_slow_down(propose_reading(limited, secret, fields={"url": "https://example.org/api-2"}))
    assert propose(site, "reading", url="https://example.org/site-3").status_code == 429


def test_the_site_and_the_api_draw_on_one_vote_quota(limited):
    limited.config["VOTES_LIMIT"] = "2 per day"
    add_user(limited, "owner")
    add_user(limited, "voter")
    ids = [entry_row(limited, add_entry(limited, "owner", "hub", title=f"Hub {i}",
                                        url=f"https://hub{i}.example.org"))["id"] for i in range(3)]
    site = browser(limited, "voter")
    secret = issue_token(limited, "voter")

    assert site.post(f"/vote/entry/{ids[0]}", data={"value": "1"}).status_code == 303
    assert vote(limited, secret, ids[1]).status_code == 200
    assert_slow_down(vote(limited, secret, ids[2]))
    assert count(limited, Vote) == 2


def test_the_site_and_the_api_draw_on_one_comment_quota(limited):
    limited.config["COMMENTS_LIMIT"] = "2 per hour"
    add_user(limited, "owner")
    add_user(limited, "talker")
    entry_id = entry_row(limited, add_entry(limited, "owner", "hub"))["id"]
    site = browser(limited, "talker")
    secret = issue_token(limited, "talker")

    assert site.post(f"/comments/entry/{entry_id}", data={"body": "One."}).status_code == 303
    assert comment(limited, secret, entry_id, "Two.").status_code == 201
    assert_slow_down(comment(limited, secret, entry_id, "Three."))
    assert count(limited, Comment) == 2


def test_quotas_count_each_account_apart(limited):
    limited.config["VOTES_LIMIT"] = "1 per day"
    add_user(limited, "owner")
    add_user(limited, "ada")
    add_user(limited, "bob")
    entry_id = entry_row(limited, add_entry(limited, "owner", "hub"))["id"]

    assert vote(limited, issue_token(limited, "ada"), entry_id).status_code == 200
    assert vote(limited, issue_token(limited, "bob"), entry_id).status_code == 200

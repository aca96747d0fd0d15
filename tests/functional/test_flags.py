"""Flagging entries, proposals and comments for moderators: once per person, with a reason."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from lbs.extensions import db
from lbs.models import Entry, Flag
from tests.functional.contributing import (
    add_comment_row,
    add_entry,
    add_user,
    browser,
    count,
    entry_row,
    field_error,
    links,
    proposal_id,
    propose,
    shown_value,
)


@pytest.fixture
def scene(app):
    add_user(app, "ada")
    add_user(app, "bob")
    slug = add_entry(app, "ada", "hub")
    return {"slug": slug, "entry_id": entry_row(app, slug)["id"], "ada": browser(app, "ada"),
            "bob": browser(app, "bob")}


def flag(client, target_type, target_id, reason, **extra):
    return client.post(f"/flag/{target_type}/{target_id}", data={"reason": reason, **extra})


def stored_flags(app):
    with app.app_context():
        return [(f.target_type, f.target_id, f.reason, f.duplicate_of_id, f.note)
                for f in db.session.query(Flag).order_by(Flag.id)]


def test_the_flag_form_offers_the_reasons(scene):
    response = scene["bob"].get(f"/flag/entry/{scene['entry_id']}")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for reason in ("spam", "off-topic", "abuse", "broken-link", "duplicate"):
        assert f'value="{reason}"' in page


def test_the_entry_page_offers_a_flag_link_to_established_peers(scene):
    page = scene["bob"].get(f"/entries/{scene['slug']}").get_data(as_text=True)

    assert f"/flag/entry/{scene['entry_id']}" in links(page)


@pytest.mark.parametrize("reason", ["spam", "off-topic", "abuse", "broken-link"])
def test_a_flag_is_recorded_and_the_peer_goes_back_to_the_entry(app, scene, reason):
    response = flag(scene["bob"], "entry", scene["entry_id"], reason, note="See the footer.")

    assert response.status_code == 303
    assert urlsplit(response.location).path == f"/entries/{scene['slug']}"
    assert stored_flags(app) == [("entry", scene["entry_id"], reason, None, "See the footer.")]


def test_a_second_flag_on_the_same_thing_is_a_conflict(app, scene):
    flag(scene["bob"], "entry", scene["entry_id"], "spam")

    response = flag(scene["bob"], "entry", scene["entry_id"], "abuse")

    assert response.status_code == 409
    assert [f[2] for f in stored_flags(app)] == ["spam"]


def test_two_peers_may_each_flag_the_same_thing(app, scene):
    add_user(app, "cy")
    flag(scene["bob"], "entry", scene["entry_id"], "spam")

    assert flag(browser(app, "cy"), "entry", scene["entry_id"], "spam").status_code == 303
    assert count(app, Flag) == 2


def test_a_proposal_and_a_comment_can_be_flagged(app, scene):
    pid = proposal_id(propose(scene["ada"], "hub", url="https://example.org/p"))
    cid = add_comment_row(app, "ada", "entry", scene["entry_id"])

    assert flag(scene["bob"], "proposal", pid, "off-topic").status_code == 303
    response = flag(scene["bob"], "comment", cid, "abuse")

    assert response.status_code == 303
    assert response.location == f"/entries/{scene['slug']}#comment-{cid}"
    assert [(f[0], f[1]) for f in stored_flags(app)] == [("proposal", pid), ("comment", cid)]


@pytest.mark.parametrize("named", ["{slug}", "/entries/{slug}", "http://localhost/entries/{slug}/"])
def test_a_duplicate_flag_names_the_live_entry_it_duplicates(app, scene, named):
    original = add_entry(app, "bob", "hub", title="OSM", url="https://osm.example.org")

    response = flag(scene["bob"], "entry", scene["entry_id"], "duplicate",
                    duplicate_of=named.format(slug=original))

    assert response.status_code == 303
    assert stored_flags(app)[0][3] == entry_row(app, original)["id"]


@pytest.mark.parametrize("named", ["", "no-such-entry"])
def test_a_duplicate_flag_without_a_live_entry_is_refused_by_the_field(app, scene, named):
    response = flag(scene["bob"], "entry", scene["entry_id"], "duplicate", duplicate_of=named,
                    note="Same as the other one.")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(page, "duplicate_of")
    assert shown_value(page, "duplicate_of") == named
    assert shown_value(page, "note") == "Same as the other one."
    assert count(app, Flag) == 0


def test_a_duplicate_of_an_archived_entry_is_refused(app, scene):
    original = add_entry(app, "bob", "hub", title="OSM", url="https://osm.example.org")
    with app.app_context():
        db.session.query(Entry).filter_by(slug=original).one().status = "archived"
        db.session.commit()

    response = flag(scene["bob"], "entry", scene["entry_id"], "duplicate", duplicate_of=original)

    assert response.status_code == 400
    assert count(app, Flag) == 0


def test_an_entry_is_not_a_duplicate_of_itself(app, scene):
    response = flag(scene["bob"], "entry", scene["entry_id"], "duplicate", duplicate_of=scene["slug"])

    assert response.status_code == 400
    assert count(app, Flag) == 0


@pytest.mark.parametrize("reason", ["", "boring"])
def test_a_flag_without_a_known_reason_is_refused(app, scene, reason):
    response = flag(scene["bob"], "entry", scene["entry_id"], reason)

    assert response.status_code == 400
    assert count(app, Flag) == 0


def test_an_overlong_note_comes_back_with_the_note_kept(app, scene):
    note = "n" * 1001

    response = flag(scene["bob"], "entry", scene["entry_id"], "spam", note=note)

    assert response.status_code == 400
    assert shown_value(response.get_data(as_text=True), "note") == note
    assert count(app, Flag) == 0


def test_a_new_account_cannot_flag(app, scene):
    add_user(app, "newbie", age=timedelta(days=13))
    newbie = browser(app, "newbie")

    assert newbie.get(f"/flag/entry/{scene['entry_id']}").status_code == 403
    assert flag(newbie, "entry", scene["entry_id"], "spam").status_code == 403
    assert count(app, Flag) == 0
    page = newbie.get(f"/entries/{scene['slug']}").get_data(as_text=True)
    assert f"/flag/entry/{scene['entry_id']}" not in page


def test_an_account_older_than_two_weeks_can_flag(app, scene):
    add_user(app, "settled", age=timedelta(days=15))

    assert flag(browser(app, "settled"), "entry", scene["entry_id"], "spam").status_code == 303


def test_nobody_flags_their_own_contribution(app, scene):
    assert flag(scene["ada"], "entry", scene["entry_id"], "spam").status_code == 403
    assert count(app, Flag) == 0


def test_a_visitor_is_sent_to_log_in(app, scene, client):
    response = flag(client, "entry", scene["entry_id"], "spam")

    assert response.status_code == 302
    assert urlsplit(response.location).path == "/login"
    assert count(app, Flag) == 0


def test_flagging_something_that_does_not_exist_is_a_404(scene):
    assert flag(scene["bob"], "entry", 999, "spam").status_code == 404

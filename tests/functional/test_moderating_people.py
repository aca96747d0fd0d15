"""Moderating talk and people: hiding and unhiding comments with a reason, and suspending and
reinstating accounts, within what each role may do."""

from urllib.parse import urlsplit

import pytest

from lbs.models import LoginSession
from tests.conftest import PASSWORD
from tests.functional.moderating import (
    add_entry,
    add_proposal,
    add_user,
    comment,
    comment_row,
    count,
    entry_id,
    entry_row,
    flag,
    flags_on,
    log_rows,
    login,
    proposal_row,
    section,
    text_of,
    user_row,
)

# --- hiding comments --------------------------------------------------------------------------------


@pytest.fixture
def talk(app):
    """Bob's rude comment under Ada's hub, and a moderator."""
    for name in ("ada", "bob", "cy"):
        add_user(app, name)
    add_user(app, "mod", role="moderator")
    slug = add_entry(app, "ada")
    comment(app, "ada", "entry", entry_id(app, slug), "A kind word.")
    rude = comment(app, "bob", "entry", entry_id(app, slug), "You are all fools.")
    return {"slug": slug, "comment": rude, "mod": login(app, "mod")}


def hide(client, comment_id, action="hide", reason="Insults are not discussion."):
    return client.post(f"/moderation/comments/{comment_id}/{action}", data={"reason": reason})


def discussion_of(client, slug):
    page = client.get(f"/entries/{slug}").get_data(as_text=True)
    return text_of(page[page.index('class="discussion"'):])


def test_hiding_a_comment_sends_the_moderator_back_to_it(app, talk):
    response = hide(talk["mod"], talk["comment"])

    assert response.status_code == 303
    assert urlsplit(response.location).path == f"/comments/{talk['comment']}"


def test_others_see_a_placeholder_with_the_reason(app, talk, client):
    hide(talk["mod"], talk["comment"])

    for viewer in (client, login(app, "cy")):
        shown = discussion_of(viewer, talk["slug"])
        assert "You are all fools." not in shown
        assert "[hidden by a moderator: Insults are not discussion.]" in shown
        assert "A kind word." in shown


def test_the_author_still_sees_their_comment_marked_hidden(app, talk):
    hide(talk["mod"], talk["comment"])

    shown = discussion_of(login(app, "bob"), talk["slug"])

    assert "You are all fools." in shown
    assert "Hidden by a moderator: Insults are not discussion." in shown


def test_the_comment_count_leaves_the_hidden_comment_out(app, talk, client):
    hide(talk["mod"], talk["comment"])

    assert "Discussion (1)" in discussion_of(client, talk["slug"])
    assert entry_row(app, talk["slug"])["comment_count"] == 1


def test_a_hidden_comment_on_a_proposal_leaves_its_count_in_the_queue(app, talk):
    proposal = add_proposal(app, "ada", title="Appropedia", url="https://www.appropedia.org")
    comment(app, "cy", "proposal", proposal, "Yes please.")
    rude = comment(app, "bob", "proposal", proposal, "Nobody needs this.")

    hide(talk["mod"], rude)

    page = talk["mod"].get("/moderation").get_data(as_text=True)
    assert "New hub: Appropedia by ada +0 / −0 1" in text_of(section(page, "q-proposals"))
    assert proposal_row(app, proposal)["comment_count"] == 1


def test_hiding_is_logged_with_its_reason(app, talk):
    hide(talk["mod"], talk["comment"])

    assert [(r["action"], r["target_type"], r["target_id"], r["reason"], r["target_label"])
            for r in log_rows(app)] == [("hide-comment", "comment", talk["comment"],
                                         "Insults are not discussion.", "comment by bob")]


def test_hiding_a_flagged_comment_resolves_its_flags(app, talk):
    flag(app, "cy", "comment", talk["comment"], "abuse")

    hide(talk["mod"], talk["comment"])

    assert [f["status"] for f in flags_on(app, "comment", talk["comment"])] == ["resolved"]


def test_unhiding_shows_the_comment_to_everyone_again(app, talk, client):
    hide(talk["mod"], talk["comment"])

    response = hide(talk["mod"], talk["comment"], "unhide", reason="It was a quote.")

    assert response.status_code == 303
    shown = discussion_of(client, talk["slug"])
    assert "You are all fools." in shown
    assert "Discussion (2)" in shown
    assert comment_row(app, talk["comment"])["hidden_reason"] is None
    assert [r["action"] for r in log_rows(app)] == ["hide-comment", "unhide-comment"]


def test_a_hidden_comment_cannot_be_hidden_twice(app, talk):
    hide(talk["mod"], talk["comment"])

    response = hide(talk["mod"], talk["comment"])

    assert response.status_code == 409
    assert entry_row(app, talk["slug"])["comment_count"] == 1
    assert len(log_rows(app)) == 1


def test_a_visible_comment_cannot_be_unhidden(app, talk):
    response = hide(talk["mod"], talk["comment"], "unhide")

    assert response.status_code == 409
    assert entry_row(app, talk["slug"])["comment_count"] == 2


@pytest.mark.parametrize("action", ["hide", "unhide"])
def test_hiding_and_unhiding_need_a_reason(app, talk, action):
    if action == "unhide":
        hide(talk["mod"], talk["comment"])
    status = comment_row(app, talk["comment"])["status"]

    response = hide(talk["mod"], talk["comment"], action, reason="")

    assert response.status_code == 400
    assert comment_row(app, talk["comment"])["status"] == status


def test_a_peer_cannot_hide_a_comment(app, talk):
    response = hide(login(app, "cy"), talk["comment"])

    assert response.status_code == 403
    assert comment_row(app, talk["comment"])["status"] == "visible"


def test_hiding_an_unknown_comment_is_not_found(talk):
    assert hide(talk["mod"], 999).status_code == 404


def test_moderators_find_a_hide_button_under_each_comment(app, talk, client):
    action = f'action="/moderation/comments/{talk["comment"]}/hide"'

    assert action in talk["mod"].get(f"/entries/{talk['slug']}").get_data(as_text=True)
    assert action not in login(app, "cy").get(f"/entries/{talk['slug']}").get_data(as_text=True)


# --- suspending and reinstating ----------------------------------------------------------------------


@pytest.fixture
def people(app):
    """A peer, two moderators and two admins, each logged in."""
    roles = {"peer": "peer", "mod": "moderator", "mod2": "moderator", "root": "admin",
             "root2": "admin"}
    for name, role in roles.items():
        add_user(app, name, role=role)
    return roles


def suspend(client, username, action="suspend", reason="Spammed twelve proposals."):
    return client.post(f"/moderation/users/{username}/{action}", data={"reason": reason})


@pytest.mark.parametrize("actor, target, allowed", [
    ("root", "peer", True),
    ("root", "mod", True),
    ("root", "root2", True),
    ("root", "root", False),
    ("mod", "peer", True),
    ("mod", "mod2", False),
    ("mod", "root", False),
    ("mod", "mod", False),
    ("peer", "mod", False),
])
def test_who_may_suspend_whom(app, people, actor, target, allowed):
    response = suspend(login(app, actor), target)

    assert response.status_code == (303 if allowed else 403)
    assert user_row(app, target)["status"] == ("suspended" if allowed else "active")


def test_a_suspension_keeps_its_reason_and_is_logged(app, people):
    response = suspend(login(app, "mod"), "peer", reason="Spammed twelve proposals.")

    assert urlsplit(response.location).path == "/users/peer"
    assert user_row(app, "peer")["suspended_reason"] == "Spammed twelve proposals."
    assert [(r["action"], r["moderator"], r["target_type"], r["target_label"], r["reason"])
            for r in log_rows(app)] == [("suspend", "mod", "user", "peer",
                                         "Spammed twelve proposals.")]


def test_a_suspended_peers_live_session_becomes_anonymous(app, people):
    browser = login(app, "peer")
    assert browser.get("/notifications").status_code == 200

    suspend(login(app, "mod"), "peer")

    response = browser.get("/notifications")
    assert response.status_code == 302
    assert urlsplit(response.location).path == "/login"
    assert count(app, LoginSession, LoginSession.ended_at.is_(None),
                 LoginSession.user_id == user_row(app, "peer")["id"]) == 0


def test_a_suspended_moderator_loses_the_queue_at_once(app, people):
    browser = login(app, "mod")

    suspend(login(app, "root"), "mod")

    assert urlsplit(browser.get("/moderation").location).path == "/login"


def test_a_suspended_account_cannot_log_in_and_is_told_why(app, people, client):
    suspend(login(app, "mod"), "peer", reason="Spammed twelve proposals.")

    response = client.post("/login", data={"login": "peer", "password": PASSWORD})

    assert response.status_code == 400
    assert "This account is suspended: Spammed twelve proposals." in text_of(
        response.get_data(as_text=True))


def test_a_reinstated_account_can_log_in_again(app, people):
    moderator = login(app, "mod")
    suspend(moderator, "peer")

    response = suspend(moderator, "peer", "reinstate", reason="Promised to stop.")

    assert response.status_code == 303
    assert (user_row(app, "peer")["status"], user_row(app, "peer")["suspended_reason"]) == (
        "active", None)
    login(app, "peer")
    assert [r["action"] for r in log_rows(app)] == ["suspend", "reinstate"]


def test_a_suspended_account_cannot_be_suspended_again(app, people):
    moderator = login(app, "mod")
    suspend(moderator, "peer")

    assert suspend(moderator, "peer").status_code == 409
    assert len(log_rows(app)) == 1


def test_an_active_account_cannot_be_reinstated(app, people):
    assert suspend(login(app, "mod"), "peer", "reinstate").status_code == 409
    assert log_rows(app) == []


def test_a_moderator_cannot_reinstate_a_suspended_moderator(app, people):
    suspend(login(app, "root"), "mod2")

    assert suspend(login(app, "mod"), "mod2", "reinstate").status_code == 403
    assert user_row(app, "mod2")["status"] == "suspended"


@pytest.mark.parametrize("action", ["suspend", "reinstate"])
def test_suspending_and_reinstating_need_a_reason(app, people, action):
    moderator = login(app, "mod")
    if action == "reinstate":
        suspend(moderator, "peer")
    status = user_row(app, "peer")["status"]

    assert suspend(moderator, "peer", action, reason=" ").status_code == 400
    assert user_row(app, "peer")["status"] == status


def test_suspending_an_unknown_account_is_not_found(app, people):
    assert suspend(login(app, "mod"), "nobody").status_code == 404


def test_the_profile_offers_the_suspension_only_where_it_works(app, people):
    action = 'action="/moderation/users/peer/suspend"'

    assert action in login(app, "mod").get("/users/peer").get_data(as_text=True)
    assert 'action="/moderation/users/mod2/suspend"' not in login(app, "mod").get(
        "/users/mod2").get_data(as_text=True)


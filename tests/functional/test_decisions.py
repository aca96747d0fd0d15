"""Rejecting a proposal, closing it as a duplicate of an entry, and every way a decision is
refused: no reason, a proposal no longer open or changed meanwhile, one's own proposal, a
peer, a suspended moderator, an unknown proposal."""

from urllib.parse import urlsplit

import pytest

from lbs.domain import contributions
from lbs.extensions import db
from lbs.models import Entry, Notification, Proposal, Revision, Vote
from tests.functional.moderating import (
    REASON,
    add_entry,
    add_proposal,
    add_user,
    cast,
    count,
    decision_form,
    entry_id,
    entry_row,
    log_rows,
    login,
    proposal_row,
    text_of,
    user_named,
    user_row,
    votes_on,
)

DECISIONS = ("merge", "reject", "duplicate")


@pytest.fixture
def scene(app):
    add_user(app, "ada")
    add_user(app, "mod", role="moderator")
    return {"proposal": add_proposal(app, "ada"), "mod": login(app, "mod"),
            "slug": add_entry(app, "ada", title="Appropedia", url="https://www.appropedia.org")}


def decide(client, proposal_id, decision, reason=REASON, **extra):
    data = {"reason": reason, **extra}
    if decision == "duplicate":
        data.setdefault("entry", "appropedia")
    return client.post(f"/moderation/proposals/{proposal_id}/{decision}", data=data)


def nothing_decided(app, proposal_id):
    """The proposal is open and undecided, and no moderator's decision left a trace."""
    proposal = proposal_row(app, proposal_id)
    assert (proposal["status"], proposal["decided_by_id"], proposal["decision_reason"]) == (
        "open", None, None)
    assert count(app, Entry) == 1
    assert count(app, Notification) == 0
    assert log_rows(app) == []
    return True


# --- reject --------------------------------------------------------------------------------------


def test_rejecting_sends_the_moderator_to_the_proposal(app, scene):
    response = decide(scene["mod"], scene["proposal"], "reject")

    assert response.status_code == 303
    assert urlsplit(response.location).path == f"/proposals/{scene['proposal']}"


def test_a_rejected_proposal_keeps_its_reason_and_decider(app, scene, client):
    decide(scene["mod"], scene["proposal"], "reject", reason="Not peer production.")

    rejected = proposal_row(app, scene["proposal"])
    assert (rejected["status"], rejected["decision_reason"]) == ("rejected",
                                                                "Not peer production.")
    assert rejected["decided_by_id"] == user_row(app, "mod")["id"]
    page = text_of(client.get(f"/proposals/{scene['proposal']}").get_data(as_text=True))
    assert "Decision by mod: “Not peer production.”" in page


def test_a_rejected_proposal_enters_nothing_into_the_commons(app, scene):
    decide(scene["mod"], scene["proposal"], "reject")

    assert count(app, Entry) == 1
    assert count(app, Revision) == 1


def test_a_rejection_is_logged(app, scene):
    decide(scene["mod"], scene["proposal"], "reject", reason="Not peer production.")

    assert [(r["action"], r["moderator"], r["target_id"], r["reason"]) for r in log_rows(app)] == [
        ("reject", "mod", scene["proposal"], "Not peer production.")]


# --- close as a duplicate ---------------------------------------------------------------------------


@pytest.mark.parametrize("named", ["appropedia", "http://localhost/entries/appropedia",
                                   "/entries/appropedia/"])
def test_a_proposal_is_closed_as_a_duplicate_of_the_entry_named(app, scene, named):
    response = decide(scene["mod"], scene["proposal"], "duplicate", entry=named)

    assert response.status_code == 303
    assert urlsplit(response.location).path == f"/proposals/{scene['proposal']}"
    closed = proposal_row(app, scene["proposal"])
    assert (closed["status"], closed["duplicate_of_id"]) == ("duplicate",
                                                            entry_id(app, "appropedia"))


def test_the_closed_proposal_points_to_its_entry(app, scene, client):
    decide(scene["mod"], scene["proposal"], "duplicate", reason="Appropedia covers it.")

    page = text_of(client.get(f"/proposals/{scene['proposal']}").get_data(as_text=True))
    assert "Closed as a duplicate of Appropedia" in page
    assert "Decision by mod: “Appropedia covers it.”" in page


def test_a_duplicate_is_logged_with_the_entry(app, scene):
    decide(scene["mod"], scene["proposal"], "duplicate", reason="Appropedia covers it.")

    [logged] = log_rows(app)
    assert (logged["action"], logged["target_id"], logged["reason"]) == (
        "mark-duplicate", scene["proposal"], "Appropedia covers it.")
    assert logged["details"] == {"entry": "appropedia"}


@pytest.fixture
def supported(app, scene):
    """The proposal has Bob's and Cy's up-votes and Dan's down-vote; Bob had up-voted the
    entry already, and Eve had down-voted it."""
    for name in ("bob", "cy"):
        add_user(app, name)
    for name in ("dan", "eve"):
        add_user(app, name, karma=10)
    hub = entry_id(app, "appropedia")
    cast(app, "bob", "entry", hub, 1)
    cast(app, "eve", "entry", hub, -1)
    for name, value in (("bob", 1), ("cy", 1), ("dan", -1), ("eve", 1)):
        cast(app, name, "proposal", scene["proposal"], value)
    return hub


def test_the_proposals_up_votes_move_to_the_entry_counting_nobody_twice(app, scene, supported):
    decide(scene["mod"], scene["proposal"], "duplicate")

    assert votes_on(app, "entry", supported) == {"bob": 1, "cy": 1, "eve": -1}
    entry = entry_row(app, "appropedia")
    assert (entry["ups"], entry["downs"]) == (2, 1)


def test_the_entrys_proposer_gains_the_moved_support_as_karma(app, scene, supported):
    before = user_row(app, "ada")["karma"]

    decide(scene["mod"], scene["proposal"], "duplicate")

    assert user_row(app, "ada")["karma"] == before + 1


def test_an_up_vote_by_the_entrys_own_proposer_does_not_move(app):
    for name in ("ada", "bob"):
        add_user(app, name)
    add_user(app, "mod", role="moderator")
    slug = add_entry(app, "bob")
    proposal = add_proposal(app, "ada", title="OSM", url="https://osm.example.org")
    cast(app, "bob", "proposal", proposal)

    decide(login(app, "mod"), proposal, "duplicate", entry=slug)

    assert votes_on(app, "entry", entry_id(app, slug)) == {}
    assert entry_row(app, slug)["ups"] == 0


@pytest.mark.parametrize("named", ["", "no-such-entry", "http://localhost/hubs"])
def test_a_duplicate_needs_an_entry_that_exists(app, scene, named):
    response = decide(scene["mod"], scene["proposal"], "duplicate", entry=named)

    assert response.status_code == 400
    assert "Name a live entry in the commons" in response.get_data(as_text=True)
    assert nothing_decided(app, scene["proposal"])


def test_a_proposal_cannot_duplicate_an_archived_entry(app, scene):
    scene["mod"].post("/moderation/entries/appropedia/archive", data={"reason": "Gone."})

    response = decide(scene["mod"], scene["proposal"], "duplicate")

    assert response.status_code == 400
    assert proposal_row(app, scene["proposal"])["status"] == "open"


def test_the_refused_duplicate_form_keeps_what_was_typed(app, scene):
    response = decide(scene["mod"], scene["proposal"], "duplicate", entry="no-such-entry",
                      reason="Same wiki.")

    page = response.get_data(as_text=True)
    assert 'value="no-such-entry"' in page
    assert "Same wiki.</textarea>" in page


# --- refusals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("decision", DECISIONS)
@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_decision_without_a_reason_is_refused_and_changes_nothing(app, scene, decision, reason):
    response = decide(scene["mod"], scene["proposal"], decision, reason=reason)

    assert response.status_code == 400
    assert "Give a reason" in response.get_data(as_text=True)
    assert nothing_decided(app, scene["proposal"])


@pytest.mark.parametrize("decision", DECISIONS)
def test_a_proposal_decided_already_cannot_be_decided_again(app, scene, decision):
    decide(scene["mod"], scene["proposal"], "reject", reason="First decision.")

    response = decide(scene["mod"], scene["proposal"], decision, reason="Second decision.")

    assert response.status_code == 409
    assert proposal_row(app, scene["proposal"])["decision_reason"] == "First decision."
    assert count(app, Entry) == 1
    assert [r["reason"] for r in log_rows(app)] == ["First decision."]


@pytest.mark.parametrize("decision", DECISIONS)
def test_a_withdrawn_proposal_cannot_be_decided(app, scene, decision):
    login(app, "ada").post(f"/proposals/{scene['proposal']}/withdraw")

    response = decide(scene["mod"], scene["proposal"], decision)

    assert response.status_code == 409
    assert proposal_row(app, scene["proposal"])["status"] == "withdrawn"
    assert log_rows(app) == []


@pytest.mark.parametrize("decision", DECISIONS)
def test_a_proposal_changed_since_the_moderator_loaded_it_is_not_decided(app, scene, decision):
    seen = decision_form(scene["mod"], scene["proposal"])
    with app.app_context():
        proposal = db.session.get(Proposal, scene["proposal"])
        contributions.update_proposal(user_named("ada"), proposal,
                                      {**proposal.fields, "summary": "Now about something else."},
                                      "", accept_similar=True)
        db.session.commit()

    response = decide(scene["mod"], scene["proposal"], decision, version=seen["version"])

    assert response.status_code == 409
    assert "Someone decided on or changed this proposal" in response.get_data(as_text=True)
    assert nothing_decided(app, scene["proposal"])


def test_the_conflict_page_shows_the_proposal_as_it_is_now(app, scene):
    decide(scene["mod"], scene["proposal"], "reject", reason="First decision.")

    page = text_of(decide(scene["mod"], scene["proposal"], "merge").get_data(as_text=True))

    assert "This proposal is rejected (decided by mod: “First decision.”)" in page


@pytest.mark.parametrize("decision", DECISIONS)
def test_a_moderator_cannot_decide_on_their_own_proposal(app, scene, decision):
    own = add_proposal(app, "mod", title="Mine", url="https://mine.example.org")

    response = decide(scene["mod"], own, decision)

    assert response.status_code == 403
    assert proposal_row(app, own)["status"] == "open"
    assert log_rows(app) == []


def test_the_decision_page_tells_a_moderator_someone_else_decides_their_proposal(app, scene):
    own = add_proposal(app, "mod", title="Mine", url="https://mine.example.org")

    page = scene["mod"].get(f"/moderation/proposals/{own}").get_data(as_text=True)

    assert "You cannot decide on your own proposal; another moderator will." in page
    assert f'action="/moderation/proposals/{own}/merge"' not in page


def test_an_admin_may_merge_their_own_proposal(app, scene):
    add_user(app, "root", role="admin")
    own = add_proposal(app, "root", title="Mine", url="https://mine.example.org")

    response = decide(login(app, "root"), own, "merge")

    assert response.status_code == 303
    assert proposal_row(app, own)["status"] == "merged"
    assert count(app, Entry) == 2


@pytest.mark.parametrize("decision", DECISIONS)
def test_a_peer_cannot_decide(app, scene, decision):
    add_user(app, "bob")

    response = decide(login(app, "bob"), scene["proposal"], decision)

    assert response.status_code == 403
    assert nothing_decided(app, scene["proposal"])


def test_a_peer_cannot_open_the_decision_page(app, scene):
    add_user(app, "bob")

    assert login(app, "bob").get(f"/moderation/proposals/{scene['proposal']}").status_code == 403


@pytest.mark.parametrize("decision", DECISIONS)
def test_a_visitor_is_sent_to_log_in(app, scene, client, decision):
    response = decide(client, scene["proposal"], decision)

    assert response.status_code == 302
    assert urlsplit(response.location).path == "/login"
    assert nothing_decided(app, scene["proposal"])


@pytest.mark.parametrize("decision", DECISIONS)
def test_a_suspended_moderator_can_no_longer_decide(app, scene, decision):
    add_user(app, "root", role="admin")
    login(app, "root").post("/moderation/users/mod/suspend", data={"reason": "Sold votes."})

    response = decide(scene["mod"], scene["proposal"], decision)

    assert response.status_code == 302
    assert urlsplit(response.location).path == "/login"
    assert proposal_row(app, scene["proposal"])["status"] == "open"
    assert [r["action"] for r in log_rows(app)] == ["suspend"]


@pytest.mark.parametrize("path", [
    "/moderation/proposals/999",
    "/moderation/proposals/999/merge",
    "/moderation/proposals/999/reject",
    "/moderation/proposals/999/duplicate",
])
def test_an_unknown_proposal_is_not_found(scene, path):
    client = scene["mod"]
    response = client.get(path) if path.endswith("999") else client.post(
        path, data={"reason": REASON, "entry": "appropedia"})

    assert response.status_code == 404


def test_votes_are_untouched_by_a_refused_decision(app, scene):
    add_user(app, "bob")
    cast(app, "bob", "proposal", scene["proposal"])

    decide(scene["mod"], scene["proposal"], "merge", reason="")

    assert count(app, Vote) == 1
    assert votes_on(app, "proposal", scene["proposal"]) == {"bob": 1}

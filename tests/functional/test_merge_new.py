"""Merging a proposed hub or reading into the commons: a live entry at revision 1, credited to
its proposer and to the moderator, carrying the votes the proposal earned."""

from urllib.parse import urlsplit

import pytest

from lbs.domain import ranking
from lbs.models import Entry, Revision
from tests.functional.moderating import (
    REASON,
    add_entry,
    add_proposal,
    add_user,
    cast,
    count,
    decision_form,
    entry_row,
    hidden_value,
    links,
    log_rows,
    login,
    proposal_row,
    revisions,
    row,
    section,
    text_of,
    user_row,
    votes_on,
)


@pytest.fixture
def scene(app):
    """Ada's hub proposal, up-voted by Bob and Cy and down-voted by Dan."""
    add_user(app, "ada")
    add_user(app, "bob")
    add_user(app, "cy")
    add_user(app, "dan", karma=10)
    add_user(app, "mod", role="moderator")
    proposal = add_proposal(app, "ada", title="Appropedia", url="https://www.appropedia.org",
                            tags=["wiki"], licence="CC BY-SA 4.0")
    cast(app, "bob", "proposal", proposal, 1)
    cast(app, "cy", "proposal", proposal, 1)
    cast(app, "dan", "proposal", proposal, -1)
    return {"proposal": proposal, "mod": login(app, "mod")}


def merge(scene, reason=REASON, **extra):
    client = scene["mod"]
    form = decision_form(client, scene["proposal"])
    return client.post(f"/moderation/proposals/{scene['proposal']}/merge",
                       data={"reason": reason, "version": form["version"], **extra})


def merged_slug(app, scene):
    return row(app, Entry, proposal_row(app, scene["proposal"])["resulting_entry_id"])["slug"]


def test_the_decision_page_shows_the_proposal_with_the_three_decisions(scene):
    page = scene["mod"].get(f"/moderation/proposals/{scene['proposal']}").get_data(as_text=True)

    assert "A new hub by ada · +2 / −1 · 0 comments · status open" in text_of(page)
    assert "Appropedia" in page
    for heading in ("merge-heading", "reject-heading", "duplicate-heading"):
        assert "<button" in section(page, heading)
    merge_action = f"/moderation/proposals/{scene['proposal']}/merge"
    assert hidden_value(page, merge_action, "version") == "1"


def test_merging_sends_the_moderator_to_the_new_entry(app, scene):
    response = merge(scene)

    assert response.status_code == 303
    slug = merged_slug(app, scene)
    assert urlsplit(response.location).path == f"/entries/{slug}"
    assert "Merged into the commons." in scene["mod"].get(response.location).get_data(as_text=True)


def test_the_merged_entry_is_live_with_the_proposed_fields(app, scene):
    merge(scene)

    entry = entry_row(app, merged_slug(app, scene))
    assert entry["status"] == "live"
    assert (entry["kind"], entry["title"], entry["url"], entry["licence"]) == (
        "hub", "Appropedia", "https://www.appropedia.org", "CC BY-SA 4.0")
    assert entry["revision_count"] == 1


def test_the_merged_entry_shows_in_the_hubs(app, scene, client):
    merge(scene)

    assert f"/entries/{merged_slug(app, scene)}" in links(client.get("/hubs").get_data(as_text=True))


def test_revision_1_is_credited_to_the_proposer_and_the_merging_moderator(app, scene):
    merge(scene, reason="A wiki many builders use.")

    [first] = revisions(app, merged_slug(app, scene))
    assert (first["number"], first["author"], first["merged_by"]) == (1, "ada", "mod")
    assert (first["proposal_id"], first["reason"]) == (scene["proposal"],
                                                      "A wiki many builders use.")
    assert first["fields"]["title"] == "Appropedia"


def test_the_proposal_is_closed_as_merged_with_the_decision(app, scene):
    merge(scene, reason="A wiki many builders use.")

    closed = proposal_row(app, scene["proposal"])
    assert closed["status"] == "merged"
    assert closed["decision_reason"] == "A wiki many builders use."
    assert closed["decided_by_id"] == user_row(app, "mod")["id"]
    assert closed["decided_at"] is not None
    assert closed["resulting_entry_id"] == entry_row(app, merged_slug(app, scene))["id"]


def test_the_proposals_votes_carry_over_to_the_entry(app, scene):
    merge(scene)

    entry = entry_row(app, merged_slug(app, scene))
    assert votes_on(app, "entry", entry["id"]) == {"bob": 1, "cy": 1, "dan": -1}
    assert (entry["ups"], entry["downs"]) == (2, 1)


def test_the_entry_stores_the_scores_of_its_carried_votes(app, scene):
    merge(scene)

    entry = entry_row(app, merged_slug(app, scene))
    assert entry["score_top"] == pytest.approx(ranking.wilson_lower_bound(2, 1))
    tau = app.config["HOT_TAU_SECONDS"]
    assert entry["score_hot"] == pytest.approx(ranking.hot_score(2, 1, entry["created_at"], tau))


def test_a_voter_sees_their_carried_vote_on_the_entry(app, scene):
    merge(scene)

    page = login(app, "bob").get(f"/entries/{merged_slug(app, scene)}").get_data(as_text=True)

    assert 'title="Withdraw your up-vote"' in page


def test_the_proposers_karma_counts_the_carried_votes(app, scene):
    assert user_row(app, "ada")["karma"] == 0

    merge(scene)

    assert user_row(app, "ada")["karma"] == 1


def test_the_entry_page_links_to_the_proposal_and_shows_the_reason(app, scene, client):
    merge(scene, reason="A wiki many builders use.")

    page = client.get(f"/entries/{merged_slug(app, scene)}").get_data(as_text=True)

    credits = section(page, "credits-heading")
    assert f"/proposals/{scene['proposal']}" in links(credits)
    assert "merged by mod: “A wiki many builders use.”" in text_of(credits)
    assert "/users/ada" in links(credits)


def test_the_merge_is_written_to_the_public_log(app, scene):
    merge(scene, reason="A wiki many builders use.")

    [logged] = log_rows(app)
    assert (logged["action"], logged["moderator"], logged["target_type"], logged["target_id"]) == (
        "merge", "mod", "proposal", scene["proposal"])
    assert logged["reason"] == "A wiki many builders use."
    assert logged["details"]["entry"] == merged_slug(app, scene)


def test_the_proposer_is_told_with_the_reason(app, scene):
    merge(scene, reason="A wiki many builders use.")

    page = text_of(login(app, "ada").get("/notifications").get_data(as_text=True))

    assert "Your proposal “Appropedia” was merged into the commons." in page
    assert "Reason: “A wiki many builders use.”" in page


def test_the_proposal_page_shows_the_decision(app, scene, client):
    merge(scene, reason="A wiki many builders use.")

    page = text_of(client.get(f"/proposals/{scene['proposal']}").get_data(as_text=True))

    assert "status: merged" in page
    assert "Decision by mod: “A wiki many builders use.”" in page


def test_a_link_that_entered_the_commons_meanwhile_stops_the_merge(app, scene):
    add_entry(app, "bob", title="Appropedia wiki", url="https://www.appropedia.org")

    response = merge(scene)

    assert response.status_code == 409
    assert "close this proposal as its duplicate instead" in response.get_data(as_text=True)
    assert proposal_row(app, scene["proposal"])["status"] == "open"
    assert count(app, Entry) == 1
    assert log_rows(app) == []


def test_merging_without_the_version_seen_still_merges_once(app, scene):
    response = scene["mod"].post(f"/moderation/proposals/{scene['proposal']}/merge",
                                 data={"reason": REASON})

    assert response.status_code == 303
    assert count(app, Entry) == 1
    assert count(app, Revision) == 1

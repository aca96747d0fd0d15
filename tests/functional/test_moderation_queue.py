"""The moderators' queue: who may see it, what waits there and in which order, the health of
the process, and items hidden by flags until a moderator looks."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from lbs.models import Entry, Flag, Proposal, utcnow
from tests.functional.moderating import (
    add_edit,
    add_entry,
    add_proposal,
    add_user,
    cast,
    comment,
    count,
    entry_id,
    entry_row,
    flag,
    flags_on,
    link_text,
    links,
    log_rows,
    login,
    proposal_row,
    section,
    set_columns,
    text_of,
    user_row,
    votes_on,
)


@pytest.fixture
def ada(app):
    add_user(app, "ada")


@pytest.fixture
def mod(app, ada):
    add_user(app, "mod", role="moderator")
    return login(app, "mod")


def queue_page(client):
    response = client.get("/moderation")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def health_line(page):
    start = page.index('<p class="health">')
    return text_of(page[start : page.index("</p>", start)])


def proposal_rows(page):
    """The decision links of the open proposals, in the order the queue lists them."""
    return [
        int(href.rsplit("/", 1)[1]) for href in links(section(page, "q-proposals"))
        if href.startswith("/moderation/proposals/")
    ]


# --- who may see it ----------------------------------------------------------------------------


def test_a_peer_is_refused_the_queue(app):
    add_user(app, "ada")

    response = login(app, "ada").get("/moderation")

    assert response.status_code == 403


def test_a_visitor_is_sent_to_log_in_first(client):
    response = client.get("/moderation")

    assert response.status_code == 302
    assert urlsplit(response.location).path == "/login"
    assert "next=%2Fmoderation" in response.location


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_moderators_and_admins_see_the_queue(app, role):
    add_user(app, "keeper", role=role)

    page = queue_page(login(app, "keeper"))

    assert "Moderation queue" in page


# --- open proposals ----------------------------------------------------------------------------


def test_open_proposals_come_most_supported_first_then_oldest_first(app, mod):
    for name in ("bob", "cy"):
        add_user(app, name)
    older = add_proposal(app, "ada", title="Older", url="https://older.example.org")
    newer = add_proposal(app, "ada", title="Newer", url="https://newer.example.org")
    liked = add_proposal(app, "ada", title="Liked", url="https://liked.example.org")
    set_columns(app, Proposal, older, created_at=utcnow() - timedelta(days=3))
    set_columns(app, Proposal, newer, created_at=utcnow() - timedelta(days=1))
    cast(app, "bob", "proposal", liked)
    cast(app, "cy", "proposal", liked)

    assert proposal_rows(queue_page(mod)) == [liked, older, newer]


def test_decided_proposals_leave_the_queue(app, mod):
    waiting = add_proposal(app, "ada", title="Waiting", url="https://waiting.example.org")
    rejected = add_proposal(app, "ada", title="Rejected", url="https://rejected.example.org")
    mod.post(f"/moderation/proposals/{rejected}/reject", data={"reason": "Off topic."})

    assert proposal_rows(queue_page(mod)) == [waiting]


def test_each_proposal_shows_its_votes_comments_and_age(app, mod):
    add_user(app, "bob")
    add_user(app, "cy", karma=10)
    proposal = add_proposal(app, "ada")
    set_columns(app, Proposal, proposal, created_at=utcnow() - timedelta(days=2, hours=1))
    cast(app, "bob", "proposal", proposal, 1)
    cast(app, "cy", "proposal", proposal, -1)
    comment(app, "bob", "proposal", proposal)
    comment(app, "cy", "proposal", proposal)

    listed = text_of(section(queue_page(mod), "q-proposals"))

    assert "New hub: OpenStreetMap by ada +1 / −1 2 2 days ago" in listed


def test_an_edit_proposal_names_the_entry_it_changes(app, mod):
    add_user(app, "bob")
    slug = add_entry(app, "ada")
    add_edit(app, "bob", slug, region="Europe")

    assert "Edit to OpenStreetMap by bob" in text_of(section(queue_page(mod), "q-proposals"))


# --- flagged items -----------------------------------------------------------------------------


def test_a_flagged_entry_is_listed_with_the_reasons_given(app, mod):
    add_user(app, "bob")
    add_user(app, "cy")
    slug = add_entry(app, "ada")
    flag(app, "bob", "entry", entry_id(app, slug), "spam", note="Sells maps.")
    flag(app, "cy", "entry", entry_id(app, slug), "broken-link")

    flagged = section(queue_page(mod), "q-flags")

    assert "2 flags on OpenStreetMap" in text_of(flagged)
    assert "spam: “Sells maps.”" in text_of(flagged)
    assert "broken-link" in text_of(flagged)
    assert f"/entries/{slug}" in links(flagged)


def test_a_flagged_comment_offers_to_hide_it(app, mod):
    add_user(app, "bob")
    slug = add_entry(app, "ada")
    remark = comment(app, "ada", "entry", entry_id(app, slug), "Buy cheap maps here.")
    flag(app, "bob", "comment", remark, "spam")

    flagged = section(queue_page(mod), "q-flags")

    assert "1 flag on a comment by ada" in text_of(flagged)
    assert f'action="/moderation/comments/{remark}/hide"' in flagged


def test_an_empty_queue_says_so(mod):
    page = text_of(queue_page(mod))

    assert "No open proposals." in page
    assert "No merge suggestions." in page
    assert "No flagged items." in page


# --- health --------------------------------------------------------------------------------------


def test_the_health_line_counts_what_waits_and_names_the_oldest_proposal(app, mod):
    add_user(app, "bob")
    oldest = add_proposal(app, "ada", title="First", url="https://first.example.org")
    add_proposal(app, "ada", title="Second", url="https://second.example.org")
    set_columns(app, Proposal, oldest, created_at=utcnow() - timedelta(days=3, hours=2))
    flag(app, "bob", "entry", entry_id(app, add_entry(app, "ada")), "spam")

    health = health_line(queue_page(mod))

    assert health.startswith("3 waiting · oldest open proposal: 3 days ago ·")


def test_the_median_decision_time_covers_the_last_30_days_of_decisions(app, mod):
    now = utcnow()
    for hours, decided_days_ago in ((2, 1), (4, 5), (10, 20), (500, 40)):
        proposal = add_proposal(app, "ada", title=f"Took {hours}h",
                                url=f"https://took{hours}.example.org")
        decided_at = now - timedelta(days=decided_days_ago)
        mod.post(f"/moderation/proposals/{proposal}/reject", data={"reason": "Not now."})
        set_columns(app, Proposal, proposal, decided_at=decided_at,
                    created_at=decided_at - timedelta(hours=hours))

    health = health_line(queue_page(mod))

    assert "median time to a decision (30 days): 4.0 hours over 3 decisions" in health


def test_withdrawn_proposals_are_no_decision_of_a_moderator(app, mod):
    proposal = add_proposal(app, "ada")
    login(app, "ada").post(f"/proposals/{proposal}/withdraw")
    assert proposal_row(app, proposal)["status"] == "withdrawn"

    assert "no decisions yet" in health_line(queue_page(mod))


def test_the_waiting_count_shows_in_a_moderators_navigation(app, mod):
    add_user(app, "bob")
    add_proposal(app, "ada", title="One", url="https://one.example.org")
    add_proposal(app, "ada", title="Two", url="https://two.example.org")

    page = mod.get("/hubs").get_data(as_text=True)

    assert link_text(page, "/moderation") == "Moderation (2 waiting)"


def test_peers_have_no_moderation_link_in_their_navigation(app):
    add_user(app, "ada")
    add_proposal(app, "ada")

    page = login(app, "ada").get("/hubs").get_data(as_text=True)

    assert "/moderation" not in links(page)


# --- hidden by flags -------------------------------------------------------------------------------


@pytest.fixture
def flaggers(app, ada):
    names = ("bob", "cy", "dan")
    for name in names:
        add_user(app, name)
    return names


def flag_by_each(app, names, target_type, target_id):
    """Each peer flags the item through the flag form, as people would."""
    for name in names:
        response = login(app, name).post(f"/flag/{target_type}/{target_id}",
                                          data={"reason": "spam"})
        assert response.status_code == 303


def test_two_flags_leave_an_entry_in_the_lists(app, flaggers, client):
    slug = add_entry(app, "ada")
    flag_by_each(app, flaggers[:2], "entry", entry_id(app, slug))

    assert "OpenStreetMap" in client.get("/hubs").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/hubs", "/"])
def test_three_flags_hide_a_hub_from_the_lists(app, flaggers, client, path):
    slug = add_entry(app, "ada")
    assert "OpenStreetMap" in client.get(path).get_data(as_text=True)

    flag_by_each(app, flaggers, "entry", entry_id(app, slug))

    assert "OpenStreetMap" not in client.get(path).get_data(as_text=True)


def test_three_flags_hide_a_reading_from_its_list(app, flaggers, client):
    slug = add_entry(app, "ada", "reading")

    flag_by_each(app, flaggers, "entry", entry_id(app, slug))

    assert "The Wealth of Networks" not in client.get("/readings").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/proposals", "/"])
def test_three_flags_hide_a_proposal_from_the_lists(app, flaggers, client, path):
    proposal = add_proposal(app, "ada")
    assert "OpenStreetMap" in client.get(path).get_data(as_text=True)

    flag_by_each(app, flaggers, "proposal", proposal)

    assert "OpenStreetMap" not in client.get(path).get_data(as_text=True)


def test_the_queue_marks_an_item_hidden_until_a_moderator_decides(app, mod, flaggers):
    slug = add_entry(app, "ada")
    flag_by_each(app, flaggers, "entry", entry_id(app, slug))

    flagged = text_of(section(queue_page(mod), "q-flags"))

    assert "3 flags on OpenStreetMap" in flagged
    assert "hidden until you decide" in flagged


@pytest.mark.parametrize("outcome", ["resolved", "dismissed"])
def test_a_moderators_decision_on_the_flags_brings_the_item_back(app, mod, flaggers, client,
                                                                 outcome):
    slug = add_entry(app, "ada")
    hub_id = entry_id(app, slug)
    flag_by_each(app, flaggers, "entry", hub_id)

    response = mod.post(f"/moderation/flags/entry/{hub_id}/{outcome}",
                        data={"reason": "Checked the site: it is fine."})

    assert response.status_code == 303
    assert urlsplit(response.location).path == "/moderation"
    assert "OpenStreetMap" in client.get("/hubs").get_data(as_text=True)
    assert "OpenStreetMap" in client.get("/").get_data(as_text=True)
    assert entry_row(app, slug)["flag_hidden"] is False


@pytest.mark.parametrize("outcome", ["resolved", "dismissed"])
def test_deciding_on_flags_closes_them_all_for_the_moderator(app, mod, flaggers, outcome):
    proposal = add_proposal(app, "ada")
    flag_by_each(app, flaggers[:2], "proposal", proposal)

    mod.post(f"/moderation/flags/proposal/{proposal}/{outcome}", data={"reason": "Looked."})

    closed = flags_on(app, "proposal", proposal)
    assert [f["status"] for f in closed] == [outcome, outcome]
    assert {f["resolved_by_id"] for f in closed} == {user_row(app, "mod")["id"]}
    assert "No flagged items." in text_of(queue_page(mod))


@pytest.mark.parametrize("outcome, action", [("resolved", "resolve-flag"),
                                             ("dismissed", "dismiss-flag")])
def test_a_decision_on_flags_is_logged_with_its_reason(app, mod, flaggers, outcome, action):
    remark = comment(app, "ada", "entry", entry_id(app, add_entry(app, "ada")))
    flag(app, "bob", "comment", remark)

    mod.post(f"/moderation/flags/comment/{remark}/{outcome}", data={"reason": "Looked at it."})

    assert [(r["action"], r["target_type"], r["target_id"], r["reason"], r["moderator"])
            for r in log_rows(app)] == [(action, "comment", remark, "Looked at it.", "mod")]


def test_flags_need_a_reason_to_be_decided(app, mod, flaggers):
    slug = add_entry(app, "ada")
    flag_by_each(app, flaggers, "entry", entry_id(app, slug))

    response = mod.post(f"/moderation/flags/entry/{entry_id(app, slug)}/dismissed",
                        data={"reason": "  "})

    assert response.status_code == 400
    assert [f["status"] for f in flags_on(app, "entry", entry_id(app, slug))] == ["open"] * 3
    assert entry_row(app, slug)["flag_hidden"] is True
    assert log_rows(app) == []


def test_flags_decided_already_cannot_be_decided_again(app, mod, flaggers):
    slug = add_entry(app, "ada")
    flag(app, "bob", "entry", entry_id(app, slug))
    mod.post(f"/moderation/flags/entry/{entry_id(app, slug)}/dismissed", data={"reason": "Fine."})

    response = mod.post(f"/moderation/flags/entry/{entry_id(app, slug)}/resolved",
                        data={"reason": "Changed my mind."})

    assert response.status_code == 409
    assert [f["status"] for f in flags_on(app, "entry", entry_id(app, slug))] == ["dismissed"]
    assert len(log_rows(app)) == 1


def test_flags_on_something_that_does_not_exist_are_not_found(mod):
    response = mod.post("/moderation/flags/entry/999/dismissed", data={"reason": "Fine."})

    assert response.status_code == 404


def test_a_peer_cannot_decide_on_flags(app, flaggers):
    slug = add_entry(app, "ada")
    flag(app, "bob", "entry", entry_id(app, slug))

    response = login(app, "cy").post(f"/moderation/flags/entry/{entry_id(app, slug)}/dismissed",
                                     data={"reason": "Fine."})

    assert response.status_code == 403
    assert [f["status"] for f in flags_on(app, "entry", entry_id(app, slug))] == ["open"]


# --- merge suggestions: a duplicate flag, carried out in one step ---------------------------------


@pytest.fixture
def twin_hubs(app, mod):
    """Two hubs about one site, and a peer saying the younger duplicates the older."""
    add_user(app, "bob")
    add_user(app, "cy")
    keep = add_entry(app, "ada")
    twin = add_entry(app, "cy", title="OSM", url="https://osm.org/")
    flag_id = flag(app, "bob", "entry", entry_id(app, twin), "duplicate", duplicate_of=keep,
                   note="Same map.")
    return {"keep": keep, "twin": twin, "flag": flag_id}


def test_a_duplicate_flag_is_listed_as_a_merge_suggestion(app, mod, twin_hubs):
    suggestions = section(queue_page(mod), "q-suggestions")

    assert "bob says OSM (osm.org) duplicates OpenStreetMap" in text_of(suggestions)
    assert f'action="/moderation/suggestions/{twin_hubs["flag"]}"' in suggestions


def test_a_merge_suggestion_is_no_flagged_item(app, mod, twin_hubs):
    assert "No flagged items." in text_of(queue_page(mod))


def test_carrying_out_a_suggestion_merges_the_two_entries(app, mod, twin_hubs, client):
    response = mod.post(f"/moderation/suggestions/{twin_hubs['flag']}",
                        data={"reason": "Same site."})

    assert response.status_code == 303
    assert entry_row(app, twin_hubs["twin"])["status"] == "merged-away"
    old_address = client.get(f"/entries/{twin_hubs['twin']}")
    assert old_address.status_code == 301
    assert urlsplit(old_address.location).path == f"/entries/{twin_hubs['keep']}"


def test_a_carried_out_suggestion_leaves_the_queue_and_is_logged(app, mod, twin_hubs):
    mod.post(f"/moderation/suggestions/{twin_hubs['flag']}", data={"reason": "Same site."})

    assert "No merge suggestions." in text_of(queue_page(mod))
    assert flags_on(app, "entry", entry_id(app, twin_hubs["twin"]))[0]["status"] == "resolved"
    assert [(r["action"], r["reason"]) for r in log_rows(app)] == [("merge-entries", "Same site.")]


def test_carrying_out_a_suggestion_on_a_proposal_closes_it_as_a_duplicate(app, mod):
    add_user(app, "bob")
    add_user(app, "cy")
    keep = add_entry(app, "ada")
    proposal = add_proposal(app, "cy", title="OSM again", url="https://osm.example.org")
    cast(app, "bob", "proposal", proposal)
    flag_id = flag(app, "bob", "proposal", proposal, "duplicate", duplicate_of=keep)

    response = mod.post(f"/moderation/suggestions/{flag_id}", data={"reason": "Same map."})

    assert response.status_code == 303
    closed = proposal_row(app, proposal)
    assert (closed["status"], closed["duplicate_of_id"]) == ("duplicate", entry_id(app, keep))
    assert votes_on(app, "entry", entry_id(app, keep)) == {"bob": 1}
    assert flags_on(app, "proposal", proposal)[0]["status"] == "resolved"
    assert "No merge suggestions." in text_of(queue_page(mod))


def test_a_suggestion_needs_a_reason(app, mod, twin_hubs):
    response = mod.post(f"/moderation/suggestions/{twin_hubs['flag']}", data={"reason": ""})

    assert response.status_code == 400
    assert entry_row(app, twin_hubs["twin"])["status"] == "live"
    assert flags_on(app, "entry", entry_id(app, twin_hubs["twin"]))[0]["status"] == "open"
    assert log_rows(app) == []


def test_a_suggestion_is_carried_out_once(app, mod, twin_hubs):
    mod.post(f"/moderation/suggestions/{twin_hubs['flag']}", data={"reason": "Same site."})

    response = mod.post(f"/moderation/suggestions/{twin_hubs['flag']}",
                        data={"reason": "Again."})

    assert response.status_code == 409
    assert len(log_rows(app)) == 1


def test_a_dismissed_suggestion_merges_nothing(app, mod, twin_hubs):
    twin_id = entry_id(app, twin_hubs["twin"])

    mod.post(f"/moderation/flags/entry/{twin_id}/dismissed", data={"reason": "Different maps."})

    assert entry_row(app, twin_hubs["twin"])["status"] == "live"
    assert flags_on(app, "entry", twin_id)[0]["status"] == "dismissed"
    assert "No merge suggestions." in text_of(queue_page(mod))


def test_an_unknown_suggestion_is_not_found(mod):
    assert mod.post("/moderation/suggestions/999", data={"reason": "Same."}).status_code == 404


def test_a_peer_cannot_carry_out_a_suggestion(app, twin_hubs):
    response = login(app, "bob").post(f"/moderation/suggestions/{twin_hubs['flag']}",
                                      data={"reason": "Same site."})

    assert response.status_code == 403
    assert entry_row(app, twin_hubs["twin"])["status"] == "live"
    assert count(app, Entry, Entry.status == "live") == 2
    assert count(app, Flag, Flag.status == "open") == 1

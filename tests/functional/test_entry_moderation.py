"""Moderating entries: merging two entries into one, archiving and restoring, and rolling back
to an earlier revision. History only grows, and the old addresses keep answering."""

from urllib.parse import urlsplit

import pytest

from lbs.extensions import db
from lbs.models import Comment, Relation
from tests.functional.moderating import (
    REASON,
    add_edit,
    add_entry,
    add_user,
    cast,
    comment,
    count,
    entry_id,
    entry_row,
    links,
    log_rows,
    login,
    merge_now,
    revisions,
    section,
    text_of,
    user_row,
    votes_on,
)


@pytest.fixture
def mod(app):
    add_user(app, "ada")
    add_user(app, "eve")
    add_user(app, "mod", role="moderator")
    return login(app, "mod")


# --- merging two entries ---------------------------------------------------------------------------


@pytest.fixture
def twins(app, mod):
    """Eve's "OSM" duplicates Ada's OpenStreetMap; both have votes and talk."""
    for name in ("bob", "cy"):
        add_user(app, name)
    add_user(app, "dan", karma=10)
    keep = add_entry(app, "ada")
    gone = add_entry(app, "eve", title="OSM", url="https://osm.example.org")
    keep_id, gone_id = entry_id(app, keep), entry_id(app, gone)
    cast(app, "bob", "entry", keep_id, 1)
    for name, value in (("bob", 1), ("cy", 1), ("dan", -1), ("ada", 1)):
        cast(app, name, "entry", gone_id, value)
    comment(app, "bob", "entry", keep_id, "Great map.")
    comment(app, "cy", "entry", gone_id, "Same as OpenStreetMap?")
    comment(app, "dan", "entry", gone_id, "Yes, the same.")
    return {"keep": keep, "gone": gone, "keep_id": keep_id, "gone_id": gone_id}


def merge_entries(client, loser, survivor, reason=REASON):
    return client.post(f"/moderation/entries/{loser}/merge",
                       data={"entry": survivor, "reason": reason})


def test_merging_sends_the_moderator_to_the_surviving_entry(app, mod, twins):
    response = merge_entries(mod, twins["gone"], twins["keep"])

    assert response.status_code == 303
    assert urlsplit(response.location).path == f"/entries/{twins['keep']}"


def test_the_survivor_may_be_named_by_its_address(app, mod, twins):
    response = merge_entries(mod, twins["gone"], f"http://localhost/entries/{twins['keep']}")

    assert response.status_code == 303
    assert entry_row(app, twins["gone"])["merged_into_id"] == twins["keep_id"]


def test_votes_are_united_without_counting_anyone_twice(app, mod, twins):
    merge_entries(mod, twins["gone"], twins["keep"])

    assert votes_on(app, "entry", twins["keep_id"]) == {"bob": 1, "cy": 1, "dan": -1}
    survivor = entry_row(app, twins["keep"])
    assert (survivor["ups"], survivor["downs"]) == (2, 1)


def test_the_merged_away_entry_keeps_no_votes(app, mod, twins):
    merge_entries(mod, twins["gone"], twins["keep"])

    assert votes_on(app, "entry", twins["gone_id"]) == {}
    gone = entry_row(app, twins["gone"])
    assert (gone["ups"], gone["downs"]) == (0, 0)


def test_karma_follows_the_votes_to_the_survivors_proposer(app, mod, twins):
    ada, eve = user_row(app, "ada")["karma"], user_row(app, "eve")["karma"]

    merge_entries(mod, twins["gone"], twins["keep"])

    # Eve loses her entry's +2; Ada gains what she did not have: Cy's up and Dan's down.
    assert (user_row(app, "ada")["karma"], user_row(app, "eve")["karma"]) == (ada, eve - 2)


def test_the_discussion_moves_to_the_survivor(app, mod, twins, client):
    merge_entries(mod, twins["gone"], twins["keep"])

    page = client.get(f"/entries/{twins['keep']}").get_data(as_text=True)
    discussion = text_of(page[page.index('class="discussion"'):])
    assert "Discussion (3)" in discussion
    for body in ("Great map.", "Same as OpenStreetMap?", "Yes, the same."):
        assert body in discussion
    assert entry_row(app, twins["keep"])["comment_count"] == 3
    assert entry_row(app, twins["gone"])["comment_count"] == 0
    assert count(app, Comment, Comment.target_id == twins["gone_id"]) == 0


def test_the_old_address_answers_with_a_permanent_redirect(app, mod, twins, client):
    merge_entries(mod, twins["gone"], twins["keep"])

    response = client.get(f"/entries/{twins['gone']}")

    assert response.status_code == 301
    assert urlsplit(response.location).path == f"/entries/{twins['keep']}"


def test_the_old_entrys_history_is_kept(app, mod, twins, client):
    merge_entries(mod, twins["gone"], twins["keep"])

    response = client.get(f"/entries/{twins['gone']}/history")

    assert response.status_code == 200
    page = text_of(response.get_data(as_text=True))
    assert "This entry was merged into OpenStreetMap; its history is kept here." in page
    assert "Revision 1" in page
    assert len(revisions(app, twins["gone"])) == 1


def test_the_survivors_history_names_the_entries_merged_into_it(app, mod, twins, client):
    merge_entries(mod, twins["gone"], twins["keep"])

    page = client.get(f"/entries/{twins['keep']}/history").get_data(as_text=True)

    assert "Entries merged into this one: OSM." in text_of(page)
    assert f"/entries/{twins['gone']}/history" in links(page)


def test_the_merged_away_entry_leaves_the_lists(app, mod, twins, client):
    merge_entries(mod, twins["gone"], twins["keep"])

    page = client.get("/hubs").get_data(as_text=True)
    assert f"/entries/{twins['keep']}" in links(page)
    assert f"/entries/{twins['gone']}" not in links(page)


def test_links_to_readings_move_to_the_survivor(app, mod, twins):
    reading = add_entry(app, "bob", "reading", related=[twins["gone"]])
    with app.app_context():
        assert db.session.query(Relation).count() == 1

    merge_entries(mod, twins["gone"], twins["keep"])

    with app.app_context():
        links_now = [(r.reading_id, r.hub_id) for r in db.session.query(Relation)]
    assert links_now == [(entry_id(app, reading), twins["keep_id"])]


def test_a_merge_of_entries_is_logged(app, mod, twins):
    merge_entries(mod, twins["gone"], twins["keep"], reason="The same map.")

    [logged] = log_rows(app)
    assert (logged["action"], logged["target_type"], logged["target_id"], logged["reason"]) == (
        "merge-entries", "entry", twins["gone_id"], "The same map.")
    assert logged["details"] == {"into": twins["keep"]}


def assert_nothing_merged(app, twins):
    gone = entry_row(app, twins["gone"])
    assert (gone["status"], gone["merged_into_id"], gone["ups"], gone["comment_count"]) == (
        "live", None, 3, 2)
    assert votes_on(app, "entry", twins["keep_id"]) == {"bob": 1}
    assert log_rows(app) == []


def test_an_entry_cannot_be_merged_into_itself(app, mod, twins):
    response = merge_entries(mod, twins["gone"], twins["gone"])

    assert response.status_code == 400
    assert "cannot be merged into itself" in response.get_data(as_text=True)
    assert_nothing_merged(app, twins)


def test_an_entry_cannot_be_merged_into_an_archived_one(app, mod, twins):
    mod.post(f"/moderation/entries/{twins['keep']}/archive", data={"reason": "Stale."})

    response = merge_entries(mod, twins["gone"], twins["keep"])

    assert response.status_code == 409
    assert entry_row(app, twins["gone"])["status"] == "live"
    assert [r["action"] for r in log_rows(app)] == ["archive"]


def test_a_hub_cannot_be_merged_into_a_reading(app, mod, twins):
    reading = add_entry(app, "bob", "reading")

    response = merge_entries(mod, twins["gone"], reading)

    assert response.status_code == 400
    assert "A hub can only be merged with a hub" in response.get_data(as_text=True)
    assert_nothing_merged(app, twins)


@pytest.mark.parametrize("named", ["", "no-such-entry"])
def test_the_survivor_must_exist(app, mod, twins, named):
    response = merge_entries(mod, twins["gone"], named)

    assert response.status_code == 400
    assert_nothing_merged(app, twins)


def test_a_merge_of_entries_needs_a_reason(app, mod, twins):
    response = merge_entries(mod, twins["gone"], twins["keep"], reason=" ")

    assert response.status_code == 400
    assert "Give a reason" in response.get_data(as_text=True)
    assert_nothing_merged(app, twins)


def test_an_entry_merged_away_already_cannot_be_merged_again(app, mod, twins):
    other = add_entry(app, "bob", title="Open maps", url="https://maps.example.org")
    merge_entries(mod, twins["gone"], twins["keep"])

    response = merge_entries(mod, twins["gone"], other)

    assert response.status_code == 409
    assert entry_row(app, twins["gone"])["merged_into_id"] == twins["keep_id"]


def test_a_peer_cannot_merge_entries(app, twins):
    response = merge_entries(login(app, "bob"), twins["gone"], twins["keep"])

    assert response.status_code == 403
    assert_nothing_merged(app, twins)


def test_merging_an_unknown_entry_is_not_found(mod, twins):
    assert merge_entries(mod, "no-such-entry", twins["keep"]).status_code == 404


# --- archive and restore ------------------------------------------------------------------------------


@pytest.fixture
def archived(app, mod):
    slug = add_entry(app, "ada")
    response = mod.post(f"/moderation/entries/{slug}/archive", data={"reason": "Site is gone."})
    assert response.status_code == 303
    return slug


def test_moderators_still_see_an_archived_entry_and_may_restore_it(app, mod, archived):
    page = mod.get(f"/entries/{archived}").get_data(as_text=True)

    assert "A hub in the commons — archived" in text_of(page)
    assert 'action="/moderation/entries/openstreetmap/restore"' in page
    assert mod.get(f"/entries/{archived}/history").status_code == 200


@pytest.mark.parametrize("path", ["/hubs", "/", "/tags/maps", "/search?q=openstreetmap"])
def test_an_archived_entry_is_absent_from_lists_and_search(app, archived, client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert f"/entries/{archived}" not in links(response.get_data(as_text=True))


@pytest.mark.parametrize("path", ["", "/history"])
def test_an_archived_entry_is_not_found_by_the_public(app, archived, client, path):
    add_user(app, "bob")

    assert client.get(f"/entries/{archived}{path}").status_code == 404
    assert login(app, "bob").get(f"/entries/{archived}{path}").status_code == 404


def test_editing_an_archived_entry_is_not_found_either(app, archived):
    # A 403 here would tell a peer that the address holds an archived entry.
    add_user(app, "bob")

    assert login(app, "bob").get(f"/entries/{archived}/edit").status_code == 404
    assert login(app, "bob").get("/entries/no-such-entry/edit").status_code == 404


def test_an_archived_entry_cannot_be_edited(app, mod, archived):
    # Moderators see it, so they are told why they cannot edit it.
    response = login(app, "mod").get(f"/entries/{archived}/edit")

    assert response.status_code == 403
    assert "Only live entries can be edited." in response.get_data(as_text=True)


def test_archiving_is_logged(app, archived):
    assert [(r["action"], r["target_label"], r["reason"]) for r in log_rows(app)] == [
        ("archive", "OpenStreetMap", "Site is gone.")]


def test_a_restored_entry_is_back_in_the_lists(app, mod, archived, client):
    response = mod.post(f"/moderation/entries/{archived}/restore",
                        data={"reason": "Site is back."})

    assert response.status_code == 303
    assert entry_row(app, archived)["status"] == "live"
    assert client.get(f"/entries/{archived}").status_code == 200
    assert f"/entries/{archived}" in links(client.get("/hubs").get_data(as_text=True))
    assert [r["action"] for r in log_rows(app)] == ["archive", "restore"]


def test_an_archived_entry_cannot_be_archived_again(app, mod, archived):
    response = mod.post(f"/moderation/entries/{archived}/archive", data={"reason": "Again."})

    assert response.status_code == 409
    assert len(log_rows(app)) == 1


def test_only_an_archived_entry_can_be_restored(app, mod):
    slug = add_entry(app, "ada")

    response = mod.post(f"/moderation/entries/{slug}/restore", data={"reason": "Why not."})

    assert response.status_code == 409
    assert log_rows(app) == []


@pytest.mark.parametrize("action", ["archive", "restore"])
def test_archiving_and_restoring_need_a_reason(app, mod, action):
    slug = add_entry(app, "ada")
    if action == "restore":
        mod.post(f"/moderation/entries/{slug}/archive", data={"reason": "Gone."})
    status = entry_row(app, slug)["status"]

    response = mod.post(f"/moderation/entries/{slug}/{action}", data={"reason": ""})

    assert response.status_code == 400
    assert entry_row(app, slug)["status"] == status


@pytest.mark.parametrize("action", ["archive", "restore", "merge", "rollback"])
def test_a_peer_cannot_moderate_an_entry(app, mod, action):
    add_user(app, "bob")
    slug = add_entry(app, "ada")

    response = login(app, "bob").post(f"/moderation/entries/{slug}/{action}",
                                      data={"reason": REASON, "entry": slug, "revision": "1"})

    assert response.status_code == 403
    assert entry_row(app, slug)["status"] == "live"


@pytest.mark.parametrize("action", ["archive", "restore", "rollback"])
def test_moderating_an_unknown_entry_is_not_found(mod, action):
    response = mod.post(f"/moderation/entries/no-such-entry/{action}",
                        data={"reason": REASON, "revision": "1"})

    assert response.status_code == 404


# --- roll back -------------------------------------------------------------------------------------


@pytest.fixture
def edited(app, mod):
    """OpenStreetMap at revision 3: Bob changed the region, then Cy the licence."""
    for name in ("bob", "cy"):
        add_user(app, name)
    slug = add_entry(app, "ada")
    merge_now(app, "mod", add_edit(app, "bob", slug, region="Europe"))
    merge_now(app, "mod", add_edit(app, "cy", slug, licence="Proprietary"))
    return slug


def rollback(client, slug, revision, reason="Vandalism.", **extra):
    return client.post(f"/moderation/entries/{slug}/rollback",
                       data={"revision": str(revision), "reason": reason, **extra})


def test_rolling_back_sends_the_moderator_to_the_history(app, mod, edited):
    response = rollback(mod, edited, 1)

    assert response.status_code == 303
    assert urlsplit(response.location).path == f"/entries/{edited}/history"


def test_rolling_back_creates_a_new_revision_with_the_old_fields(app, mod, edited):
    rollback(mod, edited, 1)

    history = revisions(app, edited)
    assert [r["number"] for r in history] == [1, 2, 3, 4]
    assert history[3]["fields"] == history[0]["fields"]
    entry = entry_row(app, edited)
    assert (entry["region"], entry["licence"], entry["revision_count"]) == (
        "worldwide", "ODbL", 4)


def test_a_roll_back_to_a_middle_revision_keeps_its_changes(app, mod, edited):
    rollback(mod, edited, 2)

    entry = entry_row(app, edited)
    assert (entry["region"], entry["licence"]) == ("Europe", "ODbL")


def test_the_roll_back_revision_says_why_and_who(app, mod, edited):
    rollback(mod, edited, 1, reason="The licence change was vandalism.")

    last = revisions(app, edited)[-1]
    assert (last["author"], last["merged_by"], last["proposal_id"]) == ("mod", "mod", None)
    assert last["reason"] == "Rolled back to revision 1: The licence change was vandalism."


def test_a_roll_back_is_logged(app, mod, edited):
    rollback(mod, edited, 1, reason="Vandalism.")

    logged = log_rows(app)[-1]
    assert (logged["action"], logged["target_id"], logged["reason"]) == (
        "rollback", entry_id(app, edited), "Vandalism.")
    assert logged["details"] == {"to_revision": 1, "revision": 4}


def test_the_history_offers_moderators_a_roll_back_of_older_revisions(app, mod, edited, client):
    page = mod.get(f"/entries/{edited}/history").get_data(as_text=True)

    assert page.count(f'action="/moderation/entries/{edited}/rollback"') == 2
    assert "/rollback" not in client.get(f"/entries/{edited}/history").get_data(as_text=True)


def test_a_roll_back_to_the_current_revision_is_refused(app, mod, edited):
    response = rollback(mod, edited, 3)

    assert response.status_code == 400
    assert "That is the current revision already." in response.get_data(as_text=True)
    assert entry_row(app, edited)["revision_count"] == 3


@pytest.mark.parametrize("revision", ["0", "9", "", "two"])
def test_a_roll_back_to_a_revision_that_does_not_exist_is_refused(app, mod, edited, revision):
    response = rollback(mod, edited, revision)

    assert response.status_code == 400
    assert entry_row(app, edited)["revision_count"] == 3
    assert [r["action"] for r in log_rows(app)] == ["merge", "merge"]


def test_a_roll_back_needs_a_reason(app, mod, edited):
    response = rollback(mod, edited, 1, reason="")

    assert response.status_code == 400
    assert entry_row(app, edited)["revision_count"] == 3


def test_a_roll_back_on_an_entry_that_changed_meanwhile_is_refused(app, mod, edited):
    seen = str(entry_row(app, edited)["version"])
    merge_now(app, "mod", add_edit(app, "bob", edited, summary="Changed meanwhile."))

    response = rollback(mod, edited, 1, entry_version=seen)

    assert response.status_code == 409
    assert entry_row(app, edited)["summary"] == "Changed meanwhile."
    assert entry_row(app, edited)["revision_count"] == 4


def test_an_archived_entry_cannot_be_rolled_back(app, mod, edited):
    mod.post(f"/moderation/entries/{edited}/archive", data={"reason": "Gone."})

    response = rollback(mod, edited, 1)

    assert response.status_code == 409
    assert entry_row(app, edited)["revision_count"] == 3


def test_the_entry_page_offers_moderators_the_entry_tools(app, mod, client):
    slug = add_entry(app, "ada")

    tools = section(mod.get(f"/entries/{slug}").get_data(as_text=True), "moderate-heading")

    assert f'action="/moderation/entries/{slug}/merge"' in tools
    assert f'action="/moderation/entries/{slug}/archive"' in tools
    assert "moderate-heading" not in client.get(f"/entries/{slug}").get_data(as_text=True)


"""Notifications: what happened to one's proposals and comments, with the moderator's reason,
an unread count in the navigation, and marking everything read."""

from urllib.parse import urlsplit

import pytest

from tests.functional.moderating import (
    add_edit,
    add_entry,
    add_proposal,
    add_user,
    comment,
    entry_id,
    link_text,
    links,
    login,
    merge_now,
    notifications_of,
    text_of,
)


@pytest.fixture
def ada(app):
    """Ada, whose proposals and comments others act on, and the moderator who decides."""
    for name in ("ada", "bob"):
        add_user(app, name)
    add_user(app, "mod", role="moderator")
    return login(app, "ada")


def notifications(client):
    response = client.get("/notifications")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return page[page.index("<h1>Notifications</h1>"):page.index("</main>")]


def test_a_merge_is_told_to_the_proposer_with_the_reason_and_a_link(app, ada):
    proposal = add_proposal(app, "ada")
    slug = merge_now(app, "mod", proposal, reason="Much used by mappers.")

    page = notifications(ada)

    assert "New: Your proposal “OpenStreetMap” was merged into the commons." in text_of(page)
    assert "Reason: “Much used by mappers.”" in text_of(page)
    assert f"/entries/{slug}" in links(page)
    assert "mod, just now" in text_of(page)


def test_a_rejection_is_told_with_the_reason(app, ada):
    proposal = add_proposal(app, "ada")
    login(app, "mod").post(f"/moderation/proposals/{proposal}/reject",
                           data={"reason": "Not about peer production."})

    page = notifications(ada)

    assert "Your proposal “OpenStreetMap” was not merged." in text_of(page)
    assert "Reason: “Not about peer production.”" in text_of(page)
    assert f"/proposals/{proposal}" in links(page)


def test_a_duplicate_is_told_with_the_entry_it_duplicates(app, ada):
    slug = add_entry(app, "bob", title="Appropedia", url="https://www.appropedia.org")
    proposal = add_proposal(app, "ada", title="Appropedia wiki", url="https://appropedia.example")
    login(app, "mod").post(f"/moderation/proposals/{proposal}/duplicate",
                           data={"entry": slug, "reason": "Already in."})

    page = notifications(ada)

    assert ("Your proposal “Appropedia wiki” was closed as a duplicate of “Appropedia”."
            in text_of(page))
    assert "Reason: “Already in.”" in text_of(page)
    assert f"/entries/{slug}" in links(page)


def test_a_merged_edit_is_told_to_its_proposer(app, ada):
    slug = add_entry(app, "bob")
    merge_now(app, "mod", add_edit(app, "ada", slug, region="Europe"), reason="Accurate.")

    assert "Your proposal “OpenStreetMap” was merged into the commons." in text_of(
        notifications(ada))


def test_a_reply_to_ones_comment_is_told(app, ada):
    slug = add_entry(app, "bob")
    first = comment(app, "ada", "entry", entry_id(app, slug), "Is the licence right?")
    reply = comment(app, "bob", "entry", entry_id(app, slug), "Yes, ODbL.", parent_id=first)

    page = notifications(ada)

    assert "bob replied to your comment." in text_of(page)
    assert f"/comments/{reply}" in links(page)


def test_replying_to_oneself_tells_nobody(app, ada):
    slug = add_entry(app, "bob")
    first = comment(app, "ada", "entry", entry_id(app, slug), "Is the licence right?")
    comment(app, "ada", "entry", entry_id(app, slug), "It is.", parent_id=first)

    assert notifications_of(app, "ada") == []


def test_an_edit_proposed_to_an_entry_one_contributed_to_is_told(app, ada):
    slug = add_entry(app, "ada")
    response = login(app, "bob").post(f"/entries/{slug}/edit", data={
        "title": "OpenStreetMap", "url": "https://www.openstreetmap.org", "summary": "The map.",
        "tags": "maps", "focus": "peer-driven production", "base_revision": "1",
        "rationale": "Shorter.",
    })
    assert response.status_code == 302

    page = notifications(ada)

    assert ("bob proposed an edit to “OpenStreetMap”, which you contributed to."
            in text_of(page))
    assert urlsplit(response.location).path in links(page)
    assert notifications_of(app, "bob") == []


def test_everyone_whose_edit_was_merged_hears_of_the_next_edit(app, ada):
    add_user(app, "cy")
    slug = add_entry(app, "bob")
    merge_now(app, "mod", add_edit(app, "ada", slug, region="Europe"))

    add_edit(app, "cy", slug, licence="ODbL 1.0")

    assert [n["kind"] for n in notifications_of(app, "ada")].count("edit-proposed") == 1
    assert ("cy proposed an edit to “OpenStreetMap”, which you contributed to."
            in text_of(notifications(ada)))
    assert [n["kind"] for n in notifications_of(app, "bob")] == ["edit-proposed", "edit-proposed"]


def test_a_hidden_comment_is_told_to_its_author_with_the_reason(app, ada):
    slug = add_entry(app, "bob")
    remark = comment(app, "ada", "entry", entry_id(app, slug), "Rude words.")
    login(app, "mod").post(f"/moderation/comments/{remark}/hide", data={"reason": "Be kind."})

    page = notifications(ada)

    assert "A moderator hid one of your comments." in text_of(page)
    assert "Reason: “Be kind.”" in text_of(page)
    assert f"/comments/{remark}" in links(page)


def test_the_unread_count_shows_in_the_navigation(app, ada):
    merge_now(app, "mod", add_proposal(app, "ada"))
    second = add_proposal(app, "ada", title="Appropedia", url="https://www.appropedia.org")
    login(app, "mod").post(f"/moderation/proposals/{second}/reject", data={"reason": "No."})

    page = ada.get("/hubs").get_data(as_text=True)

    assert link_text(page, "/notifications") == "Notifications (2 unread)"


def test_marking_read_clears_the_count_and_keeps_the_notifications(app, ada):
    merge_now(app, "mod", add_proposal(app, "ada"))

    response = ada.post("/notifications/read")

    assert response.status_code == 303
    assert urlsplit(response.location).path == "/notifications"
    page = ada.get("/notifications").get_data(as_text=True)
    assert link_text(page, "/notifications") == "Notifications"
    assert "was merged into the commons" in text_of(page)
    assert "New:" not in text_of(page)
    assert all(n["read_at"] is not None for n in notifications_of(app, "ada"))


def test_marking_read_touches_only_ones_own_notifications(app, ada):
    merge_now(app, "mod", add_proposal(app, "ada"))
    merge_now(app, "mod", add_proposal(app, "bob", title="Appropedia",
                                       url="https://www.appropedia.org"))

    ada.post("/notifications/read")

    assert [n["read_at"] for n in notifications_of(app, "bob")] == [None]


def test_nobody_sees_anothers_notifications(app, ada):
    merge_now(app, "mod", add_proposal(app, "ada"))

    assert "was merged" not in notifications(login(app, "bob"))


def test_a_moderator_is_not_told_of_their_own_decision_on_their_proposal(app):
    add_user(app, "root", role="admin")
    merge_now(app, "root", add_proposal(app, "root"))

    assert notifications_of(app, "root") == []


def test_nothing_to_tell_says_so(app, ada):
    assert "Nothing yet." in text_of(notifications(ada))


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get("/notifications")

    assert response.status_code == 302
    assert urlsplit(response.location).path == "/login"

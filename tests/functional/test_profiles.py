"""A peer's public profile: karma, proposals and where they went, recent comments, and whether
the account is new."""

from datetime import timedelta

import pytest

from lbs.extensions import db
from lbs.models import Entry, Proposal
from tests.functional.contributing import (
    add_comment_row,
    add_entry,
    add_user,
    browser,
    entry_row,
    links,
    proposal_id,
    propose,
    text_of,
)


@pytest.fixture
def ada(app):
    add_user(app, "Ada")
    return browser(app, "ada")


def section(page, heading_id):
    start = page.index(f'<section aria-labelledby="{heading_id}"')
    return page[start:page.index("</section>", start)]


def test_the_profile_shows_karma_earned_from_votes(app, ada):
    slug = add_entry(app, "ada", "hub")
    add_user(app, "bob")
    browser(app, "bob").post(f"/vote/entry/{entry_row(app, slug)['id']}", data={"value": "1"})

    page = text_of(ada.get("/users/ada").get_data(as_text=True))

    assert "Karma 1" in page


def test_the_profile_lists_proposals_with_their_status(app, ada):
    kept = proposal_id(propose(ada, "hub", title="Appropedia", url="https://appropedia.org"))
    dropped = proposal_id(propose(ada, "reading", title="Old essay", url="https://example.org/old"))
    ada.post(f"/proposals/{dropped}/withdraw")

    page = ada.get("/users/ada").get_data(as_text=True)

    proposals = text_of(section(page, "proposals-heading"))
    assert "Appropedia (open)" in proposals
    assert "Old essay (withdrawn)" in proposals
    assert {f"/proposals/{kept}", f"/proposals/{dropped}"} <= set(links(page))


def test_a_merged_proposal_links_to_its_entry(app, ada):
    pid = proposal_id(propose(ada, "hub", title="Appropedia", url="https://appropedia.org"))
    slug = add_entry(app, "ada", "hub", title="Appropedia", url="https://appropedia.org")
    with app.app_context():
        proposal = db.session.get(Proposal, pid)
        proposal.status = "merged"
        proposal.resulting_entry_id = db.session.query(Entry.id).filter_by(slug=slug).scalar()
        db.session.commit()

    page = ada.get("/users/ada").get_data(as_text=True)

    proposals = section(page, "proposals-heading")
    assert "(merged)" in proposals
    assert f"/entries/{slug}" in links(proposals)


def test_an_edit_proposal_is_listed_as_an_edit(app, ada):
    slug = add_entry(app, "ada", "hub", title="OpenStreetMap")
    page = ada.get(f"/entries/{slug}/edit").get_data(as_text=True)
    assert "OpenStreetMap" in page
    ada.post(f"/entries/{slug}/edit", data={
        "title": "OSM", "url": "https://www.openstreetmap.org", "focus": "peer-driven production",
        "base_revision": "1", "rationale": "Shorter.", "submit": "Propose",
    })

    page = ada.get("/users/ada").get_data(as_text=True)
    assert "Edit: OSM (open)" in text_of(section(page, "proposals-heading"))


def test_the_profile_lists_recent_comments_linked_to_their_place(app, ada):
    slug = add_entry(app, "ada", "hub")
    cid = add_comment_row(app, "ada", "entry", entry_row(app, slug)["id"], body="A thoughtful remark.")

    page = ada.get("/users/ada").get_data(as_text=True)

    comments = section(page, "comments-heading")
    assert "A thoughtful remark." in comments
    assert f"/comments/{cid}" in links(comments)
    assert ada.get(f"/comments/{cid}").location == f"/entries/{slug}#comment-{cid}"


def test_a_deleted_comment_leaves_the_profile(app, ada):
    slug = add_entry(app, "ada", "hub")
    cid = add_comment_row(app, "ada", "entry", entry_row(app, slug)["id"], body="Regrettable.")

    ada.post(f"/comments/{cid}/delete")

    assert "Regrettable." not in ada.get("/users/ada").get_data(as_text=True)


def test_a_profile_without_contributions_says_so(ada):
    page = ada.get("/users/ada").get_data(as_text=True)

    assert "No proposals yet." in page
    assert "No comments yet." in page


@pytest.mark.parametrize("days", [0, 13])
def test_an_account_younger_than_two_weeks_is_marked_new(app, client, days):
    add_user(app, "newbie", age=timedelta(days=days, hours=1))

    page = client.get("/users/newbie").get_data(as_text=True)

    assert '<span class="badge" title="Joined less than two weeks ago">new</span>' in page


@pytest.mark.parametrize("days", [15, 400])
def test_an_older_account_is_not_marked_new(app, client, days):
    add_user(app, "settled", age=timedelta(days=days))

    assert 'class="badge"' not in client.get("/users/settled").get_data(as_text=True)


def test_a_new_account_is_marked_new_by_its_comments_too(app, ada):
    slug = add_entry(app, "ada", "hub")
    add_user(app, "newbie", age=timedelta(days=2))
    cid = add_comment_row(app, "newbie", "entry", entry_row(app, slug)["id"])

    page = ada.get(f"/entries/{slug}").get_data(as_text=True)

    start = page.index(f'id="comment-{cid}"')
    assert ">new</span>" in page[start:page.index("</article>", start)]


def test_profiles_are_found_whatever_the_case_of_the_name(app, client, ada):
    assert client.get("/users/ADA").status_code == 200


def test_an_unknown_profile_is_a_404(client):
    assert client.get("/users/nobody").status_code == 404


def hide_by_flags(app, target_type, target_id):
    for n in range(app.config["FLAGS_TO_HIDE"]):
        add_user(app, f"flagger{n}")
        response = browser(app, f"flagger{n}").post(f"/flag/{target_type}/{target_id}",
                                                    data={"reason": "abuse"})
        assert response.status_code == 303


def test_a_comment_hidden_by_flags_leaves_the_profile_but_its_author_still_sees_it(app, ada, client):
    slug = add_entry(app, "ada", "hub")
    cid = add_comment_row(app, "ada", "entry", entry_row(app, slug)["id"], body="Flagged words.")

    hide_by_flags(app, "comment", cid)

    assert "Flagged words." not in client.get("/users/ada").get_data(as_text=True)
    assert "Flagged words." in ada.get("/users/ada").get_data(as_text=True)


def test_a_proposal_hidden_by_flags_leaves_the_profile_for_others(app, ada, client):
    pid = proposal_id(propose(ada, "hub", title="Dubious offer", url="https://dubious.example.org"))

    hide_by_flags(app, "proposal", pid)

    assert "Dubious offer" not in client.get("/users/ada").get_data(as_text=True)
    assert "Dubious offer" in ada.get("/users/ada").get_data(as_text=True)

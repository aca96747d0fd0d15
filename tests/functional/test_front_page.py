"""The front page: the best hubs and readings, the newest merges, and the proposals that are
waiting for votes."""

import re

import pytest
from sqlalchemy import select

from lbs.domain import contributions, voting
from lbs.extensions import db
from lbs.models import Proposal, User
from tests.functional.commons_scene import add_entries, add_voters, hub, reading, set_status, vote
from tests.functional.contributing import add_user, browser
from tests.functional.helpers import section


@pytest.fixture
def owner(app):
    add_user(app, "owner")
    return "owner"


def front(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def slugs_in(part):
    return re.findall(r'<a href="/entries/([^"#]+)">', part)


def proposal_ids_in(part):
    return [int(i) for i in re.findall(r'<a href="/proposals/(\d+)">', part)]


def test_top_hubs_are_the_best_voted_hubs_best_first(app, client, owner):
    slugs = add_entries(app, owner, [hub(f"Hub {i}") for i in range(7)])
    voters = add_voters(app, 6)
    for n, slug in enumerate(slugs[1:]):
        vote(app, voters[: n + 1], slug)

    part = section(front(client), "top-hubs")

    assert slugs_in(part) == slugs[:1:-1]


def test_top_readings_are_the_best_voted_readings_best_first(app, client, owner):
    first, second, third = add_entries(app, owner, [reading("A"), reading("B"), reading("C")])
    add_entries(app, owner, [hub("Not a reading")])
    voters = add_voters(app, 3)
    vote(app, voters, second)
    vote(app, voters[:1], third)

    part = section(front(client), "top-readings")

    assert slugs_in(part) == [second, third, first]


def test_the_newest_section_shows_both_kinds_newest_first(app, client, owner):
    slugs = add_entries(app, owner, [hub("Old hub"), reading("Old reading"), hub("Hub 2"),
                                     reading("Reading 2"), hub("Hub 3"), reading("Newest")])

    part = section(front(client), "newest")

    assert slugs_in(part) == slugs[:0:-1]


def test_entries_leaving_the_commons_leave_the_front_page(app, client, owner):
    kept, archived = add_entries(app, owner, [hub("Kept"), hub("Archived")])
    add_user(app, "mod", role="moderator")
    set_status(app, "mod", archived, "archived")

    page = front(client)

    assert archived not in slugs_in(page)
    assert kept in slugs_in(section(page, "top-hubs"))
    assert kept in slugs_in(section(page, "newest"))


def add_proposal(app, author, title, kind="hub"):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == author))
        fields = {"title": title, "url": f"https://{title.lower().replace(' ', '-')}.example.org",
                  "focus": "production", "reading_type": "article"}
        proposal = contributions.propose_entry(user, kind, fields)
        db.session.commit()
        return proposal.id


def test_open_proposals_wait_for_votes_on_the_front_page_hottest_first(app, client, owner):
    quiet = add_proposal(app, owner, "Quiet one")
    liked = add_proposal(app, owner, "Liked one", kind="reading")
    with app.app_context():
        proposal = db.session.get(Proposal, liked)
        for name in add_voters(app, 3):
            voting.cast_vote(db.session.scalar(select(User).where(User.username == name)), proposal, 1)
        db.session.commit()

    part = section(front(client), "waiting")

    assert proposal_ids_in(part) == [liked, quiet]
    assert "Liked one" in part
    assert 'href="/users/owner"' in part


def test_a_withdrawn_proposal_no_longer_waits(app, client, owner):
    kept = add_proposal(app, owner, "Kept open")
    gone = add_proposal(app, owner, "Withdrawn")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == owner))
        contributions.withdraw(user, db.session.get(Proposal, gone))
        db.session.commit()

    assert proposal_ids_in(section(front(client), "waiting")) == [kept]


def test_with_nothing_waiting_the_front_page_invites_a_proposal(client):
    part = section(front(client), "waiting")

    assert proposal_ids_in(part) == []
    assert 'href="/propose"' in part


def test_a_moderator_sees_the_waiting_proposals_too(app, owner):
    waiting = add_proposal(app, owner, "Waiting one")
    add_user(app, "mod", role="moderator")

    response = browser(app, "mod").get("/")

    assert response.status_code == 200
    assert proposal_ids_in(section(response.get_data(as_text=True), "waiting")) == [waiting]

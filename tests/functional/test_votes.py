"""Voting on entries, proposals and comments: one vote per person, counters and scores that
always agree with the votes, and the person sent back where they were."""

import random
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from lbs.domain import ranking, voting
from lbs.domain.errors import NotAllowed
from lbs.extensions import db
from lbs.models import Comment, Entry, Proposal, User, Vote
from tests.functional.contributing import (
    add_comment_row,
    add_entry,
    add_user,
    browser,
    count_votes,
    elements,
    entry_row,
    links,
    proposal_id,
    propose,
    row,
    user_row,
)


@pytest.fixture
def scene(app):
    """ada owns an entry and a proposal; bob votes."""
    add_user(app, "ada")
    add_user(app, "bob")
    slug = add_entry(app, "ada", "hub")
    ada = browser(app, "ada")
    pid = proposal_id(propose(ada, "hub", url="https://example.org/proposed"))
    entry_id = entry_row(app, slug)["id"]
    return {"slug": slug, "entry_id": entry_id, "proposal_id": pid, "ada": ada,
            "bob": browser(app, "bob")}


def vote(client, target_type, target_id, value, **extra):
    return client.post(f"/vote/{target_type}/{target_id}", data={"value": str(value), **extra})


def assert_scores_follow_the_counts(app, stored):
    assert stored["score_top"] == pytest.approx(ranking.wilson_lower_bound(stored["ups"], stored["downs"]))
    assert stored["score_hot"] == pytest.approx(ranking.hot_score(
        stored["ups"], stored["downs"], stored["created_at"], app.config["HOT_TAU_SECONDS"]
    ), abs=1e-6)


def test_an_up_vote_counts_and_sends_the_voter_back_to_the_entry(app, scene):
    response = vote(scene["bob"], "entry", scene["entry_id"], 1)

    assert response.status_code == 303
    assert response.location == f"/entries/{scene['slug']}"
    stored = entry_row(app, scene["slug"])
    assert (stored["ups"], stored["downs"]) == (1, 0)
    assert_scores_follow_the_counts(app, stored)
    assert count_votes(app) == 1


def test_the_page_shows_the_vote_as_chosen(app, scene):
    vote(scene["bob"], "entry", scene["entry_id"], 1)

    page = scene["bob"].get(f"/entries/{scene['slug']}").get_data(as_text=True)

    pressed = [a for t, a in elements(page) if t == "button" and a.get("aria-pressed") == "true"]
    assert len(pressed) == 1 and "up" in pressed[0]["class"]
    assert 'title="1 up, 0 down"' in page


def test_the_same_vote_twice_counts_once(app, scene):
    vote(scene["bob"], "entry", scene["entry_id"], 1)
    vote(scene["bob"], "entry", scene["entry_id"], 1)

    assert entry_row(app, scene["slug"])["ups"] == 1
    assert count_votes(app) == 1


def test_a_vote_can_be_changed_from_up_to_down(app, scene):
    with app.app_context():
        db.session.execute(db.update(User).where(User.username == "bob").values(karma=5))
        db.session.commit()
    vote(scene["bob"], "entry", scene["entry_id"], 1)

    vote(scene["bob"], "entry", scene["entry_id"], -1)

    stored = entry_row(app, scene["slug"])
    assert (stored["ups"], stored["downs"]) == (0, 1)
    assert_scores_follow_the_counts(app, stored)
    assert count_votes(app, Vote.value == -1) == 1


def test_a_vote_can_be_withdrawn(app, scene):
    vote(scene["bob"], "entry", scene["entry_id"], 1)

    vote(scene["bob"], "entry", scene["entry_id"], 0)

    stored = entry_row(app, scene["slug"])
    assert (stored["ups"], stored["downs"]) == (0, 0)
    assert_scores_follow_the_counts(app, stored)
    assert count_votes(app) == 0


def test_withdrawing_a_vote_never_given_changes_nothing(app, scene):
    response = vote(scene["bob"], "entry", scene["entry_id"], 0)

    assert response.status_code == 303
    assert entry_row(app, scene["slug"])["ups"] == 0


def test_votes_on_a_proposal_move_its_counters_and_scores(app, scene):
    add_user(app, "cy")
    vote(scene["bob"], "proposal", scene["proposal_id"], 1)
    vote(browser(app, "cy"), "proposal", scene["proposal_id"], 1)

    stored = row(app, Proposal, scene["proposal_id"])
    assert (stored["ups"], stored["downs"]) == (2, 0)
    assert_scores_follow_the_counts(app, stored)


def test_a_vote_on_a_comment_moves_its_score_and_returns_to_the_comment(app, scene):
    comment_id = add_comment_row(app, "ada", "entry", scene["entry_id"])

    response = vote(scene["bob"], "comment", comment_id, 1)

    assert response.location == f"/entries/{scene['slug']}#comment-{comment_id}"
    stored = row(app, Comment, comment_id)
    assert (stored["ups"], stored["score"]) == (1, 1)


def test_a_vote_on_a_proposal_returns_to_the_proposal(scene):
    response = vote(scene["bob"], "proposal", scene["proposal_id"], 1)

    assert response.location == f"/proposals/{scene['proposal_id']}"


@pytest.mark.parametrize("target_type", ["entry", "proposal", "comment"])
def test_nobody_votes_on_their_own_contribution(app, scene, target_type):
    target_id = {
        "entry": scene["entry_id"], "proposal": scene["proposal_id"],
        "comment": add_comment_row(app, "ada", "entry", scene["entry_id"]),
    }[target_type]

    response = vote(scene["ada"], target_type, target_id, 1)

    assert response.status_code == 403
    assert count_votes(app) == 0
    assert user_row(app, "ada")["karma"] == 0


def test_no_vote_buttons_are_offered_on_ones_own_entry(scene):
    page = scene["ada"].get(f"/entries/{scene['slug']}").get_data(as_text=True)

    assert f"/vote/entry/{scene['entry_id']}" not in page


def test_a_down_vote_needs_karma(app, scene):
    with app.app_context():
        db.session.execute(db.update(User).where(User.username == "bob").values(karma=4))
        db.session.commit()

    response = vote(scene["bob"], "entry", scene["entry_id"], -1)

    assert response.status_code == 403
    assert "karma" in response.get_data(as_text=True)
    assert entry_row(app, scene["slug"])["downs"] == 0


def test_enough_karma_allows_a_down_vote(app, scene):
    with app.app_context():
        db.session.execute(db.update(User).where(User.username == "bob").values(
            karma=app.config["DOWNVOTE_MIN_KARMA"]))
        db.session.commit()

    response = vote(scene["bob"], "entry", scene["entry_id"], -1)

    assert response.status_code == 303
    stored = entry_row(app, scene["slug"])
    assert (stored["ups"], stored["downs"]) == (0, 1)
    assert_scores_follow_the_counts(app, stored)


@pytest.mark.parametrize("value", ["2", "-2", "up", ""])
def test_a_vote_other_than_up_down_or_withdraw_is_refused(app, scene, value):
    response = scene["bob"].post(f"/vote/entry/{scene['entry_id']}", data={"value": value})

    assert response.status_code == 400
    assert count_votes(app) == 0


def test_a_vote_on_something_that_does_not_exist_is_a_404(scene):
    assert vote(scene["bob"], "entry", 999, 1).status_code == 404
    assert vote(scene["bob"], "proposal", 999, 1).status_code == 404
    assert scene["bob"].post("/vote/user/1", data={"value": "1"}).status_code == 404


def test_a_visitor_is_sent_to_log_in_and_nothing_is_counted(app, scene, client):
    response = vote(client, "entry", scene["entry_id"], 1)

    assert response.status_code == 302
    assert urlsplit(response.location).path == "/login"
    assert count_votes(app) == 0


def test_voting_needs_a_post(scene):
    assert scene["bob"].get(f"/vote/entry/{scene['entry_id']}?value=1").status_code == 405


def test_a_vote_on_a_withdrawn_proposal_is_refused(app, scene):
    scene["ada"].post(f"/proposals/{scene['proposal_id']}/withdraw")

    assert vote(scene["bob"], "proposal", scene["proposal_id"], 1).status_code == 403


@pytest.mark.parametrize("next_page", ["/hubs?sort=top&page=2", "/proposals", "/entries/x#comment-3"])
def test_the_voter_goes_back_to_the_page_named_in_next(scene, next_page):
    response = vote(scene["bob"], "entry", scene["entry_id"], 1, next=next_page)

    assert response.location == next_page


@pytest.mark.parametrize(
    "next_page",
    ["//evil.example", "/\\evil.example", "\\\\evil.example", "https://evil.example", "http:evil.example",
     "javascript:alert(1)", "\t//evil.example", "////evil.example", "hubs"],
)
def test_a_next_outside_the_site_is_ignored(scene, next_page):
    response = vote(scene["bob"], "entry", scene["entry_id"], 1, next=next_page)

    assert response.location == f"/entries/{scene['slug']}"


def titles_in_order(page):
    return [attrs["href"] for tag, attrs in elements(page)
            if tag == "a" and attrs.get("href", "").startswith("/entries/") and "#" not in attrs["href"]]


def test_up_votes_move_an_entry_up_the_top_list(app, scene):
    add_user(app, "cy")
    later = add_entry(app, "ada", "hub", title="Wikipedia", url="https://www.wikipedia.org")
    first = f"/entries/{scene['slug']}"
    second = f"/entries/{later}"
    before = titles_in_order(scene["bob"].get("/hubs?sort=top").get_data(as_text=True))
    assert before == [second, first]  # no votes yet: newest first

    vote(scene["bob"], "entry", scene["entry_id"], 1, next="/hubs?sort=top")
    page = scene["bob"].get("/hubs?sort=top").get_data(as_text=True)

    assert titles_in_order(page) == [first, second]


def test_the_list_vote_buttons_bring_the_voter_back_to_the_list(scene):
    page = scene["bob"].get("/hubs?sort=top").get_data(as_text=True)

    nexts = {a.get("value") for t, a in elements(page) if t == "input" and a.get("name") == "next"}
    assert nexts == {"/hubs?sort=top"}
    assert f"/vote/entry/{scene['entry_id']}" in page
    assert "/login" not in links(page)


def test_votes_on_entries_and_comments_earn_their_owner_karma_but_votes_on_proposals_do_not(app, scene):
    comment_id = add_comment_row(app, "ada", "entry", scene["entry_id"])

    vote(scene["bob"], "entry", scene["entry_id"], 1)
    vote(scene["bob"], "comment", comment_id, 1)
    vote(scene["bob"], "proposal", scene["proposal_id"], 1)

    assert user_row(app, "ada")["karma"] == 2
    vote(scene["bob"], "entry", scene["entry_id"], 0)
    assert user_row(app, "ada")["karma"] == 1


# The invariant, over a random history of votes and withdrawals.

def _targets(app):
    with app.app_context():
        return ([("entry", e.id, e.proposer_id) for e in db.session.scalars(select(Entry))]
                + [("proposal", p.id, p.author_id) for p in db.session.scalars(select(Proposal))]
                + [("comment", c.id, c.author_id) for c in db.session.scalars(select(Comment))])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_after_random_votes_the_counters_scores_and_karma_agree_with_the_vote_rows(app, seed):
    rng = random.Random(seed)
    owners = ["ada", "bob"]
    for name in owners:
        add_user(app, name)
    # Voters who own nothing keep their starting karma, so some can down-vote and one cannot.
    voters = {"v1": 10, "v2": 10, "v3": 5, "v4": 0}
    for name, karma in voters.items():
        add_user(app, name, karma=karma)
    for name in owners:
        for n in range(2):
            slug = add_entry(app, name, "hub", title=f"{name} hub {n}", url=f"https://{name}{n}.example.org")
            entry_id = entry_row(app, slug)["id"]
            for commenter in owners:
                add_comment_row(app, commenter, "entry", entry_id)
        proposal_id(propose(browser(app, name), "reading", url=f"https://{name}.example.org/r"))
    targets = _targets(app)
    everyone = owners + list(voters)

    refused = 0
    with app.app_context():
        users = {u.username: u.id for u in db.session.scalars(select(User))}
        for _ in range(150):
            name = rng.choice(everyone)
            target_type, target_id, _owner = rng.choice(targets)
            value = rng.choice((1, 1, -1, 0))
            try:
                voting.cast_vote(db.session.get(User, users[name]),
                                 voting.load_target(target_type, target_id), value)
                db.session.commit()
            except NotAllowed:
                db.session.rollback()
                refused += 1
        assert refused, "the history should include refused votes (own items, too little karma)"

        karma = {name: voters.get(name, 0) for name in everyone}
        for target_type, target_id, owner in targets:
            model = voting.TARGETS[target_type]
            stored = db.session.get(model, target_id)
            ups, downs = (
                db.session.scalar(select(func.count()).select_from(Vote).where(
                    Vote.target_type == target_type, Vote.target_id == target_id, Vote.value == value))
                for value in (1, -1)
            )
            assert (stored.ups, stored.downs) == (ups, downs), (target_type, target_id)
            if target_type == "comment":
                assert stored.score == ups - downs
            else:
                assert stored.score_top == pytest.approx(ranking.wilson_lower_bound(ups, downs))
                assert stored.score_hot == pytest.approx(ranking.hot_score(
                    ups, downs, stored.created_at, app.config["HOT_TAU_SECONDS"]), abs=1e-6)
            if target_type != "proposal":
                owner_name = next(n for n, i in users.items() if i == owner)
                karma[owner_name] += ups - downs
        assert {u.username: u.karma for u in db.session.scalars(select(User))} == karma
        own_votes = db.session.scalar(select(func.count()).select_from(Vote).join(
            Entry, (Vote.target_type == "entry") & (Vote.target_id == Entry.id)
        ).where(Vote.user_id == Entry.proposer_id))
        assert own_votes == 0

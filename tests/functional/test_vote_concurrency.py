"""Votes arriving at the same moment (SECURITY.md, checks 1 and 2): none lost, none doubled.

Run on PostgreSQL only: SQLite serialises writers on one file lock, so threads there prove
nothing about row locks and unique keys under real concurrency.
"""

import threading

import pytest
from sqlalchemy import func, insert, select

from lbs.domain import ranking, voting
from lbs.extensions import db
from lbs.models import Entry, User, Vote, utcnow
from tests.functional.contributing import add_entry, add_user, browser, entry_row, shared_password_hash

pytestmark = pytest.mark.postgres_only


@pytest.fixture(autouse=True)
def _postgres_only(dialect):
    if dialect != "postgresql":
        pytest.skip("concurrency needs PostgreSQL: set TEST_DATABASE_URL to run it")


def at_once(app, n, action):
    """Run action(i) in n threads released together, each in its own app context and so its
    own session and connection; returns the exceptions they raised."""
    barrier = threading.Barrier(n)
    errors = []

    def run(i):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                action(i)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - every failure is the finding
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a voter never finished"
    return errors


def add_voters(app, n):
    """n established accounts in one INSERT, with a hash computed once."""
    now = utcnow()
    with app.app_context():
        db.session.execute(insert(User), [
            {"username": f"voter{i}", "username_key": f"voter{i}", "email": f"voter{i}@example.org",
             "email_key": f"voter{i}@example.org", "password_hash": shared_password_hash(),
             "role": "peer", "status": "active", "karma": 0, "created_at": now}
            for i in range(n)
        ])
        db.session.commit()
        return db.session.scalars(
            select(User.id).where(User.username.like("voter%")).order_by(User.id)
        ).all()


def cast(user_id, entry_id, value=1):
    voting.cast_vote(db.session.get(User, user_id), db.session.get(Entry, entry_id), value)


def vote_rows(app, entry_id):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Vote).where(
            Vote.target_type == "entry", Vote.target_id == entry_id))


@pytest.fixture
def entry_id(app):
    add_user(app, "owner")
    return entry_row(app, add_entry(app, "owner", "hub"))["id"]


def test_fifty_peers_voting_at_the_same_moment_are_all_counted(app, entry_id):
    voters = add_voters(app, 50)

    errors = at_once(app, 50, lambda i: cast(voters[i], entry_id))

    assert errors == []
    stored = entry_row_by_id(app, entry_id)
    assert vote_rows(app, entry_id) == 50
    assert (stored["ups"], stored["downs"]) == (50, 0)
    assert stored["score_top"] == pytest.approx(ranking.wilson_lower_bound(50, 0))
    assert stored["score_hot"] == pytest.approx(
        ranking.hot_score(50, 0, stored["created_at"], app.config["HOT_TAU_SECONDS"]), abs=1e-6)
    with app.app_context():
        assert db.session.scalar(select(User.karma).where(User.username == "owner")) == 50


def test_one_peer_sending_the_same_up_vote_twenty_times_at_once_counts_once(app, entry_id):
    (voter,) = add_voters(app, 1)

    errors = at_once(app, 20, lambda i: cast(voter, entry_id))

    assert errors == []
    assert vote_rows(app, entry_id) == 1
    stored = entry_row_by_id(app, entry_id)
    assert (stored["ups"], stored["downs"]) == (1, 0)
    assert stored["score_top"] == pytest.approx(ranking.wilson_lower_bound(1, 0))
    with app.app_context():
        assert db.session.scalar(select(User.karma).where(User.username == "owner")) == 1


def test_twenty_browsers_of_one_peer_posting_the_vote_at_once_count_once(app, entry_id):
    add_user(app, "eager")
    clients = [browser(app, "eager") for _ in range(20)]
    barrier = threading.Barrier(20)
    statuses = []

    def post(client):
        barrier.wait(timeout=30)
        statuses.append(client.post(f"/vote/entry/{entry_id}", data={"value": "1"}).status_code)

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(statuses) == [303] * 20
    assert vote_rows(app, entry_id) == 1
    assert entry_row_by_id(app, entry_id)["ups"] == 1


def entry_row_by_id(app, entry_id):
    with app.app_context():
        entry = db.session.get(Entry, entry_id)
        return {column.key: getattr(entry, column.key) for column in Entry.__table__.columns}

"""The score invariant under a random history (SECURITY.md, check 3): Hypothesis drives votes,
withdrawals and flags by several peers on several entries through the domain's own entry
points, and after every step each entry's stored counters equal its vote rows and its stored
scores equal lbs.domain.ranking's formulas on them.

Unlike the seeded history of test_votes.py, Hypothesis chooses the order, mixes flags in
(which hide entries but must leave scores alone) and shrinks any failure to the shortest
history that breaks the invariant.
"""

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select, update

from lbs.domain import discussion, ranking, voting
from lbs.domain.errors import DomainError
from lbs.extensions import db
from lbs.models import Entry, Flag, User, Vote
from tests.functional.contributing import add_entry, add_user

OPERATIONS = 1000
# Karma at the start: two voters may down-vote, one may not (DOWNVOTE_MIN_KARMA is 5).
PEERS = {"ada": 10, "bob": 10, "cy": 0, "dee": 6, "eve": 1}
OWNERS = ("ada", "bob", "cy")
REASONS = ("spam", "off-topic", "abuse", "broken-link", "duplicate")


@pytest.fixture
def commons(app):
    for name, karma in PEERS.items():
        add_user(app, name, karma=karma)
    slugs = [
        add_entry(app, owner, kind, title=f"{owner} {kind}", url=f"https://{owner}.example.org/{kind}")
        for owner in OWNERS for kind in ("hub", "reading")
    ]
    with app.app_context():
        entry_ids = db.session.scalars(select(Entry.id).where(Entry.slug.in_(slugs))).all()
        user_ids = {u.username: u.id for u in db.session.scalars(select(User))}
    return {"entries": sorted(entry_ids), "users": user_ids}


def _stored_matches_votes(app):
    tau = app.config["HOT_TAU_SECONDS"]
    counted = {
        (target_id, value): n
        for target_id, value, n in db.session.execute(
            select(Vote.target_id, Vote.value, func.count())
            .where(Vote.target_type == "entry")
            .group_by(Vote.target_id, Vote.value)
        )
    }
    flags = dict(db.session.execute(
        select(Flag.target_id, func.count())
        .where(Flag.target_type == "entry", Flag.status == "open")
        .group_by(Flag.target_id)
    ).all())
    table = Entry.__table__
    for entry in db.session.execute(select(table)).all():
        ups, downs = counted.get((entry.id, 1), 0), counted.get((entry.id, -1), 0)
        assert (entry.ups, entry.downs) == (ups, downs), entry.slug
        assert entry.score_top == pytest.approx(ranking.wilson_lower_bound(ups, downs), abs=1e-12)
        assert entry.score_hot == pytest.approx(
            ranking.hot_score(ups, downs, entry.created_at, tau), abs=1e-6
        )
        assert entry.flag_count == flags.get(entry.id, 0), entry.slug
        assert entry.flag_hidden == (entry.flag_count >= app.config["FLAGS_TO_HIDE"])


def test_a_random_history_of_votes_and_flags_keeps_every_score_true_to_the_votes(app, commons):
    users, entry_ids = commons["users"], commons["entries"]
    done = {"operations": 0, "refused": 0, "flags": 0}

    class History(RuleBasedStateMachine):
        @initialize()
        def start_from_no_votes_and_no_flags(self):
            # Each history starts where the commons did: nothing counted, nothing flagged.
            with app.app_context():
                db.session.execute(Vote.__table__.delete())
                db.session.execute(Flag.__table__.delete())
                for entry in db.session.scalars(select(Entry)):
                    db.session.execute(update(Entry.__table__).where(Entry.__table__.c.id == entry.id)
                                       .values(flag_count=0, flag_hidden=False))
                    voting.recount(entry)
                for name, karma in PEERS.items():
                    db.session.execute(update(User).where(User.id == users[name]).values(karma=karma))
                db.session.commit()

        def _act(self, action):
            done["operations"] += 1
            with app.app_context():
                try:
                    action()
                    db.session.commit()
                except DomainError:
                    # Refused (own entry, too little karma, a second flag): nothing may change.
                    db.session.rollback()
                    done["refused"] += 1

        @rule(peer=st.sampled_from(list(PEERS)), entry=st.sampled_from(entry_ids),
              value=st.sampled_from([1, 1, -1]))
        def vote(self, peer, entry, value):
            self._act(lambda: voting.cast_vote(
                db.session.get(User, users[peer]), db.session.get(Entry, entry), value))

        @rule(peer=st.sampled_from(list(PEERS)), entry=st.sampled_from(entry_ids))
        def withdraw_a_vote(self, peer, entry):
            self._act(lambda: voting.cast_vote(
                db.session.get(User, users[peer]), db.session.get(Entry, entry), 0))

        @rule(peer=st.sampled_from(list(PEERS)), entry=st.sampled_from(entry_ids),
              reason=st.sampled_from(REASONS), other=st.sampled_from(entry_ids))
        def flag(self, peer, entry, reason, other):
            def flag_it():
                discussion.flag(
                    db.session.get(User, users[peer]), db.session.get(Entry, entry), reason,
                    "Looks wrong.", duplicate_of=db.session.get(Entry, other),
                )
                done["flags"] += 1

            self._act(flag_it)

        @invariant()
        def stored_scores_follow_the_vote_rows(self):
            with app.app_context():
                _stored_matches_votes(app)
                db.session.rollback()

    # Hypothesis ends some histories early, so rounds of a few histories go on until the
    # thousand operations are done.
    while done["operations"] < OPERATIONS:
        run_state_machine_as_test(History, settings=settings(
            max_examples=5, stateful_step_count=50, deadline=None, database=None,
            suppress_health_check=list(HealthCheck),
        ))

    print(f"score invariant: {done['operations']} operations, {done['refused']} refused, "
          f"{done['flags']} flags")
    assert done["operations"] >= OPERATIONS
    assert done["refused"] and done["flags"]

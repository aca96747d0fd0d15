"""cast_vote: the one entry point for votes on entries, proposals and comments.

One transaction: the vote row changes with INSERT ... ON CONFLICT / UPDATE / DELETE guarded in
SQL, the counters move with `ups = ups + 1`-style updates, and the stored scores are recomputed
from the counters that UPDATE returned, while that UPDATE still holds the row lock. Nothing is
read in Python and written back, so parallel votes cannot lose each other.
"""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, literal, select, update

from lbs.domain import permissions, ranking
from lbs.domain.entries import hot_tau
from lbs.domain.errors import Invalid, NotAllowed
from lbs.domain.sql import insert_ignoring_conflicts
from lbs.extensions import db
from lbs.models import Comment, Entry, Proposal, User, Vote

TARGETS = {"entry": Entry, "proposal": Proposal, "comment": Comment}


def initial_scores(created_at):
    return ranking.wilson_lower_bound(0, 0), ranking.hot_score(0, 0, created_at, hot_tau())


def load_target(target_type, target_id):
    model = TARGETS.get(target_type)
    return db.session.get(model, target_id) if model else None


def owner_id(target):
    if isinstance(target, Entry):
        return target.proposer_id
    if isinstance(target, Proposal):
        return target.author_id
    return target.author_id


def _karma_counts(target):
    # Karma counts votes on comments and on merged contributions (entries), not on proposals
    # still under discussion: their votes carry over to the entry when it is merged.
    return isinstance(target, Entry | Comment)


def _change_vote_row(user, target_type, target_id, value):
    """Apply the vote row change; returns (delta_ups, delta_downs)."""
    where = (Vote.user_id == user.id, Vote.target_type == target_type, Vote.target_id == target_id)
    if value == 0:
        old = db.session.execute(delete(Vote).where(*where).returning(Vote.value)).scalar()
        return (-1 if old == 1 else 0, -1 if old == -1 else 0)
    inserted = db.session.execute(
        insert_ignoring_conflicts(Vote)
        .values(user_id=user.id, target_type=target_type, target_id=target_id, value=value)
        .returning(Vote.id)
    ).scalar()
    if inserted is not None:
        return (1, 0) if value == 1 else (0, 1)
    flipped = db.session.execute(
        update(Vote).where(*where, Vote.value != value).values(value=value).returning(Vote.id)
    ).scalar()
    if flipped is None:
        return (0, 0)  # the same vote again: nothing changes
    return (1, -1) if value == 1 else (-1, 1)


def _store_scores(model, target_id, ups, downs, created_at):
    table = model.__table__
    if model is Comment:
        scores = {"score": ups - downs}
    else:
        scores = {
            "score_top": ranking.wilson_lower_bound(ups, downs),
            "score_hot": ranking.hot_score(ups, downs, created_at, hot_tau()),
        }
    db.session.execute(update(table).where(table.c.id == target_id).values(**scores))


def _move_karma(target, delta):
    if delta and _karma_counts(target):
        db.session.execute(
            update(User).where(User.id == owner_id(target)).values(karma=User.karma + delta)
        )


def apply_counter_change(target, delta_ups, delta_downs):
    """Move the counters in SQL and store the scores computed from the new counts."""
    model = type(target)
    table = model.__table__
    ups, downs, created_at = db.session.execute(
        update(table)
        .where(table.c.id == target.id)
        .values(ups=table.c.ups + delta_ups, downs=table.c.downs + delta_downs)
        .returning(table.c.ups, table.c.downs, table.c.created_at)
    ).one()
    _store_scores(model, target.id, ups, downs, created_at)
    _move_karma(target, delta_ups - delta_downs)


def recount(target):
    """Set the counters from the vote rows themselves, after votes were moved in bulk.

    The row is locked first, so the count runs on a fresh snapshot and no concurrent vote
    can slip between counting and storing.
    """
    model = type(target)
    table = model.__table__
    target_type = next(name for name, m in TARGETS.items() if m is model)
    old_ups, old_downs = db.session.execute(
        select(table.c.ups, table.c.downs).where(table.c.id == target.id).with_for_update()
    ).one()
    counts = dict(
        db.session.execute(
            select(Vote.value, func.count())
            .where(Vote.target_type == target_type, Vote.target_id == target.id)
            .group_by(Vote.value)
        ).all()
    )
    ups, downs = counts.get(1, 0), counts.get(-1, 0)
    created_at = db.session.execute(
        update(table)
        .where(table.c.id == target.id)
        .values(ups=ups, downs=downs)
        .returning(table.c.created_at)
    ).scalar()
    _store_scores(model, target.id, ups, downs, created_at)
    _move_karma(target, (ups - downs) - (old_ups - old_downs))
    db.session.expire(target)


def move_votes(from_type, from_id, to_type, to_id, only_up=False, exclude_user_id=None):
    """Copy votes to another target; a voter who already voted there keeps that one vote."""
    query = select(Vote.user_id, literal(to_type), literal(to_id), Vote.value, Vote.created_at).where(
        Vote.target_type == from_type, Vote.target_id == from_id
    )
    if only_up:
        query = query.where(Vote.value == 1)
    if exclude_user_id is not None:
        query = query.where(Vote.user_id != exclude_user_id)
    db.session.execute(
        insert_ignoring_conflicts(Vote).from_select(
            ["user_id", "target_type", "target_id", "value", "created_at"], query
        )
    )


def cast_vote(user, target, value):
    """Set the user's vote on the target to +1, -1, or 0 (withdrawn). Idempotent."""
    if value not in (-1, 0, 1):
        raise Invalid("value", _("A vote is up, down or withdrawn."))
    permissions.require(user, "vote", target, _("You cannot vote on this."))
    if value == -1 and user.karma < current_app.config["DOWNVOTE_MIN_KARMA"]:
        raise NotAllowed(
            _(
                "Down-votes need %(num)s karma; "
                "you earn karma when others up-vote your comments and contributions.",
                num=current_app.config["DOWNVOTE_MIN_KARMA"],
            )
        )
    target_type = next(name for name, model in TARGETS.items() if isinstance(target, model))
    delta_ups, delta_downs = _change_vote_row(user, target_type, target.id, value)
    if delta_ups or delta_downs:
        apply_counter_change(target, delta_ups, delta_downs)
    db.session.expire(target)


def votes_by(user, target_type, target_ids):
    """{target_id: value} of the user's votes among these targets, in one query."""
    if user is None or not getattr(user, "is_authenticated", False) or not target_ids:
        return {}
    rows = db.session.execute(
        select(Vote.target_id, Vote.value).where(
            Vote.user_id == user.id,
            Vote.target_type == target_type,
            Vote.target_id.in_(list(target_ids)),
        )
    )
    return dict(rows.all())


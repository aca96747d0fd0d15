"""Telling people what happened to their contributions."""

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from lbs.extensions import db
from lbs.models import Notification, Revision, utcnow

PAGE = 50


def notify(user_id, kind, message, link, actor=None, reason=None):
    if actor is not None and actor.id == user_id:
        return  # nobody needs telling about what they did themselves
    db.session.add(
        Notification(
            user_id=user_id, kind=kind, message=message[:500], link=link[:300],
            actor_id=actor.id if actor is not None else None, reason=reason,
        )
    )


def notify_contributors(entry, kind, message, link, actor):
    """Everyone whose proposals were merged into the entry."""
    authors = db.session.scalars(
        select(Revision.author_id).where(Revision.entry_id == entry.id).distinct()
    ).all()
    for author_id in authors:
        notify(author_id, kind, message, link, actor=actor)


def unread_count(user):
    return db.session.scalar(
        select(func.count()).select_from(Notification).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )


def recent(user):
    return db.session.scalars(
        select(Notification)
        # The page names who acted on each: one query for all of them.
        .options(selectinload(Notification.actor))
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(PAGE)
    ).all()


def mark_all_read(user):
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )

"""Telling people what happened to their contributions.

A notification is stored once, for a reader whose language may change by the time it is read:
the `message` column keeps the facts (what was decided, on which title) as a small JSON object,
and the sentence is written when the page is shown, in the reader's language. Rows stored
before that hold an English sentence, shown as it is.
"""

import json

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from lbs.extensions import db
from lbs.models import Notification, Revision, utcnow

PAGE = 50
MESSAGE_LENGTH = 500  # the column's size


def _stored_details(details):
    """The details as JSON that fits the column: long titles are shortened, never cut mid-JSON."""
    limit = 200
    while True:
        shortened = {
            key: value[:limit] if isinstance(value, str) else value for key, value in details.items()
        }
        text = json.dumps(shortened, ensure_ascii=False, separators=(",", ":"))
        if len(text) <= MESSAGE_LENGTH:
            return text
        limit //= 2


def notify(user_id, kind, link, actor=None, reason=None, **details):
    """Tell a person about `kind` (see notification_text for the details each kind carries)."""
    if actor is not None and actor.id == user_id:
        return  # nobody needs telling about what they did themselves
    db.session.add(
        Notification(
            user_id=user_id, kind=kind, message=_stored_details(details), link=link[:300],
            actor_id=actor.id if actor is not None else None, reason=reason,
        )
    )


def notify_contributors(entry, kind, link, actor, **details):
    """Everyone whose proposals were merged into the entry."""
    authors = db.session.scalars(
        select(Revision.author_id).where(Revision.entry_id == entry.id).distinct()
    ).all()
    for author_id in authors:
        notify(author_id, kind, link, actor=actor, **details)


def _details(message):
    if not message.startswith("{"):
        return None
    try:
        details = json.loads(message)
    except ValueError:
        return None
    return details if isinstance(details, dict) else None


def notification_text(notification):
    """The notification's sentence in the reader's language."""
    details = _details(notification.message or "")
    if details is None:
        return notification.message
    actor = notification.actor.username if notification.actor is not None else "?"
    title = details.get("title", "")
    kind = notification.kind
    if kind == "decision":
        outcome = details.get("outcome")
        if outcome == "merged":
            return _("Your proposal “%(title)s” was merged into the commons.", title=title)
        if outcome == "duplicate":
            return _(
                "Your proposal “%(title)s” was closed as a duplicate of “%(entry)s”.",
                title=title, entry=details.get("entry", ""),
            )
        return _("Your proposal “%(title)s” was not merged.", title=title)
    if kind == "reply":
        return _("%(name)s replied to your comment.", name=actor)
    if kind == "edit-proposed":
        return _(
            "%(name)s proposed an edit to “%(title)s”, which you contributed to.",
            name=actor, title=title,
        )
    if kind == "comment-hidden":
        return _("A moderator hid one of your comments.")
    if kind == "comment-unhidden":
        return _("A moderator made your comment visible again.")
    return notification.message


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

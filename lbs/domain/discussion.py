"""Talking about contributions: threaded comments and flags."""

from flask import current_app
from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import case, select, true, update
from sqlalchemy.orm import contains_eager

from lbs.domain import permissions
from lbs.domain.accounts import is_new_account
from lbs.domain.contributions import NEW_ACCOUNT_MAX_LINKS
from lbs.domain.errors import Conflict, Invalid
from lbs.domain.notifications import notify
from lbs.domain.sql import insert_ignoring_conflicts
from lbs.domain.text import clean_text, count_links
from lbs.extensions import db
from lbs.models import FLAG_REASONS, Comment, Entry, Flag, Proposal, utcnow

MAX_COMMENT = 10000
MAX_FLAG_NOTE = 1000
COMMENT_TARGETS = {"entry": Entry, "proposal": Proposal}
FLAG_TARGETS = {"entry": Entry, "proposal": Proposal, "comment": Comment}


def _target_type(target, table):
    return next(name for name, model in table.items() if isinstance(target, model))


def _body(raw, author):
    body = clean_text(raw, multiline=True)
    if not body:
        raise Invalid("body", _("Write something before sending."))
    if len(body) > MAX_COMMENT:
        raise Invalid(
            "body", _("Keep a comment under %(num)s characters.", num=format_number(MAX_COMMENT))
        )
    if is_new_account(author) and count_links(body) > NEW_ACCOUNT_MAX_LINKS:
        raise Invalid(
            "body",
            _("New accounts may put at most %(num)d links in a comment.", num=NEW_ACCOUNT_MAX_LINKS),
        )
    return body


def _move_comment_count(target_type, target_id, delta):
    model = COMMENT_TARGETS[target_type]
    db.session.execute(
        update(model.__table__)
        .where(model.__table__.c.id == target_id)
        .values(comment_count=model.__table__.c.comment_count + delta)
    )


def add_comment(author, target, body, parent_id=None):
    permissions.require(author, "comment", target, _("You cannot comment here."))
    body = _body(body, author)
    target_type = _target_type(target, COMMENT_TARGETS)
    if parent_id is not None:
        parent = db.session.get(Comment, parent_id)
        if parent is None or (parent.target_type, parent.target_id) != (target_type, target.id):
            raise Invalid("body", _("The comment you are replying to is not in this discussion."))
    comment = Comment(
        author_id=author.id, target_type=target_type, target_id=target.id,
        parent_id=parent_id, body=body,
    )
    db.session.add(comment)
    db.session.flush()
    _move_comment_count(target_type, target.id, 1)
    if parent_id is not None:
        notify(parent.author_id, "reply", f"/comments/{comment.id}", actor=author)
    return comment


def edit_comment(author, comment, body):
    minutes = current_app.config.get("COMMENT_EDIT_MINUTES", 60)
    permissions.require(
        author, "edit-comment", comment,
        _("You can edit your own comments for %(num)d minutes after posting.", num=minutes),
    )
    comment.body = _body(body, author)
    comment.edited_at = utcnow()
    db.session.flush()


def delete_comment(author, comment):
    permissions.require(
        author, "delete-comment", comment, _("You can only delete your own comments.")
    )
    was_counted = comment.status == "visible"
    # The text goes; the row stays so replies keep their place under a "[deleted]" marker.
    changed = db.session.execute(
        update(Comment)
        .where(Comment.id == comment.id, Comment.status != "deleted")
        .values(status="deleted", body="")
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed and was_counted:
        _move_comment_count(comment.target_type, comment.target_id, -1)
    db.session.expire(comment)


def thread(target, viewer=None):
    """The whole discussion of a target as a list of (comment, depth), replies under parents.

    One query for the comments and their authors, whatever the size of the discussion.
    """
    target_type = _target_type(target, COMMENT_TARGETS)
    # contains_eager keeps each author on its comment: authors only held by the session's
    # weak identity map would be collected, and each comment would load its author again.
    rows = db.session.scalars(
        select(Comment)
        .join(Comment.author)
        .options(contains_eager(Comment.author))
        .where(Comment.target_type == target_type, Comment.target_id == target.id)
        .order_by(Comment.created_at, Comment.id)
    ).all()
    children = {}
    for comment in rows:
        children.setdefault(comment.parent_id, []).append(comment)
    ordered = []

    def walk(parent_id, depth):
        # Best replies first among siblings, oldest first among equals.
        for comment in sorted(children.get(parent_id, []), key=lambda c: (-c.score, c.id)):
            ordered.append((comment, min(depth, 8)))
            walk(comment.id, depth + 1)

    walk(None, 0)
    return ordered


def flag(user, target, reason, note="", duplicate_of=None):
    permissions.require(user, "flag", target, _("You cannot flag this."))
    if reason not in FLAG_REASONS:
        raise Invalid("reason", _("Choose why you are flagging this."))
    note = clean_text(note, multiline=True)
    if len(note) > MAX_FLAG_NOTE:
        raise Invalid(
            "note", _("Keep the note under %(num)s characters.", num=format_number(MAX_FLAG_NOTE))
        )
    target_type = _target_type(target, FLAG_TARGETS)
    duplicate_of_id = None
    if reason == "duplicate":
        if duplicate_of is None or duplicate_of.status != "live":
            raise Invalid(
                "duplicate_of", _("Name the live entry this duplicates (its address or slug).")
            )
        if isinstance(target, Entry) and duplicate_of.id == target.id:
            raise Invalid("duplicate_of", _("An entry cannot duplicate itself."))
        duplicate_of_id = duplicate_of.id
    inserted = db.session.execute(
        insert_ignoring_conflicts(Flag)
        .values(
            user_id=user.id, target_type=target_type, target_id=target.id, reason=reason,
            note=note, duplicate_of_id=duplicate_of_id, created_at=utcnow(),
        )
        .returning(Flag.id)
    ).scalar()
    if inserted is None:
        raise Conflict(_("You have flagged this already; moderators will look at it."))
    table = FLAG_TARGETS[target_type].__table__
    threshold = current_app.config.get("FLAGS_TO_HIDE", 3)
    db.session.execute(
        update(table)
        .where(table.c.id == target.id)
        .values(
            flag_count=table.c.flag_count + 1,
            flag_hidden=case((table.c.flag_count + 1 >= threshold, true()), else_=table.c.flag_hidden),
        )
    )
    db.session.expire(target)
    return inserted

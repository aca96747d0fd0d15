"""Every authorisation decision, as named predicates behind one question: can(user, action, target).

Views, templates and domain functions all ask here, so a button shows exactly where the
action works.
"""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from lbs.domain.accounts import is_new_account
from lbs.domain.errors import NotAllowed
from lbs.models import utcnow


def _signed_in(user):
    return user is not None and getattr(user, "is_authenticated", False)


def _active(user):
    return _signed_in(user) and user.status == "active"


def _moderator(user):
    return _active(user) and user.role in ("moderator", "admin")


def _admin(user):
    return _active(user) and user.role == "admin"


def _can_suspend(user, target):
    # Admins may suspend anyone but themselves; moderators may suspend peers only.
    if target is None or not _moderator(user) or target.id == user.id:
        return False
    return _admin(user) or target.role == "peer"


def _owns(user, thing):
    owner = getattr(thing, "author_id", None)
    if owner is None:
        owner = getattr(thing, "proposer_id", None)
    return owner == user.id


# The status in which each kind of target takes votes: a live entry, an open proposal, a
# visible comment. The three kinds' statuses are disjoint, so the status alone tells, for
# Entry objects and for the plain result rows of ranked lists alike.
OPEN_TO_VOTES = frozenset({"live", "open", "visible"})


def _open_to_votes(target):
    return target.status in OPEN_TO_VOTES


def _can_vote(user, target):
    # Nobody votes on their own contribution: it would be counting themselves.
    return _active(user) and target is not None and not _owns(user, target) and _open_to_votes(
        target
    )


def _can_comment(user, target):
    if not _active(user) or target is None:
        return False
    return type(target).__name__ == "Proposal" or target.status == "live"


def _can_edit_comment(user, comment):
    if not (_active(user) and comment is not None and comment.author_id == user.id):
        return False
    window = timedelta(minutes=current_app.config.get("COMMENT_EDIT_MINUTES", 60))
    return comment.status == "visible" and utcnow() - comment.created_at <= window


def _can_delete_comment(user, comment):
    return (
        _active(user)
        and comment is not None
        and comment.author_id == user.id
        and comment.status in ("visible", "hidden")
    )


def _can_flag(user, target):
    # New accounts cannot flag: flags hide things, and throwaway accounts would abuse that.
    return (
        _active(user)
        and target is not None
        and not is_new_account(user)
        and not _owns(user, target)
    )


def _can_change_proposal(user, proposal):
    return (
        _active(user)
        and proposal is not None
        and proposal.author_id == user.id
        and proposal.status == "open"
    )


def _can_decide(user, proposal):
    # Nobody decides on their own proposal, except an admin (a small community's only admin).
    if not _moderator(user) or proposal is None:
        return False
    return proposal.author_id != user.id or user.role == "admin"


RULES = {
    "decide": _can_decide,
    "propose": lambda user, target: _active(user),
    "propose-edit": lambda user, entry: _active(user) and entry is not None
    and entry.status == "live",
    "change-proposal": _can_change_proposal,
    "vote": _can_vote,
    "comment": _can_comment,
    "edit-comment": _can_edit_comment,
    "delete-comment": _can_delete_comment,
    "flag": _can_flag,
    "moderate": lambda user, target: _moderator(user),
    "administer": lambda user, target: _admin(user),
    "suspend": _can_suspend,
    "reinstate": _can_suspend,
    "set-role": lambda user, target: _admin(user) and target is not None and target.id != user.id,
    # An admin's own sessions end from the account page, which keeps the one in use.
    "end-sessions": lambda user, target: _admin(user) and target is not None
    and target.id != user.id,
    "manage-account": lambda user, target: _active(user) and target is not None
    and target.id == user.id,
    # Tokens act as their owner, so only the owner, while active, makes or revokes them.
    "manage-tokens": lambda user, owner: _active(user) and owner is not None
    and owner.id == user.id,
}


def can(user, action, target=None):
    rule = RULES.get(action)
    if rule is None:
        raise KeyError(f"no permission rule for {action!r}")
    return bool(rule(user, target))


def require(user, action, target=None, message=None):
    if not can(user, action, target):
        raise NotAllowed(message or _("You are not allowed to do that."))

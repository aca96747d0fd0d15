"""Moderators' decisions. Each one is a single transaction that writes its row of the public log."""

from lbs.domain import permissions
from lbs.domain.accounts import end_all_sessions
from lbs.domain.errors import Conflict, Invalid
from lbs.extensions import db
from lbs.models import ModerationAction


def _required_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("reason", "Give a reason: it is shown in the public log.")
    if len(reason) > 2000:
        raise Invalid("reason", "Keep the reason under 2,000 characters.")
    return reason


def log_action(moderator, action, target_type, target_id, reason, label="", **details):
    row = ModerationAction(
        moderator_id=moderator.id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=label[:200],
        reason=reason,
        details=details,
    )
    db.session.add(row)
    return row


def suspend(moderator, user, reason):
    permissions.require(moderator, "suspend", user, "You may not suspend this account.")
    reason = _required_reason(reason)
    if user.status == "suspended":
        raise Conflict(f"{user.username} is suspended already.")
    user.status = "suspended"
    user.suspended_reason = reason
    end_all_sessions(user)
    log_action(moderator, "suspend", "user", user.id, reason, label=user.username)


def reinstate(moderator, user, reason):
    permissions.require(moderator, "reinstate", user, "You may not reinstate this account.")
    reason = _required_reason(reason)
    if user.status != "suspended":
        raise Conflict(f"{user.username} is not suspended.")
    user.status = "active"
    user.suspended_reason = None
    log_action(moderator, "reinstate", "user", user.id, reason, label=user.username)


def set_role(admin, user, role, reason):
    from lbs.domain.accounts import set_role as assign

    permissions.require(admin, "set-role", user, "Only an admin may change roles.")
    reason = _required_reason(reason)
    assign(user, role)
    log_action(admin, "set-role", "user", user.id, reason, label=user.username, role=role)

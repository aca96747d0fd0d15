"""Every authorisation decision, as named predicates behind one question: can(user, action, target).

Views, templates and domain functions all ask here, so a button shows exactly where the
action works.
"""

from lbs.domain.errors import NotAllowed


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


RULES = {
    "moderate": lambda user, target: _moderator(user),
    "administer": lambda user, target: _admin(user),
    "suspend": _can_suspend,
    "reinstate": _can_suspend,
    "set-role": lambda user, target: _admin(user) and target is not None and target.id != user.id,
    "manage-account": lambda user, target: _active(user) and target is not None
    and target.id == user.id,
}


def can(user, action, target=None):
    rule = RULES.get(action)
    if rule is None:
        raise KeyError(f"no permission rule for {action!r}")
    return bool(rule(user, target))


def require(user, action, target=None, message=None):
    if not can(user, action, target):
        raise NotAllowed(message or "You are not allowed to do that.")

"""Personal API tokens: a peer's own programs act as that peer, under the same rules.

A token is a random secret shown once at creation. Only its SHA-256 is stored, as for
log-in sessions, so a copy of the database lets nobody act as anyone. Revoking a token, or
suspending its owner, stops it at the next request.
"""

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from lbs.domain import permissions
from lbs.domain.errors import Invalid
from lbs.domain.text import clean_text
from lbs.extensions import db
from lbs.models import ApiToken, User, utcnow

# A recognisable prefix lets people and secret scanners tell an lbs token when they see one.
TOKEN_PREFIX = "lbs_"  # noqa: S105 - a label, not a secret  # nosec B105
MAX_NAME = 60
# Enough for every program a person runs; a leaked account cannot mint tokens without end.
MAX_LIVE_TOKENS = 20
# A real token is 47 characters; anything much longer is not worth hashing.
MAX_TOKEN_LENGTH = 100
# Recording every use would write on every API call; once in a while says enough.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def _token_hash(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user, name):
    """A new token: returns (row, secret). The secret is not stored and cannot be shown again."""
    permissions.require(user, "manage-tokens", user, _("Your account may not create API tokens."))
    name = clean_text(name)
    if not name:
        raise Invalid("name", _("Name the token after the program that will use it."))
    if len(name) > MAX_NAME:
        raise Invalid("name", _("Keep the name under %(num)d characters.", num=MAX_NAME))
    live = db.session.scalar(
        select(func.count())
        .select_from(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    )
    if live >= MAX_LIVE_TOKENS:
        raise Invalid(
            "name",
            _("You have %(num)d tokens already: revoke one you no longer use.", num=MAX_LIVE_TOKENS),
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=_token_hash(secret))
    db.session.add(token)
    db.session.flush()
    return token, secret


def live_tokens(user):
    return db.session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()


def revoke_token(user, token_id):
    """Revoke one of the user's own live tokens; False when there is no such token."""
    permissions.require(user, "manage-tokens", user, _("Your account may not manage API tokens."))
    # Scoped to the owner in SQL: someone else's token id revokes nothing.
    changed = db.session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            ApiToken.user_id == user.id,
            ApiToken.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    return bool(changed)


def user_for_token(secret):
    """The active owner of a live token, or None: revoked tokens and suspended owners are out."""
    if not secret or len(secret) > MAX_TOKEN_LENGTH:
        return None
    row = db.session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == _token_hash(secret), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None:
        return None
    token, user = row
    if user.status != "active":
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
    return user

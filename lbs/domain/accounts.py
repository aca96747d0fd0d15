"""Accounts: sign-up, log-in, server-side sessions, password and email changes."""

import hashlib
import re
import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from lbs.domain import passwords
from lbs.domain.errors import Invalid
from lbs.extensions import db
from lbs.models import LoginSession, User, utcnow

USERNAME_PATTERN = re.compile(r"[A-Za-z0-9_-]{3,30}")
SYSTEM_USERNAME = "commons"
# Seeing a session every request would write on every request; once in a while is enough.
LAST_SEEN_RESOLUTION = timedelta(minutes=5)


def is_new_account(user):
    """Young accounts get lower limits: most spam comes from accounts made the same day."""
    days = current_app.config.get("NEW_ACCOUNT_DAYS", 14)
    return utcnow() - user.created_at < timedelta(days=days)


def check_username(username):
    if not USERNAME_PATTERN.fullmatch(username or ""):
        raise Invalid("username", _("Choose a username of 3 to 30 characters: letters a-z, digits, _ and -."))


def normalize_email(email):
    """The address as it will be stored, or Invalid. No network look-ups."""
    try:
        return validate_email(email or "", check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise Invalid("email", _("That email address is not valid: %(reason)s", reason=error)) from None


def check_new_password(password, username):
    if len(password) < passwords.MIN_LENGTH:
        raise Invalid("password", _("Use at least %(num)d characters.", num=passwords.MIN_LENGTH))
    if len(password) > passwords.MAX_LENGTH:
        raise Invalid("password", _("Use at most %(num)d characters.", num=passwords.MAX_LENGTH))
    if password.lower() == (username or "").lower():
        raise Invalid("password", _("Your password cannot be your username."))
    if passwords.is_common(password):
        raise Invalid(
            "password", _("That password is one of the most common ones; choose another.")
        )


def _taken(column, key):
    return db.session.scalar(select(User.id).where(column == key)) is not None


def sign_up(username, email, password, role="peer"):
    check_username(username)
    email = normalize_email(email)
    check_new_password(password, username)
    if _taken(User.username_key, username.lower()):
        raise Invalid("username", _("That username is taken."))
    if _taken(User.email_key, email.lower()):
        raise Invalid("email", _("An account with that email address exists already."))
    user = User(
        username=username,
        username_key=username.lower(),
        email=email,
        email_key=email.lower(),
        password_hash=passwords.hash_password(password),
        role=role,
    )
    # Two sign-ups racing past the checks above meet the unique keys here.
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        raise Invalid("username", _("That username or email address is taken.")) from None
    return user


def find_by_login(login):
    key = (login or "").strip().lower()
    column = User.email_key if "@" in key else User.username_key
    return db.session.scalar(select(User).where(column == key))


def _login_failed():
    # One message for every failed log-in, so it never tells whether an account exists.
    return _("That username or email and password do not match an account.")


def authenticate(login, password):
    """The user whose password this is, or Invalid with the same message whatever went wrong."""
    user = find_by_login(login)
    if user is None:
        passwords.verify_password(passwords.dummy_hash(), password)
        raise Invalid("login", _login_failed())
    if not passwords.verify_password(user.password_hash, password):
        raise Invalid("login", _login_failed())
    if user.status == "suspended":
        # Only someone who knows the password learns of the suspension, and why.
        if not user.suspended_reason:
            raise Invalid("login", _("This account is suspended: no reason was given"))
        raise Invalid(
            "login", _("This account is suspended: %(reason)s", reason=user.suspended_reason)
        )
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user, user_agent=""):
    """A new server-side session; the returned token goes in the cookie, its hash in the table."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        LoginSession(user=user, token_hash=_token_hash(token), user_agent=(user_agent or "")[:200])
    )
    db.session.flush()
    user.current_session_token = token
    return token


def user_for_session(token):
    """The active user of a live session, or None: ended sessions and suspended users are out."""
    if not token or len(token) > 100:
        return None
    row = db.session.execute(
        select(LoginSession, User)
        .join(User, User.id == LoginSession.user_id)
        .where(LoginSession.token_hash == _token_hash(token), LoginSession.ended_at.is_(None))
    ).first()
    if row is None:
        return None
    login_session, user = row
    if user.status != "active":
        return None
    now = utcnow()
    if now - login_session.last_seen_at > LAST_SEEN_RESOLUTION:
        login_session.last_seen_at = now
    user.current_session_token = token
    return user


def end_session(token):
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.token_hash == _token_hash(token), LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_session_by_id(user, session_id):
    db.session.execute(
        update(LoginSession)
        .where(
            LoginSession.id == session_id,
            LoginSession.user_id == user.id,
            LoginSession.ended_at.is_(None),
        )
        .values(ended_at=utcnow())
    )


def end_all_sessions(user, keep_token=None):
    query = update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None)
    )
    if keep_token:
        query = query.where(LoginSession.token_hash != _token_hash(keep_token))
    db.session.execute(query.values(ended_at=utcnow()))


def live_sessions(user):
    return db.session.scalars(
        select(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
        .order_by(LoginSession.last_seen_at.desc())
    ).all()


def is_current_session(login_session, token):
    return token is not None and login_session.token_hash == _token_hash(token)


def _check_current_password(user, current_password):
    if not passwords.verify_password(user.password_hash, current_password or ""):
        raise Invalid("current_password", _("That is not your current password."))


def change_password(user, current_password, new_password):
    """Sets the new password and ends every other session of the user."""
    _check_current_password(user, current_password)
    check_new_password(new_password, user.username)
    user.password_hash = passwords.hash_password(new_password)
    end_all_sessions(user, keep_token=user.current_session_token)


def change_email(user, current_password, new_email):
    _check_current_password(user, current_password)
    email = normalize_email(new_email)
    if email.lower() != user.email_key and _taken(User.email_key, email.lower()):
        raise Invalid("email", _("An account with that email address exists already."))
    user.email = email
    user.email_key = email.lower()
    try:
        db.session.flush()
    except IntegrityError:
        raise Invalid("email", _("An account with that email address exists already.")) from None


def system_user():
    """The account that authors the starter commons and signs actions taken from the CLI."""
    user = db.session.scalar(select(User).where(User.username_key == SYSTEM_USERNAME))
    if user is None:
        user = User(
            username=SYSTEM_USERNAME,
            username_key=SYSTEM_USERNAME,
            email="commons@localhost.invalid",
            email_key="commons@localhost.invalid",
            # Not a hash of anything, so no password ever matches it.
            password_hash="!",  # noqa: S106  # nosec B106
            role="admin",
        )
        db.session.add(user)
        db.session.flush()
    return user


def set_role(user, role):
    from lbs.models import ROLES

    if role not in ROLES:
        raise Invalid("role", _("Role must be one of %(roles)s.", roles=", ".join(ROLES)))
    user.role = role

"""Bearer tokens: who an API write acts for.

Writes trust the Authorization header only. A browser attaches cookies to any request,
including one a hostile page makes it send, but never an Authorization header on its own:
so a cookie session alone cannot write through the API, and its writes need no CSRF token.
"""

from functools import wraps

from flask import g, request

from lbs.api.errors import unauthorized
from lbs.domain import tokens


def bearer_secret():
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return secret.strip() or None


def token_required(view):
    """Run the view as the token's owner, or answer 401.

    The owner becomes Flask-Login's current user for this request only (nothing goes in the
    session), so the rate limits of lbs.ratelimits count and age the token's owner exactly as
    they count a signed-in browser. Put it above the limit decorators: they run after it.
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        secret = bearer_secret()
        if secret is None:
            unauthorized(
                "This needs a personal API token, sent as 'Authorization: Bearer <token>'. "
                "Create one in your account settings."
            )
        user = tokens.user_for_token(secret)
        if user is None:
            unauthorized(
                "That token does not work: it is unknown or revoked, or its account is "
                "suspended.",
                invalid_token=True,
            )
        g._login_user = user
        return view(*args, **kwargs)

    return wrapper

"""One place that turns failures into pages: what happened and where to go next, never a trace."""

import time

from flask import current_app, g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import BadHost, HTTPException

from lbs.domain.errors import DomainError
from lbs.extensions import db

EXPLANATIONS = {
    400: (_l("The request could not be understood"), _l("Something in what was sent is not valid.")),
    401: (_l("Please log in"), _l("This needs an account.")),
    403: (_l("Not allowed"), _l("Your account may not do this.")),
    404: (
        _l("Not found"),
        _l("There is nothing at this address. It may have moved or never existed."),
    ),
    405: (_l("Not allowed here"), _l("This address does not accept that kind of request.")),
    409: (
        _l("Changed in the meantime"),
        _l("Someone changed this while you were looking at it. Reload to see the current state."),
    ),
    413: (
        _l("Too large"),
        _l("What you sent is larger than this site accepts. Shorten it and retry."),
    ),
    429: (_l("Slow down"), _l("You have done this too often in a short time.")),
    500: (
        _l("Something went wrong"),
        _l("An error on our side stopped this. Nothing was half saved."),
    ),
    503: (
        _l("Temporarily unavailable"),
        _l("The commons cannot reach its database right now. Try again in a minute."),
    ),
}


def render_error(status, message=None, error=None):
    title, explanation = EXPLANATIONS.get(status, EXPLANATIONS[500])
    retry_after = None
    if status == 429:
        retry_after = _retry_after_seconds()
    if status == 403:
        _log_denial(message or explanation)
    if request.path.startswith("/api/"):
        # Programs read the API: the same failure, as JSON instead of a page.
        from lbs.api.errors import json_error

        headers = {"Retry-After": str(retry_after)} if retry_after else {}
        return json_error(status, str(message or explanation), error, headers)
    html = render_template(
        "errors/error.html",
        status=status,
        title=title,
        explanation=message or explanation,
        retry_after=retry_after,
    )
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    return html, status, headers


def _log_denial(message):
    # Views' aborts and domain rules both end here, so each refusal is logged exactly once,
    # and someone probing for what their account may do leaves a trail. The path goes in
    # quoted: a decoded %0A must not forge a line of its own.
    who = current_user.username if current_user.is_authenticated else "anonymous"
    current_app.logger.warning(
        "access: denied %s %r to %s from %s: %s",
        request.method, request.path, who, request.remote_addr, message,
    )


def _retry_after_seconds():
    from lbs.extensions import limiter

    limit = limiter.current_limit
    if limit is None:
        return 60
    return max(1, int(limit.reset_at - time.time()))


def register(app):
    @app.errorhandler(DomainError)
    def domain_error(error):
        db.session.rollback()
        return render_error(error.status, error.message, error)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        db.session.rollback()
        return render_error(
            400,
            _(
                "This form was out of date or did not come from this site. "
                "Go back, reload the page and send it again."
            ),
        )

    # SQLite's driver refuses a number past 64 bits itself, with an OverflowError, where
    # PostgreSQL answers a DataError: the same fault of the request on either database.
    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def unstorable(error):
        # A value the database refuses (out of range, malformed): the request was at fault.
        db.session.rollback()
        return render_error(400, _("Something in the request is not a value that can be stored."))

    @app.errorhandler(StaleDataError)
    def stale(error):
        db.session.rollback()
        return render_error(409)

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        # The page must not touch the database again (no account, no counts in the header).
        app.logger.warning("database unavailable: %s", error.orig)
        g.database_unavailable = True
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - the connection is gone; the pool replaces it
            db.session.close()
        return render_template("errors/unavailable.html"), 503, {"Retry-After": "30"}

    @app.errorhandler(BadHost)
    def bad_host(error):
        # No address can be built for a Host that is not a host name, and every page links
        # somewhere: plain text (JSON under /api/) is the one answer that needs none.
        message = _("The Host header of the request is not a host name.")
        if request.path.startswith("/api/"):
            from lbs.api.errors import json_error

            return json_error(400, message)
        return message, 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(HTTPException)
    def http_error(error):
        db.session.rollback()
        return render_error(error.code or 500, _message_for(error), error)

    @app.errorhandler(Exception)
    def unexpected(error):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_error(500)


def _message_for(error):
    # Only our own abort() messages are worth showing; werkzeug's defaults are generic, and a
    # rate limit's description would tell an attacker which limit (address or account) hit.
    if error.code == 429:
        return None
    default = type(error).description
    if error.description and error.description != default:
        return error.description
    return None

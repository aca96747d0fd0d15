"""One place that turns failures into pages: what happened and where to go next, never a trace."""

import time

from flask import render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from lbs.domain.errors import DomainError
from lbs.extensions import db

EXPLANATIONS = {
    400: ("The request could not be understood", "Something in what was sent is not valid."),
    401: ("Please log in", "This needs an account."),
    403: ("Not allowed", "Your account may not do this."),
    404: ("Not found", "There is nothing at this address. It may have moved or never existed."),
    405: ("Not allowed here", "This address does not accept that kind of request."),
    409: (
        "Changed in the meantime",
        "Someone changed this while you were looking at it. Reload to see the current state.",
    ),
    413: ("Too large", "What you sent is larger than this site accepts. Shorten it and retry."),
    429: ("Slow down", "You have done this too often in a short time."),
    500: ("Something went wrong", "An error on our side stopped this. Nothing was half saved."),
    503: (
        "Temporarily unavailable",
        "The commons cannot reach its database right now. Try again in a minute.",
    ),
}


def render_error(status, message=None, error=None):
    title, explanation = EXPLANATIONS.get(status, EXPLANATIONS[500])
    retry_after = None
    if status == 429:
        retry_after = _retry_after_seconds()
    if request.path.startswith("/api/"):
        # Programs read the API: the same failure, as JSON instead of a page.
        from lbs.api.errors import json_error

        headers = {"Retry-After": str(retry_after)} if retry_after else {}
        return json_error(status, message or explanation, error, headers)
    html = render_template(
        "errors/error.html",
        status=status,
        title=title,
        explanation=message or explanation,
        retry_after=retry_after,
    )
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    return html, status, headers


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
            "This form was out of date or did not come from this site. "
            "Go back, reload the page and send it again.",
        )

    @app.errorhandler(DataError)
    def unstorable(error):
        # A value the database refuses (out of range, malformed): the request was at fault.
        db.session.rollback()
        return render_error(400, "Something in the request is not a value that can be stored.")

    @app.errorhandler(StaleDataError)
    def stale(error):
        db.session.rollback()
        return render_error(409)

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        # The page must not touch the database again (no account, no counts in the header).
        app.logger.warning("database unavailable: %s", error.orig)
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - the connection is gone; the pool replaces it
            db.session.close()
        return render_template("errors/unavailable.html"), 503, {"Retry-After": "30"}

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

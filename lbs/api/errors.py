"""Failures on /api/ paths as JSON: {"error": {"status": ..., "message": ..., "fields": ...}}.

lbs.errors handles every failure of the app and hands those under /api/ to json_error, so a
program gets the same statuses as a browser, in a shape it can read.
"""

from flask import abort, jsonify
from flask_limiter import RateLimitExceeded

from lbs.domain.contributions import Duplicate, SimilarProposals


def json_error(status, message, error=None, headers=None):
    retry_after = (headers or {}).get("Retry-After")
    if isinstance(error, RateLimitExceeded) and retry_after:
        message = (
            f"Slow down: this is limited to {error.description} for each account. "
            f"Try again in {retry_after} seconds."
        )
    body = {"status": status, "message": message}
    fields = getattr(error, "errors", None)
    if fields:
        body["fields"] = dict(fields)
    # What the web form would show beside a duplicate, as addresses a program can follow.
    if isinstance(error, Duplicate):
        body["duplicate_of"] = error.entry.slug
    if isinstance(error, SimilarProposals):
        body["similar_proposals"] = [proposal.id for proposal in error.proposals]
    response = jsonify({"error": body})
    response.status_code = status
    response.headers.update(headers or {})
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="lbs"'
    valid_methods = getattr(error, "valid_methods", None)
    if status == 405 and valid_methods:
        response.headers["Allow"] = ", ".join(valid_methods)
    return response


def unauthorized(message, invalid_token=False):
    """Stop the request with a 401 that says, as RFC 6750 asks, whether the token was bad."""
    response = json_error(401, message)
    if invalid_token:
        response.headers["WWW-Authenticate"] = 'Bearer realm="lbs", error="invalid_token"'
    abort(response)

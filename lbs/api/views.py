"""The JSON API, version 1: the commons for programs.

Handlers are thin like every view: check the request against the OpenAPI document, call one
domain function, commit once, answer JSON. Failures go through lbs.errors, which answers in
JSON under /api/ (lbs.api.errors), so a refused write has stored nothing.
"""

import re

from flask import Blueprint, abort, jsonify, request, url_for
from flask_login import current_user
from sqlalchemy import select

from lbs.api import openapi
from lbs.api import representations as show
from lbs.api.auth import token_required
from lbs.api.limits import comment_limit, proposal_limit, vote_limit
from lbs.api.tags import tag_counts
from lbs.api.validation import json_body, query_args
from lbs.domain import browsing, contributions, discussion, history, profiles, search, voting
from lbs.extensions import csrf, db
from lbs.models import Entry, Proposal

bp = Blueprint("api", __name__, url_prefix="/api/v1")

ID = f"int(min=1, max={openapi.MAX_ID})"
SCHEMAS = openapi.REF


def _json(body, status=200, location=None):
    response = jsonify(body)
    response.status_code = status
    if location:
        response.headers["Location"] = location
    return response


def _listing(listing, rows, args, filters=None):
    """A page of a list, with absolute links to itself and its neighbours."""

    def page_url(page):
        return url_for(request.endpoint, _external=True, **{**args, "page": page})

    has_next = listing.has_next and listing.page < browsing.MAX_PAGE
    return {
        "data": rows,
        "page": listing.page,
        "sort": listing.sort,
        "filters": {**(filters or {}), **listing.filters},
        "links": {
            "self": page_url(listing.page),
            "next": page_url(listing.page + 1) if has_next else None,
            "prev": page_url(listing.page - 1) if listing.page > 1 else None,
        },
    }


def _entry_or_404(slug):
    # A slug no entry can have never reaches the database (PostgreSQL refuses NUL, for one).
    if len(slug) > openapi.MAX_SLUG or not re.fullmatch(openapi.SLUG_PATTERN, slug):
        abort(404)
    entry = db.session.scalar(select(Entry).where(Entry.slug == slug))
    # Archived entries are gone from the public commons; only moderators see them, on the site.
    if entry is None or entry.status == "archived":
        abort(404)
    return entry


def _target_or_404(target_type, target_id):
    target = voting.load_target(target_type, target_id)
    if target is None:
        abort(404, f"There is no {target_type} {target_id}.")
    return target


@bp.get("/openapi.json", endpoint="openapi")
def openapi_document():
    return jsonify(openapi.document())


@bp.get("/entries")
def entries():
    args = query_args("/entries")
    if (args.get("q") or "").strip():
        listing = search.search(args, load=browsing.full_entries)
    else:
        listing = browsing.entry_list(args.get("kind"), args, load=browsing.full_entries)
    kind = {"kind": args["kind"]} if args.get("kind") else {}
    return jsonify(_listing(listing, [show.entry(e) for e in listing.rows], args, kind))


@bp.get("/entries/<slug>", merge_slashes=False)
def entry(slug):
    entry = _entry_or_404(slug)
    if entry.status == "merged-away":
        moved_to = url_for("api.entry", slug=entry.merged_into.slug, _external=True)
        return _json(
            {"merged_into": entry.merged_into.slug, "links": {"self": moved_to}}, 301, moved_to
        )
    return jsonify(
        show.entry_detail(entry, contributions.current_fields(entry), history.revisions(entry))
    )


@bp.post("/entries/<slug>/proposals", merge_slashes=False)
@csrf.exempt
@token_required
@proposal_limit
def propose_edit(slug):
    entry = _entry_or_404(slug)
    body = json_body(openapi.edit_body_schema(entry.kind))
    proposal = contributions.propose_edit(
        current_user, entry, body["fields"], body["rationale"], body["base_revision"]
    )
    db.session.commit()
    return _json(show.proposal(proposal), 201, url_for("api.proposal", proposal_id=proposal.id,
                                                       _external=True))


@bp.get("/proposals")
def proposals():
    args = query_args("/proposals")
    listing = browsing.proposal_list(args)
    return jsonify(_listing(listing, show.proposals(listing.rows), args))


@bp.post("/proposals")
@csrf.exempt
@token_required
@proposal_limit
def propose_entry():
    body = json_body({"$ref": SCHEMAS + "NewProposal"})
    proposal = contributions.propose_entry(
        current_user, body["kind"], body["fields"], body.get("rationale") or "",
        accept_similar=body.get("accept_similar", False),
    )
    db.session.commit()
    return _json(show.proposal(proposal), 201, url_for("api.proposal", proposal_id=proposal.id,
                                                       _external=True))


@bp.get(f"/proposals/<{ID}:proposal_id>")
def proposal(proposal_id):
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        abort(404)
    return jsonify(show.proposal(proposal))


@bp.get("/tags")
def tags():
    return jsonify({"data": [show.tag(name, count) for name, count in tag_counts()]})


@bp.get("/users/<username>")
def user(username):
    found = None
    if re.fullmatch(openapi.USERNAME_PATTERN, username):
        found = profiles.user_named(username)
    if found is None:
        abort(404)
    return jsonify(show.profile(found, profiles.profile(found)["proposals"]))


@bp.post("/comments")
@csrf.exempt
@token_required
@comment_limit
def add_comment():
    body = json_body({"$ref": SCHEMAS + "NewComment"})
    target = _target_or_404(body["target_type"], body["target_id"])
    comment = discussion.add_comment(current_user, target, body["body"], body.get("parent_id"))
    db.session.commit()
    return _json(show.comment(comment, current_user), 201)


@bp.post("/votes")
@csrf.exempt
@token_required
@vote_limit
def cast_vote():
    body = json_body({"$ref": SCHEMAS + "NewVote"})
    target = _target_or_404(body["target_type"], body["target_id"])
    voting.cast_vote(current_user, target, body["value"])
    db.session.commit()
    return jsonify(show.vote(body["target_type"], target, body["value"]))


@bp.after_app_request
def allow_reading_from_anywhere(response):
    """Any web page may read the commons (CORS), never write to it.

    Reads are public and never depend on who asks, so '*' exposes nothing. Writes get no CORS
    headers at all: a browser then refuses a cross-site script the preflight its token needs.
    """
    if not request.path.startswith("/api/"):
        return response
    if request.method in ("GET", "HEAD"):
        response.headers["Access-Control-Allow-Origin"] = "*"
    elif request.method == "OPTIONS" and request.headers.get(
        "Access-Control-Request-Method"
    ) in ("GET", "HEAD"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response

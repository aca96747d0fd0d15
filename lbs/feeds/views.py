"""Atom feeds of the commons: new entries (all, hubs, readings, one tag) and open proposals."""

from flask import Blueprint, Response, abort, url_for

from lbs.domain import feeds
from lbs.feeds.atom import ATOM_TYPE, atom_xml

bp = Blueprint("feeds", __name__, url_prefix="/feeds")


def _atom(feed, page_url):
    return Response(atom_xml(feed, page_url), content_type=ATOM_TYPE)


@bp.route("/entries.atom")
def entries():
    return _atom(feeds.newest_entries(), url_for("commons.home", _external=True))


@bp.route("/hubs.atom")
def hubs():
    return _atom(feeds.newest_entries("hub"), url_for("commons.hubs", sort="new", _external=True))


@bp.route("/readings.atom")
def readings():
    return _atom(
        feeds.newest_entries("reading"), url_for("commons.readings", sort="new", _external=True)
    )


@bp.route("/tags/<tag>.atom")
def tag(tag):
    """A tag nobody has used yet gives an empty feed; a name that cannot be a tag is a 404."""
    feed = feeds.tagged_entries(tag)
    if feed is None:
        abort(404)
    return _atom(feed, url_for("commons.tag", tag=tag, sort="new", _external=True))


@bp.route("/proposals.atom")
def proposals():
    return _atom(
        feeds.open_proposals(), url_for("proposals.index", sort="new", _external=True)
    )

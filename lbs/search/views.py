"""Searching the commons."""

from flask import Blueprint, render_template, request

from lbs.domain import search as search_domain
from lbs.rows import listing_rows

bp = Blueprint("search", __name__)


@bp.route("/search")
def search():
    listing = search_domain.search(request.args)
    return render_template(
        "search/results.html", listing=listing,
        rows=listing_rows(listing, show_kind=True, show_counts=False),
    )

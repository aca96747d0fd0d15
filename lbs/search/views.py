"""Searching the commons."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from lbs.auth.forms import EmptyForm
from lbs.domain import search as search_domain
from lbs.domain import voting

bp = Blueprint("search", __name__)


@bp.route("/search")
def search():
    listing = search_domain.search(request.args)
    return render_template(
        "search/results.html",
        listing=listing,
        my_votes=voting.votes_by(current_user, "entry", [e.id for e in listing.rows]),
        button=EmptyForm(),
    )

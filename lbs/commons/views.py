"""Browsing the commons."""

from flask import Blueprint, render_template

from lbs.domain import browsing

bp = Blueprint("commons", __name__)


@bp.route("/")
def home():
    return render_template("commons/home.html", **browsing.front_page())

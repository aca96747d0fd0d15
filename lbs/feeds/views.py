"""Atom feeds of the commons."""

from flask import Blueprint

bp = Blueprint("feeds", __name__, url_prefix="/feeds")

"""Link health: the moderators' list of entries whose address no longer works."""

from flask import Blueprint

bp = Blueprint("links", __name__)

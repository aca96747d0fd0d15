"""Citations of readings: BibTeX, RIS and CSL-JSON."""

from flask import Blueprint

bp = Blueprint("citations", __name__)

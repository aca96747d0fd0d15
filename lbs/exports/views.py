"""The whole commons to take away."""

from flask import Blueprint

bp = Blueprint("exports", __name__)

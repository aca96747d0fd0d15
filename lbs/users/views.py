"""Public profiles."""

from flask import Blueprint, abort, render_template
from flask_login import current_user

from lbs.domain import profiles

bp = Blueprint("users", __name__)


@bp.route("/users/<username>")
def profile(username):
    user = profiles.user_named(username)
    if user is None:
        abort(404)
    return render_template("users/profile.html", **profiles.profile(user, current_user))

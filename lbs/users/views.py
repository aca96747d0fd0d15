"""Public profiles."""

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from lbs.extensions import db
from lbs.models import User

bp = Blueprint("users", __name__)


@bp.route("/users/<username>")
def profile(username):
    user = db.session.scalar(select(User).where(User.username_key == username.lower()))
    if user is None:
        abort(404)
    return render_template("users/profile.html", user=user)

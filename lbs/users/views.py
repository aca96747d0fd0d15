"""Public profiles."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from lbs.auth.forms import EmptyForm
from lbs.domain import notifications as notifications_domain
from lbs.domain import profiles
from lbs.extensions import db

bp = Blueprint("users", __name__)


@bp.route("/users/<username>")
def profile(username):
    user = profiles.user_named(username)
    if user is None:
        abort(404)
    return render_template("users/profile.html", **profiles.profile(user, current_user))


@bp.route("/notifications")
@login_required
def notifications():
    return render_template(
        "users/notifications.html", notifications=notifications_domain.recent(current_user)
    )


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_read():
    if not EmptyForm().validate_on_submit():
        abort(400)
    notifications_domain.mark_all_read(current_user)
    db.session.commit()
    return redirect(url_for("users.notifications"), 303)

"""Public profiles."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lbs.auth.forms import EmptyForm
from lbs.domain import notifications as notifications_domain
from lbs.domain import profiles
from lbs.extensions import db
from lbs.i18n import COOKIE, LANGUAGES
from lbs.security import safe_next

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


@bp.route("/language", methods=["GET", "POST"])
def choose_language():
    """The footer's language switch: remembered on the account, or in a cookie for visitors.

    Visitors send it as a GET: it sets nothing but their own cookie, and a POST would need a
    CSRF token, that is a session cookie on every page for everyone who merely reads.
    """
    form = request.form if request.method == "POST" else request.args
    language = form.get("language")
    if language not in LANGUAGES:
        abort(400)
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            abort(400)
        if current_user.is_authenticated:
            profiles.set_language(current_user, language)
            db.session.commit()
    response = redirect(safe_next(form.get("next"), url_for("commons.home")), 303)
    response.set_cookie(COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True)
    return response

"""Link health: the moderators' list of entries whose address no longer works."""

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lbs.domain import link_health, permissions

bp = Blueprint("links", __name__)


@bp.route("/moderation/broken-links")
@login_required
def broken_links():
    if not permissions.can(current_user, "moderate"):
        abort(403, _("Only moderators and admins can see the broken links."))
    return render_template("links/broken.html", **link_health.broken_links_page(request.args))

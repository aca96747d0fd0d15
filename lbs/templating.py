"""What every template may use: the permission question, dates, and site-wide facts."""

import hashlib
from functools import cache
from pathlib import Path

from flask import request, url_for
from flask_babel import format_timedelta, get_locale, gettext

from lbs.domain.accounts import is_new_account
from lbs.domain.links import url_domain
from lbs.domain.permissions import can
from lbs.domain.text import render_markdown
from lbs.i18n import LANGUAGES
from lbs.models import HUB_FOCUSES, MODERATION_ACTIONS, READING_TYPES, utcnow

NAV_LINKS = (
    ("commons.hubs", "Hubs"),
    ("commons.readings", "Readings"),
    ("proposals.index", "Proposals"),
    ("proposals.choose", "Propose"),
)


def age(moment):
    """'3 hours ago' for a past moment, in the reader's language."""
    if moment is None:
        return ""
    delta = moment - utcnow()
    if abs(delta.total_seconds()) < 60:
        return gettext("just now")
    return format_timedelta(delta, add_direction=True, threshold=1)


def here():
    """This page's path and query, for forms that should send the user back to it."""
    path = request.full_path
    return path[:-1] if path.endswith("?") else path


def unread_notifications():
    from flask_login import current_user

    from lbs.domain.notifications import unread_count

    return unread_count(current_user) if current_user.is_authenticated else 0


@cache
def _static_version(folder, filename):
    digest = hashlib.sha256((Path(folder) / filename).read_bytes()).hexdigest()
    return digest[:12]


def static_url(filename):
    """A static file's address with its content's hash, so it can be cached for a year."""
    from flask import current_app

    version = _static_version(current_app.static_folder, filename)
    return url_for("static", filename=filename, v=version)


def page_url(page, **changes):
    """This page's URL with the same filters and another page number (or other changes)."""
    args = request.args.to_dict()
    args.update(changes, page=page)
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def register(app):
    app.jinja_env.filters["age"] = age
    app.jinja_env.filters["iso"] = iso
    app.jinja_env.filters["domain"] = url_domain
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals["here"] = here
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["static_url"] = static_url
    app.jinja_env.globals["hub_focuses"] = HUB_FOCUSES
    app.jinja_env.globals["reading_types"] = READING_TYPES
    app.jinja_env.globals["moderation_actions"] = MODERATION_ACTIONS
    app.jinja_env.globals["unread_notifications"] = unread_notifications
    app.jinja_env.globals["languages"] = LANGUAGES
    app.jinja_env.globals["current_language"] = lambda: str(get_locale() or "en")
    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["is_new_account"] = is_new_account

    @app.context_processor
    def site():
        endpoints = set(app.view_functions)
        return {
            "licence_name": app.config["LICENCE_NAME"],
            "licence_url": app.config["LICENCE_URL"],
            "nav_links": [(e, label) for e, label in NAV_LINKS if e in endpoints],
            "url_endpoints": endpoints,
        }

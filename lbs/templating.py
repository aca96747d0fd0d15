"""What every template may use: the permission question, dates, and site-wide facts."""

from flask import request, url_for

from lbs.domain.accounts import is_new_account
from lbs.domain.links import url_domain
from lbs.domain.permissions import can
from lbs.domain.text import render_markdown
from lbs.models import HUB_FOCUSES, MODERATION_ACTIONS, READING_TYPES, utcnow

NAV_LINKS = (
    ("commons.hubs", "Hubs"),
    ("commons.readings", "Readings"),
    ("proposals.index", "Proposals"),
    ("proposals.choose", "Propose"),
)


def age(moment):
    """'3 hours ago'-style text for a past moment."""
    if moment is None:
        return ""
    seconds = max(0, int((utcnow() - moment).total_seconds()))
    for unit, size in (("year", 31536000), ("month", 2592000), ("day", 86400),
                       ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "just now"


def here():
    """This page's path and query, for forms that should send the user back to it."""
    path = request.full_path
    return path[:-1] if path.endswith("?") else path


def unread_notifications():
    from flask_login import current_user

    from lbs.domain.notifications import unread_count

    return unread_count(current_user) if current_user.is_authenticated else 0


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
    app.jinja_env.globals["hub_focuses"] = HUB_FOCUSES
    app.jinja_env.globals["reading_types"] = READING_TYPES
    app.jinja_env.globals["moderation_actions"] = MODERATION_ACTIONS
    app.jinja_env.globals["unread_notifications"] = unread_notifications
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

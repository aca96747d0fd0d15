"""What every template may use: the permission question, dates, and site-wide facts."""

from datetime import timedelta

from flask import current_app

from lbs.domain.links import url_domain
from lbs.domain.permissions import can
from lbs.models import utcnow

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


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def is_new_account(user):
    days = current_app.config.get("NEW_ACCOUNT_DAYS", 14)
    return user is not None and utcnow() - user.created_at < timedelta(days=days)


def register(app):
    app.jinja_env.filters["age"] = age
    app.jinja_env.filters["iso"] = iso
    app.jinja_env.filters["domain"] = url_domain
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

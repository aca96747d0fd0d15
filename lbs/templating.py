"""What every template may use: the permission question, dates, and site-wide facts."""

import hashlib
import re
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import quote, urlencode

from flask import request, url_for
from flask_babel import (
    format_date,
    format_decimal,
    format_number,
    format_timedelta,
    get_locale,
    gettext,
)
from flask_babel import lazy_gettext as _l

from lbs.domain.accounts import is_new_account
from lbs.domain.links import url_domain
from lbs.domain.notifications import notification_text
from lbs.domain.permissions import can
from lbs.domain.starter import REASON as STARTER_REASON
from lbs.domain.text import render_markdown
from lbs.i18n import LABELS, LANGUAGES, page_translations
from lbs.models import HUB_FOCUSES, MODERATION_ACTIONS, READING_TYPES, utcnow

NAV_LINKS = (
    ("commons.hubs", _l("Hubs")),
    ("commons.readings", _l("Readings")),
    ("proposals.index", _l("Proposals")),
    ("proposals.choose", _l("Propose")),
)


def label(value):
    """What people read for a stored value such as "hub" or "peer-driven production"."""
    if value is None:
        return ""
    return LABELS.get(value, value)


def age(moment):
    """'3 hours ago' for a past moment, in the reader's language."""
    if moment is None:
        return ""
    delta = moment - utcnow()
    if abs(delta.total_seconds()) < 60:
        return gettext("just now")
    return format_timedelta(delta, add_direction=True, threshold=1)


def long_date(moment):
    """A calendar date spelled out in the reader's language, like "3 March 2024"."""
    if moment is None:
        return ""
    locale = get_locale()
    # English readers are all over the world: day, month, year reads the same to all of them,
    # where Babel's English "long" date is the American "March 3, 2024".
    pattern = "d MMMM y" if locale is None or locale.language == "en" else "long"
    return format_date(moment, pattern)


def number(value):
    """A count with the reader's thousands separator: 12,345 / 12 345 / 12.345."""
    value = value or 0
    if isinstance(value, int) and 0 <= value < 1000:
        return str(value)  # the same in every language; Babel costs ~0.3 ms a number
    return format_number(value)


def one_decimal(value):
    """A measure such as 4.5 hours, with the reader's decimal mark: 4.5 / 4,5."""
    return format_decimal(value, "#,##0.0")


# What lbs.domain.moderation stores as the label of some log rows, in English.
FLAGS_ON = {
    "flags on entry": _l("flags on entry"),
    "flags on proposal": _l("flags on proposal"),
    "flags on comment": _l("flags on comment"),
}


def moderation_target_label(action):
    """The log's stored note on what was acted on, in the reader's language where it is ours."""
    text = action.target_label or ""
    if action.target_type == "comment" and text.startswith("comment by "):
        return gettext("comment by %(name)s", name=text.removeprefix("comment by "))
    return FLAGS_ON.get(text, text)


ROLLED_BACK = re.compile(r"Rolled back to revision (\d+): (.*)", re.S)


def revision_reason(text):
    """A revision's reason. Those the site wrote itself (stored in English) are translated."""
    if text == STARTER_REASON:
        return gettext("Part of the starter commons that every new installation loads.")
    rolled_back = ROLLED_BACK.fullmatch(text or "")
    if rolled_back:
        return gettext(
            "Rolled back to revision %(num)s: %(reason)s",
            num=rolled_back[1], reason=rolled_back[2],
        )
    return text


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
    """This page's URL with the same filters and another page number (or other changes):
    the same path, so no url_for."""
    args = request.args.to_dict()
    args.update(changes, page=page)
    return f"{request.script_root}{request.path}?{urlencode(args)}"


@lru_cache(maxsize=256)
def _path_of(endpoint, script_root):
    return url_for(endpoint)


def path_to(endpoint):
    """url_for(endpoint) for a page without arguments, built once per mount point: every
    page's header and footer link a dozen of them."""
    return _path_of(endpoint, request.script_root)


# What werkzeug leaves unquoted in a path segment (its converters' to_url).
SEGMENT_SAFE = "!$&'()*+,/:;=@"


# A ranked page links every row's entry, tags and vote forms: some 150 addresses, at ~40 µs
# each through url_for. These three build the same strings directly (a test holds them to
# url_for's answer).
def entry_path(slug):
    return f"{request.script_root}/entries/{quote(slug, safe=SEGMENT_SAFE)}"


def tag_path(name):
    return f"{request.script_root}/tags/{quote(name, safe=SEGMENT_SAFE)}"


def vote_path(target_type, target_id):
    return f"{request.script_root}/vote/{target_type}/{int(target_id)}"


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def _fast_gettext(string):
    return page_translations().ugettext(string)


def _fast_ngettext(singular, plural, n):
    return page_translations().ungettext(singular, plural, n)


def _fast_pgettext(context, string):
    return page_translations().upgettext(context, string)


def _fast_npgettext(context, singular, plural, n):
    return page_translations().unpgettext(context, singular, plural, n)


def register(app):
    from lbs.rows import vote_box  # lbs.rows builds on this module's helpers

    app.jinja_env.install_gettext_callables(
        _fast_gettext, _fast_ngettext, newstyle=True,
        pgettext=_fast_pgettext, npgettext=_fast_npgettext,
    )
    app.jinja_env.filters["age"] = age
    app.jinja_env.filters["iso"] = iso
    app.jinja_env.filters["domain"] = url_domain
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["one_decimal"] = one_decimal
    app.jinja_env.globals["label"] = label
    app.jinja_env.globals["moderation_target_label"] = moderation_target_label
    app.jinja_env.globals["notification_text"] = notification_text
    app.jinja_env.globals["revision_reason"] = revision_reason
    # {% trans %} blocks may wrap over lines; their text is matched with spaces collapsed.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals["here"] = here
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["path_to"] = path_to
    app.jinja_env.globals["entry_path"] = entry_path
    app.jinja_env.globals["tag_path"] = tag_path
    app.jinja_env.globals["vote_path"] = vote_path
    app.jinja_env.globals["static_url"] = static_url
    app.jinja_env.globals["hub_focuses"] = HUB_FOCUSES
    app.jinja_env.globals["reading_types"] = READING_TYPES
    app.jinja_env.globals["moderation_actions"] = MODERATION_ACTIONS
    app.jinja_env.globals["unread_notifications"] = unread_notifications
    app.jinja_env.globals["languages"] = LANGUAGES
    app.jinja_env.globals["current_language"] = lambda: str(get_locale() or "en")
    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["vote_box"] = vote_box
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

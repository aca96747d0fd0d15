"""Interface languages: the account's choice, else a cookie, else the browser's Accept-Language."""

from flask import g, has_request_context, request
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_login import current_user

LANGUAGES = {"en": "English", "fr": "Français", "es": "Español"}
DEFAULT = "en"
COOKIE = "lbs_lang"

# The words stored in the database (kinds, focuses, types, statuses, roles, actions) are data
# and stay English there; people read them through these labels, in their own language. In
# English a label is the stored word itself, which moderators also type in filters.
LABELS = {
    "hub": _l("hub"),
    "reading": _l("reading"),
    "production": _l("production"),
    "peer-driven production": _l("peer-driven production"),
    "commons-based initiative": _l("commons-based initiative"),
    "article": _l("article"),
    "book": _l("book"),
    "report": _l("report"),
    "chapter": _l("chapter"),
    "video": _l("video"),
    "course": _l("course"),
    "open": _l("open"),
    "merged": _l("merged"),
    "rejected": _l("rejected"),
    "withdrawn": _l("withdrawn"),
    "duplicate": _l("duplicate"),
    "live": _l("live"),
    "archived": _l("archived"),
    "merged-away": _l("merged-away"),
    "peer": _l("peer"),
    "moderator": _l("moderator"),
    "admin": _l("admin"),
    "active": _l("active"),
    "suspended": _l("suspended"),
    "merge": _l("merge"),
    "reject": _l("reject"),
    "mark-duplicate": _l("mark-duplicate"),
    "merge-entries": _l("merge-entries"),
    "archive": _l("archive"),
    "restore": _l("restore"),
    "rollback": _l("rollback"),
    "hide-comment": _l("hide-comment"),
    "unhide-comment": _l("unhide-comment"),
    "resolve-flag": _l("resolve-flag"),
    "dismiss-flag": _l("dismiss-flag"),
    "suspend": _l("suspend"),
    "reinstate": _l("reinstate"),
    "set-role": _l("set-role"),
    "entry": _l("entry"),
    "proposal": _l("proposal"),
    "comment": _l("comment"),
    "user": _l("user"),
    "end-sessions": _l("end-sessions"),
    # Why a flag was raised.
    "spam": _l("spam"),
    "off-topic": _l("off-topic"),
    "abuse": _l("abuse"),
    "broken-link": _l("broken-link"),
    # What the link checker found (lbs.domain.link_health).
    "timeout": _l("timeout"),
    "DNS failure": _l("DNS failure"),
    "connection refused": _l("connection refused"),
    "certificate not trusted": _l("certificate not trusted"),
    "TLS failure": _l("TLS failure"),
    "connection closed without an answer": _l("connection closed without an answer"),
    "malformed HTTP answer": _l("malformed HTTP answer"),
    "invalid address": _l("invalid address"),
    "redirected to a non-web address": _l("redirected to a non-web address"),
    "too many redirects": _l("too many redirects"),
    "private or local address, not checked": _l("private or local address, not checked"),
    "not an http or https address": _l("not an http or https address"),
}


def page_translations():
    """The reader's catalog, found once per request (Flask-Babel looks it up on every call,
    and a list page makes hundreds of calls)."""
    translations = g.get("_lbs_translations")
    if translations is None:
        translations = g._lbs_translations = get_translations()
    return translations


def select_locale():
    # Outside a request (the CLI, a test's app context) there is nobody to ask: English.
    if not has_request_context():
        return DEFAULT
    # The API answers programs, which match on its messages: one language keeps that contract.
    if request.path.startswith("/api/"):
        return DEFAULT
    # With the database gone, asking for the account would fail again: the cookie must do.
    if (
        not g.get("database_unavailable")
        and current_user
        and current_user.is_authenticated
        and current_user.locale in LANGUAGES
    ):
        return current_user.locale
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT

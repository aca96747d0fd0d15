"""Headers every response carries, and the rule for where `next` may send someone."""

from urllib.parse import urlsplit

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


def safe_next(target, fallback="/"):
    """`target` if it is a path on this site, else `fallback`.

    Browsers read `//host`, `/\\host`, `\\\\host` and `http:host` as other sites, and strip
    tabs and newlines before reading, so only a plain absolute path with no scheme,
    no host and no backslash or control character is let through.
    """
    if not target or not isinstance(target, str) or len(target) > 2000:
        return fallback
    if any(ord(c) < 0x21 or c == "\\" for c in target):
        return fallback
    if not target.startswith("/") or target.startswith("//"):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target


def _has_nul(values):
    return any("\x00" in value for value in values)


def register(app):
    @app.before_request
    def refuse_nul_characters():
        # No text in the commons may hold a NUL, and PostgreSQL cannot store one: refuse a
        # form carrying one at the door with a clear 400 instead of failing inside a query.
        # (Addresses and queries with one simply find nothing.)
        if request.method == "POST" and request.mimetype != "application/json" and _has_nul(
            request.form.values()
        ):
            abort(400, _("The request contained a NUL character, which no text here may hold."))

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("HSTS"):
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        if request.endpoint == "static" and request.args.get("v"):
            # Versioned by content hash: a new file gets a new address, so this one never changes.
            headers["Cache-Control"] = "public, max-age=31536000, immutable"
        # Pages made for one signed-in person must not sit in shared caches or the back button.
        if current_user and current_user.is_authenticated and request.endpoint != "static":
            headers["Cache-Control"] = "no-store"
            headers.add("Vary", "Cookie")
        # A page's language follows the lbs_lang cookie, else Accept-Language (lbs.i18n).
        if request.endpoint != "static":
            response.vary.add("Cookie")
            response.vary.add("Accept-Language")
        return response

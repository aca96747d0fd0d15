"""The header and cookie rules of SECURITY.md (checks 10 and 11), as functions that list what a
response breaks, and a production-configured app to hold responses to them over HTTPS."""

import secrets
from contextlib import contextmanager

from config import ProductionConfig
from lbs import create_app
from lbs.extensions import db

HTTPS = "https://localhost"
YEAR = 31536000
# Referrer-Policy values that send no more than strict-origin-when-cross-origin does.
STRICT_REFERRERS = {"strict-origin-when-cross-origin", "strict-origin", "same-origin",
                    "no-referrer"}


@contextmanager
def production_app(database_url, **settings):
    """The production settings on the test database. The caller's `app` fixture empties the
    tables afterwards; brute-force limits are off, as they are not what these tests are about."""

    class Settings(ProductionConfig):
        SECRET_KEY = secrets.token_hex(32)
        SQLALCHEMY_DATABASE_URI = database_url
        RATELIMIT_ENABLED = False
        RATELIMIT_STORAGE_URI = "memory://"

    for name, value in settings.items():
        setattr(Settings, name, value)
    app = create_app(Settings)
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()


def content_security_policy(response):
    """{directive: [sources]} of the response's CSP."""
    policy = {}
    for part in response.headers.get("Content-Security-Policy", "").split(";"):
        if part.strip():
            name, *sources = part.split()
            policy[name.lower()] = sources
    return policy


def header_problems(response, signed_in=False, https=False):
    """What the response's headers break of check 10, as readable lines (empty: nothing)."""
    problems = []
    policy = content_security_policy(response)
    if not policy:
        problems.append("no Content-Security-Policy")
    scripts = policy.get("script-src", policy.get("default-src"))
    if scripts is None or "'unsafe-inline'" in scripts or "*" in scripts:
        problems.append(f"script-src allows inline or any script: {scripts}")
    for name, value in (("object-src", "'none'"), ("base-uri", "'none'"),
                        ("frame-ancestors", "'none'"), ("form-action", "'self'")):
        if policy.get(name) != [value]:
            problems.append(f"{name} is {policy.get(name)}, not {value}")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("X-Content-Type-Options is not nosniff")
    if response.headers.get("Referrer-Policy") not in STRICT_REFERRERS:
        problems.append(f"Referrer-Policy is {response.headers.get('Referrer-Policy')}")
    if signed_in and "no-store" not in response.headers.get("Cache-Control", ""):
        problems.append(f"Cache-Control is {response.headers.get('Cache-Control')!r} for a "
                        "signed-in person")
    if https:
        hsts = response.headers.get("Strict-Transport-Security", "")
        ages = [int(part.split("=", 1)[1]) for part in hsts.split(";")
                if part.strip().lower().startswith("max-age=")]
        if not ages or ages[0] < YEAR:
            problems.append(f"Strict-Transport-Security is {hsts!r}")
    return problems


def set_cookies(response):
    """{name: {attribute: value}} of every Set-Cookie, attribute names lower-cased."""
    cookies = {}
    for header in response.headers.getlist("Set-Cookie"):
        first, *attributes = [part.strip() for part in header.split(";")]
        pairs = (attribute.partition("=") for attribute in attributes if attribute)
        cookies[first.split("=", 1)[0]] = {key.lower(): value for key, _, value in pairs}
    return cookies


def cookie_problems(app, response):
    """What the response's cookies break of check 11 (and the language cookie's own rule)."""
    secret_cookies = {app.config["SESSION_COOKIE_NAME"], app.config["REMEMBER_COOKIE_NAME"]}
    problems = []
    for name, attributes in set_cookies(response).items():
        if "secure" not in attributes:
            problems.append(f"{name} is not Secure")
        if attributes.get("samesite", "").lower() != "lax":
            problems.append(f"{name} is SameSite={attributes.get('samesite')}, not Lax")
        if name in secret_cookies:
            if not name.startswith("__Host-"):
                problems.append(f"{name} is not named __Host-…")
            if "httponly" not in attributes:
                problems.append(f"{name} is not HttpOnly")
            if attributes.get("path") != "/" or "domain" in attributes:
                problems.append(f"{name} is not host-only on Path=/: {attributes}")
        elif name != "lbs_lang":
            problems.append(f"{name} is a cookie no rule covers")
    return problems

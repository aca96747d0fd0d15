"""Settings, read from environment variables. No secret lives in this file.

Choose a set with LBS_CONFIG=development|testing|production (production when unset,
so a server started without thought is the strict one).
"""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent
INSTANCE_DIR = PROJECT_ROOT / "instance"

# A key that is public by being in this file: only good enough for a laptop.
DEVELOPMENT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105  # nosec B105


def _int(name, default):
    return int(os.environ.get(name, default))


class Config:
    SECRET_KEY = os.environ.get("LBS_SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'lbs.sqlite'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL", "")

    # Forms are small; 1 MB leaves room for a long summary and rejects floods early.
    MAX_CONTENT_LENGTH = _int("LBS_MAX_CONTENT_LENGTH", 1024 * 1024)
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    SESSION_COOKIE_NAME = "lbs_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_NAME = "lbs_remember"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30
    HSTS = False

    # Rate limits (Flask-Limiter syntax). New accounts get the lower ones.
    # Off only for load tests that drive many accounts from one address.
    RATELIMIT_ENABLED = os.environ.get("LBS_RATELIMIT_ENABLED", "1") != "0"
    RATELIMIT_HEADERS_ENABLED = True
    # Keys in the shared Redis start with this, so two sites can share one server.
    RATELIMIT_KEY_PREFIX = os.environ.get("LBS_RATELIMIT_PREFIX", "lbs")
    # Four tries a minute from one address: the fifth waits (SECURITY.md, check 15).
    LOGIN_LIMIT_PER_ADDRESS = "4 per minute"
    LOGIN_LIMIT_PER_ACCOUNT = "25 per hour"
    SIGNUP_LIMIT_PER_ADDRESS = "10 per hour"

    # Ranking: the hot score's time constant in seconds (45000 s = 12.5 h, as Reddit and
    # Lobsters use): ten times the net votes buys one tau of freshness.
    HOT_TAU_SECONDS = _int("LBS_HOT_TAU_SECONDS", 45000)
    NEW_ACCOUNT_DAYS = 14
    DOWNVOTE_MIN_KARMA = _int("LBS_DOWNVOTE_MIN_KARMA", 5)
    COMMENT_EDIT_MINUTES = 60
    # Distinct peers' open flags that hide an item from lists until a moderator decides.
    FLAGS_TO_HIDE = _int("LBS_FLAGS_TO_HIDE", 3)

    # Anti-spam quotas per account; accounts younger than NEW_ACCOUNT_DAYS get the first.
    NEW_ACCOUNT_PROPOSALS_LIMIT = "3 per day"
    PROPOSALS_LIMIT = "20 per day"
    NEW_ACCOUNT_COMMENTS_LIMIT = "6 per hour"
    COMMENTS_LIMIT = "30 per hour"
    VOTES_LIMIT = "50 per day"
    FLAGS_LIMIT = "20 per day"
    EXPORTS_LIMIT = "10 per hour"

    # argon2id cost: OWASP's floor is m=19 MiB, t=2, p=1.
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_COST = 19456
    ARGON2_PARALLELISM = 1

    LICENCE_NAME = "CC BY-SA 4.0"
    LICENCE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"


class DevelopmentConfig(Config):
    SECRET_KEY = os.environ.get("LBS_SECRET_KEY", DEVELOPMENT_SECRET_KEY)


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105  # nosec B105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    REDIS_URL = ""
    # The link checker's tests run their web server on 127.0.0.1.
    LINK_CHECK_PRIVATE_ADDRESSES = True


class ProductionConfig(Config):
    SESSION_COOKIE_NAME = "__Host-lbs_session"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_NAME = "__Host-lbs_remember"
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS = True


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_environment():
    name = os.environ.get("LBS_CONFIG", "production")
    if name not in CONFIGS:
        raise RuntimeError(f"LBS_CONFIG must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]

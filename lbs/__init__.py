"""Learning by Sharing: a commons of hubs and readings, grown by its own community."""

from pathlib import Path

from flask import Flask
from sqlalchemy import event
from werkzeug.routing import IntegerConverter

from config import config_from_environment

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None):
    """Build the app. `config` is a config class, or a dict of settings over the chosen class."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    if config is None or isinstance(config, dict):
        app.config.from_object(config_from_environment())
        app.config.update(config or {})
    else:
        app.config.from_object(config)
    check_secret_key(app)

    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_request_hooks(app)
    register_template_helpers(app)
    register_cli(app)
    return app


def check_secret_key(app):
    from config import DEVELOPMENT_SECRET_KEY

    key = app.config.get("SECRET_KEY") or ""
    if app.config.get("SESSION_COOKIE_SECURE") and (not key or key == DEVELOPMENT_SECRET_KEY):
        raise RuntimeError(
            "LBS_SECRET_KEY is not set (or is the public development key). Production signs "
            "sessions with it, so set it to a long random value, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`. For local use, "
            "set LBS_CONFIG=development instead."
        )
    if len(key) < 16 and app.config.get("SESSION_COOKIE_SECURE"):
        raise RuntimeError("LBS_SECRET_KEY is too short: use at least 32 random characters.")


def register_extensions(app):
    from flask_babel import lazy_gettext as _l

    from lbs.extensions import babel, csrf, db, limiter, login_manager, migrate
    from lbs.i18n import select_locale

    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(PROJECT_ROOT / "lbs" / "translations"),
    )
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in to do that.")
    # Turned into text when it is flashed, in the language of the request that needs it.
    login_manager.localize_callback = str
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)

    @login_manager.user_loader
    def load_user(token):
        from lbs.domain.accounts import user_for_session

        return user_for_session(token)


def _sqlite_pragmas(dbapi_connection, connection_record):
    # WAL lets readers work while one writer writes; busy_timeout makes a second writer wait
    # instead of failing; SQLite only enforces foreign keys when asked.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class RowIdConverter(IntegerConverter):
    """<int:...> in an address names a row, and ids are PostgreSQL integers: a larger number
    names nothing (404) instead of reaching a database that cannot even compare it."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_blueprints(app):
    from lbs.api.views import bp as api_bp
    from lbs.auth.views import bp as auth_bp
    from lbs.citations.views import bp as citations_bp
    from lbs.commons.views import bp as commons_bp
    from lbs.discussion.views import bp as discussion_bp
    from lbs.exports.views import bp as exports_bp
    from lbs.feeds.views import bp as feeds_bp
    from lbs.links.views import bp as links_bp
    from lbs.moderation.views import bp as moderation_bp
    from lbs.proposals.views import bp as proposals_bp
    from lbs.search.views import bp as search_bp
    from lbs.users.views import bp as users_bp

    # Before any rule is added: rules take their converters as they are added.
    app.url_map.converters["int"] = RowIdConverter
    # A doubled slash is no address the site gives out. Merging it took a redirect whose
    # body is werkzeug's HTML, even under /api/: such a path is simply not found.
    app.url_map.merge_slashes = False
    for blueprint in (
        commons_bp, auth_bp, proposals_bp, discussion_bp, moderation_bp, users_bp, search_bp,
        feeds_bp, api_bp, exports_bp, citations_bp, links_bp,
    ):
        app.register_blueprint(blueprint)


def register_error_handlers(app):
    from lbs.errors import register

    register(app)


def register_request_hooks(app):
    from lbs import compression, security

    security.register(app)
    compression.register(app)


def register_template_helpers(app):
    from lbs.templating import register

    register(app)


def register_cli(app):
    from lbs.cli import lbs_group
    from lbs.exports import commands as export_commands  # noqa: F401 - adds its commands
    from lbs.links import commands as link_commands  # noqa: F401 - adds its commands

    app.cli.add_command(lbs_group)

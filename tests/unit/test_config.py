"""Settings: a production server refuses to start with a key anyone can read."""

import pytest

from config import (
    DEVELOPMENT_SECRET_KEY,
    DevelopmentConfig,
    ProductionConfig,
    TestingConfig,
    config_from_environment,
)
from lbs import create_app


def production(database_url, secret_key):
    class Settings(ProductionConfig):
        SECRET_KEY = secret_key
        SQLALCHEMY_DATABASE_URI = database_url

    return Settings


@pytest.mark.parametrize(
    "secret_key",
    [pytest.param("", id="missing"), pytest.param(DEVELOPMENT_SECRET_KEY, id="development-key")],
)
def test_production_refuses_to_start_without_a_real_secret_key(database_url, secret_key):
    with pytest.raises(RuntimeError, match="LBS_SECRET_KEY"):
        create_app(production(database_url, secret_key))


def test_production_refuses_to_start_with_a_short_secret_key(database_url):
    with pytest.raises(RuntimeError, match="LBS_SECRET_KEY"):
        create_app(production(database_url, "short-key"))


def test_production_starts_with_a_long_random_secret_key(database_url):
    app = create_app(production(database_url, "k" * 64))

    assert app.config["SESSION_COOKIE_SECURE"]


def test_production_is_the_set_chosen_when_none_is_named(monkeypatch):
    monkeypatch.delenv("LBS_CONFIG", raising=False)

    assert config_from_environment() is ProductionConfig


@pytest.mark.parametrize(
    ("name", "chosen"),
    [("development", DevelopmentConfig), ("testing", TestingConfig),
     ("production", ProductionConfig)],
)
def test_lbs_config_chooses_the_set(monkeypatch, name, chosen):
    monkeypatch.setenv("LBS_CONFIG", name)

    assert config_from_environment() is chosen


def test_an_unknown_config_name_is_refused(monkeypatch):
    monkeypatch.setenv("LBS_CONFIG", "staging")

    with pytest.raises(RuntimeError, match="LBS_CONFIG"):
        config_from_environment()


def test_a_server_started_without_settings_refuses_an_empty_key(monkeypatch, database_url):
    monkeypatch.delenv("LBS_CONFIG", raising=False)

    with pytest.raises(RuntimeError, match="LBS_SECRET_KEY"):
        create_app({"SECRET_KEY": "", "SQLALCHEMY_DATABASE_URI": database_url})


def test_development_works_with_its_public_key(database_url):
    class Settings(DevelopmentConfig):
        SECRET_KEY = DEVELOPMENT_SECRET_KEY
        SQLALCHEMY_DATABASE_URI = database_url

    assert create_app(Settings).config["SECRET_KEY"] == DEVELOPMENT_SECRET_KEY


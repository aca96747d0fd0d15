"""What a production server sends over HTTPS: host-only secure cookies and HSTS."""

import secrets

import pytest

from config import ProductionConfig
from lbs import create_app
from lbs.extensions import db
from tests.conftest import PASSWORD, csrf_token_from
from tests.functional.moderating import add_entry, add_user

HTTPS = "https://localhost"


@pytest.fixture
def production_app(app, database_url):
    """A production-configured app on the test database; `app` empties the tables after."""

    class Settings(ProductionConfig):
        SECRET_KEY = secrets.token_hex(32)
        SQLALCHEMY_DATABASE_URI = database_url
        # Brute-force limits are not what these tests are about.
        RATELIMIT_ENABLED = False

    production_app = create_app(Settings)
    yield production_app
    with production_app.app_context():
        db.engine.dispose()


def log_in_over_https(client, remember=False):
    page = client.get("/login", base_url=HTTPS).get_data(as_text=True)
    data = {"login": "ada", "password": PASSWORD, "csrf_token": csrf_token_from(page)}
    if remember:
        data["remember"] = "y"
    # Over HTTPS, CSRF protection also checks that the form came from this site.
    response = client.post("/login", data=data, base_url=HTTPS,
                           headers={"Referer": f"{HTTPS}/login"})
    assert response.status_code == 302, response.status_code
    return response


def cookie_attributes(response, name):
    """The attributes of the Set-Cookie for `name`, lower-cased, with their values."""
    for header in response.headers.getlist("Set-Cookie"):
        first, *attributes = [part.strip() for part in header.split(";")]
        if first.split("=", 1)[0] == name:
            pairs = (attribute.partition("=") for attribute in attributes)
            return {key.lower(): value for key, _, value in pairs}
    raise AssertionError(f"no Set-Cookie for {name}")


def assert_host_only_secure_cookie(attributes):
    assert "secure" in attributes
    assert "httponly" in attributes
    assert attributes.get("samesite", "").lower() == "lax"
    assert attributes.get("path") == "/"
    assert "domain" not in attributes


def test_the_session_cookie_is_host_only_secure_httponly_and_lax(production_app, make_user):
    make_user("ada")
    client = production_app.test_client()

    response = log_in_over_https(client)

    name = production_app.config["SESSION_COOKIE_NAME"]
    assert name.startswith("__Host-")
    assert_host_only_secure_cookie(cookie_attributes(response, name))


def test_the_remember_cookie_is_host_only_secure_httponly_and_lax(production_app, make_user):
    make_user("ada")
    client = production_app.test_client()

    response = log_in_over_https(client, remember=True)

    name = production_app.config["REMEMBER_COOKIE_NAME"]
    assert name.startswith("__Host-")
    assert_host_only_secure_cookie(cookie_attributes(response, name))


def test_the_production_log_in_works_end_to_end(production_app, make_user):
    make_user("ada")
    client = production_app.test_client()
    log_in_over_https(client)

    assert client.get("/account", base_url=HTTPS).status_code == 200


def test_a_log_in_form_without_its_csrf_token_is_refused(production_app, make_user):
    make_user("ada")
    client = production_app.test_client()
    client.get("/login", base_url=HTTPS)

    response = client.post("/login", data={"login": "ada", "password": PASSWORD},
                           base_url=HTTPS, headers={"Referer": f"{HTTPS}/login"})

    assert response.status_code == 400
    assert client.get("/account", base_url=HTTPS).status_code == 302


def test_https_responses_tell_browsers_to_stay_on_https_for_a_year(production_app):
    response = production_app.test_client().get("/", base_url=HTTPS)

    header = response.headers["Strict-Transport-Security"]
    max_age = int(header.split("max-age=")[1].split(";")[0])
    assert max_age >= 31536000


def test_a_visitor_who_only_reads_is_given_no_cookie_at_all(production_app, make_user):
    # Nothing on a reading page needs a session (the language switch is a GET for visitors),
    # so shared caches may keep these pages, and nobody is tracked for merely reading.
    add_user(production_app, "grace")
    slug = add_entry(production_app, "grace")
    client = production_app.test_client()
    for path in ["/", "/hubs", "/readings?sort=new", "/tags/commons", "/search?q=commons",
                 f"/entries/{slug}", "/proposals", "/moderation/log", "/users/grace"]:
        response = client.get(path, base_url=HTTPS)
        assert response.status_code == 200, path
        assert response.headers.getlist("Set-Cookie") == [], path
        page = response.get_data(as_text=True)
        assert 'name="csrf_token"' not in page, path

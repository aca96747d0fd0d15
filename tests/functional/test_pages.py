"""Pages every visitor sees: the front page, error pages, and the headers on every response."""

import html

import pytest

from lbs.domain.starter import starter_data
from tests.functional.helpers import tags


def test_an_empty_commons_says_so_on_the_front_page(client):
    page = client.get("/").get_data(as_text=True)

    assert "No hubs yet." in page
    assert "No readings yet." in page


def test_the_front_page_shows_the_starter_commons_once_loaded(client, runner):
    data = starter_data()
    result = runner.invoke(args=["lbs", "load-starter"])
    assert result.exit_code == 0, result.output

    page = client.get("/").get_data(as_text=True)

    assert f"<strong>{len(data['hubs'])}</strong> hubs" in page
    assert f"<strong>{len(data['readings'])}</strong> readings" in page
    assert "No hubs yet." not in page
    assert any(html.escape(hub["title"]) in page for hub in data["hubs"])
    assert any(html.escape(reading["title"]) in page for reading in data["readings"])


def assert_site_layout(page):
    navigations = [attrs.get("aria-label") for tag, attrs in tags(page) if tag == "nav"]
    assert "Main" in navigations
    assert "<footer" in page
    assert "CC BY-SA 4.0" in page
    assert "Traceback" not in page
    assert "werkzeug" not in page.lower()


def test_an_unknown_address_gets_a_404_page_in_the_site_layout(client):
    response = client.get("/no/such/page")

    assert response.status_code == 404
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert_site_layout(page)
    assert "Not found" in page


def test_a_wrong_method_gets_a_405_page_in_the_site_layout(client):
    response = client.get("/logout")

    assert response.status_code == 405
    assert_site_layout(response.get_data(as_text=True))


def test_a_post_larger_than_the_limit_gets_413(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]

    response = client.post("/login", data={"login": "x" * (limit + 1), "password": "x"})

    assert response.status_code == 413
    assert_site_layout(response.get_data(as_text=True))


def test_a_post_just_under_the_limit_is_read(app, client):
    # The limit counts the whole body: leave room for the other field and the separators.
    limit = app.config["MAX_CONTENT_LENGTH"]

    response = client.post("/login", data={"login": "x" * (limit - 100), "password": "x"})

    assert response.status_code == 400


PAGES = {
    "front page": "/",
    "log-in page": "/login",
    "sign-up page": "/signup",
    "404": "/no/such/page",
    "405": "/logout",
    "static file": "/static/style.css",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)

    policy = [part.strip() for part in response.headers["Content-Security-Policy"].split(";")]
    for directive in ("default-src 'self'", "frame-ancestors 'none'", "form-action 'self'",
                      "base-uri 'none'", "object-src 'none'"):
        assert directive in policy
    script_src = [part for part in policy if part.startswith("script-src")]
    assert all("'unsafe-inline'" not in part for part in script_src)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in (
        "strict-origin-when-cross-origin", "strict-origin", "same-origin", "no-referrer"
    )


def test_the_static_file_is_served(client):
    response = client.get("/static/style.css")

    assert response.status_code == 200
    assert response.mimetype == "text/css"


@pytest.mark.parametrize("path", ["/", "/account", "/no/such/page"])
def test_pages_for_a_logged_in_person_are_never_stored_in_caches(client, auth, make_user, path):
    make_user("ada")
    auth.login("ada")

    response = client.get(path)

    assert "no-store" in response.headers.get("Cache-Control", "")


def test_the_header_offers_log_in_and_sign_up_to_visitors(client):
    page = client.get("/").get_data(as_text=True)

    assert 'href="/login"' in page
    assert 'href="/signup"' in page


def test_the_header_shows_the_account_and_a_log_out_button_when_logged_in(
    client, auth, make_user
):
    make_user("ada")
    auth.login("ada")

    page = client.get("/").get_data(as_text=True)

    assert 'href="/users/ada"' in page
    assert 'href="/account"' in page
    assert any(tag == "form" and attrs.get("action") == "/logout" and attrs.get("method") == "post"
               for tag, attrs in tags(page))
    assert 'href="/login"' not in page

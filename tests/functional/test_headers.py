"""The security headers on every response (check 10): every GET route, the error pages the app
makes (404, 405, 413, 500, and the API's 401), static files, feeds and the API, for visitors,
for signed-in people and over HTTPS in production. tests/functional/test_pages.py holds the
first few pages a visitor meets; this sweeps the rest."""

import pytest

from tests.conftest import make_test_app
from tests.functional.access_scene import Scene, done
from tests.functional.security_rules import HTTPS, header_problems, production_app

API_FAILURE = "/api/v1/test-only/failure"
PAGE_FAILURE = "/test-only/failure"


def break_on_purpose(app):
    """Routes that fail like a bug would, registered before the app serves anything."""

    def failure():
        raise RuntimeError("a bug in a view")

    app.add_url_rule(PAGE_FAILURE, "test_only_page_failure", failure)
    app.add_url_rule(API_FAILURE, "test_only_api_failure", failure)
    return app


def problems_of(responses, **rules):
    found = {}
    for path, response in responses:
        problems = header_problems(response, **rules)
        if problems:
            found[f"{path} ({response.status_code})"] = problems
    return found


def test_every_get_route_carries_the_headers_for_a_visitor(app):
    scene = Scene(app)
    visitor = scene.browsers["anonymous"]

    responses = [(path, done(visitor.get(path))) for path in scene.every_get()]

    assert problems_of(responses) == {}


@pytest.mark.parametrize("role", ["peer", "admin"])
def test_every_get_route_for_a_signed_in_person_stays_out_of_caches(app, role):
    scene = Scene(app)
    browser = scene.browsers[role]

    responses = [(path, done(browser.get(path))) for path in scene.every_get()
                 if not path.startswith("/static/")]

    assert problems_of(responses, signed_in=True) == {}


def error_responses(app, client):
    """(what, response) for each way a request fails that the app answers itself."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    return [
        ("404 page", client.get("/no/such/page")),
        ("404 API", client.get("/api/v1/no/such/thing")),
        ("405 page", client.get("/logout")),
        ("405 API", client.delete("/api/v1/entries")),
        ("401 API", client.post("/api/v1/votes", json={})),
        ("413", client.post("/login", data={"login": "x" * (limit + 1), "password": "x"})),
        ("500 page", client.get(PAGE_FAILURE)),
        ("500 API", client.get(API_FAILURE)),
        ("API preflight", client.options(
            "/api/v1/entries", headers={"Origin": "https://elsewhere.example",
                                        "Access-Control-Request-Method": "GET"})),
    ]


def test_error_responses_carry_the_headers(app, database_url):
    failing = break_on_purpose(make_test_app(database_url))
    responses = error_responses(failing, failing.test_client())

    assert [r.status_code for _, r in responses] == [404, 404, 405, 405, 401, 413, 500, 500, 200]
    assert problems_of(responses) == {}
    # The 500 says what happened without showing how.
    for what, response in responses[6:8]:
        assert "Traceback" not in response.get_data(as_text=True), what
        assert "a bug in a view" not in response.get_data(as_text=True), what


def test_error_responses_to_a_signed_in_person_stay_out_of_caches(app, database_url):
    failing = break_on_purpose(make_test_app(database_url))
    scene = Scene(failing)

    responses = error_responses(failing, scene.browsers["peer"])

    assert problems_of(responses, signed_in=True) == {}


def test_api_writes_with_a_token_stay_out_of_caches(app):
    scene = Scene(app)

    response = scene.request("peer", "POST", "/api/v1/votes", {
        "target_type": "proposal", "target_id": "{proposal}", "value": 1})

    assert response.status_code == 200
    assert header_problems(response, signed_in=True) == []


def test_over_https_in_production_every_kind_of_response_says_stay_on_https(app, database_url):
    with production_app(database_url) as production:
        break_on_purpose(production)
        scene = Scene(production)
        visitor = production.test_client()
        peer = scene.browser(scene.sessions["peer"], base_url=HTTPS)
        samples = [
            (path, done(visitor.get(path, base_url=HTTPS)))
            for path in ("/", "/entries/" + scene.values["entry"], "/static/style.css",
                         "/feeds/entries.atom", "/api/v1/entries", "/export/commons.csv",
                         "/no/such/page", "/logout", PAGE_FAILURE, API_FAILURE)
        ]
        samples.append(("API write without a token",
                        visitor.post("/api/v1/votes", json={}, base_url=HTTPS)))
        signed_in = [(path, peer.get(path, base_url=HTTPS))
                     for path in ("/", "/account", "/moderation", "/no/such/page", PAGE_FAILURE)]

        assert [r.status_code for _, r in samples] == [
            200, 200, 200, 200, 200, 200, 404, 405, 500, 500, 401]
        assert problems_of(samples, https=True) == {}
        assert problems_of(signed_in, https=True, signed_in=True) == {}

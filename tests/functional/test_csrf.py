"""Every state-changing route refuses a request without this session's CSRF token (check 6)."""

import pytest
from sqlalchemy import func, select

from lbs.extensions import db
from tests.conftest import PASSWORD, csrf_token_from, make_test_app
from tests.support.routes import routes


@pytest.fixture
def guarded_app(app, database_url):
    return make_test_app(database_url, WTF_CSRF_ENABLED=True)


def _logged_in(app, username):
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"login": username, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302
    return client


def _api(path):
    return path.startswith("/api/")


def test_every_post_without_a_token_is_refused(guarded_app, make_user):
    make_user("ada", role="admin")
    client = _logged_in(guarded_app, "ada")
    refused = {}
    for endpoint, path in routes(guarded_app, "POST"):
        status = client.post(path, data={"reason": "x", "value": "1"}).status_code
        # The API authenticates with bearer tokens, never cookies, so it answers 401 instead.
        expected = 401 if _api(path) else 400
        if status != expected:
            refused[endpoint] = status
    assert refused == {}


def test_a_token_from_another_session_is_refused(guarded_app, make_user):
    make_user("ada", role="admin")
    make_user("bob")
    ada = _logged_in(guarded_app, "ada")
    bob = _logged_in(guarded_app, "bob")
    bobs_token = csrf_token_from(bob.get("/account").get_data(as_text=True))
    for endpoint, path in routes(guarded_app, "POST"):
        if _api(path):
            continue
        status = ada.post(path, data={"csrf_token": bobs_token, "reason": "x"}).status_code
        assert status == 400, endpoint


def test_log_out_is_a_post(guarded_app):
    assert guarded_app.test_client().get("/logout").status_code == 405


def _row_counts():
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_no_get_request_changes_what_is_stored(app, client, runner, make_user, auth):
    runner.invoke(args=["lbs", "load-starter"])
    make_user("ada", role="admin")
    auth.login("ada")
    with app.app_context():
        before = _row_counts()
    for endpoint, path in routes(app, "GET", samples={"slug": "wikipedia", "tag": "wiki",
                                                      "username": "ada"}):
        assert client.get(path).status_code < 500, endpoint
    with app.app_context():
        assert _row_counts() == before

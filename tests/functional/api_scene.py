"""Setting the scene for the API tests: tokens made through the domain, and requests sent the
way a program sends them (JSON, a bearer token, no cookies)."""

from sqlalchemy import select

from lbs.domain import tokens
from lbs.extensions import db
from lbs.models import User

API = "/api/v1"


def issue_token(app, username, name="my script"):
    """A live token for the account, as the account page would make it; returns the secret."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username_key == username.lower()))
        _token, secret = tokens.create_token(user, name)
        db.session.commit()
        return secret


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def api_post(app, path, body, secret=None, client=None):
    """POST a JSON body from a fresh client (no cookies) unless one is given."""
    client = client or app.test_client()
    headers = bearer(secret) if secret else {}
    return client.post(API + path, json=body, headers=headers)


def api_get(app, path, **kwargs):
    return app.test_client().get(API + path, **kwargs)


def error_of(response):
    """The JSON error body's inner object; fails if the answer is not a JSON error."""
    assert response.is_json, response.get_data(as_text=True)[:200]
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert body["error"]["status"] == response.status_code
    return body["error"]

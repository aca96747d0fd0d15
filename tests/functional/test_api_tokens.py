"""Personal API tokens: made, listed and revoked in the account settings, shown once, stored
only as a hash; a bearer token acts for its owner, and nothing else writes through the API."""

import hashlib
import re

import pytest
from sqlalchemy import select, update

from lbs.domain import tokens
from lbs.domain.errors import Invalid, NotAllowed
from lbs.extensions import db
from lbs.models import ApiToken, User, Vote
from tests.functional.api_scene import API, api_post, error_of, issue_token
from tests.functional.contributing import add_entry, add_user, browser, count, entry_row
from tests.functional.helpers import field_error, section

SECRET = re.compile(r"lbs_[A-Za-z0-9_-]{43}")


@pytest.fixture
def scene(app):
    """ada, signed in to the site; an entry by grace that ada may vote on."""
    add_user(app, "ada")
    add_user(app, "grace")
    entry_id = entry_row(app, add_entry(app, "grace", "hub"))["id"]
    return {"browser": browser(app, "ada"), "entry_id": entry_id}


def create_token(client, name="my script"):
    return client.post("/account/tokens", data={"name": name})


def upvote(app, secret, scene, **kwargs):
    return api_post(app, "/votes", {"target_type": "entry", "target_id": scene["entry_id"],
                                    "value": 1}, secret, **kwargs)


def token_rows(app):
    with app.app_context():
        return db.session.scalars(select(ApiToken).order_by(ApiToken.id)).all()


def test_the_account_page_offers_api_tokens(scene):
    page = scene["browser"].get("/account").get_data(as_text=True)

    tokens_section = section(page, "tokens-heading")
    assert 'action="/account/tokens"' in tokens_section
    assert "You have no API tokens." in tokens_section


def test_a_new_token_is_shown_once_and_then_only_by_name(scene):
    created = create_token(scene["browser"], "backup script")
    shown = SECRET.findall(created.get_data(as_text=True))
    later = scene["browser"].get("/account").get_data(as_text=True)

    assert created.status_code == 201
    assert len(set(shown)) == 1
    assert shown[0] not in later
    assert "backup script" in section(later, "tokens-heading")
    assert created.headers["Cache-Control"] == "no-store"


def test_only_a_hash_of_the_token_is_stored(app, scene):
    secret = SECRET.search(create_token(scene["browser"]).get_data(as_text=True)).group()

    (row,) = token_rows(app)

    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {str(getattr(row, c.key)) for c in ApiToken.__table__.columns}


def test_the_token_acts_for_its_owner(app, scene):
    secret = SECRET.search(create_token(scene["browser"]).get_data(as_text=True)).group()

    response = upvote(app, secret, scene)

    assert response.status_code == 200
    with app.app_context():
        vote = db.session.scalar(select(Vote))
        assert db.session.get(User, vote.user_id).username == "ada"


def test_the_scheme_name_is_not_case_sensitive(app, scene):
    secret = issue_token(app, "ada")
    client = app.test_client()

    response = client.post(f"{API}/votes", headers={"Authorization": f"bearer {secret}"},
                           json={"target_type": "entry", "target_id": scene["entry_id"], "value": 1})

    assert response.status_code == 200


def test_a_token_needs_a_name(app, scene):
    response = create_token(scene["browser"], "   ")

    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "token_name")
    assert token_rows(app) == []


def test_the_page_says_when_a_token_was_last_used(app, scene):
    secret = issue_token(app, "ada", "ci")
    before = section(scene["browser"].get("/account").get_data(as_text=True), "tokens-heading")
    upvote(app, secret, scene)
    after = section(scene["browser"].get("/account").get_data(as_text=True), "tokens-heading")

    assert "never" in before
    assert "never" not in after
    assert token_rows(app)[0].last_used_at is not None


def test_a_revoked_token_stops_working_and_leaves_the_list(app, scene):
    secret = issue_token(app, "ada", "old laptop")
    (row,) = token_rows(app)

    revoked = scene["browser"].post(f"/account/tokens/{row.id}/revoke")
    response = upvote(app, secret, scene)

    assert revoked.status_code == 302
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    error_of(response)
    assert count(app, Vote) == 0
    page = scene["browser"].get("/account").get_data(as_text=True)
    assert "old laptop" not in section(page, "tokens-heading")


def test_nobody_revokes_someone_elses_token(app, scene):
    secret = issue_token(app, "grace")
    (row,) = token_rows(app)

    response = scene["browser"].post(f"/account/tokens/{row.id}/revoke")

    assert response.status_code == 404
    assert token_rows(app)[0].revoked_at is None
    assert api_post(app, "/comments", {"target_type": "entry", "target_id": scene["entry_id"],
                                       "body": "Still mine."}, secret).status_code == 201


def test_a_suspended_accounts_tokens_stop_working(app, scene):
    secret = issue_token(app, "ada")
    with app.app_context():
        db.session.execute(update(User).where(User.username == "ada").values(status="suspended"))
        db.session.commit()

    response = upvote(app, secret, scene)

    assert response.status_code == 401
    assert count(app, Vote) == 0


def test_a_suspended_account_cannot_make_tokens(app, scene):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "ada"))
        user.status = "suspended"
        with pytest.raises(NotAllowed):
            tokens.create_token(user, "sneaky")


def test_an_account_keeps_at_most_twenty_live_tokens(app, scene):
    for i in range(tokens.MAX_LIVE_TOKENS):
        issue_token(app, "ada", f"token {i}")

    response = create_token(scene["browser"], "one more")

    assert response.status_code == 400
    assert "revoke one" in field_error(response.get_data(as_text=True), "token_name")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "ada"))
        with pytest.raises(Invalid):
            tokens.create_token(user, "still one more")


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer ", "Bearer not-a-token", "Basic YWRhOnB3", "Token lbs_x",
     "Bearer " + "x" * 5000],
)
def test_a_missing_or_bad_token_is_a_401_and_stores_nothing(app, scene, authorization):
    headers = {"Authorization": authorization} if authorization is not None else {}

    response = app.test_client().post(f"{API}/votes", headers=headers, json={
        "target_type": "entry", "target_id": scene["entry_id"], "value": 1})

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    error_of(response)
    assert count(app, Vote) == 0


@pytest.mark.parametrize("csrf", [False, True])
def test_a_cookie_session_alone_cannot_write_through_the_api(app, scene, csrf):
    app.config["WTF_CSRF_ENABLED"] = csrf

    response = upvote(app, None, scene, client=scene["browser"])

    assert response.status_code == 401
    assert count(app, Vote) == 0


def test_api_writes_need_no_csrf_token_but_the_token_form_does(app, scene):
    app.config["WTF_CSRF_ENABLED"] = True
    secret = issue_token(app, "ada")

    assert upvote(app, secret, scene).status_code == 200
    assert create_token(scene["browser"]).status_code == 400
    assert scene["browser"].post(f"/account/tokens/{token_rows(app)[0].id}/revoke").status_code == 400
    assert token_rows(app)[0].revoked_at is None

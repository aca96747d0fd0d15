"""Changing the password and the email address: both need the current password."""

from collections import Counter

import pytest

from tests.conftest import PASSWORD
from tests.functional.helpers import field_error, input_value, section, stored_user, tags

NEW_PASSWORD = "a new long passphrase"


@pytest.fixture
def ada(client, make_user):
    """A logged-in account named ada."""
    make_user("ada", email="ada@example.org")
    assert client.post("/login", data={"login": "ada", "password": PASSWORD}).status_code == 302
    return "ada"


def change_password(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post(
        "/account/password",
        data={"current_password": current, "password": new,
              "confirm": new if confirm is None else confirm},
    )


def change_email(client, email, current=PASSWORD):
    return client.post("/account/email", data={"email": email, "current_password": current})


def test_the_account_page_needs_a_log_in(client):
    response = client.get("/account")

    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


def test_the_account_page_shows_the_current_email(client, ada):
    page = client.get("/account").get_data(as_text=True)

    assert "ada@example.org" in section(page, "email-heading")


def test_a_password_change_with_the_current_password_takes_effect(app, client, auth, ada):
    response = change_password(client)

    assert response.status_code == 302
    assert response.location == "/account"
    auth.logout()
    assert auth.login("ada", PASSWORD).status_code == 400
    assert auth.login("ada", NEW_PASSWORD).status_code == 302


def test_a_password_change_stores_an_argon2id_hash(app, client, ada):
    change_password(client)

    assert stored_user(app, "ada")["password_hash"].startswith("$argon2id$")


@pytest.mark.parametrize(
    ("current", "new", "confirm", "field", "message"),
    [
        pytest.param("not my password", NEW_PASSWORD, None, "current_password",
                     "not your current password", id="wrong-current"),
        pytest.param("", NEW_PASSWORD, None, "current_password", "current password",
                     id="no-current"),
        pytest.param(PASSWORD, "nine char", None, "password", "10", id="new-9-chars"),
        pytest.param(PASSWORD, "qwertyuiop", None, "password", "common", id="new-common"),
        pytest.param(PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "!", "confirm", "differ",
                     id="confirm-mismatch"),
    ],
)
def test_a_refused_password_change_says_why_and_changes_nothing(
    app, client, ada, current, new, confirm, field, message
):
    before = stored_user(app, "ada")["password_hash"]

    response = change_password(client, current, new, confirm)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = field_error(section(page, "password-heading"), field)
    assert error is not None, f"no message by {field}"
    assert message.lower() in error.lower()
    assert new not in page
    assert stored_user(app, "ada")["password_hash"] == before


def test_a_wrong_current_password_keeps_the_other_sessions(app, ada):
    other = app.test_client()
    other.post("/login", data={"login": "ada", "password": PASSWORD})

    change_password(app.test_client(), "not my password")

    assert other.get("/account").status_code == 200


def test_an_email_change_with_the_current_password_takes_effect(app, client, ada):
    response = change_email(client, "Ada.Lovelace@example.net")

    assert response.status_code == 302
    assert stored_user(app, "ada")["email"] == "Ada.Lovelace@example.net"
    assert "Ada.Lovelace@example.net" in client.get("/account").get_data(as_text=True)


def test_the_new_email_logs_in(app, client, auth, ada):
    change_email(client, "ada.lovelace@example.net")
    auth.logout()

    assert auth.login("ADA.LOVELACE@example.net").status_code == 302


@pytest.mark.parametrize(
    ("email", "current", "field", "message"),
    [
        pytest.param("new@example.org", "not my password", "current_password",
                     "not your current password", id="wrong-current"),
        pytest.param("new@example.org", "", "current_password", "current password",
                     id="no-current"),
        pytest.param("not-an-email", PASSWORD, "email", "not valid", id="malformed"),
        pytest.param("", PASSWORD, "email", "Give an email", id="empty"),
        pytest.param("e" * 10_000, PASSWORD, "email", "too long", id="10000-chars"),
    ],
)
def test_a_refused_email_change_says_why_and_changes_nothing(
    app, client, ada, email, current, field, message
):
    response = change_email(client, email, current)

    assert response.status_code == 400
    form = section(response.get_data(as_text=True), "email-heading")
    error = field_error(form, field)
    assert error is not None, f"no message by {field}"
    assert message.lower() in error.lower()
    assert input_value(form, "email") == email
    assert stored_user(app, "ada")["email"] == "ada@example.org"


def test_an_email_of_another_account_is_refused(app, client, make_user, ada):
    make_user("bob", email="bob@example.org")

    response = change_email(client, "BOB@example.org")

    assert response.status_code == 400
    error = field_error(section(response.get_data(as_text=True), "email-heading"), "email")
    assert "exists already" in error
    assert stored_user(app, "ada")["email"] == "ada@example.org"
    assert stored_user(app, "bob")["email"] == "bob@example.org"


def test_the_current_email_in_another_case_is_accepted(app, client, ada):
    response = change_email(client, "Ada@example.org")

    assert response.status_code == 302
    assert stored_user(app, "ada")["email"] == "Ada@example.org"


def test_every_label_on_the_account_page_points_at_exactly_one_field(client, ada):
    # With the email form in error, its messages and their ids are on the page too.
    page = change_email(client, "not-an-email", "wrong").get_data(as_text=True)

    ids = Counter(attrs["id"] for _, attrs in tags(page) if "id" in attrs)
    assert [name for name, count in ids.items() if count > 1] == []
    for _, attrs in tags(page):
        if "for" in attrs:
            assert ids[attrs["for"]] == 1, attrs["for"]

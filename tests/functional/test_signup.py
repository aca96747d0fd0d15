import re

import pytest

from tests.conftest import PASSWORD
from tests.functional.helpers import (
    count_users,
    field_error,
    input_value,
    is_logged_in,
    stored_user,
    tags,
)

VALID = {
    "username": "ada_lovelace",
    "email": "ada@example.org",
    "password": PASSWORD,
    "confirm": PASSWORD,
}


def sign_up(client, **changes):
    return client.post("/signup", data={**VALID, **changes})


def assert_refused(response, app, field, message, typed, users_before=0):
    """The form comes back with the message by `field`, keeps what was typed but never the
    password, and no account was made."""
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    error = field_error(page, field)
    assert error is not None, f"no message by {field}"
    assert message.lower() in error.lower()
    assert input_value(page, "username") == typed["username"]
    assert input_value(page, "email") == typed["email"]
    for secret in (typed["password"], typed["confirm"]):
        if secret:
            assert secret not in page
    assert input_value(page, "password") in (None, "")
    assert count_users(app) == users_before


def test_signup_creates_the_account_and_logs_it_in(client, app):
    response = sign_up(client)

    assert response.status_code == 302
    assert response.location == "/"
    assert stored_user(app, "ada_lovelace")["email"] == "ada@example.org"
    assert is_logged_in(client)


def test_signup_keeps_the_username_as_typed_and_the_password_hashed(client, app):
    sign_up(client, username="Ada-Lovelace_1")

    user = stored_user(app, "ada-lovelace_1")
    assert user["username"] == "Ada-Lovelace_1"
    assert PASSWORD not in user["password_hash"]


def test_signup_stores_an_argon2id_hash_at_least_as_strong_as_owasp_asks(client, app):
    sign_up(client)

    stored = stored_user(app, "ada_lovelace")["password_hash"]
    assert stored.startswith("$argon2id$")
    memory, passes = re.search(r"\$m=(\d+),t=(\d+),", stored).groups()
    assert int(memory) >= 19456
    assert int(passes) >= 2


def test_a_ten_character_password_is_enough(client, app):
    response = sign_up(client, password="ten chars!", confirm="ten chars!")

    assert response.status_code == 302
    assert count_users(app) == 1


TOO_LONG = 10_000

INVALID = [
    pytest.param({"username": ""}, "username", "Choose a username", id="username-empty"),
    pytest.param({"username": "ab"}, "username", "3 to 30", id="username-too-short"),
    pytest.param({"username": "u" * 31}, "username", "3 to 30", id="username-31-chars"),
    pytest.param({"username": "u" * TOO_LONG}, "username", "3 to 30", id="username-10000-chars"),
    pytest.param({"username": "ada lovelace"}, "username", "letters", id="username-space"),
    pytest.param({"username": "ada!"}, "username", "letters", id="username-punctuation"),
    pytest.param({"username": "<script>x"}, "username", "letters", id="username-markup"),
    pytest.param({"username": "adå_lovelace"}, "username", "letters", id="username-non-ascii"),
    pytest.param({"email": ""}, "email", "Give an email", id="email-empty"),
    pytest.param({"email": "e" * TOO_LONG}, "email", "too long", id="email-10000-chars"),
    pytest.param({"email": "ada.example.org"}, "email", "not valid", id="email-no-at"),
    pytest.param({"email": "ada@"}, "email", "not valid", id="email-no-domain"),
    pytest.param({"email": "ada@@example.org"}, "email", "not valid", id="email-two-ats"),
    pytest.param({"password": "", "confirm": ""}, "password", "Choose a password",
                 id="password-empty"),
    pytest.param({"password": "nine char", "confirm": "nine char"}, "password", "10",
                 id="password-9-chars"),
    pytest.param({"password": "p" * TOO_LONG, "confirm": "p" * TOO_LONG}, "password", "1000",
                 id="password-10000-chars"),
    pytest.param({"confirm": ""}, "confirm", "Repeat the password", id="confirm-empty"),
    pytest.param({"confirm": "correct horse battery!"}, "confirm", "differ",
                 id="confirm-mismatch"),
    pytest.param({"username": "peerlearner", "password": "PeerLearner",
                  "confirm": "PeerLearner"}, "password", "username", id="password-is-username"),
]


@pytest.mark.parametrize(("changes", "field", "message"), INVALID)
def test_an_invalid_field_is_refused_by_the_field(client, app, changes, field, message):
    typed = {**VALID, **changes}

    response = sign_up(client, **changes)

    assert_refused(response, app, field, message, typed)


def test_screen_readers_hear_which_field_is_wrong_and_why(client):
    page = sign_up(client, email="not-an-email").get_data(as_text=True)

    inputs = {attrs["name"]: attrs for tag, attrs in tags(page) if tag == "input"}
    assert [name for name, attrs in inputs.items() if "aria-invalid" in attrs] == ["email"]
    assert inputs["email"]["aria-invalid"] == "true"
    assert "email-error" in inputs["email"]["aria-describedby"].split()
    leftovers = [(name, key) for name, attrs in inputs.items()
                 for key, value in attrs.items() if value == "None"]
    assert leftovers == []


@pytest.mark.parametrize(
    "password",
    ["qwertyuiop", "1qaz2wsx3edc", "password123", "Password123", "MANCHESTER"],
)
def test_a_common_password_is_refused(client, app, password):
    typed = {**VALID, "password": password, "confirm": password}

    response = sign_up(client, password=password, confirm=password)

    assert_refused(response, app, "password", "common", typed)


def test_a_username_taken_in_another_case_is_refused(client, app, make_user):
    make_user("Ada_Lovelace")
    typed = {**VALID, "username": "aDA_lOVELACE"}

    response = sign_up(client, username="aDA_lOVELACE")

    assert_refused(response, app, "username", "taken", typed, users_before=1)


def test_an_email_taken_in_another_case_is_refused(client, app, make_user):
    make_user("someone", email="ada@example.org")
    typed = {**VALID, "email": "ADA@Example.ORG"}

    response = sign_up(client, email="ADA@Example.ORG")

    assert_refused(response, app, "email", "exists already", typed, users_before=1)


def test_the_signup_form_asks_for_every_field(client):
    page = client.get("/signup").get_data(as_text=True)

    for name in ("username", "email", "password", "confirm"):
        assert input_value(page, name) in (None, "")
    # Pasting from a password manager must keep working.
    assert "onpaste" not in page


def passphrase(length):
    # Leading space and multi-byte characters: whatever trims or truncates shows up here.
    text = (" shared 🌱 commons ✨ ünïcode 🙂 peer learning 📚" * 4)[:length]
    assert len(text) == length and text.startswith(" ") and "🌱" in text
    return text


@pytest.mark.parametrize("length", [64, 128])
def test_a_long_passphrase_with_spaces_and_emoji_works_exactly_as_typed(client, auth, length):
    secret = passphrase(length)
    assert sign_up(client, password=secret, confirm=secret).status_code == 302
    auth.logout()

    # Only the exact string logs in: not one with the last character changed (truncation)
    # nor one with the leading space trimmed.
    assert auth.login("ada_lovelace", secret[:-1] + "x").status_code == 400
    assert auth.login("ada_lovelace", secret.strip()).status_code == 400
    assert not is_logged_in(client)
    assert auth.login("ada_lovelace", secret).status_code == 302
    assert is_logged_in(client)

import logging
import re

import pytest
from werkzeug.security import generate_password_hash

from tests.conftest import PASSWORD
from tests.functional.helpers import field_error, input_value, is_logged_in, stored_user


@pytest.mark.parametrize("login", ["ada", "ADA", "aDa"])
def test_log_in_by_username_in_any_case(client, auth, make_user, login):
    make_user("Ada")

    response = auth.login(login)

    assert response.status_code == 302
    assert is_logged_in(client)


@pytest.mark.parametrize("login", ["ada@example.org", "ADA@EXAMPLE.ORG", " Ada@Example.org "])
def test_log_in_by_email_in_any_case(client, auth, make_user, login):
    make_user("ada", email="ada@example.org")

    response = auth.login(login)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_a_log_in_lands_on_the_front_page_by_default(auth, make_user):
    make_user("ada")

    assert auth.login("ada").location == "/"


def test_remember_me_sets_the_remember_cookie(client, app, auth, make_user):
    make_user("ada")

    auth.login("ada", remember=True)

    assert client.get_cookie(app.config["REMEMBER_COOKIE_NAME"]) is not None


def test_without_remember_me_there_is_no_remember_cookie(client, app, auth, make_user):
    make_user("ada")

    auth.login("ada")

    assert client.get_cookie(app.config["REMEMBER_COOKIE_NAME"]) is None


def test_the_remember_cookie_alone_keeps_the_browser_logged_in(app, auth, client, make_user):
    make_user("ada")
    auth.login("ada", remember=True)
    remembered = client.get_cookie(app.config["REMEMBER_COOKIE_NAME"]).value

    # A browser restarted: the session cookie is gone, the remember cookie stays.
    restarted = app.test_client()
    restarted.set_cookie(app.config["REMEMBER_COOKIE_NAME"], remembered)

    assert is_logged_in(restarted)


def _without_csrf_token(page):
    return re.sub(r'name="csrf_token"[^>]*>', "", page)


def test_a_failed_log_in_looks_the_same_for_an_unknown_account_and_a_wrong_password(
    app, make_user
):
    make_user("ada")
    # Same length, so the only difference is whether the account exists; the name itself,
    # echoed back in the form, is masked below.
    unknown = app.test_client().post("/login", data={"login": "bob", "password": PASSWORD})
    wrong = app.test_client().post("/login", data={"login": "ada", "password": PASSWORD + "!"})

    assert unknown.status_code == wrong.status_code == 400
    unknown_page = _without_csrf_token(unknown.get_data(as_text=True)).replace('"bob"', '"NAME"')
    wrong_page = _without_csrf_token(wrong.get_data(as_text=True)).replace('"ada"', '"NAME"')
    assert unknown_page == wrong_page
    assert "do not match" in field_error(wrong_page, "login")


def test_a_failed_log_in_keeps_the_login_but_not_the_password(client, auth, make_user):
    make_user("ada")

    response = auth.login("ada", "not the password at all")

    page = response.get_data(as_text=True)
    assert input_value(page, "login") == "ada"
    assert "not the password at all" not in page
    assert not is_logged_in(client)


def test_an_empty_log_in_form_is_refused_by_its_fields(client):
    response = client.post("/login", data={"login": "", "password": ""})

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(page, "login")
    assert field_error(page, "password")


def test_a_suspended_account_cannot_log_in_and_is_told_why(client, auth, make_user):
    make_user("ada", status="suspended", suspended_reason="Posted the same link 40 times.")

    response = auth.login("ada")

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "suspended" in page
    assert "Posted the same link 40 times." in page
    assert not is_logged_in(client)


def test_a_wrong_password_does_not_reveal_a_suspension(client, auth, make_user):
    make_user("ada", status="suspended", suspended_reason="Posted the same link 40 times.")

    response = auth.login("ada", "a wrong password")

    page = response.get_data(as_text=True)
    assert "suspended" not in page
    assert "40 times" not in page


def legacy_hash(password):
    # Werkzeug's scrypt format as older installations stored it, at a small test cost.
    return generate_password_hash(password, method="scrypt:1024:8:1")


def test_a_legacy_werkzeug_hash_logs_in_and_is_rehashed_to_argon2id(client, app, auth, make_user):
    make_user("ada", password_hash=legacy_hash(PASSWORD))
    assert not stored_user(app, "ada")["password_hash"].startswith("$argon2")

    response = auth.login("ada")

    assert response.status_code == 302
    assert stored_user(app, "ada")["password_hash"].startswith("$argon2id$")
    auth.logout()
    assert auth.login("ada").status_code == 302


def test_a_wrong_password_against_a_legacy_hash_is_refused(app, auth, make_user):
    legacy = legacy_hash(PASSWORD)
    make_user("ada", password_hash=legacy)

    assert auth.login("ada", "not the password").status_code == 400
    assert stored_user(app, "ada")["password_hash"] == legacy


def test_the_password_never_reaches_the_logs(client, auth, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "a very secret passphrase 🌱"
    client.post(
        "/signup",
        data={"username": "ada", "email": "ada@example.org", "password": secret,
              "confirm": secret},
    )
    auth.logout()
    auth.login("ada", secret + " but wrong")
    auth.login("nobody", secret)
    auth.login("ada", secret)

    messages = [record.getMessage() for record in caplog.records]
    # The log did record the attempts, so an empty log cannot pass this test.
    assert sum("auth:" in message for message in messages) >= 4
    assert not [m for m in messages if secret in m]
    assert secret not in caplog.text


def test_get_login_when_logged_in_goes_on_to_the_front_page(client, auth, make_user):
    make_user("ada")
    auth.login("ada")

    response = client.get("/login")

    assert response.status_code == 302
    assert response.location == "/"


@pytest.mark.parametrize("address", ["192.0.2.7", "2001:db8::7", "::ffff:192.0.2.7"])
def test_log_in_works_from_ipv4_and_ipv6_addresses(app, make_user, address):
    make_user("ada")
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address

    response = client.post("/login", data={"login": "ada", "password": PASSWORD})

    assert response.status_code == 302
    assert is_logged_in(client)


@pytest.mark.parametrize("address", ["192.0.2.7", "2001:db8::7"])
def test_a_failed_log_in_from_any_address_is_a_form_error_not_a_crash(app, make_user, address):
    make_user("ada")
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address

    response = client.post("/login", data={"login": "ada", "password": "a wrong password"})

    assert response.status_code == 400

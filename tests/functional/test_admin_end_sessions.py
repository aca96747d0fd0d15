"""An admin logs an account out everywhere (a stolen cookie, a shared computer) without
suspending it: every live session of the account ends, with a reason in the public log."""

import pytest

from tests.functional.helpers import is_logged_in, tags
from tests.functional.moderating import add_user, log_rows, login

REASON = "Logged in on a library computer and forgot to log out."


def end_sessions(client, username="ada", reason=REASON):
    return client.post(f"/moderation/users/{username}/end-sessions", data={"reason": reason})


@pytest.fixture
def people(app):
    add_user(app, "ada")
    add_user(app, "root", role="admin")
    add_user(app, "mod", role="moderator")


def test_every_session_of_the_account_becomes_anonymous(app, people):
    laptop, phone = login(app, "ada"), login(app, "ada")
    admin = login(app, "root")

    response = end_sessions(admin)

    assert response.status_code == 303
    assert response.location.endswith("/users/ada")
    assert not is_logged_in(laptop)
    assert not is_logged_in(phone)
    assert is_logged_in(admin)


def test_a_remembered_browser_is_logged_out_too(app, client, auth, make_user, people):
    make_user("bob")
    auth.login("bob", remember=True)
    name = app.config["REMEMBER_COOKIE_NAME"]
    remembered = client.get_cookie(name).value

    end_sessions(login(app, "root"), "bob")

    restarted = app.test_client()
    restarted.set_cookie(name, remembered)
    assert not is_logged_in(restarted)
    assert not is_logged_in(client)


def test_the_account_can_log_in_again_afterwards(app, client, auth, make_user, people):
    make_user("bob")
    end_sessions(login(app, "root"), "bob")

    assert auth.login("bob").status_code == 302
    assert is_logged_in(client)


def test_the_public_log_records_who_ended_them_and_why(app, people):
    end_sessions(login(app, "root"))

    [row] = log_rows(app)
    assert (row["action"], row["moderator"], row["target_type"], row["target_label"]) == (
        "end-sessions", "root", "user", "ada"
    )
    assert row["reason"] == REASON
    page = app.test_client().get("/moderation/log?action=end-sessions").get_data(as_text=True)
    assert REASON in page


def test_without_a_reason_nothing_ends(app, people):
    ada = login(app, "ada")

    response = end_sessions(login(app, "root"), reason="  ")

    assert response.status_code == 400
    assert is_logged_in(ada)
    assert log_rows(app) == []


@pytest.mark.parametrize("who", ["mod", "ada"])
def test_only_an_admin_may_do_it(app, people, who):
    add_user(app, "bob")
    bob = login(app, "bob")

    response = end_sessions(login(app, who), "bob")

    assert response.status_code == 403
    assert is_logged_in(bob)


def test_an_admin_ends_their_own_other_sessions_from_the_account_page_instead(app, people):
    elsewhere = login(app, "root")

    response = end_sessions(login(app, "root"), "root")

    assert response.status_code == 403
    assert is_logged_in(elsewhere)


def test_an_unknown_account_is_a_404(app, people):
    assert end_sessions(login(app, "root"), "nobody").status_code == 404


def button_forms(page):
    return [attrs.get("action") for tag, attrs in tags(page)
            if tag == "form" and (attrs.get("action") or "").endswith("/end-sessions")]


def test_the_profile_page_offers_the_button_to_admins_only(app, people):
    def profile(viewer, username="ada"):
        client = login(app, viewer) if viewer else app.test_client()
        return client.get(f"/users/{username}").get_data(as_text=True)

    assert button_forms(profile("root")) == ["/moderation/users/ada/end-sessions"]
    assert button_forms(profile("mod")) == []
    assert button_forms(profile("ada")) == []
    assert button_forms(profile(None)) == []
    assert button_forms(profile("root", "root")) == []

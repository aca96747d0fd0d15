"""Server-side sessions: what ends a log-in, and the list of places an account is logged in."""

import re

from sqlalchemy import select

from lbs.domain import moderation
from lbs.extensions import db
from lbs.models import User
from tests.conftest import PASSWORD
from tests.functional.helpers import is_logged_in, section


def browser(app, user_agent="Werkzeug test browser"):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    return client


def log_in(client, login="ada", password=PASSWORD):
    response = client.post("/login", data={"login": login, "password": password})
    assert response.status_code == 302
    return response


def session_cookie(app, client):
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


def replay(app, cookie_name, value):
    """A second browser holding a copy of someone's cookie."""
    thief = app.test_client()
    thief.set_cookie(cookie_name, value)
    return thief


def test_a_copied_session_cookie_is_worthless_after_log_out(app, client, auth, make_user):
    make_user("ada")
    log_in(client)
    copied = session_cookie(app, client)
    assert is_logged_in(replay(app, app.config["SESSION_COOKIE_NAME"], copied))

    auth.logout()

    assert not is_logged_in(client)
    assert not is_logged_in(replay(app, app.config["SESSION_COOKIE_NAME"], copied))


def test_a_copied_remember_cookie_is_worthless_after_log_out(app, client, auth, make_user):
    make_user("ada")
    auth.login("ada", remember=True)
    name = app.config["REMEMBER_COOKIE_NAME"]
    copied = client.get_cookie(name).value
    assert is_logged_in(replay(app, name, copied))

    auth.logout()

    assert not is_logged_in(replay(app, name, copied))


def test_logging_out_takes_a_post(client, auth, make_user):
    make_user("ada")
    log_in(client)

    response = client.get("/logout")

    assert response.status_code == 405
    assert is_logged_in(client)


def test_each_log_in_gets_a_fresh_session_token(app, client, auth, make_user):
    make_user("ada")
    log_in(client)
    with client.session_transaction() as session:
        first = session["_user_id"]
    first_cookie = session_cookie(app, client)
    auth.logout()

    log_in(client)
    with client.session_transaction() as session:
        second = session["_user_id"]

    assert second != first
    assert is_logged_in(client)
    assert not is_logged_in(replay(app, app.config["SESSION_COOKIE_NAME"], first_cookie))


def test_nothing_put_in_the_session_before_log_in_survives_it(client, make_user):
    make_user("ada")
    # A session planted before log-in (fixation) must not carry over into the logged-in one.
    with client.session_transaction() as session:
        session["planted"] = "by someone else"

    log_in(client)

    with client.session_transaction() as session:
        assert "planted" not in session


def test_a_password_change_ends_the_other_sessions_but_keeps_this_one(app, make_user):
    make_user("ada")
    here, elsewhere = browser(app), browser(app)
    log_in(here)
    log_in(elsewhere)

    response = here.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "a new long passphrase",
              "confirm": "a new long passphrase"},
    )

    assert response.status_code == 302
    assert is_logged_in(here)
    assert not is_logged_in(elsewhere)


def test_suspension_from_the_command_line_logs_the_account_out_at_once(app, client, runner,
                                                                       make_user):
    make_user("ada")
    log_in(client)
    assert is_logged_in(client)

    result = runner.invoke(args=["lbs", "suspend", "ada", "--reason", "Spam."])

    assert result.exit_code == 0, result.output
    assert not is_logged_in(client)


def test_suspension_by_a_moderator_logs_the_account_out_at_once(app, client, make_user):
    make_user("ada")
    make_user("mod", role="moderator")
    log_in(client)
    assert is_logged_in(client)

    with app.app_context():
        moderator = db.session.scalar(select(User).where(User.username_key == "mod"))
        ada = db.session.scalar(select(User).where(User.username_key == "ada"))
        moderation.suspend(moderator, ada, "Spam.")
        db.session.commit()

    assert not is_logged_in(client)


def test_a_suspended_account_with_a_remember_cookie_stays_logged_out(app, client, auth, runner,
                                                                     make_user):
    make_user("ada")
    auth.login("ada", remember=True)
    name = app.config["REMEMBER_COOKIE_NAME"]
    remembered = client.get_cookie(name).value

    runner.invoke(args=["lbs", "suspend", "ada", "--reason", "Spam."])

    assert not is_logged_in(replay(app, name, remembered))


def sessions_listed(page):
    return section(page, "sessions-heading")


def end_buttons(page):
    return re.findall(r'action="(/account/sessions/\d+/end)"', sessions_listed(page))


def test_the_account_page_lists_every_browser_logged_in(app, make_user):
    make_user("ada")
    laptop, phone = browser(app, "Laptop browser 1.0"), browser(app, "Phone browser 2.0")
    log_in(laptop)
    log_in(phone)

    page = laptop.get("/account").get_data(as_text=True)

    listed = sessions_listed(page)
    assert "Laptop browser 1.0" in listed
    assert "Phone browser 2.0" in listed
    assert "(this one)" in listed
    # Only the other browser can be ended from here; this one logs out the usual way.
    assert len(end_buttons(page)) == 1


def test_ending_one_session_logs_that_browser_out(app, make_user):
    make_user("ada")
    laptop, phone = browser(app, "Laptop browser 1.0"), browser(app, "Phone browser 2.0")
    log_in(laptop)
    log_in(phone)
    [end_phone] = end_buttons(laptop.get("/account").get_data(as_text=True))

    response = laptop.post(end_phone)

    assert response.status_code == 302
    assert not is_logged_in(phone)
    assert is_logged_in(laptop)
    assert "Phone browser 2.0" not in sessions_listed(laptop.get("/account").get_data(as_text=True))


def test_a_session_of_another_account_cannot_be_ended(app, make_user):
    make_user("ada")
    make_user("bob")
    ada, bob = browser(app), browser(app)
    log_in(ada)
    log_in(bob, "bob")
    log_in(browser(app), "bob")
    [bobs_other] = end_buttons(bob.get("/account").get_data(as_text=True))

    ada.post(bobs_other)

    assert is_logged_in(bob)
    assert end_buttons(bob.get("/account").get_data(as_text=True)) == [bobs_other]


def test_logging_out_everywhere_else_ends_all_other_sessions(app, make_user):
    make_user("ada")
    here, phone, tablet = browser(app), browser(app), browser(app)
    for client in (here, phone, tablet):
        log_in(client)

    response = here.post("/account/sessions/end-others")

    assert response.status_code == 302
    assert is_logged_in(here)
    assert not is_logged_in(phone)
    assert not is_logged_in(tablet)
    assert end_buttons(here.get("/account").get_data(as_text=True)) == []


def test_logging_out_ends_the_session_on_the_account_page(app, client, auth, make_user):
    make_user("ada")
    other = browser(app)
    log_in(client)
    log_in(other)

    auth.logout()

    assert end_buttons(other.get("/account").get_data(as_text=True)) == []

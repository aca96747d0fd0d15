"""`flask lbs ...`: the administrator's commands."""

import pytest
from sqlalchemy import func, select

from lbs.domain.accounts import SYSTEM_USERNAME
from lbs.extensions import db
from lbs.models import Entry, ModerationAction, Revision, User
from tests.conftest import PASSWORD
from tests.functional.helpers import count_users, stored_user


def lbs(runner, *args, stdin=None):
    return runner.invoke(args=["lbs", *args], input=stdin)


def create_user(runner, name="grace", email="grace@example.org", role="moderator",
                password=PASSWORD):
    return lbs(runner, "create-user", name, "--email", email, "--role", role, "--password-stdin",
               stdin=password + "\n")


def test_create_user_makes_an_account_with_the_role(app, runner):
    result = create_user(runner)

    assert result.exit_code == 0, result.output
    user = stored_user(app, "grace")
    assert user["role"] == "moderator"
    assert user["email"] == "grace@example.org"
    assert user["password_hash"].startswith("$argon2id$")


def test_the_created_account_logs_in_with_the_password_from_stdin(auth, runner):
    create_user(runner, password="a passphrase with spaces ")

    assert auth.login("grace", "a passphrase with spaces ").status_code == 302


def test_create_user_refuses_an_unknown_role(app, runner):
    result = create_user(runner, role="overlord")

    assert result.exit_code != 0
    assert "overlord" in result.output
    assert "moderator" in result.output
    assert count_users(app) == 0


def test_create_user_refuses_a_taken_username(app, runner, make_user):
    make_user("Grace")

    result = create_user(runner, name="grace", email="other@example.org")

    assert result.exit_code != 0
    assert "taken" in result.output
    assert count_users(app) == 1


def test_create_user_refuses_a_taken_email(app, runner, make_user):
    make_user("someone", email="grace@example.org")

    result = create_user(runner)

    assert result.exit_code != 0
    assert "exists already" in result.output
    assert count_users(app) == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [("qwertyuiop", "common"), ("short", "at least 10"), ("", "at least 10")],
)
def test_create_user_refuses_a_weak_password(app, runner, password, message):
    result = create_user(runner, password=password)

    assert result.exit_code != 0
    assert message in result.output
    assert count_users(app) == 0


def test_create_user_refuses_a_malformed_email(app, runner):
    result = create_user(runner, email="not-an-email")

    assert result.exit_code != 0
    assert "not valid" in result.output
    assert count_users(app) == 0


def test_set_role_changes_the_role(app, runner, make_user):
    make_user("grace")

    result = lbs(runner, "set-role", "grace", "admin")

    assert result.exit_code == 0, result.output
    assert stored_user(app, "grace")["role"] == "admin"


def test_set_role_is_logged_publicly(app, runner, make_user):
    make_user("grace")

    lbs(runner, "set-role", "grace", "moderator")

    with app.app_context():
        action = db.session.scalar(select(ModerationAction))
        assert (action.action, action.target_label) == ("set-role", "grace")


def test_set_role_refuses_an_unknown_role(app, runner, make_user):
    make_user("grace")

    result = lbs(runner, "set-role", "grace", "overlord")

    assert result.exit_code != 0
    assert "overlord" in result.output
    assert stored_user(app, "grace")["role"] == "peer"


def test_set_role_refuses_an_unknown_user(app, runner):
    result = lbs(runner, "set-role", "nobody", "admin")

    assert result.exit_code != 0
    assert "nobody" in result.output


def test_suspend_suspends_with_the_reason_and_logs_it(app, runner, make_user):
    make_user("grace")

    result = lbs(runner, "suspend", "grace", "--reason", "Posted the same link 40 times.")

    assert result.exit_code == 0, result.output
    user = stored_user(app, "grace")
    assert user["status"] == "suspended"
    assert user["suspended_reason"] == "Posted the same link 40 times."
    with app.app_context():
        [action] = db.session.scalars(select(ModerationAction)).all()
        assert action.action == "suspend"
        assert action.target_type == "user"
        assert action.target_id == user["id"]
        assert action.reason == "Posted the same link 40 times."
        assert action.moderator.username == SYSTEM_USERNAME


def test_the_suspended_account_is_told_the_reason_at_log_in(auth, runner, make_user):
    make_user("grace")
    lbs(runner, "suspend", "grace", "--reason", "Posted the same link 40 times.")

    response = auth.login("grace")

    assert "Posted the same link 40 times." in response.get_data(as_text=True)


def test_suspend_refuses_an_unknown_user(app, runner):
    result = lbs(runner, "suspend", "nobody", "--reason", "Spam.")

    assert result.exit_code != 0
    assert "nobody" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ModerationAction)) == 0


def test_suspend_needs_a_reason(app, runner, make_user):
    make_user("grace")

    result = lbs(runner, "suspend", "grace", "--reason", "   ")

    assert result.exit_code != 0
    assert "reason" in result.output.lower()
    assert stored_user(app, "grace")["status"] == "active"


def test_suspending_twice_is_refused(app, runner, make_user):
    make_user("grace")
    lbs(runner, "suspend", "grace", "--reason", "Spam.")

    result = lbs(runner, "suspend", "grace", "--reason", "Spam again.")

    assert result.exit_code != 0
    assert "already" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ModerationAction)) == 1


def test_reinstate_lets_the_account_log_in_again(app, auth, runner, make_user):
    make_user("grace")
    lbs(runner, "suspend", "grace", "--reason", "Spam.")

    result = lbs(runner, "reinstate", "grace", "--reason", "Appeal accepted.")

    assert result.exit_code == 0, result.output
    assert auth.login("grace").status_code == 302


def starter_state(app):
    with app.app_context():
        entries = db.session.scalars(select(Entry).order_by(Entry.id)).all()
        return {
            entry.slug: (
                entry.status,
                [(r.number, r.author.username, r.merged_by.username) for r in db.session.scalars(
                    select(Revision).where(Revision.entry_id == entry.id))],
            )
            for entry in entries
        }


def test_load_starter_fills_the_commons_with_live_entries_by_the_system_account(app, runner):
    result = lbs(runner, "load-starter")

    assert result.exit_code == 0, result.output
    state = starter_state(app)
    assert state
    for status, revisions in state.values():
        assert status == "live"
        assert revisions == [(1, SYSTEM_USERNAME, SYSTEM_USERNAME)]


def test_load_starter_twice_adds_nothing_the_second_time(app, runner):
    lbs(runner, "load-starter")
    first = starter_state(app)
    with app.app_context():
        users = db.session.scalar(select(func.count()).select_from(User))

    result = lbs(runner, "load-starter")

    assert result.exit_code == 0, result.output
    assert starter_state(app) == first
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Revision)) == len(first)
        assert db.session.scalar(select(func.count()).select_from(User)) == users


def test_the_system_account_cannot_be_logged_into(auth, runner):
    lbs(runner, "load-starter")

    for password in ("!", PASSWORD):
        assert auth.login(SYSTEM_USERNAME, password).status_code == 400

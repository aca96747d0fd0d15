"""A failed log-in tells nothing about whether the account exists (check 17): the same status,
headers and page, and no time difference worth measuring, for a wrong password on an existing
account and for an account that does not exist.

tests/functional/test_login.py compares the two pages once; this adds the headers and the
time, by username and by email."""

import re
import statistics
import time

import pytest

from tests.conftest import PASSWORD
from tests.functional.security_rules import set_cookies

RUNS = 30
# Far below what a network measurement can tell apart, far above a hash's own jitter.
MAX_MEDIAN_DIFFERENCE = 0.025

# Each pair is as long as the other, so only existence differs, not the length of the echo.
LOGINS = {"username": ("ada", "bob"), "email": ("ada@example.org", "bob@example.org")}


def attempt(app, login):
    """A failed log-in from a browser with no history, and how long the server took."""
    client = app.test_client()
    started = time.perf_counter()
    response = client.post("/login", data={"login": login, "password": PASSWORD + " wrong"})
    return response, time.perf_counter() - started


def comparable(response, login):
    """The response with what must differ masked: the CSRF token, the cookie's signed value,
    and the login echoed back in the form."""
    page = re.sub(r'name="csrf_token"[^>]*>', "", response.get_data(as_text=True))
    page = page.replace(f'"{login}"', '"LOGIN"')
    headers = sorted((name, value) for name, value in response.headers.items()
                     if name.lower() != "set-cookie")
    return response.status_code, headers, set_cookies(response), page


@pytest.mark.parametrize("kind", LOGINS)
def test_an_unknown_account_answers_exactly_like_a_wrong_password(app, make_user, kind):
    make_user("ada", email="ada@example.org")
    existing, unknown = LOGINS[kind]

    wrong_password, _ = attempt(app, existing)
    no_account, _ = attempt(app, unknown)

    assert wrong_password.status_code == 400
    assert comparable(wrong_password, existing) == comparable(no_account, unknown)


@pytest.mark.parametrize("kind", LOGINS)
def test_an_unknown_account_takes_as_long_as_a_wrong_password(app, make_user, kind):
    make_user("ada", email="ada@example.org")
    existing, unknown = LOGINS[kind]
    attempt(app, existing)  # the first request warms caches either way would use
    differences = []

    # Interleaved in pairs, each side first in turn, so a slow moment of the machine costs
    # both sides of a pair alike and drops out of their difference.
    for run in range(RUNS):
        order = (existing, unknown) if run % 2 == 0 else (unknown, existing)
        took = {login: attempt(app, login)[1] for login in order}
        differences.append(took[existing] - took[unknown])

    median = statistics.median(differences)
    assert abs(median) < MAX_MEDIAN_DIFFERENCE, (
        f"a wrong password takes a median {median * 1000:+.1f} ms longer than no account"
    )

"""Where `next` may send someone after logging in: only to a page of this site."""

from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import PASSWORD
from tests.functional.helpers import input_value

SITE = "http://localhost/"

HOSTILE = [
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "\t//evil.example",
    "////evil.example",
]


def assert_same_origin(location):
    # Browsers drop tabs and newlines and read a backslash as a slash before resolving, so
    # Location must be a plain path that resolves to this site whichever way it is read.
    assert location, "no Location header"
    assert not any(ord(c) < 0x21 or c == "\\" for c in location), repr(location)
    for reading in (location, location.replace("\\", "/")):
        resolved = urlsplit(urljoin(SITE, reading))
        assert (resolved.scheme, resolved.netloc) == ("http", "localhost"), repr(location)


def login_through_the_form(client, next_value):
    """GET /login?next=..., then send the form back with its hidden field as the page set it."""
    page = client.get("/login", query_string={"next": next_value}).get_data(as_text=True)
    carried = input_value(page, "next")
    return client.post("/login", data={"login": "ada", "password": PASSWORD, "next": carried})


@pytest.mark.parametrize("target", HOSTILE)
def test_next_in_the_login_link_never_leaves_the_site(client, make_user, target):
    make_user("ada")

    response = login_through_the_form(client, target)

    assert response.status_code == 302
    assert_same_origin(response.location)


@pytest.mark.parametrize("target", HOSTILE)
def test_next_posted_directly_never_leaves_the_site(auth, make_user, target):
    make_user("ada")

    response = auth.login("ada", next=target)

    assert response.status_code == 302
    assert_same_origin(response.location)


def test_next_sent_raw_in_the_query_string_never_leaves_the_site(client, make_user):
    make_user("ada")

    # As an attacker's link would carry it: percent-escapes decoded by the server.
    client.get("/login?next=%2F%2Fevil.example")
    response = client.post(
        "/login?next=%2F%2Fevil.example", data={"login": "ada", "password": PASSWORD}
    )

    assert_same_origin(response.location)


def test_a_page_of_this_site_in_the_login_link_is_where_log_in_leads(client, make_user):
    make_user("ada")

    response = login_through_the_form(client, "/hubs/x?page=2")

    assert response.location == "/hubs/x?page=2"


def test_a_page_of_this_site_posted_as_next_is_where_log_in_leads(auth, make_user):
    make_user("ada")

    assert auth.login("ada", next="/hubs/x?page=2").location == "/hubs/x?page=2"


def test_a_page_that_needs_log_in_sends_back_to_it_after_log_in(client, make_user):
    make_user("ada")

    to_login = client.get("/account")
    page = client.get(to_login.location).get_data(as_text=True)
    response = client.post(
        "/login", data={"login": "ada", "password": PASSWORD, "next": input_value(page, "next")}
    )

    assert response.location == "/account"


def test_a_failed_log_in_keeps_next_for_the_retry(client, make_user):
    make_user("ada")

    page = client.post(
        "/login", data={"login": "ada", "password": "wrong password", "next": "/hubs/x?page=2"}
    ).get_data(as_text=True)

    assert input_value(page, "next") == "/hubs/x?page=2"

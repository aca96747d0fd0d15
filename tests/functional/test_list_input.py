"""Whatever is typed into a list's address, the answer is a clean page: the nearest sensible
list (200), or a 400 that says what to do instead; never a server error."""

import pytest

from tests.functional.commons_scene import add_entries, add_voters, hub, listed_slugs, reading, vote
from tests.functional.contributing import add_user, text_of


@pytest.fixture
def commons(app):
    """Two hubs (Beta voted up, so first on top) and a reading, all tagged maps."""
    add_user(app, "owner")
    alpha, beta = add_entries(app, "owner", [hub("Alpha", tags=["maps"]), hub("Beta", tags=["maps"])])
    (paper,) = add_entries(app, "owner", [reading("Paper", tags=["maps"], year=2001)])
    vote(app, add_voters(app, 2), beta)
    return {"alpha": alpha, "beta": beta, "paper": paper}


def clean_page(client, path):
    response = client.get(path, follow_redirects=True)
    assert response.status_code in (200, 400), (path, response.status_code)
    page = response.get_data(as_text=True)
    assert "Traceback" not in page
    assert '<nav aria-label="Main">' in page
    return response.status_code, page


GARBAGE = ["", "%00", "zzz", "-1", "1e9", "%27%22%3E%3Cscript%3E", "top%3Bdrop", "x" * 500,
           "%F0%9F%98%80", "1%200", "0x10"]


@pytest.mark.parametrize("name", ["sort", "page", "tag", "focus", "type", "year_from",
                                  "year_to", "status", "kind"])
def test_garbage_in_any_parameter_never_breaks_a_list(client, commons, name):
    for path in ("/hubs", "/readings", "/proposals", "/tags/maps"):
        for value in GARBAGE:
            clean_page(client, f"{path}?{name}={value}")


@pytest.mark.parametrize("tag", ["%00", "a%00b", "x" * 300, "%20", "UPPER", "%C3%A9t%C3%A9",
                                 "a%2Fb", "..", "%25"])
def test_any_tag_page_address_gets_a_clean_page(client, commons, tag):
    response = client.get(f"/tags/{tag}")

    # a%2Fb arrives as a/b, another address: a plain 404 is the clean answer there.
    assert response.status_code in (200, 404), response.status_code
    assert '<nav aria-label="Main">' in response.get_data(as_text=True)


def test_a_second_tag_in_a_tag_page_query_is_dropped(client, commons):
    response = client.get("/tags/maps?tag=other&sort=new")

    assert response.status_code == 302
    assert response.location == "/tags/maps?sort=new"


def test_an_unknown_sort_ranks_by_top(client, commons):
    _, page = clean_page(client, "/hubs?sort=best")

    assert listed_slugs(page) == [commons["beta"], commons["alpha"]]


@pytest.mark.parametrize("page_number", ["-5", "0", "abc", "", "1.5"])
def test_a_page_number_that_is_not_one_shows_the_first_page(client, commons, page_number):
    status, page = clean_page(client, f"/hubs?page={page_number}")

    assert status == 200
    assert listed_slugs(page) == [commons["beta"], commons["alpha"]]


@pytest.mark.parametrize("page_number", ["1001", "99999999999999999999999"])
def test_a_page_number_past_the_last_allowed_is_refused_with_advice(client, commons, page_number):
    status, page = clean_page(client, f"/hubs?page={page_number}")

    assert status == 400
    assert "Narrow the list with a tag or a filter" in text_of(page)


def test_a_page_past_the_end_is_empty_and_leads_back(client, commons):
    status, page = clean_page(client, "/hubs?page=7")

    assert status == 200
    assert listed_slugs(page) == []
    assert "Nothing matches." in page
    assert 'rel="prev" href="/hubs?page=6"' in page


@pytest.mark.parametrize("path", ["/hubs?tag=no-such-tag", "/tags/no-such-tag",
                                  "/hubs?tag=" + "x" * 60, "/tags/" + "x" * 60,
                                  "/hubs?tag=%00", "/tags/%00"])
def test_an_unknown_tag_lists_nothing_rather_than_everything(client, commons, path):
    status, page = clean_page(client, path)

    assert status == 200
    assert listed_slugs(page) == []
    assert "Nothing matches." in page


def test_an_empty_tag_is_no_filter(client, commons):
    _, page = clean_page(client, "/hubs?tag=%20")

    assert listed_slugs(page) == [commons["beta"], commons["alpha"]]


@pytest.mark.parametrize("query", ["focus=everything", "focus=", "focus=PRODUCTION"])
def test_an_unknown_focus_is_ignored(client, commons, query):
    _, page = clean_page(client, f"/hubs?{query}")

    assert listed_slugs(page) == [commons["beta"], commons["alpha"]]


@pytest.mark.parametrize("query", ["type=poem", "year_from=abc", "year_to=soon",
                                   "year_from=99999999999999999999", "year_to=-3"])
def test_unusable_reading_filters_are_ignored(client, commons, query):
    _, page = clean_page(client, f"/readings?{query}")

    assert listed_slugs(page) == [commons["paper"]]


def test_a_year_span_backwards_matches_nothing(client, commons):
    _, page = clean_page(client, "/readings?year_from=2010&year_to=1990")

    assert listed_slugs(page) == []


def test_an_unknown_proposal_status_shows_the_open_ones(client, commons):
    status, page = clean_page(client, "/proposals?status=lost")

    assert status == 200
    assert '<option value="open" selected>' in page


@pytest.mark.parametrize("slug", ["no-such-entry", "%00", "a%00b", "x" * 300])
def test_an_unknown_entry_is_a_404_page(client, commons, slug):
    response = client.get(f"/entries/{slug}")

    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)

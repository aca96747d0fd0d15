"""One link, however it is typed, is recognised as the same link; anything but a web page is refused."""

import pytest

from lbs.domain.errors import Invalid
from lbs.domain.links import MAX_URL, normalize_doi, normalize_isbn, normalize_url, url_domain


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("HTTPS://Example.ORG/wiki", "https://example.org/wiki"),
        ("https://example.org:443/wiki", "https://example.org/wiki"),
        ("http://example.org:80/wiki", "http://example.org/wiki"),
        ("https://example.org/wiki#history", "https://example.org/wiki"),
        ("https://example.org/wiki/", "https://example.org/wiki"),
        ("https://example.org/", "https://example.org"),
        ("https://example.org/wiki?utm_source=news&utm_medium=mail", "https://example.org/wiki"),
        ("https://example.org/wiki?UTM_Campaign=x", "https://example.org/wiki"),
        ("https://example.org/wiki?fbclid=abc&gclid=def", "https://example.org/wiki"),
        ("https://example.org/wiki?page=2&utm_source=x", "https://example.org/wiki?page=2"),
        ("  https://example.org/wiki  ", "https://example.org/wiki"),
        ("https://example.org./wiki", "https://example.org/wiki"),
    ],
)
def test_the_same_page_typed_differently_is_stored_as_one_address(typed, stored):
    assert normalize_url(typed) == stored


def test_a_non_default_port_is_kept():
    assert normalize_url("http://example.org:8080/x/") == "http://example.org:8080/x"


def test_the_path_keeps_its_case_because_servers_tell_paths_apart_by_case():
    assert normalize_url("https://EXAMPLE.org/Wiki/Main_Page") == "https://example.org/Wiki/Main_Page"


def test_query_parameters_that_pick_the_page_are_kept_in_order():
    assert normalize_url("https://example.org/a?b=2&a=1") == "https://example.org/a?b=2&a=1"


@pytest.mark.parametrize(
    "typed",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://example.org/file",
        "mailto:someone@example.org",
        "//example.org/wiki",
        "example.org/wiki",
        "https://",
        "https:///wiki",
        "http://nohost/wiki",
        "https://exa mple.org",
        "https://example.org\\@evil.example",
        "java\tscript:alert(1)",
        "https://user:secret@example.org/",
        "https://example.org:99999/",
        "",
        "   ",
    ],
)
def test_anything_but_an_http_or_https_address_is_refused(typed):
    with pytest.raises(Invalid) as refused:
        normalize_url(typed)

    assert refused.value.field == "url"
    assert refused.value.message


def test_an_address_longer_than_the_limit_is_refused():
    with pytest.raises(Invalid):
        normalize_url("https://example.org/" + "a" * MAX_URL)


def test_an_address_just_under_the_limit_is_accepted():
    url = "https://example.org/" + "a" * (MAX_URL - len("https://example.org/"))

    assert normalize_url(url) == url


def test_lists_show_the_domain_without_www():
    assert url_domain("https://www.openstreetmap.org/about") == "openstreetmap.org"


@pytest.mark.parametrize(
    "typed",
    ["10.1000/XYZ123", "https://doi.org/10.1000/xyz123", "http://dx.doi.org/10.1000/xyz123",
     "doi:10.1000/xyz123", " DOI: 10.1000/xyz123 "],
)
def test_a_doi_is_stored_bare_and_lower_case_however_it_is_typed(typed):
    assert normalize_doi(typed) == "10.1000/xyz123"


@pytest.mark.parametrize("typed", ["10.1/x", "11.1000/xyz", "not a doi", "https://example.org/10.1000/x"])
def test_something_that_is_not_a_doi_is_refused(typed):
    with pytest.raises(Invalid) as refused:
        normalize_doi(typed)

    assert refused.value.field == "doi"


def test_an_empty_doi_means_none():
    assert normalize_doi("") is None


@pytest.mark.parametrize(
    "typed", ["0-306-40615-2", "0306406152", "ISBN 0-306-40615-2", "978-0-306-40615-7",
              "9780306406157", "978 0 306 40615 7"],
)
def test_an_isbn_10_and_its_isbn_13_are_the_same_book(typed):
    assert normalize_isbn(typed) == "9780306406157"


def test_an_isbn_10_ending_in_x_is_understood():
    assert normalize_isbn("0-8044-2957-X") == "9780804429573"


@pytest.mark.parametrize("typed", ["0-306-40615-3", "978-0-306-40615-8", "12345", "979030640615"])
def test_an_isbn_with_a_wrong_check_digit_or_length_is_refused(typed):
    with pytest.raises(Invalid) as refused:
        normalize_isbn(typed)

    assert refused.value.field == "isbn"

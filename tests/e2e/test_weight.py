"""Pages stay light for people who pay for every megabyte on a slow connection.

Weights are measured in the browser, as a first-time visitor downloads them: the page's HTML
plus every stylesheet and script it loads, decoded (before compression), so that a heavier
template or stylesheet shows up here even when gzip hides it on the wire.
"""

import hashlib
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e.sample_commons import PAGE_ROWS, PAGES, show

BUDGET = 60 * 1024
YEAR = 365 * 24 * 60 * 60
WEIGHED_TYPES = {"document", "stylesheet", "script"}


def _visit(open_page, sample_site, name):
    """Open the page; returns it with every request and response it caused."""
    page = open_page(PAGES[name])
    requests, responses = [], []
    page.on("request", lambda request: requests.append(request))
    page.on("response", lambda response: responses.append(response))
    show(page, sample_site, name)
    return page, requests, responses


def page_weight(responses):
    """Bytes of the last document and of each distinct stylesheet and script it used."""
    documents = [r for r in responses if r.request.resource_type == "document"]
    assets = {r.url: r for r in responses if r.request.resource_type in WEIGHED_TYPES - {"document"}}
    return len(documents[-1].body()) + sum(len(r.body()) for r in assets.values())


@pytest.mark.parametrize("name", list(PAGES))
def test_a_page_weighs_at_most_60_kb(open_page, sample_site, name):
    _, _, responses = _visit(open_page, sample_site, name)

    weight = page_weight(responses)

    print(f"{name}: {weight / 1024:.1f} KB")
    assert weight <= BUDGET, f"{name} weighs {weight / 1024:.1f} KB, over {BUDGET // 1024} KB"


FULL_LISTS = {
    "hubs": "ol.entries > li", "readings": "ol.entries > li", "search": "ol.entries > li",
    "moderation-queue": "#q-proposals ~ table tbody tr", "moderation-log": "table.log tbody tr",
}


@pytest.mark.parametrize("name", list(FULL_LISTS))
def test_the_lists_weighed_are_full(open_page, sample_site, name):
    """The weight budget means something only if the lists hold a full page of rows."""
    page = open_page(PAGES[name])
    show(page, sample_site, name)

    assert page.locator(FULL_LISTS[name]).count() >= PAGE_ROWS


@pytest.mark.parametrize("name", list(PAGES))
def test_a_page_loads_nothing_from_other_sites(open_page, sample_site, name):
    _, requests, _ = _visit(open_page, sample_site, name)

    elsewhere = [r.url for r in requests if not r.url.startswith(sample_site.url + "/")]

    assert requests
    assert not elsewhere, f"{name} asks other sites for {elsewhere}"


@pytest.mark.parametrize("name", list(PAGES))
def test_a_page_is_sent_compressed(open_page, sample_site, name):
    _, _, responses = _visit(open_page, sample_site, name)
    document = [r for r in responses if r.request.resource_type == "document"][-1]

    assert "gzip" in document.request.all_headers().get("accept-encoding", "")
    assert document.all_headers().get("content-encoding") == "gzip"


def test_the_stylesheet_is_cached_for_a_year_under_a_versioned_address(open_page, sample_site):
    page, _, responses = _visit(open_page, sample_site, "home")
    href = page.locator("link[rel=stylesheet]").get_attribute("href")
    version = parse_qs(urlsplit(href).query).get("v", [""])[0]
    stylesheet = next(r for r in responses if r.request.resource_type == "stylesheet")

    # The version is the content's hash, so a changed stylesheet gets a new address and
    # nobody keeps a stale copy for the year it may be cached.
    assert re.fullmatch(r"[0-9a-f]{8,}", version), href
    assert hashlib.sha256(stylesheet.body()).hexdigest().startswith(version)
    cache_control = stylesheet.all_headers().get("cache-control", "")
    max_age = re.search(r"max-age=(\d+)", cache_control)
    assert max_age and int(max_age.group(1)) >= YEAR, cache_control
    assert "public" in cache_control

"""Atom feeds: what a feed reader subscribed to the commons receives."""

import calendar
import xml.etree.ElementTree as ET

import feedparser
import pytest

from lbs.domain.text import render_markdown
from tests.functional.contributing import elements
from tests.functional.sharing import (
    add_entry,
    add_proposal,
    add_user,
    age_entry,
    change_entry,
    contribute,
)
from tests.support.query_counter import counting

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def ada(app):
    add_user(app, "ada")
    return "ada"


def fetch(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed, response.data


def atom_entries(xml):
    """The feed checked as Atom: a <feed> with id, title and updated, and entries that each
    have what RFC 4287 requires."""
    root = ET.fromstring(xml)  # noqa: S314 - our own output, made by feedgen
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}").text
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        for name in ("id", "title", "updated", "summary"):
            assert entry.find(f"{ATOM}{name}").text, name
        assert entry.find(f"{ATOM}link").get("href")
        assert entry.findall(f"{ATOM}author") or root.findall(f"{ATOM}author")
    return entries


def slugs(feed):
    return [e.link.rsplit("/", 1)[-1] for e in feed.entries]


def test_the_entries_feed_gives_each_new_entry_with_its_fields(app, client, ada):
    slug = add_entry(app, "ada", "hub", summary="A *free* map, <script>alert(1)</script>.")

    feed, xml = fetch(client, "/feeds/entries.atom")

    atom_entries(xml)
    [item] = feed.entries
    assert item.id == f"http://localhost/entries/{slug}"
    assert item.title == "OpenStreetMap"
    assert item.link == f"http://localhost/entries/{slug}"
    assert item.updated_parsed is not None and item.published_parsed is not None
    assert [a.name for a in item.authors] == ["ada"]
    assert item.authors[0].href == "http://localhost/users/ada"
    assert item.summary_detail.type == "text/html"
    assert "<em>free</em>" in item.summary
    assert "<script" not in item.summary
    assert sorted(t.term for t in item.tags) == ["geodata", "maps"]


def test_the_summary_is_the_sanitized_html_of_the_markdown(app, client, ada):
    summary = "See [the map](https://osm.org) & **more** <img src=x onerror=alert(1)>"
    add_entry(app, "ada", "hub", summary=summary)

    _, xml = fetch(client, "/feeds/entries.atom")

    [entry] = atom_entries(xml)
    node = entry.find(f"{ATOM}summary")
    assert node.get("type") == "html"
    assert node.text == str(render_markdown(summary))
    assert "<img" not in node.text


def test_every_contributor_is_an_author_of_the_item(app, client, ada):
    add_user(app, "bob")
    slug = add_entry(app, "ada", "reading")
    contribute(app, slug, "bob", summary="Now with a better summary.")

    feed, _ = fetch(client, "/feeds/readings.atom")

    assert [a.name for a in feed.entries[0].authors] == ["ada", "bob"]
    assert feed.entries[0].summary == "<p>Now with a better summary.</p>"


def test_the_newest_entries_come_first_and_the_feed_stops_at_thirty(app, client, ada):
    made = []
    for n in range(31):
        made.append(add_entry(app, "ada", "hub", title=f"Hub {n}", url=f"https://h{n}.example.org"))
        age_entry(app, made[-1], days=40 - n)

    feed, _ = fetch(client, "/feeds/entries.atom")

    assert slugs(feed) == list(reversed(made))[:30]
    updated = [calendar.timegm(e.updated_parsed) for e in feed.entries]
    assert updated == sorted(updated, reverse=True)


def test_the_hubs_and_readings_feeds_hold_only_their_kind(app, client, ada):
    hub = add_entry(app, "ada", "hub")
    reading = add_entry(app, "ada", "reading")

    assert slugs(fetch(client, "/feeds/hubs.atom")[0]) == [hub]
    assert slugs(fetch(client, "/feeds/readings.atom")[0]) == [reading]
    assert sorted(slugs(fetch(client, "/feeds/entries.atom")[0])) == sorted([hub, reading])


def test_archived_and_flag_hidden_entries_are_left_out(app, client, ada):
    kept = add_entry(app, "ada", "hub", title="Kept", url="https://kept.example.org")
    archived = add_entry(app, "ada", "hub", title="Archived", url="https://a.example.org")
    hidden = add_entry(app, "ada", "hub", title="Hidden", url="https://h.example.org")
    change_entry(app, archived, status="archived")
    change_entry(app, hidden, flag_hidden=True)

    assert slugs(fetch(client, "/feeds/entries.atom")[0]) == [kept]


def test_a_tag_feed_holds_the_entries_with_that_tag(app, client, ada):
    maps = add_entry(app, "ada", "hub", tags=["maps"])
    add_entry(app, "ada", "reading", tags=["commons"])

    feed, xml = fetch(client, "/feeds/tags/maps.atom")

    atom_entries(xml)
    assert slugs(feed) == [maps]
    assert "maps" in feed.feed.title


def test_a_tag_nobody_used_yet_gives_an_empty_valid_feed(app, client, ada):
    add_entry(app, "ada", "hub", tags=["maps"])

    feed, xml = fetch(client, "/feeds/tags/not-used-yet.atom")

    assert atom_entries(xml) == []
    assert feed.entries == []


def test_a_name_that_cannot_be_a_tag_is_not_found(client):
    assert client.get("/feeds/tags/no_such%20tag!.atom").status_code == 404
    assert client.get(f"/feeds/tags/{'x' * 41}.atom").status_code == 404


def test_the_proposals_feed_holds_open_proposals_only(app, client, ada):
    open_id = add_proposal(app, "ada", "Appropedia")
    add_proposal(app, "ada", "Rejected one", status="rejected")
    add_proposal(app, "ada", "Hidden one", flag_hidden=True)

    feed, xml = fetch(client, "/feeds/proposals.atom")

    atom_entries(xml)
    [item] = feed.entries
    assert item.title == "Appropedia"
    assert item.link == f"http://localhost/proposals/{open_id}"
    assert [a.name for a in item.authors] == ["ada"]
    assert item.summary == "<p>Why <strong>Appropedia</strong> belongs here.</p>"


def test_the_feed_carries_the_licence_and_points_to_itself(app, client, ada):
    feed, _ = fetch(client, "/feeds/hubs.atom")

    assert "CC BY-SA 4.0" in feed.feed.rights
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["self"] == "http://localhost/feeds/hubs.atom"
    assert links["alternate"].startswith("http://localhost/hubs")


@pytest.mark.parametrize("path", ["/feeds/entries.atom", "/feeds/readings.atom",
                                  "/feeds/tags/commons.atom", "/feeds/proposals.atom"])
def test_a_feed_costs_the_same_queries_with_one_item_or_many(app, client, ada, path):
    add_user(app, "bob")

    def add(n):
        slug = add_entry(app, "ada", "reading", title=f"Reading {n}",
                         url=f"https://r{n}.example.org", tags=["commons", f"t{n}"])
        contribute(app, slug, "bob", summary=f"Edited {n}")
        add_proposal(app, "bob" if n % 2 else "ada", f"Proposal {n}")

    add(0)
    client.get(path)
    with counting(app) as few:
        client.get(path)
    for n in range(1, 12):
        add(n)
    with counting(app) as many:
        response = client.get(path)

    assert len(feedparser.parse(response.data).entries) == 12
    assert len(many) == len(few)


@pytest.mark.parametrize("page, feed", [
    ("/", "/feeds/entries.atom"),
    ("/", "/feeds/proposals.atom"),
    ("/hubs", "/feeds/hubs.atom"),
    ("/readings", "/feeds/readings.atom"),
    ("/tags/maps", "/feeds/tags/maps.atom"),
    ("/proposals", "/feeds/proposals.atom"),
])
def test_pages_point_feed_readers_to_their_feed(client, page, feed):
    html = client.get(page).get_data(as_text=True)

    alternates = [attrs["href"] for tag, attrs in elements(html)
                  if tag == "link" and attrs.get("rel") == "alternate"
                  and attrs.get("type") == "application/atom+xml"]
    assert feed in alternates
    fetch(client, feed)

"""An entry's page: its current revision, its address and kind's fields, tags, score and the
reader's vote, who contributed, the discussion, and the ways to its history and to an edit."""

import re

import pytest
from sqlalchemy import select

from lbs.domain import entries
from lbs.extensions import db
from lbs.models import Entry, User
from tests.functional.commons_scene import add_entries, add_voters, hub, reading, set_status, vote
from tests.functional.contributing import (
    add_comment_row,
    add_user,
    browser,
    entry_row,
    links,
    text_of,
)
from tests.functional.helpers import section


@pytest.fixture
def osm(app):
    add_user(app, "owner")
    (slug,) = add_entries(app, "owner", [hub(
        "OpenStreetMap", url="https://www.openstreetmap.org/", summary="The *free* map.",
        tags=["maps", "geodata"], focus="peer-driven production", languages="many",
        region="worldwide", licence="ODbL",
    )])
    return slug


def entry_page(client, slug):
    response = client.get(f"/entries/{slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def facts(page):
    """The fields shown as (label, value) pairs, in order."""
    block = re.search(r'<dl class="facts">(.*?)</dl>', page, re.S).group(1)
    return [(text_of(dt), text_of(dd)) for dt, dd in
            re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", block, re.S)]


def edit(app, slug, editor, **changes):
    """Merge an edit by `editor` straight into the entry, as a moderator's merge would."""
    with app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.slug == slug))
        user = db.session.scalar(select(User).where(User.username == editor))
        entries.add_revision(entry, {**entries.snapshot(entry), **changes}, user, None,
                             reason="Better.")
        db.session.commit()


def test_a_hub_page_shows_its_title_address_fields_and_summary(client, osm):
    page = entry_page(client, osm)

    assert "<h1>OpenStreetMap</h1>" in page
    assert facts(page) == [
        ("Address", "https://www.openstreetmap.org/"),
        ("Focus", "peer-driven production"),
        ("Languages", "many"),
        ("Region", "worldwide"),
        ("Licence", "ODbL"),
        ("Tags", "geodata maps"),
    ]
    assert 'href="https://www.openstreetmap.org/"' in page
    assert "<em>free</em>" in page


def test_a_reading_page_shows_the_reading_fields(app, client):
    add_user(app, "owner")
    (slug,) = add_entries(app, "owner", [reading(
        "The Wealth of Networks", url="https://www.benkler.org/wealth", authors="Yochai Benkler",
        year=2006, venue="Yale University Press", reading_type="book",
        doi="10.1000/182", isbn="9780300110562", tags=["commons"],
    )])

    page = entry_page(client, slug)

    assert facts(page) == [
        ("Address", "https://www.benkler.org/wealth"),
        ("Authors", "Yochai Benkler"),
        ("Year", "2006"),
        ("Publisher or venue", "Yale University Press"),
        ("Type", "book"),
        ("DOI", "10.1000/182"),
        ("ISBN", "9780300110562"),
        ("Tags", "commons"),
    ]
    assert "A reading in the commons" in page


def test_the_page_shows_the_current_revision(app, client, osm):
    add_user(app, "editor")
    edit(app, osm, "editor", title="OpenStreetMap Foundation", summary="The map everyone edits.",
         tags=["maps"], region="Earth")

    page = entry_page(client, osm)

    assert "<h1>OpenStreetMap Foundation</h1>" in page
    assert "The map everyone edits." in page
    assert "The <em>free</em> map." not in page
    assert ("Region", "Earth") in facts(page)
    assert ("Tags", "maps") in facts(page)
    assert "revision 2" in page


def test_tags_link_to_their_tag_pages(client, osm):
    page = entry_page(client, osm)

    assert "/tags/maps" in links(page)
    assert "/tags/geodata" in links(page)


def test_the_score_shows_net_votes_with_the_counts(app, client, osm):
    voters = add_voters(app, 3)
    vote(app, voters, osm)
    vote(app, voters[:1], osm, -1)

    page = entry_page(client, osm)

    head = re.search(r'<header class="entry-head">.*?</header>', page, re.S).group(0)
    assert re.search(r'<span class="score" title="2 up, 1 down">1<', head)
    assert "/vote/entry/" not in head


def test_a_peer_sees_vote_buttons_and_their_own_vote(app, osm):
    add_user(app, "bob")
    vote(app, ["bob"], osm)
    entry_id = entry_row(app, osm)["id"]

    page = entry_page(browser(app, "bob"), osm)

    head = re.search(r'<header class="entry-head">.*?</header>', page, re.S).group(0)
    assert head.count(f'action="/vote/entry/{entry_id}"') == 2
    assert 'class="vote up chosen" aria-pressed="true"' in head


def test_contributors_are_the_proposer_then_each_editor(app, client, osm):
    add_user(app, "editor")
    add_user(app, "second")
    edit(app, osm, "editor", region="Earth")
    edit(app, osm, "second", region="Everywhere")
    edit(app, osm, "editor", region="Earth")

    part = section(entry_page(client, osm), "credits-heading")

    assert re.findall(r'href="/users/(\w+)"', part) == ["owner", "editor", "second"]


def test_the_discussion_is_on_the_page(app, client, osm):
    add_user(app, "bob")
    entry_id = entry_row(app, osm)["id"]
    first = add_comment_row(app, "bob", "entry", entry_id, "Is the **licence** right?")
    add_comment_row(app, "owner", "entry", entry_id, "Yes, ODbL.", parent_id=first)

    page = entry_page(client, osm)

    assert "Discussion (2)" in page
    assert "<strong>licence</strong>" in page
    assert "Yes, ODbL." in page
    assert 'class="comment depth-1"' in page


def test_a_visitor_gets_the_history_and_a_log_in_link_to_propose_an_edit(client, osm):
    page_links = links(entry_page(client, osm))

    assert f"/entries/{osm}/history" in page_links
    assert f"/login?next=/entries/{osm}/edit" in [h.replace("%2F", "/") for h in page_links]


def test_a_peer_gets_a_link_to_propose_an_edit(app, osm):
    add_user(app, "bob")

    page = entry_page(browser(app, "bob"), osm)

    assert f'<a href="/entries/{osm}/edit">Propose an edit</a>' in page


def test_a_merged_away_entry_sends_readers_to_the_one_it_became(app, client, osm):
    (twin,) = add_entries(app, "owner", [hub("OSM")])
    add_user(app, "mod", role="moderator")
    set_status(app, "mod", twin, "merged-away", into=osm)

    response = client.get(f"/entries/{twin}")

    assert response.status_code == 301
    assert response.location.endswith(f"/entries/{osm}")


def test_an_archived_entry_is_gone_for_visitors(app, client, osm):
    add_user(app, "mod", role="moderator")
    set_status(app, "mod", osm, "archived")

    assert client.get(f"/entries/{osm}").status_code == 404
    assert "archived" in entry_page(browser(app, "mod"), osm)

"""Browsing costs the same number of SQL statements whether a page shows 3 rows or 30: lists,
filtered lists, tag pages, search results, the front page and an entry page, for a visitor
and for a signed-in peer who voted on everything shown."""


import pytest
from sqlalchemy import select

from lbs.domain import contributions, discussion, entries, voting
from lbs.extensions import db
from lbs.models import Entry, User
from tests.functional.commons_scene import add_entries, hub, reading
from tests.functional.contributing import add_user, browser
from tests.support.query_counter import statements_for

SMALL, LARGE = 3, 30


class Commons:
    """`grow(n)` brings the commons to n hubs and n readings, each from its own peer, with n
    open proposals, and the featured entry to n comments, n contributors and n votes; the
    viewer votes on everything."""

    def __init__(self, app):
        self.app = app
        self.size = 0
        add_user(app, "owner")
        add_user(app, "viewer", karma=10)
        (self.slug,) = add_entries(app, "owner", [hub(
            "Featured commons garden", tags=["maps", "gardens"], focus="production",
        )])
        self.viewer = browser(app, "viewer")

    def grow(self, n):
        while self.size < n:
            self.size += 1
            self._add_peer(self.size)

    def _add_peer(self, i):
        app, name = self.app, f"peer{i}"
        add_user(app, name, karma=10)
        slugs = add_entries(app, name, [
            hub(f"Commons hub {i}", tags=["maps", f"tag{i}"], focus="production",
                summary="A commons garden."),
            reading(f"Commons reading {i}", tags=["maps"], year=2000 + i % 20,
                    reading_type="article", authors=f"Author {i}", venue="Commons Press"),
        ])
        with app.app_context():
            peer = db.session.scalar(select(User).where(User.username == name))
            viewer = db.session.scalar(select(User).where(User.username == "viewer"))
            featured = db.session.scalar(select(Entry).where(Entry.slug == self.slug))
            comment = discussion.add_comment(peer, featured, f"Comment {i}.")
            discussion.add_comment(peer, featured, f"Reply {i}.", parent_id=comment.id)
            voting.cast_vote(viewer, comment, 1)
            voting.cast_vote(peer, featured, 1 if i % 3 else -1)
            entries.add_revision(featured, {**entries.snapshot(featured), "region": f"Zone {i}"},
                                 peer, None, reason="More precise.")
            for slug in slugs:
                voting.cast_vote(viewer, db.session.scalar(select(Entry).where(Entry.slug == slug)),
                                 1 if i % 2 else -1)
            contributions.propose_entry(peer, "hub", {
                "title": f"Proposed {i}", "url": f"https://proposed{i}.example.org",
                "focus": "production",
            })
            db.session.commit()


@pytest.fixture
def commons(app):
    return Commons(app)


PAGES = {
    "hubs": lambda c: "/hubs",
    "hubs by hot": lambda c: "/hubs?sort=hot",
    "hubs by new with focus and tag": lambda c: "/hubs?sort=new&focus=production&tag=maps",
    "readings": lambda c: "/readings",
    "readings by type and years": lambda c: "/readings?type=article&year_from=2000&year_to=2030",
    "readings with a tag": lambda c: "/readings?tag=maps&sort=hot",
    "tag page": lambda c: "/tags/maps",
    "search": lambda c: "/search?q=commons",
    "search with filters": lambda c: "/search?q=commons&kind=hub&tag=maps",
    "front page": lambda c: "/",
    "open proposals": lambda c: "/proposals",
    "entry page": lambda c: f"/entries/{c.slug}",
}


def rows_shown(client, path):
    page = client.get(path).get_data(as_text=True)
    return page.count('class="entry-row"') + page.count('class="comment ')


def test_pages_run_as_many_statements_with_30_rows_as_with_3(app, commons):
    commons.grow(SMALL)
    small = {name: statements_for(app, commons.viewer, page(commons)) for name, page in PAGES.items()}
    small_rows = {name: rows_shown(commons.viewer, page(commons)) for name, page in PAGES.items()}

    commons.grow(LARGE)
    large = {name: statements_for(app, commons.viewer, page(commons)) for name, page in PAGES.items()}
    large_rows = {name: rows_shown(commons.viewer, page(commons)) for name, page in PAGES.items()}

    # The pages with rows really grew, or the comparison would prove nothing.
    assert all(large_rows[name] >= min(5 * small_rows[name], LARGE) for name in PAGES)
    assert large == small


def test_a_visitor_sees_every_page_at_the_same_cost_too(app, commons, client):
    commons.grow(SMALL)
    small = {name: statements_for(app, client, page(commons)) for name, page in PAGES.items()}

    commons.grow(LARGE)
    large = {name: statements_for(app, client, page(commons)) for name, page in PAGES.items()}

    assert large == small

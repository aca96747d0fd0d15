"""A page's cost must not grow with its rows: the same number of SQL statements whether a
discussion has 2 comments or 25, a list 2 rows or 25."""


import pytest
from sqlalchemy import select

from lbs.domain import contributions, discussion, voting
from lbs.domain.relations import set_related
from lbs.extensions import db
from lbs.models import Entry, Proposal, User
from tests.functional.contributing import add_entry, add_user, browser, entry_row, proposal_id, propose
from tests.support.query_counter import statements_for

SMALL, LARGE = 2, 25


class Scene:
    """One entry, one proposal and one viewer; `grow` adds peers who each bring one of
    everything, so every row has its own author and its own votes."""

    def __init__(self, app):
        self.app = app
        self.peers = 0
        add_user(app, "owner")
        add_user(app, "viewer")
        self.slug = add_entry(app, "owner", "hub", tags=["maps", "geodata"])
        self.entry_id = entry_row(app, self.slug)["id"]
        self.proposal_id = proposal_id(propose(browser(app, "owner"), "hub", url="https://example.org/p"))
        self.viewer = browser(app, "viewer")

    def grow(self, n):
        while self.peers < n:
            self.peers += 1
            self._add_peer(f"peer{self.peers}", self.peers)

    def _add_peer(self, name, i):
        app = self.app
        add_user(app, name, karma=10)
        hub_slug = add_entry(app, name, "hub", title=f"Hub {i}", url=f"https://hub{i}.example.org",
                             tags=[f"tag{i}", "maps"])
        reading_slug = add_entry(app, name, "reading", title=f"Reading {i}",
                                 url=f"https://reading{i}.example.org")
        with app.app_context():
            peer = db.session.scalar(select(User).where(User.username == name))
            viewer = db.session.scalar(select(User).where(User.username == "viewer"))
            owner = db.session.scalar(select(User).where(User.username == "owner"))
            entry = db.session.get(Entry, self.entry_id)
            proposal = db.session.get(Proposal, self.proposal_id)
            hub = db.session.scalar(select(Entry).where(Entry.slug == hub_slug))
            reading = db.session.scalar(select(Entry).where(Entry.slug == reading_slug))
            for target in (entry, proposal):
                first = discussion.add_comment(peer, target, f"Comment {i} by {name}.")
                reply = discussion.add_comment(peer, target, f"Reply {i}.", parent_id=first.id)
                voting.cast_vote(peer, target, 1 if i % 3 else -1)
                voting.cast_vote(viewer, first, 1)
                voting.cast_vote(owner, reply, 1)
            voting.cast_vote(viewer, hub, 1)
            contributions.propose_entry(viewer, "hub", {
                "title": f"Proposed {i}", "url": f"https://proposed{i}.example.org", "focus": "production",
            })
            discussion.add_comment(viewer, reading, f"Remark {i}.")
            contributions.propose_edit(peer, entry, {
                **contributions.current_fields(entry), "title": f"Better title {i}",
            }, "Clearer.", 1)
            set_related(reading, [self.slug])
            db.session.commit()


@pytest.fixture
def scene(app):
    return Scene(app)


PAGES = {
    "entry page": lambda s: f"/entries/{s.slug}",
    "proposal page": lambda s: f"/proposals/{s.proposal_id}",
    "hubs by top": lambda s: "/hubs?sort=top",
    "hubs by new with a tag": lambda s: "/hubs?sort=new&tag=maps",
    "readings": lambda s: "/readings",
    "tag page": lambda s: "/tags/maps",
    "open proposals": lambda s: "/proposals",
    "profile": lambda s: "/users/viewer",
    "front page": lambda s: "/",
}


def costs(app, scene, client):
    return {name: statements_for(app, client, page(scene)) for name, page in PAGES.items()}


def test_pages_run_as_many_statements_with_25_rows_as_with_2(app, scene, client):
    # One scene for every page: growing it is what takes the time.
    scene.grow(SMALL)
    small = {"signed in": costs(app, scene, scene.viewer), "visitor": costs(app, scene, client)}

    scene.grow(LARGE)
    large = {"signed in": costs(app, scene, scene.viewer), "visitor": costs(app, scene, client)}

    assert large == small

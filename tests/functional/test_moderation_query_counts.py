"""The moderators' pages cost the same number of SQL statements whatever they show: a queue of
2 or 25 proposals, flags and suggestions, a log of 2 or 25 rows, a decision page on an entry
with 2 or 25 revisions, votes and comments, a history of 2 or 25 revisions, and the
notifications of 2 or 25 replies and merges."""


import pytest
from sqlalchemy import select

from lbs.domain import contributions, discussion, entries, moderation, voting
from lbs.extensions import db
from lbs.models import Entry, Proposal
from tests.functional.moderating import (
    HUB,
    READING,
    add_edit,
    add_entry,
    add_user,
    comment,
    entry_id,
    login,
    text_of,
    user_named,
)
from tests.support.query_counter import statements_for

SMALL, LARGE = 2, 25


class Scene:
    """Ada's hub with an open edit under discussion; `grow` adds peers who each bring a
    proposal, an edit, flagged entries and comments, a merge suggestion, a merged revision of
    Ada's hub and a reading linked to it."""

    def __init__(self, app):
        self.app = app
        self.peers = 0
        for name in ("ada", "flagger"):
            add_user(app, name)
        for name in ("mod", "mod2"):
            add_user(app, name, role="moderator")
        self.slug = add_entry(app, "ada")
        self.hub_id = entry_id(app, self.slug)
        self.edit = add_edit(app, "ada", self.slug, languages="English, German")
        self.question = comment(app, "ada", "entry", self.hub_id, "Which licence?")
        self.moderator = login(app, "mod")
        self.proposer = login(app, "ada")

    def grow(self, n):
        while self.peers < n:
            self.peers += 1
            self._add_peer(self.peers)

    def _add_peer(self, i):
        # Each row of a page has people and entries of its own, so nothing a page needs is
        # already at hand from another row.
        name, talker = f"peer{i}", f"talker{i}"
        add_user(self.app, name, karma=10)
        add_user(self.app, talker)
        with self.app.app_context():
            peer, flagger, speaker = user_named(name), user_named("flagger"), user_named(talker)
            merger = user_named("mod" if i % 2 else "mod2")
            hub = db.session.get(Entry, self.hub_id)
            watched = db.session.get(Proposal, self.edit)

            def new_hub(title, proposer=peer):
                return entries.create_entry("hub", {**HUB, "title": title,
                                                    "url": f"https://{title.replace(' ', '')}.org"},
                                            proposer, merger)

            own, original = new_hub(f"Hub {i}"), new_hub(f"Orig {i}")
            twin = new_hub(f"Twin {i}", speaker)
            entries.create_entry("reading", {**READING, "title": f"Reading {i}",
                                             "url": f"https://reading{i}.example.org",
                                             "related": [self.slug]}, peer, merger)
            proposal = contributions.propose_entry(peer, "hub", {
                **HUB, "title": f"Proposed {i}", "url": f"https://proposed{i}.example.org"})
            contributions.propose_edit(peer, own, {**contributions.current_fields(own),
                                                   "region": f"Region {i}"}, "Closer.", 1)
            voting.cast_vote(flagger, proposal, 1)
            discussion.add_comment(flagger, proposal, f"Support {i}.")
            voting.cast_vote(peer, watched, 1 if i % 3 else -1)
            discussion.add_comment(peer, watched, f"About the languages {i}.")
            remark = discussion.add_comment(speaker, hub, f"Remark {i}.")
            discussion.flag(flagger, own, "spam")
            discussion.flag(flagger, remark, "abuse")
            discussion.flag(peer, twin, "duplicate", duplicate_of=original)
            edit = contributions.propose_edit(peer, hub, {**contributions.current_fields(hub),
                                                          "summary": f"Summary {i}."},
                                              "Fresher.", hub.revision_count)
            moderation.merge_proposal(merger, edit, f"Merge {i}.")
            moderation.hide_comment(merger, discussion.add_comment(peer, hub, "Rude."), "Rude.")
            discussion.add_comment(peer, hub, f"ODbL, says {name}.", parent_id=self.question)
            db.session.commit()


@pytest.fixture
def scene(app):
    return Scene(app)


PAGES = {
    "queue": lambda s: "/moderation",
    "log": lambda s: "/moderation/log",
    "log filtered": lambda s: "/moderation/log?moderator=mod&action=merge",
    "edit decision": lambda s: f"/moderation/proposals/{s.edit}",
    "new decision": lambda s: f"/moderation/proposals/{first_new_proposal(s)}",
    "history": lambda s: f"/entries/{s.slug}/history",
    "history compared": lambda s: f"/entries/{s.slug}/history?from=1&to=3",
}
PUBLIC = ("log", "log filtered", "history", "history compared")


def first_new_proposal(scene):
    with scene.app.app_context():
        return db.session.scalar(select(Proposal.id).where(Proposal.kind == "new")
                                 .order_by(Proposal.id))


def costs(app, scene, client):
    """Statements per page, for the moderator and, on the public pages, for a visitor."""
    found = {name: statements_for(app, scene.moderator, page(scene)) for name, page in PAGES.items()}
    for name in PUBLIC:
        found[f"{name} (visitor)"] = statements_for(app, client, PAGES[name](scene))
    # Ada hears of every reply and every merge into her hub, each from someone else.
    found["notifications"] = statements_for(app, scene.proposer, "/notifications")
    return found


def test_moderation_pages_run_as_many_statements_with_25_rows_as_with_2(app, scene, client):
    # One scene for every page: growing it is what takes the time.
    scene.grow(SMALL)
    small = costs(app, scene, client)

    scene.grow(LARGE)
    large = costs(app, scene, client)

    assert large == small


def test_the_queue_shows_what_the_scene_grew(app, scene):
    scene.grow(SMALL)

    page = text_of(scene.moderator.get("/moderation").get_data(as_text=True))

    assert "New hub: Proposed 2 by peer2" in page
    assert "Edit to Hub 2 by peer2" in page
    assert "1 flag on a comment by talker2" in page
    assert "1 flag on Hub 2" in page
    assert "peer2 says Twin 2 (twin2.org) duplicates Orig 2 (orig2.org)" in page


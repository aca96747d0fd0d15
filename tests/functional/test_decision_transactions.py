"""Every decision is one transaction: when anything fails after the first write, nothing of the
decision is left behind and the visitor gets a plain error page."""

import pytest

from lbs.domain import moderation
from lbs.extensions import db
from lbs.models import Entry, Revision, Vote
from tests.functional.moderating import (
    add_edit,
    add_entry,
    add_proposal,
    add_user,
    cast,
    comment,
    count,
    entry_id,
    flag,
    login,
    merge_now,
    proposal_row,
)


def snapshot(app):
    """Every row of every table; sign-ins are left out, as reading pages may touch them."""
    with app.app_context():
        return {
            table.name: sorted(repr(tuple(row)) for row in db.session.execute(table.select()))
            for table in db.metadata.sorted_tables if table.name != "login_sessions"
        }


@pytest.fixture
def scene(app, monkeypatch):
    """A commons with votes, talk, flags and history, a moderator, and a log that fails on
    the last step of every decision."""
    for name in ("ada", "bob", "cy"):
        add_user(app, name)
    add_user(app, "dan", karma=10)
    add_user(app, "mod", role="moderator")
    slug = add_entry(app, "ada")
    twin = add_entry(app, "cy", title="OSM", url="https://osm.example.org")
    twin_id = entry_id(app, twin)
    merge_now(app, "mod", add_edit(app, "ada", twin, region="Europe"))
    proposal = add_proposal(app, "ada", title="Appropedia", url="https://www.appropedia.org",
                            tags=["wiki", "appropriate-tech"])
    for name, value in (("bob", 1), ("cy", 1), ("dan", -1)):
        cast(app, name, "proposal", proposal, value)
    for name, value in (("bob", 1), ("dan", -1)):
        cast(app, name, "entry", twin_id, value)
    remark = comment(app, "bob", "entry", twin_id, "Same map as OpenStreetMap.")
    suggestion = flag(app, "bob", "entry", twin_id, "duplicate", duplicate_of=slug)
    scene = {
        "slug": slug, "twin": twin, "twin_id": twin_id, "proposal": proposal,
        "comment": remark, "suggestion": suggestion,
        "edit": add_edit(app, "bob", slug, title="OpenStreetMap (OSM)", region="Europe"),
        "mod": login(app, "mod"), "log_attempts": [],
    }

    def broken_log(moderator, action, *args, **kwargs):
        scene["log_attempts"].append(action)
        raise RuntimeError("the log is unreachable")

    monkeypatch.setattr(moderation, "log_action", broken_log)
    return scene


DECISIONS = {
    "merge a new proposal": lambda s: (f"/moderation/proposals/{s['proposal']}/merge", {}),
    "merge an edit": lambda s: (f"/moderation/proposals/{s['edit']}/merge", {}),
    "reject": lambda s: (f"/moderation/proposals/{s['proposal']}/reject", {}),
    "close as duplicate": lambda s: (f"/moderation/proposals/{s['proposal']}/duplicate",
                                     {"entry": s["slug"]}),
    "merge two entries": lambda s: (f"/moderation/entries/{s['twin']}/merge",
                                    {"entry": s["slug"]}),
    "carry out a suggestion": lambda s: (f"/moderation/suggestions/{s['suggestion']}", {}),
    "archive": lambda s: (f"/moderation/entries/{s['slug']}/archive", {}),
    "roll back": lambda s: (f"/moderation/entries/{s['twin']}/rollback", {"revision": "1"}),
    "hide a comment": lambda s: (f"/moderation/comments/{s['comment']}/hide", {}),
    "dismiss flags": lambda s: (f"/moderation/flags/entry/{s['twin_id']}/dismissed", {}),
    "suspend": lambda s: ("/moderation/users/bob/suspend", {}),
}


@pytest.mark.parametrize("decision", DECISIONS, ids=DECISIONS)
def test_a_decision_that_fails_halfway_leaves_nothing_behind(app, scene, decision):
    path, data = DECISIONS[decision](scene)
    before = snapshot(app)

    response = scene["mod"].post(path, data={"reason": "A good reason.", **data})

    assert response.status_code == 500
    assert len(scene["log_attempts"]) == 1, "the decision should fail at its log row"
    assert snapshot(app) == before


def test_a_failed_merge_leaves_no_entry_revision_or_vote(app, scene):
    scene["mod"].post(f"/moderation/proposals/{scene['proposal']}/merge",
                      data={"reason": "A good reason."})

    assert count(app, Entry) == 2
    assert count(app, Revision) == 3
    assert count(app, Vote, Vote.target_type == "entry") == 2
    assert proposal_row(app, scene["proposal"])["status"] == "open"


def test_the_failure_page_shows_no_trace_of_the_code(app, scene):
    response = scene["mod"].post(f"/moderation/proposals/{scene['proposal']}/merge",
                                 data={"reason": "A good reason."})

    page = response.get_data(as_text=True)
    assert "Something went wrong" in page
    assert "Nothing was half saved." in page
    assert "Traceback" not in page
    assert "RuntimeError" not in page


def test_after_a_failed_merge_the_proposal_is_open_and_can_be_merged(app, scene, monkeypatch):
    scene["mod"].post(f"/moderation/proposals/{scene['proposal']}/merge",
                      data={"reason": "A good reason."})
    monkeypatch.undo()

    response = scene["mod"].post(f"/moderation/proposals/{scene['proposal']}/merge",
                                 data={"reason": "A good reason."})

    assert response.status_code == 303
    assert proposal_row(app, scene["proposal"])["status"] == "merged"

"""Two moderators merging at the same moment: one merge lands, the other gets a conflict page
with the fresh state, and no change is lost or written twice."""

import threading

import pytest

from lbs.domain import contributions
from lbs.extensions import db
from lbs.models import ModerationAction, Proposal, Revision
from tests.functional.moderating import (
    REASON,
    add_edit,
    add_entry,
    add_proposal,
    add_user,
    cast,
    count,
    decision_form,
    entry_row,
    hidden_value,
    log_rows,
    login,
    proposal_row,
    user_named,
    votes_on,
)


@pytest.fixture(autouse=True)
def postgres_only(dialect):
    if dialect != "postgresql":
        pytest.skip("SQLite lets one writer in at a time, so two merges never truly overlap")


def at_once(*requests):
    """Run the requests in threads released together; returns their responses in order."""
    barrier = threading.Barrier(len(requests))
    outcomes = [None] * len(requests)

    def run(i, request):
        barrier.wait()
        try:
            outcomes[i] = request()
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
            outcomes[i] = error

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return outcomes


def post_merge(client, proposal_id, seen, **extra):
    return lambda: client.post(f"/moderation/proposals/{proposal_id}/merge",
                               data={"reason": REASON, **seen, **extra})


@pytest.fixture
def moderators(app):
    for name in ("ada", "bob", "cy"):
        add_user(app, name)
    add_user(app, "mod1", role="moderator")
    add_user(app, "mod2", role="moderator")
    return login(app, "mod1"), login(app, "mod2")


def merges_logged(app):
    return [r for r in log_rows(app) if r["action"] == "merge"]


# --- two conflicting edits of one entry -------------------------------------------------------------


@pytest.fixture
def race(app, moderators):
    """Bob and Cy retitled OpenStreetMap from revision 1; each moderator loaded one edit."""
    slug = add_entry(app, "ada")
    bobs = add_edit(app, "bob", slug, title="OpenStreetMap (OSM)")
    cys = add_edit(app, "cy", slug, title="OSM, the free map", region="Europe")
    first, second = moderators
    seen = (decision_form(first, bobs), decision_form(second, cys))
    assert [s["entry_version"] for s in seen] == ["1", "1"]
    responses = at_once(post_merge(first, bobs, seen[0]), post_merge(second, cys, seen[1]))
    won = 0 if responses[0].status_code == 303 else 1
    return {
        "slug": slug, "responses": responses, "edits": (bobs, cys), "clients": moderators,
        "won": won, "lost": 1 - won,
    }


def test_one_of_two_simultaneous_merges_lands_and_the_other_gets_409(race):
    assert sorted(r.status_code for r in race["responses"]) == [303, 409]


def test_the_entry_moves_on_by_exactly_one_revision_and_version(app, race):
    entry = entry_row(app, race["slug"])

    assert (entry["revision_count"], entry["version"]) == (2, 2)
    assert count(app, Revision) == 2


def test_the_entry_holds_the_landed_edit(app, race):
    titles = ("OpenStreetMap (OSM)", "OSM, the free map")

    assert entry_row(app, race["slug"])["title"] == titles[race["won"]]


def test_exactly_one_merge_is_logged(app, race):
    assert [r["target_id"] for r in merges_logged(app)] == [race["edits"][race["won"]]]


def test_the_losing_edit_is_still_open(app, race):
    assert proposal_row(app, race["edits"][race["lost"]])["status"] == "open"
    assert proposal_row(app, race["edits"][race["won"]])["status"] == "merged"


def test_the_conflict_page_shows_the_landed_change_beside_the_losing_one(race):
    page = race["responses"][race["lost"]].get_data(as_text=True)

    plan = page[page.index('class="diff merge-plan"'):page.index("</table>")]
    assert "OpenStreetMap (OSM)" in plan
    assert "OSM, the free map" in plan
    action = f"/moderation/proposals/{race['edits'][race['lost']]}/merge"
    assert hidden_value(page, action, "entry_version") == "2"


def test_the_losing_edit_can_be_merged_after_choosing(app, race):
    client = race["clients"][race["lost"]]
    losing = race["edits"][race["lost"]]

    response = post_merge(client, losing, decision_form(client, losing),
                          choice_title="proposed")()

    assert response.status_code == 303
    entry = entry_row(app, race["slug"])
    titles = ("OpenStreetMap (OSM)", "OSM, the free map")
    assert (entry["title"], entry["revision_count"]) == (titles[race["lost"]], 3)
    assert entry["region"] == "Europe"
    assert len(merges_logged(app)) == 2


# --- the same proposal, twice ------------------------------------------------------------------------


@pytest.fixture
def same(app, moderators):
    """Ada's proposal, changed twice by her (version 3) and up-voted by Bob, loaded by both
    moderators."""
    proposal = add_proposal(app, "ada", title="Appropedia", url="https://www.appropedia.org")
    for summary in ("A wiki.", "A wiki for appropriate technology."):
        with app.app_context():
            loaded = db.session.get(Proposal, proposal)
            contributions.update_proposal(user_named("ada"), loaded,
                                          {**loaded.fields, "summary": summary}, "")
            db.session.commit()
    cast(app, "bob", "proposal", proposal)
    seen = [decision_form(client, proposal) for client in moderators]
    assert [s["version"] for s in seen] == ["3", "3"]
    responses = at_once(*(post_merge(c, proposal, s) for c, s in zip(moderators, seen,
                                                                       strict=True)))
    return {"proposal": proposal, "responses": responses}


def test_one_moderator_merges_the_proposal_and_the_other_gets_409(same):
    assert sorted(r.status_code for r in same["responses"]) == [303, 409]


def test_the_proposal_is_merged_once(app, same):
    merged = proposal_row(app, same["proposal"])

    assert (merged["status"], merged["version"]) == ("merged", 4)
    assert count(app, Revision) == 1
    assert count(app, ModerationAction) == 1


def test_the_votes_are_carried_over_once(app, same):
    entry_id = proposal_row(app, same["proposal"])["resulting_entry_id"]

    assert votes_on(app, "entry", entry_id) == {"bob": 1}
    assert entry_row(app, "appropedia")["ups"] == 1


def test_the_loser_sees_the_proposal_is_merged_already(same):
    lost = next(r for r in same["responses"] if r.status_code == 409)

    assert "This proposal is merged" in lost.get_data(as_text=True)

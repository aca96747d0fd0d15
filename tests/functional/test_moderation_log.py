"""The public moderation log: every decision with who, what, on what, why and when; newest
first, 50 to a page, filterable by moderator and by action, and append-only."""

import re
from datetime import timedelta
from pathlib import Path

import pytest

from lbs.extensions import db
from lbs.models import MODERATION_ACTIONS, ModerationAction, utcnow
from tests.functional.moderating import (
    add_edit,
    add_entry,
    add_proposal,
    add_user,
    comment,
    entry_id,
    flag,
    links,
    log_rows,
    login,
    merge_now,
    text_of,
    user_row,
)

PACKAGE = Path(__file__).resolve().parents[2] / "lbs"


def log_table(client, query=""):
    """The rows of one log page as (when, who, what, on, why), newest first."""
    response = client.get(f"/moderation/log{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    if "<tbody>" not in page:
        return [], page
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    rows = [
        tuple(text_of(cell) for cell in re.findall(r"<td\b[^>]*>(.*?)</td>", row, re.S))
        for row in re.findall(r"<tr\b[^>]*>(.*?)</tr>", body, re.S)
    ]
    return rows, page


@pytest.fixture
def scene(app):
    for name in ("ada", "bob", "cy"):
        add_user(app, name)
    add_user(app, "mod", role="moderator")
    slug = add_entry(app, "ada")
    return {"app": app, "slug": slug, "entry": entry_id(app, slug), "mod": login(app, "mod")}


def _proposal(scene):
    return add_proposal(scene["app"], "bob", title="Appropedia",
                        url="https://www.appropedia.org")


def merge(scene):
    proposal = _proposal(scene)
    scene["mod"].post(f"/moderation/proposals/{proposal}/merge", data={"reason": "Useful wiki."})
    return f"proposal #{proposal} Appropedia", "Useful wiki."


def reject(scene):
    proposal = _proposal(scene)
    scene["mod"].post(f"/moderation/proposals/{proposal}/reject", data={"reason": "Off topic."})
    return f"proposal #{proposal} Appropedia", "Off topic."


def mark_duplicate(scene):
    proposal = _proposal(scene)
    scene["mod"].post(f"/moderation/proposals/{proposal}/duplicate",
                      data={"entry": scene["slug"], "reason": "Already in."})
    return f"proposal #{proposal} Appropedia", "Already in."


def merge_entries(scene):
    twin = add_entry(scene["app"], "bob", title="OSM", url="https://osm.example.org")
    twin_id = entry_id(scene["app"], twin)
    scene["mod"].post(f"/moderation/entries/{twin}/merge",
                      data={"entry": scene["slug"], "reason": "Same map."})
    return f"entry #{twin_id} OSM", "Same map."


def archive(scene):
    scene["mod"].post(f"/moderation/entries/{scene['slug']}/archive", data={"reason": "Gone."})
    return f"entry #{scene['entry']} OpenStreetMap", "Gone."


def restore(scene):
    archive(scene)
    scene["mod"].post(f"/moderation/entries/{scene['slug']}/restore", data={"reason": "Back."})
    return f"entry #{scene['entry']} OpenStreetMap", "Back."


def rollback(scene):
    merge_now(scene["app"], "mod", add_edit(scene["app"], "bob", scene["slug"], region="Mars"))
    scene["mod"].post(f"/moderation/entries/{scene['slug']}/rollback",
                      data={"revision": "1", "reason": "Vandalism."})
    return f"entry #{scene['entry']} OpenStreetMap", "Vandalism."


def _comment(scene):
    return comment(scene["app"], "bob", "entry", scene["entry"], "Rude words.")


def hide_comment(scene):
    remark = _comment(scene)
    scene["mod"].post(f"/moderation/comments/{remark}/hide", data={"reason": "Be kind."})
    return f"comment #{remark} comment by bob", "Be kind."


def unhide_comment(scene):
    remark = _comment(scene)
    scene["mod"].post(f"/moderation/comments/{remark}/hide", data={"reason": "Be kind."})
    scene["mod"].post(f"/moderation/comments/{remark}/unhide", data={"reason": "A quote."})
    return f"comment #{remark} comment by bob", "A quote."


def resolve_flag(scene):
    flag(scene["app"], "cy", "entry", scene["entry"], "broken-link")
    scene["mod"].post(f"/moderation/flags/entry/{scene['entry']}/resolved",
                      data={"reason": "Link fixed."})
    return f"entry #{scene['entry']} flags on entry", "Link fixed."


def dismiss_flag(scene):
    flag(scene["app"], "cy", "entry", scene["entry"], "spam")
    scene["mod"].post(f"/moderation/flags/entry/{scene['entry']}/dismissed",
                      data={"reason": "Not spam."})
    return f"entry #{scene['entry']} flags on entry", "Not spam."


def suspend(scene):
    scene["mod"].post("/moderation/users/cy/suspend", data={"reason": "Spam."})
    return "cy", "Spam."


def reinstate(scene):
    suspend(scene)
    scene["mod"].post("/moderation/users/cy/reinstate", data={"reason": "Promised."})
    return "cy", "Promised."


ACTIONS = {
    "merge": merge, "reject": reject, "mark-duplicate": mark_duplicate,
    "merge-entries": merge_entries, "archive": archive, "restore": restore,
    "rollback": rollback, "hide-comment": hide_comment, "unhide-comment": unhide_comment,
    "resolve-flag": resolve_flag, "dismiss-flag": dismiss_flag, "suspend": suspend,
    "reinstate": reinstate,
}


@pytest.mark.parametrize("action", ACTIONS, ids=ACTIONS)
def test_every_decision_appears_with_who_what_on_what_why_and_when(scene, client, action):
    on, why = ACTIONS[action](scene)

    rows, page = log_table(client)

    assert rows[0] == ("just now", "mod", action, on, why)
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">just now</time>', page)
    assert "/users/mod" in links(page)


def test_a_role_set_from_the_command_line_is_logged_too(app, runner, client):
    add_user(app, "ada")

    result = runner.invoke(args=["lbs", "set-role", "ada", "moderator"])

    assert result.exit_code == 0, result.output
    rows, _ = log_table(client)
    assert rows == [("just now", "commons", "set-role", "ada", "Role set from the command line.")]


def test_the_log_links_to_what_each_decision_was_about(scene, client):
    merged, _ = merge(scene)
    hide_comment(scene)
    suspend(scene)

    _, page = log_table(client)

    found = links(page)
    assert f"/proposals/{merged.split('#')[1].split()[0]}" in found
    assert any(re.fullmatch(r"/comments/\d+", href) for href in found)
    assert "/users/cy" in found


def test_every_action_can_be_chosen_as_a_filter(client):
    _, page = log_table(client)

    choices = re.search(r'<select[^>]*name="action"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'<option value="([a-z-]+)"', choices) == list(MODERATION_ACTIONS)


def test_an_empty_log_says_so(client):
    _, page = log_table(client)

    assert "No actions." in text_of(page)


# --- pages and filters ----------------------------------------------------------------------------


def fill_log(app, n, moderator="mod", action="reject", start=0):
    """`n` past decisions, one minute apart, the newest numbered highest."""
    moderator_id = user_row(app, moderator)["id"]
    now = utcnow()
    with app.app_context():
        for i in range(start, start + n):
            db.session.add(ModerationAction(
                moderator_id=moderator_id, action=action, target_type="proposal", target_id=i,
                reason=f"Decision {i}.", details={},
                created_at=now - timedelta(hours=1) + timedelta(minutes=i),
            ))
        db.session.commit()


def reasons(rows):
    return [row[4] for row in rows]


@pytest.fixture
def moderators(app):
    add_user(app, "mod", role="moderator")
    add_user(app, "Kim", role="moderator")


def test_the_log_shows_50_decisions_a_page_newest_first(app, moderators, client):
    fill_log(app, 120)

    first, page = log_table(client)

    assert reasons(first) == [f"Decision {i}." for i in range(119, 69, -1)]
    assert 'rel="next" href="/moderation/log?page=2"' in page
    assert 'rel="prev"' not in page


def test_the_last_page_has_the_oldest_decisions_and_no_next_page(app, moderators, client):
    fill_log(app, 120)

    last, page = log_table(client, "?page=3")

    assert reasons(last) == [f"Decision {i}." for i in range(19, -1, -1)]
    assert 'rel="next"' not in page
    assert 'rel="prev" href="/moderation/log?page=2"' in page


def test_exactly_50_decisions_fit_one_page(app, moderators, client):
    fill_log(app, 50)

    rows, page = log_table(client)

    assert len(rows) == 50
    assert 'rel="next"' not in page


def test_the_log_filters_by_moderator_whatever_the_case(app, moderators, client):
    fill_log(app, 3, "mod")
    fill_log(app, 2, "Kim", start=3)

    rows, page = log_table(client, "?moderator=kim")

    assert [row[1] for row in rows] == ["Kim", "Kim"]
    assert 'value="kim"' in page


def test_the_log_filters_by_action(app, moderators, client):
    fill_log(app, 3, action="reject")
    fill_log(app, 2, action="archive", start=3)

    rows, page = log_table(client, "?action=archive")

    assert [row[2] for row in rows] == ["archive", "archive"]
    assert '<option value="archive" selected>' in page


def test_filters_combine_and_carry_over_to_the_next_page(app, moderators, client):
    fill_log(app, 60, "Kim", action="archive")
    fill_log(app, 5, "Kim", action="reject", start=60)
    fill_log(app, 5, "mod", action="archive", start=65)

    rows, page = log_table(client, "?moderator=Kim&action=archive")

    assert len(rows) == 50
    assert {(row[1], row[2]) for row in rows} == {("Kim", "archive")}
    next_link = re.search(r'rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert sorted(next_link.split("?")[1].split("&")) == ["action=archive", "moderator=Kim",
                                                         "page=2"]
    second, _ = log_table(client, "?" + next_link.split("?")[1])
    assert len(second) == 10


def test_a_moderator_with_no_decisions_gives_an_empty_log(app, moderators, client):
    fill_log(app, 3, "mod")

    rows, page = log_table(client, "?moderator=nobody")

    assert rows == []
    assert "No actions match." in text_of(page)


def test_an_unknown_action_filter_shows_everything(app, moderators, client):
    fill_log(app, 3)

    rows, _ = log_table(client, "?action=drop-table")

    assert len(rows) == 3


def test_the_log_is_public(app, moderators, client):
    fill_log(app, 1)

    assert client.get("/moderation/log").status_code == 200


# --- append-only ----------------------------------------------------------------------------------


@pytest.fixture
def logged(app, moderators):
    fill_log(app, 1)
    return log_rows(app)[0]["id"]


def test_changing_a_log_row_through_the_orm_raises(app, logged):
    with app.app_context():
        row = db.session.get(ModerationAction, logged)
        row.reason = "Rewritten history."
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.flush()
        db.session.rollback()

    assert log_rows(app)[0]["reason"] == "Decision 0."


def test_deleting_a_log_row_through_the_orm_raises(app, logged):
    with app.app_context():
        db.session.delete(db.session.get(ModerationAction, logged))
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.flush()
        db.session.rollback()

    assert len(log_rows(app)) == 1


def test_no_code_writes_to_the_log_except_by_adding_rows():
    # Bulk statements bypass the ORM guard, so none may exist for the log's table.
    forbidden = re.compile(
        r"(update|delete)\(\s*ModerationAction|(UPDATE|DELETE\s+FROM)\s+moderation_actions",
        re.IGNORECASE,
    )
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}: {match.group(0)}"
        for path in PACKAGE.rglob("*.py")
        for match in forbidden.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_no_route_changes_the_log_by_address(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/moderation/log")]

    assert [(rule.rule, sorted(rule.methods - {"HEAD", "OPTIONS"})) for rule in rules] == [
        ("/moderation/log", ["GET"])]


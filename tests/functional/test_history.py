"""An entry's history: every revision with who proposed it, who merged it, when and why, and
the changes between any two revisions, field by field and word by word."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from lbs.extensions import db
from lbs.models import Revision, utcnow
from tests.functional.moderating import (
    add_edit,
    add_entry,
    add_user,
    links,
    login,
    merge_now,
    section,
    set_columns,
    text_of,
)


@pytest.fixture
def slug(app):
    """OpenStreetMap at revision 3: Bob reworded the summary, then Cy changed the region."""
    for name in ("ada", "bob", "cy"):
        add_user(app, name)
    add_user(app, "mod", role="moderator")
    slug = add_entry(app, "ada")
    merge_now(app, "mod", add_edit(app, "bob", slug,
                                   summary="The free map of the world, drawn by volunteers."),
              reason="Says who draws it.")
    merge_now(app, "mod", add_edit(app, "cy", slug, region="Europe and beyond"),
              reason="Where most mappers are.")
    return slug


def history(client, slug, query=""):
    response = client.get(f"/entries/{slug}/history{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def revision_item(page, number):
    start = page.index(f'id="revision-{number}"')
    return page[start : page.index("</li>", start)]


def diff_rows(page):
    """{field label: the change cell's HTML} of the comparison table."""
    table = page[page.index('<table class="diff">') : page.index("</table>")]
    return dict(re.findall(r'<th scope="row"[^>]*>(.*?)</th>\s*<td\b[^>]*>(.*?)</td>\s*</tr>', table,
                           re.S))


def test_every_revision_is_listed_newest_first(client, slug):
    page = history(client, slug)

    numbers = re.findall(r'id="revision-(\d+)"', page)
    assert numbers == ["3", "2", "1"]


def test_a_revision_names_its_proposer_its_merger_and_its_reason(app, client, slug):
    item = revision_item(history(client, slug), 2)

    assert "Revision 2, just now: proposed by bob, merged by mod" in text_of(item)
    assert "“Says who draws it.”" in text_of(item)
    assert "/users/bob" in links(item)
    assert "/users/mod" in links(item)


def test_a_revision_links_to_the_proposal_it_came_from(app, client, slug):
    item = revision_item(history(client, slug), 3)

    assert any(re.fullmatch(r"/proposals/\d+", href) for href in links(item))


def test_a_revision_shows_when_it_was_made(app, client, slug):
    with app.app_context():
        first = db.session.scalar(select(Revision.id).where(Revision.number == 1))
    set_columns(app, Revision, first, created_at=utcnow() - timedelta(days=3))

    item = revision_item(history(client, slug), 1)

    assert "Revision 1, 3 days ago: proposed by ada" in text_of(item)
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">', item)


def test_the_history_shows_the_latest_change_by_default(client, slug):
    page = history(client, slug)

    assert "Changes from revision 2 to 3" in text_of(page)
    rows = diff_rows(page)
    assert list(rows) == ["Region"]
    assert rows["Region"] == "<del>worldwide</del><ins>Europe and beyond</ins>"


def test_a_changed_text_is_shown_word_by_word(client, slug):
    rows = diff_rows(history(client, slug, "?from=1&to=2"))

    assert list(rows) == ["Summary"]
    assert rows["Summary"] == (
        "The free map of the world, drawn by <del>its users.</del><ins>volunteers.</ins>")


def test_any_two_revisions_can_be_compared(client, slug):
    page = history(client, slug, "?from=1&to=3")

    assert "Changes from revision 1 to 3" in text_of(page)
    assert list(diff_rows(page)) == ["Summary", "Region"]


def test_the_older_revision_comes_first_whichever_order_was_asked(client, slug):
    page = history(client, slug, "?from=3&to=1")

    assert "Changes from revision 1 to 3" in text_of(page)
    assert "<del>worldwide</del>" in diff_rows(page)["Region"]


def test_the_comparison_form_keeps_the_revisions_chosen(client, slug):
    diff = section(history(client, slug, "?from=1&to=3"), "diff-heading")

    assert re.search(r'name="from">.*?<option value="1" selected>', diff, re.S)
    assert re.search(r'name="to">.*?<option value="3" selected>', diff, re.S)


def test_a_revision_compared_with_itself_shows_no_change(client, slug):
    page = history(client, slug, "?from=2&to=2")

    assert "These two revisions are the same." in text_of(page)


@pytest.mark.parametrize("query", ["?from=1&to=9", "?from=0&to=2"])
def test_comparing_with_a_revision_that_does_not_exist_is_refused(client, slug, query):
    assert client.get(f"/entries/{slug}/history{query}").status_code == 400


def test_a_revision_of_a_list_shows_the_names_added_and_removed(app, client):
    for name in ("ada", "bob"):
        add_user(app, name)
    add_user(app, "mod", role="moderator")
    slug = add_entry(app, "ada", tags=["geodata", "maps"])
    merge_now(app, "mod", add_edit(app, "bob", slug, tags=["maps", "openness"]))

    rows = diff_rows(history(client, slug))

    assert rows["Tags"] == "<del>geodata</del>, maps, <ins>openness</ins>"


def test_a_new_entry_has_one_revision_and_nothing_to_compare(app, client):
    add_user(app, "ada")
    slug = add_entry(app, "ada")

    page = history(client, slug)

    assert re.findall(r'id="revision-(\d+)"', page) == ["1"]
    assert "Changes from" not in page


def test_the_entry_page_links_to_its_history(client, slug):
    page = client.get(f"/entries/{slug}").get_data(as_text=True)

    assert f"/entries/{slug}/history" in links(page)


def test_the_history_of_an_unknown_entry_is_not_found(client):
    assert client.get("/entries/no-such-entry/history").status_code == 404


def test_peers_see_the_history_without_moderators_tools(app, slug):
    page = history(login(app, "bob"), slug)

    assert "Roll back" not in page


def test_a_field_filled_for_the_first_time_shows_as_inserted_only(app, client):
    for name in ("ada", "bob"):
        add_user(app, name)
    add_user(app, "mod", role="moderator")
    slug = add_entry(app, "ada", region=None)
    merge_now(app, "mod", add_edit(app, "bob", slug, region="Europe"))

    assert diff_rows(history(client, slug)) == {"Region": "<ins>Europe</ins>"}

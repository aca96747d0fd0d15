"""Merging an edit proposal: a new revision. When the entry moved on since the edit was written,
changes on different fields are both kept, and a field both sides changed waits for the
moderator's choice; a merge never overwrites a change the moderator has not seen."""

import re
from urllib.parse import urlsplit

import pytest

from lbs.models import Entry
from tests.functional.moderating import (
    REASON,
    add_edit,
    add_entry,
    add_user,
    decision_form,
    entry_row,
    hidden_value,
    log_rows,
    login,
    merge_now,
    proposal_row,
    revisions,
    section,
    set_columns,
    text_of,
)


@pytest.fixture
def scene(app):
    for name in ("ada", "bob", "cy"):
        add_user(app, name)
    add_user(app, "mod", role="moderator")
    return {"slug": add_entry(app, "ada"), "mod": login(app, "mod")}


def merge(client, proposal_id, reason=REASON, seen=None, **choices):
    """Post the merge form with the versions the moderator saw (fresh ones unless given)."""
    seen = seen or decision_form(client, proposal_id)
    return client.post(f"/moderation/proposals/{proposal_id}/merge",
                       data={"reason": reason, **seen, **choices})


def decision_page(client, proposal_id):
    return client.get(f"/moderation/proposals/{proposal_id}").get_data(as_text=True)


# --- an entry that did not move -------------------------------------------------------------------


def test_merging_an_edit_sends_the_moderator_to_the_entry(app, scene):
    edit = add_edit(app, "bob", scene["slug"], region="Europe")

    response = merge(scene["mod"], edit)

    assert response.status_code == 303
    assert urlsplit(response.location).path == f"/entries/{scene['slug']}"


def test_merging_an_edit_gives_the_entry_the_proposed_fields(app, scene, client):
    edit = add_edit(app, "bob", scene["slug"], summary="The free, editable map of the world.")

    merge(scene["mod"], edit)

    assert entry_row(app, scene["slug"])["summary"] == "The free, editable map of the world."
    page = client.get(f"/entries/{scene['slug']}").get_data(as_text=True)
    assert "The free, editable map of the world." in page


def test_merging_an_edit_adds_a_revision_and_a_version(app, scene):
    edit = add_edit(app, "bob", scene["slug"], region="Europe")

    merge(scene["mod"], edit, reason="Its community is European.")

    entry = entry_row(app, scene["slug"])
    assert (entry["revision_count"], entry["version"]) == (2, 2)
    second = revisions(app, scene["slug"])[-1]
    assert (second["number"], second["author"], second["merged_by"]) == (2, "bob", "mod")
    assert (second["proposal_id"], second["reason"]) == (edit, "Its community is European.")
    assert second["fields"]["region"] == "Europe"


def test_revision_1_is_kept_as_it_was(app, scene):
    edit = add_edit(app, "bob", scene["slug"], region="Europe")

    merge(scene["mod"], edit)

    assert revisions(app, scene["slug"])[0]["fields"]["region"] == "worldwide"


def test_the_edits_proposer_becomes_a_contributor(app, scene, client):
    edit = add_edit(app, "bob", scene["slug"], region="Europe")

    merge(scene["mod"], edit)

    assert entry_row(app, scene["slug"])["contributor_count"] == 2
    credits = section(client.get(f"/entries/{scene['slug']}").get_data(as_text=True),
                      "credits-heading")
    assert "Contributors ada, bob" in text_of(credits)


def test_merging_an_edit_closes_it_and_logs_it(app, scene):
    edit = add_edit(app, "bob", scene["slug"], region="Europe")

    merge(scene["mod"], edit, reason="Its community is European.")

    assert proposal_row(app, edit)["status"] == "merged"
    [logged] = log_rows(app)
    assert (logged["action"], logged["target_id"], logged["reason"]) == (
        "merge", edit, "Its community is European.")
    assert logged["details"] == {"entry": scene["slug"], "revision": 2}


def test_the_decision_page_shows_what_the_edit_changes(app, scene):
    edit = add_edit(app, "bob", scene["slug"], region="Europe")

    page = decision_page(scene["mod"], edit)

    plan = text_of(page[page.index('class="diff merge-plan"'):page.index("</table>")])
    assert "Field Base (revision 1) Current Proposed" in plan
    assert "Region worldwide worldwide Europe" in plan
    assert "Licence" not in plan
    assert "both changed" not in plan


def test_a_changed_list_of_tags_is_merged(app, scene):
    edit = add_edit(app, "bob", scene["slug"], tags=["geodata", "maps", "mapping-party"])

    merge(scene["mod"], edit)

    assert revisions(app, scene["slug"])[-1]["fields"]["tags"] == ["geodata", "mapping-party",
                                                                  "maps"]


def test_a_hub_that_many_readings_link_to_can_still_be_edited(app, scene):
    # Readings link themselves to a hub; those links are the hub's, not new ones of the edit.
    for i in range(11):
        add_entry(app, "cy", "reading", title=f"Reading {i}", url=f"https://r{i}.example.org",
                  related=[scene["slug"]])
    edit = add_edit(app, "bob", scene["slug"], region="Europe")

    response = merge(scene["mod"], edit)

    assert response.status_code == 303
    assert entry_row(app, scene["slug"])["region"] == "Europe"
    assert len(revisions(app, scene["slug"])[-1]["fields"]["related"]) == 11


# --- an entry that moved on ---------------------------------------------------------------------


def test_changes_to_different_fields_on_both_sides_are_both_kept(app, scene):
    region = add_edit(app, "bob", scene["slug"], region="Europe")
    licence = add_edit(app, "cy", scene["slug"], licence="ODbL 1.0")
    merge_now(app, "mod", licence)

    response = merge(scene["mod"], region)

    assert response.status_code == 303
    entry = entry_row(app, scene["slug"])
    assert (entry["region"], entry["licence"], entry["revision_count"]) == ("Europe", "ODbL 1.0", 3)
    assert revisions(app, scene["slug"])[-1]["fields"]["licence"] == "ODbL 1.0"


def test_the_same_change_on_both_sides_needs_no_choice(app, scene):
    first = add_edit(app, "bob", scene["slug"], region="Europe")
    second = add_edit(app, "cy", scene["slug"], region="Europe", licence="ODbL 1.0")
    merge_now(app, "mod", first)

    response = merge(scene["mod"], second)

    assert response.status_code == 303
    assert (entry_row(app, scene["slug"])["region"], entry_row(app, scene["slug"])["licence"]) == (
        "Europe", "ODbL 1.0")


@pytest.fixture
def crossed(app, scene):
    """Bob and Cy both retitled the entry from revision 1; Cy's title was merged first."""
    bobs = add_edit(app, "bob", scene["slug"], title="OpenStreetMap (OSM)", region="Europe")
    cys = add_edit(app, "cy", scene["slug"], title="OSM, the free map")
    merge_now(app, "mod", cys)
    return {**scene, "edit": bobs}


def test_a_field_both_sides_changed_is_not_merged_without_a_choice(app, crossed):
    response = merge(crossed["mod"], crossed["edit"])

    assert response.status_code == 409
    assert "Choose a value for each field both sides changed" in response.get_data(as_text=True)
    entry = entry_row(app, crossed["slug"])
    assert (entry["title"], entry["region"], entry["revision_count"]) == (
        "OSM, the free map", "worldwide", 2)
    assert proposal_row(app, crossed["edit"])["status"] == "open"
    assert len(log_rows(app)) == 1


def test_the_refusal_shows_base_current_and_proposed_side_by_side(app, crossed):
    page = merge(crossed["mod"], crossed["edit"]).get_data(as_text=True)

    plan = text_of(page[page.index('class="diff merge-plan"'):page.index("</table>")])
    assert ("Title (both changed) OpenStreetMap OSM, the free map OpenStreetMap (OSM)"
            in plan)
    assert "Region worldwide worldwide Europe" in plan
    for choice in ("current", "proposed", "custom"):
        assert f'name="choice_title" value="{choice}"' in page


def test_the_decision_page_says_the_entry_moved_on(app, crossed):
    page = text_of(decision_page(crossed["mod"], crossed["edit"]))

    assert ("The entry is at revision 2; this edit was written against revision 1. "
            "Fields changed on both sides need your choice.") in page


def test_the_refusal_keeps_the_reason_the_moderator_wrote(app, crossed):
    page = merge(crossed["mod"], crossed["edit"], reason="Both titles help.").get_data(
        as_text=True)

    assert re.search(r'name="reason">\s*Both titles help\.</textarea>', page)


@pytest.mark.parametrize("choice, title", [
    ("current", "OSM, the free map"),
    ("proposed", "OpenStreetMap (OSM)"),
    ("custom", "OpenStreetMap, the free map"),
])
def test_choosing_a_value_merges_the_edit(app, crossed, choice, title):
    response = merge(crossed["mod"], crossed["edit"], choice_title=choice,
                     custom_title="OpenStreetMap, the free map")

    assert response.status_code == 303
    entry = entry_row(app, crossed["slug"])
    assert (entry["title"], entry["region"], entry["revision_count"]) == (title, "Europe", 3)
    assert proposal_row(app, crossed["edit"])["status"] == "merged"


def test_a_custom_value_is_checked_like_any_proposed_value(app, crossed):
    response = merge(crossed["mod"], crossed["edit"], choice_title="custom", custom_title=" ")

    assert response.status_code == 400
    assert "Title is required." in response.get_data(as_text=True)
    assert entry_row(app, crossed["slug"])["revision_count"] == 2
    assert proposal_row(app, crossed["edit"])["status"] == "open"


# --- a merge that landed while the moderator was reading ---------------------------------------


@pytest.fixture
def overtaken(app, scene):
    """The moderator loads Bob's edit; meanwhile another moderator merges Cy's."""
    add_user(app, "mod2", role="moderator")
    bobs = add_edit(app, "bob", scene["slug"], region="Europe")
    cys = add_edit(app, "cy", scene["slug"], licence="ODbL 1.0")
    seen = decision_form(scene["mod"], bobs)
    merge_now(app, "mod2", cys)
    return {**scene, "edit": bobs, "seen": seen}


def test_a_merge_on_a_stale_entry_version_is_refused(app, overtaken):
    assert overtaken["seen"]["entry_version"] == "1"

    response = merge(overtaken["mod"], overtaken["edit"], seen=overtaken["seen"])

    assert response.status_code == 409
    entry = entry_row(app, overtaken["slug"])
    assert (entry["region"], entry["revision_count"], entry["version"]) == ("worldwide", 2, 2)
    assert proposal_row(app, overtaken["edit"])["status"] == "open"
    assert [r["moderator"] for r in log_rows(app)] == ["mod2"]


def test_the_refusal_shows_the_fresh_state_to_merge_from(app, overtaken):
    page = merge(overtaken["mod"], overtaken["edit"], seen=overtaken["seen"]).get_data(
        as_text=True)

    plan = text_of(page[page.index('class="diff merge-plan"'):page.index("</table>")])
    assert "Licence ODbL ODbL 1.0 ODbL" in plan
    merge_action = f"/moderation/proposals/{overtaken['edit']}/merge"
    assert hidden_value(page, merge_action, "entry_version") == "2"


def test_merging_again_from_the_fresh_state_keeps_both_changes(app, overtaken):
    merge(overtaken["mod"], overtaken["edit"], seen=overtaken["seen"])

    response = merge(overtaken["mod"], overtaken["edit"])

    assert response.status_code == 303
    entry = entry_row(app, overtaken["slug"])
    assert (entry["region"], entry["licence"], entry["revision_count"]) == (
        "Europe", "ODbL 1.0", 3)


# --- entries an edit can no longer land on --------------------------------------------------------


def test_an_edit_to_an_archived_entry_cannot_be_merged(app, scene):
    edit = add_edit(app, "bob", scene["slug"], region="Europe")
    set_columns(app, Entry, entry_row(app, scene["slug"])["id"], status="archived")

    response = merge(scene["mod"], edit)

    assert response.status_code == 409
    assert entry_row(app, scene["slug"])["revision_count"] == 1
    assert proposal_row(app, edit)["status"] == "open"


def test_an_edit_whose_new_link_belongs_to_another_entry_cannot_be_merged(app, scene):
    edit = add_edit(app, "bob", scene["slug"], url="https://osm.example.org")
    add_entry(app, "cy", title="OSM mirror", url="https://osm.example.org")

    response = merge(scene["mod"], edit)

    assert response.status_code == 409
    assert "merge the two entries instead" in response.get_data(as_text=True)
    assert entry_row(app, scene["slug"])["url"] == "https://www.openstreetmap.org"
    assert proposal_row(app, edit)["status"] == "open"


def test_a_link_made_after_an_edit_was_written_survives_its_merge(app, scene):
    edit = add_edit(app, "bob", scene["slug"], region="Europe")
    add_entry(app, "cy", "reading", related=[scene["slug"]])

    merge(scene["mod"], edit)

    assert revisions(app, scene["slug"])[-1]["fields"]["related"] == ["the-wealth-of-networks"]

"""Proposing an edit to an entry, and changing or withdrawing one's own open proposal."""

from urllib.parse import urlsplit

import pytest

from lbs.extensions import db
from lbs.models import Entry, Proposal
from tests.functional.contributing import (
    add_entry,
    add_user,
    browser,
    count_proposals,
    elements,
    field_error,
    form_fields,
    links,
    proposal_id,
    propose,
    row,
    shown_value,
    text_of,
)


@pytest.fixture
def ada(app):
    add_user(app, "ada")
    return browser(app, "ada")


@pytest.fixture
def bob(app):
    add_user(app, "bob")
    return browser(app, "bob")


@pytest.fixture
def hub(app, ada):
    return add_entry(app, "ada", "hub", title="OpenStreetMap", url="https://www.openstreetmap.org",
                     summary="The free *map*.", tags=["maps", "geodata"], languages="many",
                     region="worldwide", licence="ODbL", focus="peer-driven production")


def edit_form(page, **changes):
    """The edit form as the page filled it in, with the person's changes."""
    return form_fields(page, submit="Propose", **changes)


def test_the_edit_form_starts_from_the_current_revision(ada, hub):
    page = ada.get(f"/entries/{hub}/edit").get_data(as_text=True)

    assert shown_value(page, "title") == "OpenStreetMap"
    assert shown_value(page, "url") == "https://www.openstreetmap.org"
    assert shown_value(page, "summary") == "The free *map*."
    assert shown_value(page, "tags") == "geodata, maps"
    assert shown_value(page, "licence") == "ODbL"
    assert shown_value(page, "base_revision") == "1"
    hidden = [a for t, a in elements(page) if t == "input" and a.get("name") == "base_revision"]
    assert hidden[0]["type"] == "hidden"


def test_a_visitor_is_sent_to_log_in_before_editing(client, app, hub):
    add_user(app, "ada2")

    response = client.get(f"/entries/{hub}/edit")

    assert response.status_code == 302
    assert urlsplit(response.location).path == "/login"


def test_an_edit_proposal_records_its_base_revision_and_shows_a_field_by_field_diff(app, ada, hub):
    page = ada.get(f"/entries/{hub}/edit").get_data(as_text=True)

    response = ada.post(f"/entries/{hub}/edit", data=edit_form(
        page, title="OpenStreetMap (OSM)", licence="ODbL 1.0", rationale="The licence has a version."
    ))

    pid = proposal_id(response)
    stored = row(app, Proposal, pid)
    assert (stored["kind"], stored["base_revision_number"]) == ("edit", 1)
    with app.app_context():
        assert stored["target_entry_id"] == db.session.query(Entry.id).filter_by(slug=hub).scalar()
    shown = ada.get(f"/proposals/{pid}").get_data(as_text=True)
    diff = shown[shown.index('<table class="diff">'):shown.index("</table>")]
    rows = [text_of(part) for part in diff.split("<tr>")[2:]]
    assert rows == ["Title OpenStreetMap OpenStreetMap (OSM)", "Licence ODbL ODbL 1.0"]
    assert "against revision 1" in text_of(shown)
    assert "The licence has a version." in shown


def test_the_entry_page_lists_the_edits_waiting_for_votes(app, ada, hub):
    page = ada.get(f"/entries/{hub}/edit").get_data(as_text=True)
    pid = proposal_id(ada.post(f"/entries/{hub}/edit", data=edit_form(
        page, region="Earth", rationale="Clearer.")))

    assert f"/proposals/{pid}" in links(ada.get(f"/entries/{hub}").get_data(as_text=True))


def test_an_edit_needs_a_rationale(app, ada, hub):
    page = ada.get(f"/entries/{hub}/edit").get_data(as_text=True)

    response = ada.post(f"/entries/{hub}/edit", data=edit_form(page, title="OSM", rationale=" "))

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(page, "rationale")
    assert shown_value(page, "title") == "OSM"
    assert count_proposals(app) == 0


def test_an_edit_that_changes_nothing_is_refused(app, ada, hub):
    page = ada.get(f"/entries/{hub}/edit").get_data(as_text=True)

    response = ada.post(f"/entries/{hub}/edit", data=edit_form(page, rationale="Just because."))

    assert response.status_code == 400
    assert "changes nothing" in text_of(response.get_data(as_text=True))
    assert count_proposals(app) == 0


def test_only_reformatting_a_field_is_no_change(app, ada, hub):
    page = ada.get(f"/entries/{hub}/edit").get_data(as_text=True)

    response = ada.post(f"/entries/{hub}/edit", data=edit_form(
        page, url="HTTPS://www.openstreetmap.org/", tags="#Maps geodata", rationale="Tidier."))

    assert response.status_code == 400
    assert count_proposals(app) == 0


def test_an_edit_may_keep_the_entrys_own_address(app, ada, hub):
    page = ada.get(f"/entries/{hub}/edit").get_data(as_text=True)

    response = ada.post(f"/entries/{hub}/edit", data=edit_form(page, title="OSM", rationale="Short."))

    assert response.status_code == 302


def test_an_edit_may_not_take_the_address_of_another_entry(app, ada, hub):
    other = add_entry(app, "ada", "hub", title="Wikipedia", url="https://www.wikipedia.org")
    page = ada.get(f"/entries/{hub}/edit").get_data(as_text=True)

    response = ada.post(f"/entries/{hub}/edit", data=edit_form(
        page, url="https://www.wikipedia.org", rationale="Moved."))

    assert response.status_code == 400
    assert f"/entries/{other}/edit" in links(response.get_data(as_text=True))


def test_an_edit_against_a_revision_that_does_not_exist_is_a_conflict(app, ada, hub):
    page = ada.get(f"/entries/{hub}/edit").get_data(as_text=True)

    response = ada.post(f"/entries/{hub}/edit", data=edit_form(
        page, title="OSM", rationale="x", base_revision="7"))

    assert response.status_code == 409
    assert count_proposals(app) == 0


def test_a_reading_can_be_edited_too(app, ada):
    slug = add_entry(app, "ada", "reading", title="Peer production", url=None, doi="10.1000/pp",
                     year=2006, reading_type="article")
    page = ada.get(f"/entries/{slug}/edit").get_data(as_text=True)
    assert shown_value(page, "year") == "2006"

    response = ada.post(f"/entries/{slug}/edit", data=edit_form(
        page, year="2007", rationale="It appeared in 2007."))

    pid = proposal_id(response)
    assert row(app, Proposal, pid)["fields"]["year"] == 2007
    assert "Year 2006 2007" in text_of(ada.get(f"/proposals/{pid}").get_data(as_text=True))


# Changing and withdrawing

def test_the_author_changes_an_open_proposal_from_a_form_that_starts_from_it(app, ada):
    pid = proposal_id(propose(ada, "hub", title="Appropedia", region="Andes", rationale="Useful."))

    page = ada.get(f"/proposals/{pid}/change").get_data(as_text=True)
    assert shown_value(page, "title") == "Appropedia"
    assert shown_value(page, "region") == "Andes"
    assert shown_value(page, "rationale") == "Useful."

    response = ada.post(f"/proposals/{pid}/change", data=edit_form(page, region="Worldwide"))

    assert response.status_code == 302
    assert response.location == f"/proposals/{pid}"
    assert row(app, Proposal, pid)["fields"]["region"] == "Worldwide"
    assert count_proposals(app) == 1


def test_a_change_with_a_mistake_comes_back_and_keeps_the_proposal_as_it_was(app, ada):
    pid = proposal_id(propose(ada, "hub", region="Andes"))
    page = ada.get(f"/proposals/{pid}/change").get_data(as_text=True)

    response = ada.post(f"/proposals/{pid}/change", data=edit_form(page, region="Earth", url="file:///x"))

    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "url")
    assert row(app, Proposal, pid)["fields"]["region"] == "Andes"


def test_someone_else_may_not_change_a_proposal(app, ada, bob):
    pid = proposal_id(propose(ada, "hub", region="Andes"))
    form = edit_form(ada.get(f"/proposals/{pid}/change").get_data(as_text=True), region="Nowhere")

    assert bob.get(f"/proposals/{pid}/change").status_code == 403
    assert bob.post(f"/proposals/{pid}/change", data=form).status_code == 403
    assert row(app, Proposal, pid)["fields"]["region"] == "Andes"


def test_only_the_author_sees_change_and_withdraw(app, ada, bob):
    pid = proposal_id(propose(ada, "hub"))

    assert f"/proposals/{pid}/change" in links(ada.get(f"/proposals/{pid}").get_data(as_text=True))
    page = bob.get(f"/proposals/{pid}").get_data(as_text=True)
    assert f"/proposals/{pid}/change" not in links(page)
    assert f"/proposals/{pid}/withdraw" not in page


def test_the_author_withdraws_an_open_proposal(app, ada):
    pid = proposal_id(propose(ada, "hub"))

    response = ada.post(f"/proposals/{pid}/withdraw")

    assert response.status_code == 302
    assert row(app, Proposal, pid)["status"] == "withdrawn"
    page = ada.get(f"/proposals/{pid}").get_data(as_text=True)
    assert "status: withdrawn" in text_of(page)
    assert f"/proposals/{pid}/change" not in links(page)


def test_someone_else_may_not_withdraw_a_proposal(app, ada, bob):
    pid = proposal_id(propose(ada, "hub"))

    assert bob.post(f"/proposals/{pid}/withdraw").status_code == 403
    assert row(app, Proposal, pid)["status"] == "open"


def test_a_withdrawn_proposal_cannot_be_changed_or_withdrawn_again(app, ada):
    pid = proposal_id(propose(ada, "hub", region="Andes"))
    form = edit_form(ada.get(f"/proposals/{pid}/change").get_data(as_text=True), region="Earth")
    ada.post(f"/proposals/{pid}/withdraw")

    assert ada.get(f"/proposals/{pid}/change").status_code == 403
    assert ada.post(f"/proposals/{pid}/change", data=form).status_code == 403
    assert ada.post(f"/proposals/{pid}/withdraw").status_code in (403, 409)
    stored = row(app, Proposal, pid)
    assert (stored["status"], stored["fields"]["region"]) == ("withdrawn", "Andes")


def test_withdrawing_needs_a_post(app, ada):
    pid = proposal_id(propose(ada, "hub"))

    assert ada.get(f"/proposals/{pid}/withdraw").status_code == 405
    assert row(app, Proposal, pid)["status"] == "open"


def test_changing_an_edit_proposal_to_match_the_entry_again_is_refused(app, ada, hub):
    page = ada.get(f"/entries/{hub}/edit").get_data(as_text=True)
    pid = proposal_id(ada.post(f"/entries/{hub}/edit", data=edit_form(page, title="OSM", rationale="Short.")))
    change = ada.get(f"/proposals/{pid}/change").get_data(as_text=True)

    response = ada.post(f"/proposals/{pid}/change", data=edit_form(change, title="OpenStreetMap"))

    assert response.status_code == 400
    assert row(app, Proposal, pid)["fields"]["title"] == "OSM"

"""Readings point to the hubs where they are practised, and both pages show the link."""

import pytest

from lbs.domain.relations import set_related
from lbs.extensions import db
from lbs.models import Entry, Proposal
from tests.functional.contributing import (
    add_entry,
    add_user,
    browser,
    count_proposals,
    field_error,
    form_fields,
    links,
    proposal_id,
    propose,
    row,
    shown_value,
)


@pytest.fixture
def ada(app):
    add_user(app, "ada")
    return browser(app, "ada")


@pytest.fixture
def hub(app, ada):
    return add_entry(app, "ada", "hub", title="OpenStreetMap", url="https://www.openstreetmap.org")


def relate(app, slug, slugs):
    with app.app_context():
        set_related(db.session.query(Entry).filter_by(slug=slug).one(), slugs)
        db.session.commit()


def section(page, heading_id):
    start = page.index(f'<section aria-labelledby="{heading_id}"')
    return page[start:page.index("</section>", start)]


def test_a_reading_proposal_names_hubs_and_its_page_links_them(app, ada, hub):
    pid = proposal_id(propose(ada, "reading", related=hub))

    assert row(app, Proposal, pid)["fields"]["related"] == [hub]
    page = ada.get(f"/proposals/{pid}").get_data(as_text=True)
    assert f"/entries/{hub}" in links(page)
    assert "Hubs where it is practised" in page


def test_a_hub_may_be_named_by_its_page_address(app, ada, hub):
    pid = proposal_id(propose(ada, "reading", related=f"https://lbs.example.org/entries/{hub}/"))

    assert row(app, Proposal, pid)["fields"]["related"] == [hub]


def test_an_unknown_slug_is_refused_by_the_field_with_the_input_kept(app, ada, hub):
    response = propose(ada, "reading", related=f"{hub}, no-such-hub")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "no-such-hub" in field_error(page, "related")
    assert shown_value(page, "related") == f"{hub}, no-such-hub"
    assert count_proposals(app) == 0


def test_a_reading_cannot_be_named_as_a_hub(app, ada, hub):
    other_reading = add_entry(app, "ada", "reading", title="An essay", url="https://example.org/essay")

    response = propose(ada, "reading", related=other_reading)

    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "related")


def test_an_archived_hub_cannot_be_named(app, ada, hub):
    with app.app_context():
        db.session.query(Entry).filter_by(slug=hub).one().status = "archived"
        db.session.commit()

    assert propose(ada, "reading", related=hub).status_code == 400


def test_a_hub_proposal_names_readings_about_it(app, ada):
    reading = add_entry(app, "ada", "reading", title="An essay", url="https://example.org/essay")

    pid = proposal_id(propose(ada, "hub", related=reading))

    assert row(app, Proposal, pid)["fields"]["related"] == [reading]


def test_a_relation_shows_on_both_entry_pages(app, ada, hub):
    reading = add_entry(app, "ada", "reading", title="Mapping together", url="https://example.org/mapping")

    relate(app, reading, [hub])

    reading_page = ada.get(f"/entries/{reading}").get_data(as_text=True)
    hub_page = ada.get(f"/entries/{hub}").get_data(as_text=True)
    assert f"/entries/{hub}" in links(section(reading_page, "related-heading"))
    assert "Hubs where it is practised" in reading_page
    assert f"/entries/{reading}" in links(section(hub_page, "related-heading"))
    assert "Readings about it" in hub_page


def test_setting_the_relations_again_replaces_them(app, ada, hub):
    other_hub = add_entry(app, "ada", "hub", title="Wikipedia", url="https://www.wikipedia.org")
    reading = add_entry(app, "ada", "reading", title="Mapping together", url="https://example.org/mapping")
    relate(app, reading, [hub])

    relate(app, reading, [other_hub])

    assert f"/entries/{other_hub}" in links(ada.get(f"/entries/{reading}").get_data(as_text=True))
    assert 'aria-labelledby="related-heading"' not in ada.get(f"/entries/{hub}").get_data(as_text=True)


def test_an_entry_without_relations_shows_no_related_section(app, ada, hub):
    assert 'aria-labelledby="related-heading"' not in ada.get(f"/entries/{hub}").get_data(as_text=True)


def test_the_edit_form_starts_with_the_related_entries(app, ada, hub):
    reading = add_entry(app, "ada", "reading", title="Mapping together", url="https://example.org/mapping")
    relate(app, reading, [hub])

    assert shown_value(ada.get(f"/entries/{reading}/edit").get_data(as_text=True), "related") == hub


def edit(client, slug, **changes):
    """Send the edit form as the page filled it in, with these changes."""
    page = client.get(f"/entries/{slug}/edit").get_data(as_text=True)
    data = form_fields(page, rationale="Better.", submit="Propose", **changes)
    return client.post(f"/entries/{slug}/edit", data=data)


def reading_pointing_to(app, hub_slug, n):
    # What merging a reading proposal that names the hub leaves behind.
    return add_entry(app, "ada", "reading", title=f"Reading {n}", url=f"https://example.org/r{n}",
                     related=[hub_slug])


def test_an_unchanged_edit_of_a_hub_that_readings_point_to_changes_nothing(app, ada, hub):
    reading_pointing_to(app, hub, 1)

    response = edit(ada, hub)

    assert response.status_code == 400
    assert "changes nothing" in response.get_data(as_text=True)
    assert count_proposals(app) == 0


def test_the_diff_of_such_a_hub_edit_shows_only_what_was_changed(app, ada, hub):
    reading_pointing_to(app, hub, 1)

    pid = proposal_id(edit(ada, hub, region="Earth"))

    page = ada.get(f"/proposals/{pid}").get_data(as_text=True)
    diff = page[page.index('<table class="diff">'):page.index("</table>")]
    assert "Region" in diff
    assert "Related entries" not in diff


def test_a_link_made_after_an_edit_was_proposed_is_not_shown_as_removed_by_it(app, ada, hub):
    pid = proposal_id(edit(ada, hub, region="Earth"))
    # A reading merged later links itself to the hub: the proposal never saw that link.
    reading_pointing_to(app, hub, 1)

    page = ada.get(f"/proposals/{pid}").get_data(as_text=True)
    diff = page[page.index('<table class="diff">'):page.index("</table>")]
    assert "Region" in diff
    assert "Related entries" not in diff
    assert "reading-1" not in diff


def test_a_hub_that_many_readings_point_to_can_still_be_edited(app, ada, hub):
    for n in range(12):
        reading_pointing_to(app, hub, n)

    assert edit(ada, hub, region="Earth").status_code == 302


def test_a_reading_names_at_most_ten_hubs(app, ada):
    hubs = [add_entry(app, "ada", "hub", title=f"Hub {n}", url=f"https://hub{n}.example.org")
            for n in range(11)]

    response = propose(ada, "reading", related=", ".join(hubs))

    assert response.status_code == 400
    assert "at most 10" in field_error(response.get_data(as_text=True), "related")
    assert propose(ada, "reading", related=", ".join(hubs[:10])).status_code == 302

"""The link of a proposal: stored in one canonical form, only http(s), and never a second copy of
something already in the commons or already proposed."""

import pytest

from lbs.models import Proposal
from tests.functional.contributing import (
    add_entry,
    add_user,
    browser,
    count_proposals,
    field_error,
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


def test_the_address_is_stored_in_its_canonical_form(app, ada):
    typed = "HTTPS://WWW.Appropedia.ORG:443/Main_Page/?utm_source=newsletter&fbclid=x#top"

    pid = proposal_id(propose(ada, "hub", url=typed))

    assert row(app, Proposal, pid)["url"] == "https://www.appropedia.org/Main_Page"
    page = ada.get(f"/proposals/{pid}").get_data(as_text=True)
    assert "https://www.appropedia.org/Main_Page" in links(page)


@pytest.mark.parametrize(
    "typed",
    ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd",
     "//evil.example/page", "https:///no-host", "ftp://example.org/x", "www.example.org",
     "https://example.org/" + "a" * 2000],
)
@pytest.mark.parametrize("kind", ["hub", "reading"])
def test_an_address_that_is_not_http_or_https_comes_back_with_400(app, ada, kind, typed):
    response = propose(ada, kind, url=typed)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(page, "url")
    assert shown_value(page, "url") == typed
    assert shown_value(page, "title") in ("Appropedia", "Peer production")
    assert count_proposals(app) == 0


@pytest.mark.parametrize(
    "typed",
    ["https://www.openstreetmap.org", "HTTPS://www.OpenStreetMap.org/", "https://www.openstreetmap.org/#map",
     "https://www.openstreetmap.org:443/?utm_campaign=spring"],
)
def test_an_address_of_a_live_entry_is_refused_with_a_link_to_propose_an_edit(app, ada, typed):
    slug = add_entry(app, "ada", "hub", url="https://www.openstreetmap.org")

    response = propose(ada, "hub", url=typed)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "already in the commons" in field_error(page, "url")
    assert f"/entries/{slug}/edit" in links(page)
    assert count_proposals(app) == 0


def test_ticking_not_the_same_does_not_get_past_a_live_entry(app, ada):
    add_entry(app, "ada", "hub", url="https://www.openstreetmap.org")

    response = propose(ada, "hub", url="https://www.openstreetmap.org", accept_similar="y")

    assert response.status_code == 400
    assert count_proposals(app) == 0


def test_a_doi_of_a_live_reading_is_refused_however_it_is_typed(app, ada):
    slug = add_entry(app, "ada", "reading", url=None, doi="10.1000/xyz123")

    response = propose(ada, "reading", url="", doi="https://doi.org/10.1000/XYZ123")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "already in the commons" in field_error(page, "doi")
    assert f"/entries/{slug}/edit" in links(page)


def test_an_isbn_10_of_a_book_in_the_commons_as_isbn_13_is_refused(app, ada):
    slug = add_entry(app, "ada", "reading", url=None, isbn="9780306406157")

    response = propose(ada, "reading", url="", isbn="0-306-40615-2")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "already in the commons" in field_error(page, "isbn")
    assert f"/entries/{slug}/edit" in links(page)


def test_an_address_of_an_entry_merged_away_or_archived_does_not_count(app, ada):
    from lbs.extensions import db
    from lbs.models import Entry

    slug = add_entry(app, "ada", "hub", url="https://www.openstreetmap.org")
    with app.app_context():
        db.session.query(Entry).filter_by(slug=slug).one().status = "archived"
        db.session.commit()

    assert propose(ada, "hub", url="https://www.openstreetmap.org").status_code == 302


def test_an_address_of_an_open_proposal_is_pointed_out_with_a_link_to_it(app, ada):
    add_user(app, "bob")
    first = proposal_id(propose(browser(app, "bob"), "hub", url="https://www.appropedia.org"))

    response = propose(ada, "hub", url="https://WWW.appropedia.org/?utm_source=x")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "open proposal" in field_error(page, "url")
    assert f"/proposals/{first}" in links(page)
    assert shown_value(page, "accept_similar") is not None
    assert count_proposals(app) == 1


def test_ticking_not_the_same_lets_the_proposal_through(app, ada):
    add_user(app, "bob")
    proposal_id(propose(browser(app, "bob"), "hub", url="https://www.appropedia.org"))

    response = propose(ada, "hub", url="https://www.appropedia.org", accept_similar="y")

    assert response.status_code == 302
    assert count_proposals(app) == 2


def test_an_open_proposal_with_the_same_doi_is_pointed_out_by_the_doi(app, ada):
    first = proposal_id(propose(ada, "reading", url="", doi="10.1000/abc"))

    response = propose(ada, "reading", url="", doi="doi:10.1000/ABC")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"/proposals/{first}" in links(page)
    assert "open proposal" in field_error(page, "doi")


def test_a_withdrawn_proposal_does_not_block_the_same_address(app, ada):
    first = proposal_id(propose(ada, "hub", url="https://www.appropedia.org"))
    ada.post(f"/proposals/{first}/withdraw")

    assert propose(ada, "hub", url="https://www.appropedia.org").status_code == 302

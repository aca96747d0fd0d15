"""Proposing hubs and readings: the form, its preview, its messages, and the proposal page."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from lbs.domain import voting
from lbs.extensions import db
from lbs.models import Proposal, User
from tests.functional.contributing import (
    add_comment_row,
    add_entry,
    add_user,
    browser,
    count_proposals,
    elements,
    field_error,
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


@pytest.mark.parametrize("kind", ["hub", "reading"])
def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(client, kind):
    for response in (client.get(f"/propose/{kind}"), client.post(f"/propose/{kind}", data={})):
        assert response.status_code == 302
        target = urlsplit(response.location)
        assert target.path == "/login"
        assert parse_qs(target.query)["next"] == [f"/propose/{kind}"]


def test_proposing_a_hub_opens_its_proposal_page(app, ada):
    response = propose(ada, "hub", title="Appropedia", url="https://www.appropedia.org/",
                       summary="A *wiki* for appropriate technology.", tags="wiki, water",
                       focus="commons-based initiative", languages="English, Spanish",
                       region="worldwide", licence="CC BY-SA 4.0")

    page = ada.get(response.location).get_data(as_text=True)
    assert "New hub: Appropedia" in page
    assert "<em>wiki</em>" in page
    text = text_of(page)
    for shown in ("commons-based initiative", "English, Spanish", "worldwide", "CC BY-SA 4.0",
                  "status: open"):
        assert shown in text
    assert "/tags/wiki" in links(page) and "/tags/water" in links(page)
    assert "https://www.appropedia.org" in links(page)


def test_a_proposed_hub_is_stored_with_its_author_and_fields(app, ada):
    pid = proposal_id(propose(ada, "hub", tags="wiki, water", focus="production"))

    stored = row(app, Proposal, pid)
    assert (stored["kind"], stored["entry_kind"], stored["status"]) == ("new", "hub", "open")
    assert stored["fields"]["tags"] == ["water", "wiki"]
    assert stored["fields"]["focus"] == "production"
    assert stored["fields"]["licence"] == "CC BY-SA 4.0"
    with app.app_context():
        assert db.session.get(User, stored["author_id"]).username == "ada"


def test_proposing_a_reading_keeps_its_bibliographic_fields(app, ada):
    pid = proposal_id(propose(
        ada, "reading", title="The Wealth of Networks", authors="Yochai Benkler", year="2006",
        venue="Yale University Press", reading_type="book", doi="10.1000/WoN", isbn="0-300-11056-1",
        url="https://www.benkler.org/wealth",
    ))

    fields = row(app, Proposal, pid)["fields"]
    assert fields["authors"] == "Yochai Benkler"
    assert fields["year"] == 2006
    assert fields["venue"] == "Yale University Press"
    assert fields["reading_type"] == "book"
    assert fields["doi"] == "10.1000/won"
    assert fields["isbn"] == "9780300110562"
    page = text_of(ada.get(f"/proposals/{pid}").get_data(as_text=True))
    for shown in ("New reading: The Wealth of Networks", "Yochai Benkler", "2006",
                  "Yale University Press", "book", "10.1000/won", "9780300110562"):
        assert shown in page


@pytest.mark.parametrize(
    ("field", "value"), [("doi", "https://doi.org/10.1000/xyz"), ("isbn", "978-0-306-40615-7")]
)
def test_a_reading_may_have_a_doi_or_isbn_instead_of_a_web_address(app, ada, field, value):
    response = propose(ada, "reading", url="", **{field: value})

    assert response.status_code == 302
    assert row(app, Proposal, proposal_id(response))["url"] is None


def test_a_reading_with_no_address_doi_or_isbn_is_refused(app, ada):
    response = propose(ada, "reading", url="", doi="", isbn="")

    assert response.status_code == 400
    assert "DOI or an ISBN" in field_error(response.get_data(as_text=True), "url")
    assert count_proposals(app) == 0


def test_a_hub_needs_a_web_address(app, ada):
    response = propose(ada, "hub", url="")

    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "url")
    assert count_proposals(app) == 0


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [("title", "", "hub"), ("focus", "", "hub"), ("focus", "nonsense", "hub"),
     ("reading_type", "", "reading"), ("year", "two thousand", "reading"), ("year", "3000", "reading"),
     ("doi", "not-a-doi", "reading"), ("isbn", "0-306-40615-3", "reading"),
     ("title", "x" * 201, "hub"), ("summary", "x" * 10001, "hub")],
)
def test_a_wrong_field_comes_back_with_a_message_by_it_and_nothing_is_saved(
    app, ada, field, value, kind
):
    response = propose(ada, kind, **{field: value})

    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), field)
    assert count_proposals(app) == 0


def test_a_refused_form_keeps_everything_typed(ada):
    typed = {"title": "Appropedia ✓", "url": "javascript:alert(1)", "summary": "Line one\nline *two*",
             "tags": "wiki, water", "languages": "English", "region": "Andes", "licence": "CC0",
             "rationale": "Because."}

    page = propose(ada, "hub", **typed).get_data(as_text=True)

    for name, value in typed.items():
        assert shown_value(page, name) == value
    focus = [attrs for tag, attrs in elements(page) if tag == "option" and "selected" in attrs]
    assert focus and focus[0]["value"] == "commons-based initiative"


def test_five_tags_are_accepted(app, ada):
    pid = proposal_id(propose(ada, "hub", tags="a, b, c, d, e"))

    assert row(app, Proposal, pid)["fields"]["tags"] == ["a", "b", "c", "d", "e"]


def test_a_sixth_tag_is_refused_with_the_tags_kept(app, ada):
    response = propose(ada, "hub", tags="a, b, c, d, e, f")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "at most 5" in field_error(page, "tags")
    assert shown_value(page, "tags") == "a, b, c, d, e, f"
    assert count_proposals(app) == 0


def test_the_preview_shows_the_rendered_summary_and_saves_nothing(app, ada):
    response = propose(ada, "hub", summary="A **strong** case.\n\n- one\n- two",
                       preview="Preview", submit=None)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Preview of the summary" in page
    assert "<strong>strong</strong>" in page
    assert "<li>one</li>" in page
    assert shown_value(page, "summary") == "A **strong** case.\n\n- one\n- two"
    assert count_proposals(app) == 0


def test_the_preview_shows_no_raw_html(app, ada):
    page = propose(ada, "hub", summary="<script>alert(1)</script>", preview="Preview",
                   submit=None).get_data(as_text=True)

    assert all(tag != "script" for tag, _ in elements(page))
    assert count_proposals(app) == 0


def test_the_preview_of_a_form_with_mistakes_saves_nothing_either(app, ada):
    response = propose(ada, "hub", url="not a url", preview="Preview", submit=None)

    assert response.status_code == 200
    assert count_proposals(app) == 0


def test_the_proposal_page_shows_its_votes_and_discussion(app, ada):
    pid = proposal_id(propose(ada, "hub"))
    add_user(app, "bob")
    add_user(app, "cy")
    with app.app_context():
        for name in ("bob", "cy"):
            voter = db.session.query(User).filter_by(username=name).one()
            voting.cast_vote(voter, db.session.get(Proposal, pid), 1)
        db.session.commit()
    add_comment_row(app, "bob", "proposal", pid, body="Worth *adding*.")

    page = ada.get(f"/proposals/{pid}").get_data(as_text=True)

    assert 'title="2 up, 0 down"' in page
    assert "Discussion (1)" in page
    assert "Worth <em>adding</em>." in page


def test_an_unknown_proposal_is_a_404(client):
    assert client.get("/proposals/999").status_code == 404


def test_a_visitor_may_read_a_proposal_but_is_offered_log_in_to_discuss(app, ada, client):
    pid = proposal_id(propose(ada, "hub"))

    page = client.get(f"/proposals/{pid}").get_data(as_text=True)

    assert "New hub: Appropedia" in page
    assert f"/login?next=/proposals/{pid}" in links(page)
    assert f"/comments/proposal/{pid}" not in page


def test_every_field_description_points_at_text_on_the_page(ada):
    # Screen readers read aria-describedby ids: each must name an element that exists.
    for response in (ada.get("/propose/hub"), propose(ada, "hub", url="", title="")):
        page = response.get_data(as_text=True)
        ids = {attrs["id"] for _, attrs in elements(page) if "id" in attrs}
        for _, attrs in elements(page):
            for ref in (attrs.get("aria-describedby") or "").split():
                assert ref in ids, ref
            assert attrs.get("aria-invalid") in (None, "true")


def test_a_new_account_may_put_only_two_links_in_a_summary(app):
    add_user(app, "newbie", age=timedelta(days=1))
    newbie = browser(app, "newbie")
    summary = "[a](https://a.org) [b](https://b.org) [c](https://c.org)"

    response = propose(newbie, "hub", summary=summary)

    assert response.status_code == 400
    assert "at most 2 links" in field_error(response.get_data(as_text=True), "summary")
    assert propose(newbie, "hub", summary="[a](https://a.org) [b](https://b.org)").status_code == 302


def test_an_established_account_may_link_more(ada):
    summary = "[a](https://a.org) [b](https://b.org) [c](https://c.org)"

    assert propose(ada, "hub", summary=summary).status_code == 302


def test_an_edit_page_of_an_unknown_entry_is_a_404(app, ada):
    add_entry(app, "ada")

    assert ada.get("/entries/no-such-entry/edit").status_code == 404

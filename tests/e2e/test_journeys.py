"""What people do, end to end, in a real browser without any JavaScript help."""

import re

from sqlalchemy import select

from lbs.domain import contributions, entries
from lbs.domain.accounts import system_user
from lbs.extensions import db
from lbs.models import Entry, User
from tests.e2e.conftest import SCREENSHOTS, log_in


def _sign_up(page, server, username):
    page.goto(f"{server.url}/signup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label("Password", exact=True).fill("a long passphrase ✓")
    page.get_by_label("Repeat the password").fill("a long passphrase ✓")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_load_state()


def test_a_reading_goes_from_a_newcomer_to_the_commons(context, server, make_user):
    make_user("mia", role="moderator")
    make_user("bob")
    page = context.new_page()

    # A newcomer signs up and proposes a reading with a mistake in its address.
    _sign_up(page, server, "newcomer")
    assert "Welcome to the commons, newcomer" in page.content()
    page.goto(f"{server.url}/propose/reading")
    page.get_by_label("Title").fill("The Wealth of Networks")
    page.get_by_label("Web address").fill("javascript:alert(1)")
    page.get_by_label("Type").select_option("book")
    page.get_by_label("Summary").fill("How *social production* transforms markets.")
    page.get_by_role("button", name="Propose").click()
    assert page.get_by_text("Only web addresses starting with https:// or http://").is_visible()
    assert page.get_by_label("Title").input_value() == "The Wealth of Networks"

    # They fix it, preview the summary, and send it.
    page.get_by_label("Web address").fill("https://www.benkler.org/wealth_of_networks/")
    page.get_by_role("button", name="Preview").click()
    assert page.locator(".preview em").inner_text() == "social production"
    page.get_by_role("button", name="Propose").click()
    assert re.search(r"/proposals/\d+$", page.url)
    proposal_url = page.url

    # A second peer comments and votes, with the same pages.
    peer = context.browser.new_context().new_page()
    log_in(peer, server, "bob")
    peer.goto(proposal_url)
    peer.get_by_label("Add to the discussion").fill("A classic: **read chapter 4**.")
    peer.get_by_role("button", name="Comment").click()
    assert peer.locator(".comment-body strong").inner_text() == "read chapter 4"
    peer.get_by_role("button", name="Up-vote").first.click()
    assert peer.locator(".entry-head .score").first.inner_text().startswith("1")

    # A moderator merges it, and it is in the list of readings.
    moderator = context.browser.new_context().new_page()
    log_in(moderator, server, "mia")
    moderator.goto(proposal_url)
    moderator.get_by_role("link", name=re.compile("Decide")).click()
    moderator.locator("#reason").fill("A founding text of peer production.")
    moderator.get_by_role("button", name="Merge into the commons").click()
    assert moderator.locator("h1").inner_text() == "The Wealth of Networks"
    moderator.goto(f"{server.url}/readings")
    assert moderator.get_by_role("link", name="The Wealth of Networks").is_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    moderator.screenshot(path=SCREENSHOTS / "readings-1280.png", full_page=True)


def test_a_moderator_resolves_an_edit_that_conflicts_with_a_later_merge(context, server, app,
                                                                         make_user):
    make_user("mia", role="moderator")
    make_user("ann")
    make_user("bob")
    with app.app_context():
        author = system_user()
        entry = entries.create_entry(
            "hub", {"title": "Appropedia", "url": "https://www.appropedia.org",
                    "summary": "A wiki for sustainability.", "tags": ["wiki"],
                    "focus": "peer-driven production"},
            proposer=author, merged_by=author, reason="starter")
        ann = db.session.scalar(select(User).where(User.username_key == "ann"))
        bob = db.session.scalar(select(User).where(User.username_key == "bob"))
        fields = contributions.current_fields(entry)
        first = contributions.propose_edit(
            ann, entry, {**fields, "title": "Appropedia, the sustainability wiki"}, "Clearer", 1)
        second = contributions.propose_edit(
            bob, entry, {**fields, "title": "Appropedia (wiki)", "region": "worldwide"},
            "Region", 1)
        db.session.commit()
        first_id, second_id, slug = first.id, second.id, entry.slug

    page = context.new_page()
    log_in(page, server, "mia")
    page.goto(f"{server.url}/moderation/proposals/{first_id}")
    page.locator("#reason").fill("Clearer name")
    page.get_by_role("button", name="Merge into the commons").click()

    page.goto(f"{server.url}/moderation/proposals/{second_id}")
    assert page.get_by_text("(both changed)").is_visible()
    page.locator("#c-title-custom").check()
    page.locator("#custom-title").fill("Appropedia, the sustainability wiki (worldwide)")
    page.locator("#reason").fill("Both names, and the region")
    page.get_by_role("button", name="Merge into the commons").click()

    assert page.locator("h1").inner_text() == "Appropedia, the sustainability wiki (worldwide)"
    with app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.slug == slug))
        assert (entry.revision_count, entry.region) == (3, "worldwide")


def test_voting_and_commenting_work_with_javascript_off(no_js_context, server, app, make_user):
    make_user("bob")
    with app.app_context():
        author = system_user()
        entry = entries.create_entry(
            "reading", {"title": "Governing the Commons", "url": "https://example.org/gtc",
                        "summary": "Ostrom.", "tags": ["commons"], "reading_type": "book"},
            proposer=author, merged_by=author, reason="starter")
        db.session.commit()
        slug = entry.slug
    page = no_js_context.new_page()
    log_in(page, server, "bob")
    page.goto(f"{server.url}/entries/{slug}")
    page.get_by_role("button", name="Up-vote").first.click()
    assert page.url.endswith(f"/entries/{slug}")
    assert page.locator(".entry-head .score").first.inner_text().startswith("1")
    page.get_by_label("Add to the discussion").fill("Essential reading.")
    page.get_by_role("button", name="Comment").click()
    assert page.get_by_text("Essential reading.").is_visible()
    page.get_by_role("button", name="Withdraw up-vote").first.click()
    assert page.locator(".entry-head .score").first.inner_text().startswith("0")

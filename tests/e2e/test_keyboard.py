"""Everything works with the keyboard alone, and the keyboard's place is always visible.

These tests move only with Tab, Enter and typing, as someone who cannot use a pointer does:
a control that Tab never reaches, or that shows no focus, fails them.
"""

import pytest
from sqlalchemy import select

from lbs.domain import discussion, entries
from lbs.domain.accounts import system_user
from lbs.extensions import db
from lbs.models import User
from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in

MAX_TAB_STOPS = 300

FOCUS_LOOK = """el => {
  const s = getComputedStyle(el);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(' | ');
}"""

RECORD_UNFOCUSED_LOOKS = """look => {
  const lookOf = new Function('return ' + look)();
  window.focusables = [...document.querySelectorAll('a[href], button, input, select, textarea, summary')];
  window.unfocusedLook = new Map(window.focusables.map(el => [el, lookOf(el)]));
}"""

FOCUSED = """look => {
  const lookOf = new Function('return ' + look)();
  const el = document.activeElement;
  const s = getComputedStyle(el);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
  return {
    tag: el.tagName.toLowerCase(),
    index: window.focusables.indexOf(el),
    what: el.outerHTML.slice(0, 120),
    changed: window.unfocusedLook.has(el) && window.unfocusedLook.get(el) !== lookOf(el),
    ring,
    atStart: el === document.body,
  };
}"""


@pytest.fixture
def reading(app, make_user):
    """A reading with one comment, so its page has a reply button to reach."""
    ann = make_user("ann")
    with app.app_context():
        author = system_user()
        entry = entries.create_entry(
            "reading", {"title": "Governing the Commons", "url": "https://example.org/gtc",
                        "summary": "Ostrom on *common-pool resources*.", "tags": ["commons"],
                        "reading_type": "book"},
            proposer=author, merged_by=author, reason="starter")
        commenter = db.session.scalar(select(User).where(User.username_key == ann))
        discussion.add_comment(commenter, entry, "Start with the eight design principles.")
        db.session.commit()
        return entry.slug


def tab_to(page, selector):
    """Press Tab until the focused element matches `selector`; fails if it never does."""
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


def press_enter_and_wait(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_log_in_vote_and_comment_with_the_keyboard_alone(context, server, make_user, reading):
    make_user("bob")
    page = context.new_page()
    page.goto(f"{server.url}/entries/{reading}")

    # The discussion's log-in link brings the reader back here afterwards.
    tab_to(page, ".discussion a[href*='/login?next=']")
    press_enter_and_wait(page)
    tab_to(page, "#login")
    page.keyboard.type("bob")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    press_enter_and_wait(page)
    assert page.url.endswith(f"/entries/{reading}")

    tab_to(page, ".entry-head button.vote.up")
    press_enter_and_wait(page)
    assert page.locator(".entry-head .score").inner_text().startswith("1")
    assert page.locator(".entry-head button.vote.up").get_attribute("aria-pressed") == "true"

    tab_to(page, "#comment-body")
    page.keyboard.type("Chapter 3 on *design principles* is the heart of it.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    press_enter_and_wait(page)
    assert page.locator(".comment-body em").inner_text() == "design principles"


@pytest.mark.parametrize("where", ["log-in page", "entry page, logged in"])
def test_every_tab_stop_shows_where_the_focus_is(context, server, make_user, reading, where):
    make_user("bob")
    page = context.new_page()
    if where == "log-in page":
        page.goto(f"{server.url}/login")
    else:
        log_in(page, server, "bob")
        page.goto(f"{server.url}/entries/{reading}")
    page.evaluate(RECORD_UNFOCUSED_LOOKS, FOCUS_LOOK)

    seen, unmarked = {}, []
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED, FOCUS_LOOK)
        if focused["atStart"] or focused["index"] in seen:
            break
        seen[focused["index"]] = focused["tag"]
        if not (focused["changed"] and focused["ring"]):
            unmarked.append(focused["what"])

    assert not unmarked, f"no visible focus on: {unmarked}"
    kinds = set(seen.values())
    expected = {"a", "button", "input", "select"}
    if where != "log-in page":
        expected |= {"textarea", "summary"}
    assert expected <= kinds, f"Tab reached only {kinds}"


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(context, server):
    page = context.new_page()
    page.goto(f"{server.url}/")

    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.get_attribute("href") == "#main"
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0, "the skip link is off-screen"
    assert skip.is_visible()

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.evaluate("document.activeElement.tagName") == "MAIN"

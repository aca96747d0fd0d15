"""Stored XSS, in a real browser (SECURITY.md, check 8).

A commons is seeded through the domain with hostile text in every field people type into:
proposal titles, summaries and rationales, hub languages, regions and licences, reading
authors, venues and DOIs, addresses, comments, flag notes, moderators' reasons, token names,
tags and usernames as far as their patterns allow. Then Chromium opens every page that shows
them (entries, proposals, edit forms, history, lists, search, profiles, the moderation queue
and log, notifications, feeds and the API), as a visitor, a peer and a moderator, with a
dialog handler and a `securitypolicyviolation` listener installed before any page script:
not one dialog opens and not one violation is reported. Each HTML page, as served, also holds
no script element, no on* attribute and no link or source outside http, https, mailto and
this site. Downloads (exports, citations) are checked as downloads: never HTML, never sniffed.

tests/functional/test_xss.py sends the payloads through the forms with the test client; this
file checks what a browser makes of what they leave behind.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from sqlalchemy import select, update

from lbs.domain import contributions, discussion, moderation, tokens
from lbs.extensions import db
from lbs.models import Entry, ModerationAction, User, utcnow
from lbs.security import CONTENT_SECURITY_POLICY
from tests.conftest import PASSWORD, _empty_tables, make_test_app
from tests.e2e.conftest import LiveServer, log_in
from tests.support.terminal import write_line

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<SCRIPT>alert(2);//<</SCRIPT>",
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    "<img src=x onerror=alert(3)>",
    '<img src="x" onerror="alert(4)">',
    "<IMG SRC=javascript:alert(5)>",
    "<img src=x:alert(alt) onerror=eval(src) alt=6>",
    "<svg onload=alert(7)>",
    "<svg/onload=alert(8)//",
    "<svg><script>alert(9)</script></svg>",
    "<svg><animate onbegin=alert(10) attributeName=x dur=1s>",
    "<body onload=alert(11)>",
    "<iframe src=javascript:alert(12)></iframe>",
    '<iframe srcdoc="<script>alert(13)</script>"></iframe>',
    "<object data=javascript:alert(14)></object>",
    "<embed src=javascript:alert(15)>",
    "<a href=javascript:alert(16)>x</a>",
    '<a href="jav&#x09;ascript:alert(17)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxOCk8L3NjcmlwdD4=">x</a>',
    "[x](javascript:alert(19))",
    "[x](JaVaScRiPt:alert(20))",
    "[x](jav&#x09;ascript:alert(21))",
    "[x](&#106;avascript:alert(22))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgyMyk8L3NjcmlwdD4=)",
    "[x](vbscript:msgbox(24))",
    "![x](javascript:alert(25))",
    "<javascript:alert(26)>",
    '[x](https://example.org"onmouseover="alert(27))',
    '"><script>alert(28)</script>',
    "'><script>alert(29)</script>",
    '"><img src=x onerror=alert(30)>',
    '" onmouseover="alert(31)',
    "' autofocus onfocus='alert(32)",
    '" autofocus onfocus=alert(33) x="',
    "</textarea><script>alert(34)</script>",
    "</title><script>alert(35)</script>",
    "</option></select><img src=x onerror=alert(36)>",
    "</script><script>alert(37)</script>",
    "<!--<script>alert(38)//-->",
    "--><script>alert(39)</script>",
    "<![CDATA[<script>alert(40)</script>]]>",
    "<style>*{background:url(javascript:alert(41))}</style>",
    '<div style="background:url(javascript:alert(42))">x</div>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(44)">',
    "<form action=javascript:alert(45)><button>x</button></form>",
    "<button formaction=javascript:alert(46)>x</button>",
    "<details open ontoggle=alert(47)>",
    "<video><source onerror=alert(48)></video>",
    "<input onfocus=alert(49) autofocus>",
    "<marquee onstart=alert(50)>x</marquee>",
    "{{7*7}}",
    "{{ config }}{% print 7*7 %}",
    "${alert(53)}",
    "<b>broken <i>markup",
    '<a href="https://example.org>x</a',
    "\u202e<script>alert(56)</script>",
    "`<img src=x onerror=alert(57)>`",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(58)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(59)>">',
    '<a href="https://example.org" onclick="alert(60)">x</a>',
    "<x onclick=alert(61)>click",
    "javascript:alert(62)",
    "data:text/html,<script>alert(63)</script>",
]
# Usernames are [A-Za-z0-9_-]{3,30}: as hostile as that pattern lets them be.
USERNAMES = ["onerror", "script", "javascript-alert-1", "__proto__", "--onload--",
             "img_src-x", "x-onmouseover"]
# Tags are a-z, 0-9 and inner hyphens: words from the payloads.
TAGS = ["script", "onerror", "javascript", "svg-onload", "img-src-x", "alert-1", "iframe"]
MODERATOR = "mod"
# Focus handlers and timers fire after load: they get their turn before the list is read.
VIOLATIONS_SO_FAR = "new Promise(resolve => setTimeout(() => resolve(window.__violations || []), 0))"
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
}, true);
"""


@dataclass
class Seeded:
    """What the seed made, as the paths that show it."""

    pages: dict = field(default_factory=lambda: {"visitor": [], "peer": [], "moderator": []})
    entry_of: dict = field(default_factory=dict)
    people: list = field(default_factory=list)
    downloads: list = field(default_factory=list)

    def show(self, role, *paths):
        self.pages[role].extend(paths)


def _user(username, role="peer"):
    user = User(username=username, username_key=username.lower(),
                email=f"{username}@example.org", email_key=f"{username.lower()}@example.org",
                password_hash=_password_hash(), role=role, karma=50,
                created_at=utcnow() - timedelta(days=90))
    db.session.add(user)
    db.session.flush()
    return user


_hash = {}


def _password_hash():
    if "value" not in _hash:
        from lbs.domain import passwords

        _hash["value"] = passwords.hash_password(PASSWORD)
    return _hash["value"]


def _no_space(payload):
    return "".join(payload.split())


def seed(app):
    """Every field people type into, holding each payload; returns the pages that show them."""
    seeded = Seeded()
    with app.app_context():
        mod = _user(MODERATOR, role="moderator")
        people = [_user(name) for name in USERNAMES]
        seeded.people = [mod.username] + USERNAMES
        for n, payload in enumerate(PAYLOADS):
            author, editor, other = (people[(n + k) % len(people)] for k in range(3))
            tag = TAGS[n % len(TAGS)]
            hub_fields = {
                "title": payload, "url": f"https://example.org/hub/{n}?q={quote(payload)}",
                "summary": payload, "tags": [tag], "focus": "peer-driven production",
                "languages": payload, "region": payload[:100], "licence": payload[:100],
            }
            hub = moderation.merge_proposal(
                mod, contributions.propose_entry(author, "hub", hub_fields, payload), payload)
            # Revision 2 changes every text field, so the history shows a diff of each.
            moderation.merge_proposal(mod, contributions.propose_edit(
                editor, hub, {**contributions.current_fields(hub), "title": payload + " (2)",
                              "summary": payload + "\n\n" + payload, "languages": payload + "!",
                              "region": payload[:99] + "!", "licence": payload[:99] + "!"},
                payload, 1), payload)
            open_edit = contributions.propose_edit(
                other, hub, {**contributions.current_fields(hub), "summary": "An edit: " + payload,
                             "licence": "CC0 " + payload[:90]}, payload, 2)
            reading_fields = {
                "title": payload, "url": None, "summary": payload, "tags": [tag],
                "authors": payload, "venue": payload, "year": 2001, "reading_type": "article",
                "doi": f"10.1234/{n}{_no_space(payload)}"[:200], "isbn": None,
                "related": [hub.slug],
            }
            reading_proposal = contributions.propose_entry(author, "reading", reading_fields, payload)
            reading = moderation.merge_proposal(mod, reading_proposal, payload)
            rejected = contributions.propose_entry(editor, "hub", {
                **hub_fields, "url": f"https://example.org/rejected/{n}"}, payload)
            moderation.reject(mod, rejected, payload)
            open_new = contributions.propose_entry(other, "reading", {
                **reading_fields, "doi": None, "related": [],
                "url": f"https://example.org/open/{n}#{quote(payload)}"}, payload)

            said = discussion.add_comment(editor, hub, payload)
            discussion.add_comment(author, hub, payload, parent_id=said.id)
            on_proposal = discussion.add_comment(author, open_edit, payload)
            if n % 3 == 0:
                moderation.hide_comment(mod, on_proposal, payload)
            discussion.flag(author, open_edit, "spam", note=payload)
            discussion.flag(editor, open_new, "duplicate", note=payload, duplicate_of=reading)
            if n < tokens.MAX_LIVE_TOKENS:
                tokens.create_token(people[0], payload[:60])

            seeded.show("visitor", f"/entries/{hub.slug}", f"/entries/{reading.slug}",
                        f"/entries/{hub.slug}/history", f"/proposals/{open_edit.id}",
                        f"/proposals/{rejected.id}", f"/search?q={quote(payload)}")
            # Forms that start filled in with what others typed, and the peer's own.
            seeded.show("peer", f"/entries/{hub.slug}/edit", f"/entries/{reading.slug}/edit",
                        f"/proposals/{open_new.id}")
            if other is people[0]:
                seeded.show("peer", f"/proposals/{open_new.id}/change")
            if editor is people[0]:
                seeded.show("peer", f"/comments/{said.id}/edit")
            if author is not people[0] and n % 3 == 0:
                seeded.show("peer", f"/flag/entry/{reading.id}")
            # Moderators see more of the same pages: hidden comments, flags, their buttons.
            seeded.show("moderator", f"/moderation/proposals/{open_edit.id}")
            if n % 3 == 0:
                seeded.show("moderator", f"/proposals/{open_edit.id}", f"/proposals/{reading_proposal.id}")
            if n % 6 == 0:
                seeded.show("moderator", f"/entries/{hub.slug}")
            seeded.entry_of[payload] = f"/entries/{hub.slug}"
            seeded.downloads += [f"/entries/{reading.slug}.{ext}" for ext in ("bib", "ris", "json")]
            seeded.downloads.append(f"/search.bib?q={quote(payload)}")
            if n % 6 == 0:
                # The API is JSON, which a browser shows as text; a sample shows it stays so.
                seeded.show("visitor", f"/api/v1/entries/{hub.slug}", f"/api/v1/proposals/{open_edit.id}")

        # A suspension and its end, with reasons, land in the public log.
        suspended = _user("suspended-one")
        moderation.suspend(mod, suspended, PAYLOADS[0])
        moderation.reinstate(mod, suspended, PAYLOADS[1])
        # What the link checker found, shown to moderators beside each broken entry.
        db.session.execute(update(Entry).where(Entry.kind == "reading").values(
            link_broken=True, link_status=404, link_error=PAYLOADS[5]))
        db.session.commit()

        def pages_of(rows, per_page):
            return range(1, rows // per_page + 2)

        entries = len(PAYLOADS)  # of each kind
        proposals_open = 2 * len(PAYLOADS)
        log_rows = db.session.scalar(select(db.func.count()).select_from(ModerationAction))
        seeded.show("visitor", "/", "/hubs?sort=new", "/readings?sort=hot", "/proposals",
                    "/proposals?status=merged", "/proposals?status=rejected",
                    "/search?q=alert", "/search?q=script&kind=reading",
                    *(f"/moderation/log?page={p}" for p in pages_of(log_rows, moderation.LOG_PAGE)),
                    *(f"/hubs?page={p}" for p in pages_of(entries, 30)),
                    *(f"/readings?page={p}" for p in pages_of(entries, 30)),
                    *(f"/proposals?page={p}" for p in pages_of(proposals_open, 30)),
                    *(f"/tags/{tag}" for tag in TAGS),
                    *(f"/users/{name}" for name in seeded.people),
                    "/feeds/entries.atom", "/feeds/hubs.atom", "/feeds/readings.atom",
                    "/feeds/proposals.atom", *(f"/feeds/tags/{tag}.atom" for tag in TAGS),
                    "/api/v1/entries", "/api/v1/entries?kind=reading&page=2", "/api/v1/proposals",
                    "/api/v1/tags", *(f"/api/v1/users/{name}" for name in USERNAMES))
        seeded.show("moderator", "/moderation", "/moderation/broken-links", "/notifications",
                    "/proposals?sort=new")
        seeded.show("peer", "/notifications", "/account", "/readings")
        seeded.downloads += ["/export/commons.json", "/export/commons.csv", "/readings.bib",
                             "/readings.ris", "/readings.json"]
    return seeded


@pytest.fixture(scope="module")
def site(browser, database_url):
    """A live server over the seeded commons, and a log-in saved for the peer and the moderator."""
    app = make_test_app(database_url, WTF_CSRF_ENABLED=True)
    _empty_tables(app)
    seeded = seed(app)
    live = LiveServer(app).start()
    states = {}
    for role, username in (("peer", USERNAMES[0]), ("moderator", MODERATOR)):
        context = browser.new_context()
        page = context.new_page()
        log_in(page, live, username)
        assert urlsplit(page.url).path != "/login", f"{username} could not log in"
        states[role] = context.storage_state()
        context.close()
    yield live, seeded, states
    live.stop()
    _empty_tables(app)


# -- what a served page may hold -----------------------------------------------------------------

# None of these is in the site's own markup: on a page, any of them came from someone's text.
FOREIGN_ELEMENTS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
                    "svg", "math", "style", "img", "video", "audio", "source", "marquee", "x",
                    "noscript", "template"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster",
                  "background", "srcset", "ping", "cite", "longdesc", "manifest"}


class _Start(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def _is_site_or_web_url(value):
    # Browsers drop tabs and newlines anywhere in a URL, and spaces and controls around it,
    # before they read its scheme.
    url = re.sub(r"[\t\n\r]", "", value).strip(" \x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c")
    lowered = url.lower()
    if re.match(r"[a-z][a-z0-9+.-]*:", lowered):
        return lowered.startswith(("http://", "https://", "mailto:"))
    # Without a scheme it is this site, unless it starts like "//host", "/\host" or "\\host".
    return not lowered.startswith(("//", "/\\", "\\"))


def inert_problems(html):
    """Whatever in a served page could run script or lead off the site."""
    parser = _Start()
    parser.feed(html)
    parser.close()
    problems = []
    for tag, attrs in parser.tags:
        if tag in FOREIGN_ELEMENTS:
            problems.append(f"<{tag}>")
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
            problems.append(f"<meta {attrs}>")
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"{name}= on <{tag}>")
            if name == "style":
                problems.append(f"style= on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None and not _is_site_or_web_url(value):
                problems.append(f'{name}="{value}" on <{tag}>')
    return problems


# -- the browser ---------------------------------------------------------------------------------

class Visits:
    """One page per role, kept between visits, recording dialogs and CSP violations."""

    def __init__(self, browser, live, states):
        self.live = live
        self.dialogs = []
        self.violations = []
        self.problems = []
        self.count = 0
        self._contexts = []
        self._pages = {}
        for role in ("visitor", "peer", "moderator"):
            context = browser.new_context(storage_state=states.get(role))
            context.add_init_script(RECORD_VIOLATIONS)
            page = context.new_page()
            page.on("dialog", self._dialog)
            self._contexts.append(context)
            self._pages[role] = page

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message} on {dialog.page.url if dialog.page else '?'}")
        dialog.dismiss()

    def open(self, role, path):
        page = self._pages[role]
        response = page.goto(self.live.url + path, wait_until="load")
        self.count += 1
        assert response is not None and response.status == 200, (role, path, response and response.status)
        self.violations += [f"{v} on {path}" for v in page.evaluate(VIOLATIONS_SO_FAR)]
        content_type = response.headers.get("content-type", "")
        if content_type.startswith("text/html"):
            self.problems += [f"{p} on {path}" for p in inert_problems(response.text())]
        else:
            assert response.headers.get("x-content-type-options") == "nosniff", path
        return page

    def close(self):
        for context in self._contexts:
            context.close()


@pytest.fixture(scope="module")
def visits(browser, site, pytestconfig):
    live, _seeded, states = site
    visits = Visits(browser, live, states)
    visits.config = pytestconfig
    yield visits
    visits.close()
    report(visits)


def report(visits):
    """The figures of the run, on the terminal."""
    write_line(visits.config, (
        f"stored XSS in Chromium: {len(PAYLOADS)} payloads, {visits.count} pages and downloads "
        f"checked, {len(visits.dialogs)} dialogs, {len(visits.violations)} CSP violations, "
        f"{len(visits.problems)} unsafe elements or attributes"
    ))


def _assert_clean(visits, before):
    dialogs, violations, problems = (visits.dialogs[before[0]:], visits.violations[before[1]:],
                                     visits.problems[before[2]:])
    assert dialogs == [], dialogs[:5]
    assert violations == [], violations[:5]
    assert problems == [], problems[:5]


def _mark(visits):
    return len(visits.dialogs), len(visits.violations), len(visits.problems)


def test_the_watch_sees_an_injection_when_there_is_one(browser, site):
    """The checks below pass by finding nothing: here they find what they are looking for."""
    live, _seeded, _states = site
    injected = '<p>x</p><img src=x onerror=alert(1)><a href=" javascript:alert(2)">y</a>'
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.route(f"{live.url}/probe-with-csp", lambda route: route.fulfill(
        status=200, content_type="text/html", body=injected,
        headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY}))
    page.route(f"{live.url}/probe-without-csp", lambda route: route.fulfill(
        status=200, content_type="text/html", body=injected))
    try:
        page.goto(f"{live.url}/probe-with-csp")
        page.wait_for_load_state("load")
        blocked = page.evaluate(VIOLATIONS_SO_FAR)
        with page.expect_event("dialog"):
            page.goto(f"{live.url}/probe-without-csp")
    finally:
        context.close()

    assert any("script-src" in violation for violation in blocked), blocked
    assert dialogs == ["1"]
    assert inert_problems(injected) == [
        "<img>", "onerror= on <img>", 'href=" javascript:alert(2)" on <a>']


def test_the_corpus_is_large_and_varied():
    assert len(PAYLOADS) >= 50 and len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.mark.parametrize("role", ["visitor", "peer", "moderator"])
def test_no_page_showing_hostile_text_runs_it_in_a_browser(site, visits, role):
    _live, seeded, _states = site
    before = _mark(visits)

    for path in seeded.pages[role]:
        visits.open(role, path)

    _assert_clean(visits, before)


def test_template_syntax_in_text_stays_text(site, visits):
    _live, seeded, _states = site
    page = visits.open("visitor", seeded.entry_of["{{7*7}}"])

    assert "{{7*7}}" in page.locator("h1").inner_text()


def test_downloads_are_never_read_as_pages(site, visits, browser):
    live, seeded, _states = site
    context = browser.new_context()
    try:
        for path in seeded.downloads:
            response = context.request.get(live.url + path)
            assert response.status == 200, path
            headers = response.headers
            assert "attachment" in headers.get("content-disposition", ""), path
            assert headers.get("x-content-type-options") == "nosniff", path
            assert not headers.get("content-type", "").startswith(("text/html", "application/xhtml")), path
            visits.count += 1
    finally:
        context.close()

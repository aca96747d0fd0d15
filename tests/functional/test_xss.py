"""Stored and reflected XSS: hostile text through every field people type into, and every page
that shows it, parsed the way a browser would read it (SECURITY.md, check 8)."""

from urllib.parse import quote

import pytest
from sqlalchemy import select

from lbs.domain import entries
from lbs.extensions import db
from lbs.models import Entry, Proposal, User
from tests.functional.contributing import add_user, browser, elements, proposal_id

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>alert(1)//<</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<IMG SRC=javascript:alert('XSS')>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)//",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>x</text></a></svg>',
    '<math href="javascript:alert(1)">x</math>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<a href=javascript:alert(1)>x</a>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    "<a href=/\\evil.example>x</a>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](jav&#0000009;ascript:alert(1))",
    "[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x](<javascript:alert(1)>)",
    "[x](//evil.example)",
    "[x](/\\evil.example)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "![x](javascript:alert(1))",
    '![x](https://evil.example/x.png"onerror="alert(1))',
    "<javascript:alert(1)>",
    '[x](https://example.org"onmouseover="alert(1))',
    "[x](https://example.org 'a\" onmouseover=alert(1) b=\"')",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    '" autofocus onfocus=alert(1) x="',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</option></select><script>alert(1)</script>",
    "<!--<script>alert(1)//-->",
    "--><script>alert(1)</script>",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<style>@import 'https://evil.example/x.css';</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<button formaction=javascript:alert(1)>x</button>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<input onfocus=alert(1) autofocus>",
    "<x onclick=alert(1)>click",
    "<scr\u200bipt>alert(1)</scr\u200bipt>",
    "<a\thref=javascript:alert(1)>x</a>",
    '<a href="\u202ejavascript:alert(1)">x</a>',
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    "{{ 7*7 }}<script>alert(1)</script>{% raw %}",
]
# The site's own markup has none of these: any of them on a page came from someone's text.
FOREIGN_ELEMENTS = {"script", "iframe", "frame", "object", "embed", "svg", "math", "img", "video",
                    "audio", "source", "base", "style", "applet", "marquee", "x"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}


def is_safe_url(value):
    lowered = value.lower()
    if lowered.startswith(("http://", "https://", "mailto:", "#", "?")):
        return True
    # A same-site path; "//host" and "/\host" are other sites to a browser.
    return lowered.startswith("/") and not lowered.startswith(("//", "/\\"))


def assert_inert(page, where):
    for tag, attrs in elements(page):
        assert tag not in FOREIGN_ELEMENTS, f"<{tag}> on {where}"
        if tag == "meta":
            assert set(attrs) <= {"charset", "name", "content"}, f"{attrs} on {where}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{name}= on <{tag}> on {where}"
            if name in URL_ATTRIBUTES and value is not None:
                assert is_safe_url(value), f'{name}="{value}" on <{tag}> on {where}'
            if name == "style":
                raise AssertionError(f"a style attribute on <{tag}> on {where}")


def assert_escaped(page, payload, where):
    # Whatever the parser makes of it, typed markup itself never reaches the page raw.
    if "<" in payload:
        assert payload not in page, f"{payload!r} raw on {where}"


def check(client, path, payloads=(), expect=200):
    response = client.get(path)
    assert response.status_code == expect, (path, response.status_code)
    page = response.get_data(as_text=True)
    assert_inert(page, path)
    for payload in payloads:
        assert_escaped(page, payload, path)
    return page


def checked_post(client, path, data, payload, expect):
    response = client.post(path, data=data)
    assert response.status_code == expect, (path, response.status_code)
    page = response.get_data(as_text=True)
    assert_inert(page, f"POST {path}")
    assert_escaped(page, payload, f"POST {path}")
    return response


def one_line(payload):
    return " ".join(payload.split())


@pytest.fixture
def people(app):
    add_user(app, "ada")
    add_user(app, "bob", karma=10)
    add_user(app, "mod", role="moderator")
    return {name: browser(app, name) for name in ("ada", "bob", "mod")}


def test_the_corpus_is_large_enough():
    assert len(PAYLOADS) >= 50
    assert len(set(PAYLOADS)) == len(PAYLOADS)


def test_hostile_text_in_every_field_never_becomes_markup_on_any_page(app, people):
    ada, bob, mod = people["ada"], people["bob"], people["mod"]
    slugs, proposals = [], []
    for i, payload in enumerate(PAYLOADS):
        # Refused forms show what was typed again: tags, address and related are all wrong here.
        checked_post(ada, "/propose/hub", {
            "title": payload, "url": f"https://example.org/{i}/{payload}", "tags": payload,
            "related": payload, "summary": payload, "languages": payload, "region": payload,
            "licence": payload, "rationale": payload, "focus": payload, "submit": "Propose",
        }, payload, expect=400)
        hub = proposal_id(checked_post(ada, "/propose/hub", {
            "title": payload, "url": f"https://example.org/hub/{i}?q={quote(payload)}", "tags": "xss",
            "summary": payload, "languages": payload, "region": payload, "licence": payload,
            "rationale": payload, "focus": "production", "submit": "Propose",
        }, payload, expect=302))
        reading = proposal_id(checked_post(ada, "/propose/reading", {
            "title": payload, "url": "", "doi": f"10.1234/{i}{''.join(payload.split())}"[:200],
            "authors": payload, "venue": payload, "year": "2001", "reading_type": "article",
            "summary": payload, "rationale": payload, "tags": "xss", "submit": "Propose",
        }, payload, expect=302))
        proposals += [hub, reading]
        comment = bob.post(f"/comments/proposal/{hub}", data={"body": payload})
        assert comment.status_code == 303
        comment_id = int(comment.location.rsplit("-", 1)[1])
        checked_post(bob, f"/flag/proposal/{hub}", {"reason": "", "note": payload,
                                                     "duplicate_of": payload}, payload, 400)
        assert bob.post(f"/flag/proposal/{hub}", data={"reason": "spam", "note": payload}).status_code == 303
        for pid in (hub, reading):
            check(bob, f"/proposals/{pid}", [payload])
        check(bob, f"/comments/{comment_id}/edit", [payload])
        check(ada, f"/proposals/{reading}/change", [payload])
        check(bob, f"/search?q={quote(payload)}", [payload])

        # What a merge leaves behind: entries made from the proposals' fields.
        with app.app_context():
            moderator = db.session.scalar(select(User).where(User.username == "mod"))
            for pid in (hub, reading):
                proposal = db.session.get(Proposal, pid)
                entry = entries.create_entry(proposal.entry_kind, dict(proposal.fields),
                                             proposal.author, moderator, proposal, reason=payload)
                proposal.status, proposal.resulting_entry_id = "merged", entry.id
                proposal.decision_reason, proposal.decided_by_id = payload, moderator.id
                slugs.append(entry.slug)
            db.session.commit()
        hub_slug, reading_slug = slugs[-2:]
        commented = bob.post(f"/comments/entry/{_entry_id(app, hub_slug)}", data={"body": payload})
        assert commented.status_code == 303
        for slug in (hub_slug, reading_slug):
            check(bob, f"/entries/{slug}", [payload])
        # Forms that start filled in: the hub's fields in its edit form, the reading's in the
        # change form of its proposal.
        check(bob, f"/entries/{hub_slug}/edit", [payload])
        edit = checked_post(bob, f"/entries/{hub_slug}/edit", {
            "title": one_line(payload)[:190] + " (ed.)", "url": f"https://example.org/hub/{i}?q={quote(payload)}",
            "focus": "production", "tags": "xss, edited", "summary": payload, "languages": payload,
            "region": payload, "licence": payload, "base_revision": "1", "rationale": payload,
            "submit": "Propose",
        }, payload, expect=302)
        check(bob, edit.location, [payload])

    everyone = PAYLOADS
    for path in ["/", "/hubs", "/hubs?page=2", "/hubs?page=3", "/readings", "/readings?page=2",
                 "/readings?page=3", "/tags/xss", "/proposals", "/proposals?sort=new&page=2",
                 "/proposals?page=3", "/proposals?status=merged", "/proposals?status=merged&page=5",
                 "/users/ada", "/users/bob"]:
        check(bob, path, everyone)
    check(ada, "/notifications", everyone)
    check(mod, "/moderation", everyone)
    check(mod, "/moderation/log", everyone)
    for pid in proposals[:6]:
        check(mod, f"/moderation/proposals/{pid}", everyone)
    for slug in slugs[:6]:
        check(bob, f"/entries/{slug}/history", everyone)
    for pid in proposals[:2]:
        check(bob, f"/proposals/{pid}", everyone)


def _entry_id(app, slug):
    with app.app_context():
        return db.session.scalar(select(Entry.id).where(Entry.slug == slug))

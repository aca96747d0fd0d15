"""Every form, fuzzed (SECURITY.md, check 20): Hypothesis fills each form people send with
random and hostile text (NUL, lone surrogates and bytes that are not UTF-8, bidi controls,
megabyte strings, markup, numbers no column holds), as the account the form is for, and no
answer may be a server error. A body over MAX_CONTENT_LENGTH is a 413 page.

Bodies are encoded by hand (tests/functional/fuzzing.py), urlencoded or multipart, so what
reaches the app is byte for byte what was generated. The file ends by reporting how many
requests it sent.
"""

import itertools
import re
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.routing import AnyConverter, IntegerConverter

from lbs.domain import moderation
from lbs.extensions import db
from lbs.models import Proposal
from tests.conftest import PASSWORD
from tests.functional.fuzzing import (
    EXAMPLES,
    HEADERS,
    HOSTILE,
    Tally,
    filled,
    light_text,
    multipart,
    random_text,
    text,
    urlencoded,
)
from tests.functional.moderating import (
    add_edit,
    add_entry,
    add_proposal,
    add_user,
    comment,
    entry_id,
    entry_named,
    flag,
    login,
    merge_now,
    user_named,
)
from tests.support.routes import routes

TALLY = Tally("test_fuzz_forms")
# The sweeps cover every route, so they get more examples than one form does.
SWEEP = settings(EXAMPLES, max_examples=150)
_unique = itertools.count(1)


@pytest.fixture(scope="module", autouse=True)
def report(request):
    yield
    TALLY.report(request.config)


def send(client, path, fields, as_multipart=False):
    """Send the fields as a form body encoded by hand; a 5xx fails the test with the input."""
    if as_multipart:
        body, content_type = multipart(fields)
    else:
        body, content_type = urlencoded(fields), "application/x-www-form-urlencoded"
    response = TALLY.record(client.post(path, data=body, content_type=content_type))
    shown = {k: (v[:80] + f"... ({len(v)} chars)" if len(v) > 80 else v) for k, v in fields.items()}
    assert response.status_code < 500, (path, shown, response.status_code)
    if response.status_code == 413:
        assert response.mimetype == "text/html"
    return response


def url():
    return text(st.builds(lambda n: f"https://example.org/fuzz/{n}", st.integers(0, 10**6)))


# The fields of the proposal forms, with plausible values that get past the first checks.
ENTRY_FIELDS = {
    "title": text("A fuzzed hub"), "url": url(), "summary": text("A *summary*."),
    "tags": text("maps, commons", "x"), "rationale": text("Because."),
    "accept_similar": light_text("y"), "preview": light_text("Preview"),
    "submit": light_text("Propose"),
}
HUB_FIELDS = {
    **ENTRY_FIELDS, "focus": text("production", "peer-driven production"),
    "languages": text("English"), "region": text("worldwide"), "licence": text("CC BY-SA 4.0"),
    "related": text("governing-the-commons"),
}
READING_FIELDS = {
    **ENTRY_FIELDS, "authors": text("Elinor Ostrom"), "year": text("1990", "2999"),
    "venue": text("Cambridge"), "reading_type": text("book", "article"),
    "doi": text("10.1234/abc"), "isbn": text("9780521405997", "0-521-40599-X"),
    "related": text("openstreetmap"),
}
REASON = text("Checked against the sources.")


@pytest.fixture
def scene(app):
    """A small commons: a peer (ada), a second peer (bob), a moderator; entries, a proposal,
    an edit proposal and comments of ada's."""
    add_user(app, "ada", karma=10)
    add_user(app, "bob", karma=10)
    add_user(app, "mod", role="moderator")
    hub = add_entry(app, "bob", "hub")
    reading = add_entry(app, "bob", "reading")
    proposal = add_proposal(app, "ada", "hub", url="https://example.org/ada")
    edit = add_edit(app, "ada", hub, summary="A clearer summary.")
    hub_id = entry_id(app, hub)
    return {
        "hub": hub, "reading": reading, "hub_id": hub_id, "proposal": proposal, "edit": edit,
        "comment": comment(app, "ada", "entry", hub_id),
        "ada": login(app, "ada"), "bob": login(app, "bob"), "mod": login(app, "mod"),
    }


# -- accounts ---------------------------------------------------------------------------------

@EXAMPLES
@given(form=filled(username=text(st.from_regex(r"[A-Za-z0-9_-]{3,30}", fullmatch=True)),
                   email=text("new@example.org", st.emails()),
                   password=text(PASSWORD + "!"), confirm=text(PASSWORD + "!")),
       as_multipart=st.booleans())
def test_sign_up(app, form, as_multipart):
    send(app.test_client(), "/signup", form, as_multipart)


@EXAMPLES
@given(form=filled(login=text("ada", "ada@example.org"), password=text(PASSWORD),
                   remember=light_text("y"), next=text("/hubs", "//evil.example")),
       as_multipart=st.booleans())
def test_log_in(app, scene, form, as_multipart):
    send(app.test_client(), "/login", form, as_multipart)


@EXAMPLES
@given(form=filled(current_password=text(PASSWORD), password=text("a new long passphrase"),
                   confirm=text("a new long passphrase")),
       as_multipart=st.booleans())
def test_change_password(app, scene, form, as_multipart):
    send(scene["ada"], "/account/password", form, as_multipart)


@EXAMPLES
@given(form=filled(email=text("ada.new@example.org", st.emails()),
                   current_password=text(PASSWORD)),
       as_multipart=st.booleans())
def test_change_email(app, scene, form, as_multipart):
    send(scene["ada"], "/account/email", form, as_multipart)


@EXAMPLES
@given(form=filled(name=text("my script")), as_multipart=st.booleans())
def test_create_a_token(app, scene, form, as_multipart):
    send(scene["ada"], "/account/tokens", form, as_multipart)


@EXAMPLES
@given(form=filled(language=text("fr", "es", "en"), next=text("/hubs", "//evil.example")),
       signed_in=st.booleans())
def test_switch_language(app, scene, form, signed_in):
    send(scene["ada"] if signed_in else app.test_client(), "/language", form)


# -- contributing -----------------------------------------------------------------------------

@EXAMPLES
@given(kind=st.sampled_from(["hub", "reading"]), data=st.data(), as_multipart=st.booleans())
def test_propose_an_entry(app, scene, kind, data, as_multipart):
    form = data.draw(filled(**(HUB_FIELDS if kind == "hub" else READING_FIELDS)))
    send(scene["ada"], f"/propose/{kind}", form, as_multipart)


@EXAMPLES
@given(kind=st.sampled_from(["hub", "reading"]), data=st.data(), as_multipart=st.booleans())
def test_propose_an_edit(app, scene, kind, data, as_multipart):
    form = data.draw(filled(**(HUB_FIELDS if kind == "hub" else READING_FIELDS),
                            base_revision=text("1", "2", "0")))
    send(scene["ada"], f"/entries/{scene[kind]}/edit", form, as_multipart)


@EXAMPLES
@given(which=st.sampled_from(["proposal", "edit"]), data=st.data(), as_multipart=st.booleans())
def test_change_a_proposal(app, scene, which, data, as_multipart):
    form = data.draw(filled(**HUB_FIELDS))
    send(scene["ada"], f"/proposals/{scene[which]}/change", form, as_multipart)


@EXAMPLES
@given(target=st.sampled_from(["entry", "proposal"]),
       form=filled(body=text("A **thought**."), parent_id=text("1", "²", "٣", str(2**40)),
                   next=text("/hubs")),
       as_multipart=st.booleans())
def test_comment(app, scene, target, form, as_multipart):
    target_id = scene["hub_id"] if target == "entry" else scene["proposal"]
    send(scene["bob"], f"/comments/{target}/{target_id}", form, as_multipart)


@EXAMPLES
@given(form=filled(body=text("An edited thought."), parent_id=text("1"), next=text("/")),
       as_multipart=st.booleans())
def test_edit_a_comment(app, scene, form, as_multipart):
    send(scene["ada"], f"/comments/{scene['comment']}/edit", form, as_multipart)


@EXAMPLES
@given(target=st.sampled_from(["entry", "proposal", "comment"]),
       form=filled(reason=text("spam", "duplicate", "broken-link"),
                   duplicate_of=text("openstreetmap", "/entries/the-wealth-of-networks"),
                   note=text("Looks like spam."), next=text("/")),
       as_multipart=st.booleans())
def test_flag(app, scene, target, form, as_multipart):
    # A fresh item of ada's each time: a second flag by bob on one item is refused early.
    if target == "entry":
        target_id = entry_id(app, add_entry(app, "ada", "hub", title=f"Flag me {next(_unique)}",
                                            url=f"https://example.org/flag/{next(_unique)}"))
    elif target == "proposal":
        target_id = add_proposal(app, "ada", "hub", url=f"https://example.org/p/{next(_unique)}")
    else:
        target_id = comment(app, "ada", "entry", scene["hub_id"])
    send(scene["bob"], f"/flag/{target}/{target_id}", form, as_multipart)


@EXAMPLES
@given(target=st.sampled_from(["entry", "proposal", "comment"]),
       form=filled(value=text("1", "-1", "0"), next=text("/hubs")))
def test_vote(app, scene, target, form):
    target_id = {"entry": scene["hub_id"], "proposal": scene["proposal"],
                 "comment": scene["comment"]}[target]
    send(scene["bob"], f"/vote/{target}/{target_id}", form)


# -- moderating -------------------------------------------------------------------------------

def _versions(app, proposal_id):
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        entry = proposal.target_entry
        return str(proposal.version), str(entry.version) if entry is not None else ""


@EXAMPLES
@given(action=st.sampled_from(["merge", "reject", "duplicate"]), kind=st.sampled_from(["new", "edit"]),
       data=st.data(), as_multipart=st.booleans())
def test_decide_on_a_proposal(app, scene, action, kind, data, as_multipart):
    n = next(_unique)
    if kind == "new":
        proposal_id = add_proposal(app, "ada", "reading", url=f"https://example.org/r/{n}",
                                   title=f"Reading {n}")
    else:
        # An edit whose entry moved on since: both sides changed the summary, so the merge
        # form carries the moderator's choice (or their own text) for it.
        slug = add_entry(app, "bob", "hub", title=f"Hub {n}", url=f"https://example.org/h/{n}")
        proposal_id = add_edit(app, "ada", slug, summary="Ada's summary.")
        merge_now(app, "mod", add_edit(app, "bob", slug, summary="Bob's summary."))
    version, entry_version = _versions(app, proposal_id)
    form = data.draw(filled(
        reason=REASON, version=text(version, "0", str(2**40)),
        entry_version=text(entry_version, "0"), entry=text(scene["hub"], "no-such-entry"),
        choice_summary=text("current", "proposed", "custom"),
        custom_summary=text("The moderator's summary."), choice_title=text("custom"),
        custom_title=text("x"), custom_tags=text("a, b"), custom_year=text("1990"),
    ))
    send(scene["mod"], f"/moderation/proposals/{proposal_id}/{action}", form, as_multipart)


def test_a_form_field_without_a_readable_name_is_skipped_by_the_merge(app, scene):
    # Found by the sweep above: a multipart part named "\\" reaches Flask with None for a
    # name, and the merge form's choice_/custom_ fields were read by calling startswith on it.
    n = next(_unique)
    proposal_id = add_proposal(app, "ada", "reading", url=f"https://example.org/r/{n}",
                               title=f"Reading {n}")
    version, _ = _versions(app, proposal_id)
    for as_multipart in (True, False):
        form = {"\\": "", "reason": "Checked against the sources.", "version": version}
        response = send(scene["mod"], f"/moderation/proposals/{proposal_id}/merge", form,
                        as_multipart)
        assert response.status_code in (303, 409), response.status_code


@EXAMPLES
@given(action=st.sampled_from(["archive", "restore", "merge", "rollback"]), data=st.data(),
       as_multipart=st.booleans())
def test_decide_on_an_entry(app, scene, action, data, as_multipart):
    n = next(_unique)
    slug = add_entry(app, "bob", "hub", title=f"Entry {n}", url=f"https://example.org/e/{n}")
    merge_now(app, "mod", add_edit(app, "ada", slug, summary=f"Revision two of {n}."))
    if action == "restore":
        with app.app_context():
            moderation.archive(user_named("mod"), entry_named(slug), "For the test.")
            db.session.commit()
    form = data.draw(filled(
        reason=REASON, entry=text(scene["hub"], f"/entries/{scene['hub']}", slug),
        revision=text("1", "2", "3", str(2**40)), entry_version=text("2", "0"),
        version=text("1"),
    ))
    send(scene["mod"], f"/moderation/entries/{slug}/{action}", form, as_multipart)


@EXAMPLES
@given(action=st.sampled_from(["hide", "unhide"]), form=filled(reason=REASON),
       as_multipart=st.booleans())
def test_hide_a_comment(app, scene, action, form, as_multipart):
    comment_id = comment(app, "ada", "entry", scene["hub_id"])
    if action == "unhide":
        with app.app_context():
            moderation.hide_comment(user_named("mod"), db.session.get(moderation.Comment, comment_id),
                                    "For the test.")
            db.session.commit()
    send(scene["mod"], f"/moderation/comments/{comment_id}/{action}", form, as_multipart)


@EXAMPLES
@given(outcome=st.sampled_from(["resolved", "dismissed"]), suggestion=st.booleans(),
       form=filled(reason=REASON), as_multipart=st.booleans())
def test_decide_on_flags(app, scene, outcome, suggestion, form, as_multipart):
    n = next(_unique)
    slug = add_entry(app, "ada", "hub", title=f"Flagged {n}", url=f"https://example.org/f/{n}")
    flag_id = flag(app, "bob", "entry", entry_id(app, slug), reason="duplicate" if suggestion else "spam",
                   duplicate_of=scene["hub"] if suggestion else None, note="Seen before.")
    path = (f"/moderation/suggestions/{flag_id}" if suggestion
            else f"/moderation/flags/entry/{entry_id(app, slug)}/{outcome}")
    send(scene["mod"], path, form, as_multipart)


@EXAMPLES
@given(action=st.sampled_from(["suspend", "reinstate"]), form=filled(reason=REASON),
       as_multipart=st.booleans())
def test_suspend_or_reinstate(app, scene, action, form, as_multipart):
    name = f"peer{next(_unique)}"
    add_user(app, name)
    if action == "reinstate":
        with app.app_context():
            moderation.suspend(user_named("mod"), user_named(name), "For the test.")
            db.session.commit()
    send(scene["mod"], f"/moderation/users/{name}/{action}", form, as_multipart)


# -- every route at once ----------------------------------------------------------------------

# Whatever the form, these are the names it could be reading.
EVERY_FIELD = sorted({
    *HUB_FIELDS, *READING_FIELDS, "login", "password", "confirm", "current_password", "email",
    "username", "remember", "next", "name", "language", "body", "parent_id", "reason", "note",
    "duplicate_of", "value", "version", "entry_version", "entry", "revision", "base_revision",
    "csrf_token",
})


def _path_values(rule):
    """A strategy for the arguments of one URL rule: real-looking, hostile or out of range."""
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if isinstance(converter, AnyConverter):
            values[name] = st.sampled_from(sorted(converter.items))
        elif isinstance(converter, IntegerConverter):
            values[name] = st.sampled_from([1, 2, 3, 2**31, 2**63, 10**30])
        else:
            values[name] = st.one_of(st.sampled_from(["openstreetmap", "ada", "maps"]),
                                     st.sampled_from(HOSTILE).filter(bool), random_text.filter(bool))
    return st.fixed_dictionaries(values)


def _rules(app, method):
    return sorted((rule for rule in app.url_map.iter_rules()
                   if method in rule.methods and rule.endpoint != "static"
                   and not rule.rule.startswith("/api/")), key=lambda rule: rule.rule)


def _any_path(app, data, method):
    """Any route of the site answering `method`, its arguments filled with anything."""
    rule = data.draw(st.sampled_from(_rules(app, method)))
    return _fill(rule, data.draw(_path_values(rule)))


def _fill(rule, values):
    path = rule.rule
    for name, value in values.items():
        encoded = quote(str(value).encode("utf-8", "surrogatepass"), safe="")
        path = re.sub(r"<(?:[^:<>]+:)?" + re.escape(name) + r">", lambda _m, e=encoded: e, path,
                      count=1)
    return path


@SWEEP
@given(data=st.data(), who=st.sampled_from(["anonymous", "ada", "mod"]), as_multipart=st.booleans())
def test_every_post_route_with_any_fields(app, scene, data, who, as_multipart):
    path = _any_path(app, data, "POST")
    form = data.draw(st.dictionaries(st.sampled_from(EVERY_FIELD) | light_text(), text(), max_size=6))
    client = app.test_client() if who == "anonymous" else scene[who]
    send(client, path, form, as_multipart)


QUERY_NAMES = ["q", "page", "sort", "tag", "kind", "status", "type", "focus", "year_from",
               "year_to", "from", "to", "next", "action", "moderator", "v"]


@SWEEP
@given(data=st.data(), who=st.sampled_from(["anonymous", "ada", "mod"]))
def test_every_page_with_any_query(app, scene, data, who):
    path = _any_path(app, data, "GET")
    query = data.draw(st.dictionaries(st.sampled_from(QUERY_NAMES) | light_text(), light_text(),
                                      max_size=5))
    client = app.test_client() if who == "anonymous" else scene[who]
    response = TALLY.record(client.get(path + "?" + urlencoded(query).decode()))
    assert response.status_code < 500, (path, query, response.status_code)


@SWEEP
@given(data=st.data(), who=st.sampled_from(["anonymous", "ada", "mod"]),
       headers=st.fixed_dictionaries({}, optional=HEADERS))
def test_every_page_with_hostile_headers(app, scene, data, who, headers):
    path = _any_path(app, data, "GET")
    client = app.test_client() if who == "anonymous" else scene[who]
    response = TALLY.record(client.get(path, headers=headers))
    assert response.status_code < 500, (path, headers, response.status_code)


def test_a_body_over_the_limit_is_a_413_page_on_every_form(app, scene):
    limit = app.config["MAX_CONTENT_LENGTH"]
    checked = 0
    for _endpoint, path in routes(app, "POST", {"int": 1, "str": scene["hub"]}):
        if path.startswith("/api/"):
            continue  # the API answers in JSON: test_fuzz_api.py
        for client in (app.test_client(), scene["mod"]):
            response = send(client, path, {"summary": "x" * (limit + 1)})
            assert response.status_code == 413, path
            assert "</html>" in response.get_data(as_text=True), path
            checked += 1
    assert checked > 20

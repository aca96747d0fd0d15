"""Who may do what: one table of every route of the app against every kind of visitor
(check 7). A route added without a row fails here, so nobody ships an endpoint whose access
nobody decided on.

After a POST that went through, the next role gets a fresh scene, so one role's success (a
merge, a withdrawal) never changes what the next finds; a refusal and a GET change nothing, so
the next role shares the scene. The scenes pile up in one test, and every wrong cell is listed
in its failure: emptying the tables after each row would cost more than all the requests.
"""

import itertools
import logging
from urllib.parse import urlsplit

from tests.conftest import PASSWORD
from tests.functional.access_scene import ROLES, Scene, done

# What a visitor meets: "allowed" is anything but a denial (a page, a redirect, or a 400,
# 404 or 409 from the request's own content or the target's state); "login" is a redirect
# to /login for pages and a 401 for the API; "forbidden" is a 403.
ALLOWED, LOGIN, FORBIDDEN = "allowed", "login", "forbidden"


def _profile(default, **roles):
    return {role: roles.get(role, default) for role in ROLES}


# The suspended account had a live session before its suspension: it must count as nobody.
PUBLIC = _profile(ALLOWED)
SIGNED_IN = _profile(ALLOWED, anonymous=LOGIN, suspended=LOGIN)
# Votes and flags: anyone signed in, except on their own contribution.
NOT_OWNER = {**SIGNED_IN, "owner": FORBIDDEN}
OWNER_ONLY = _profile(FORBIDDEN, anonymous=LOGIN, suspended=LOGIN, owner=ALLOWED)
MODERATORS = _profile(FORBIDDEN, anonymous=LOGIN, suspended=LOGIN, moderator=ALLOWED,
                      admin=ALLOWED)
ADMINS = _profile(FORBIDDEN, anonymous=LOGIN, suspended=LOGIN, admin=ALLOWED)

NEW_PASSWORD = "another long passphrase"
REASON = {"reason": "Checked against the guidelines."}
HUB_FORM = {
    "title": "Seed library network", "url": "https://example.org/{n}/fresh-hub",
    "summary": "Gardeners share seeds.", "tags": "seeds, commons",
    "focus": "commons-based initiative", "languages": "English", "region": "worldwide",
    "licence": "CC0", "rationale": "Widely used.",
}
READING_EDIT_FORM = {
    "title": "Commons reader {n}", "url": "https://example.org/{n}/reader",
    "summary": "How social production transforms markets.", "tags": "commons",
    "authors": "Yochai Benkler", "year": "2006", "venue": "A new venue", "reading_type": "book",
    "rationale": "The venue changed.", "base_revision": "1",
}

# (endpoint, method) -> (who gets what, path, form or JSON body). Paths and bodies name the
# scene's things: {owner} the owner's username, {entry} and {other} two readings the owner
# proposed, {proposal} the owner's open proposal, {comment} the owner's comment on {entry},
# {flag} a peer's duplicate flag on {proposal}, {owner_session} and {owner_token} the owner's
# second session and API token, {n} a number unique to the scene.
TABLE = {
    # --- the commons, read by anyone ---------------------------------------------------------
    ("commons.home", "GET"): (PUBLIC, "/", None),
    ("commons.hubs", "GET"): (PUBLIC, "/hubs", None),
    ("commons.readings", "GET"): (PUBLIC, "/readings", None),
    ("commons.tag", "GET"): (PUBLIC, "/tags/commons", None),
    ("commons.entry", "GET"): (PUBLIC, "/entries/{entry}", None),
    ("commons.history", "GET"): (PUBLIC, "/entries/{entry}/history", None),
    ("citations.entry", "GET"): (PUBLIC, "/entries/{entry}.bib", None),
    ("citations.readings", "GET"): (PUBLIC, "/readings.ris", None),
    ("citations.search", "GET"): (PUBLIC, "/search.json?q=commons", None),
    ("search.search", "GET"): (PUBLIC, "/search?q=commons", None),
    ("proposals.choose", "GET"): (PUBLIC, "/propose", None),
    ("proposals.index", "GET"): (PUBLIC, "/proposals", None),
    ("proposals.show", "GET"): (PUBLIC, "/proposals/{proposal}", None),
    ("discussion.comment_link", "GET"): (PUBLIC, "/comments/{comment}", None),
    ("users.profile", "GET"): (PUBLIC, "/users/{owner}", None),
    ("moderation.log", "GET"): (PUBLIC, "/moderation/log", None),
    ("exports.commons_json", "GET"): (PUBLIC, "/export/commons.json", None),
    ("exports.commons_csv", "GET"): (PUBLIC, "/export/commons.csv", None),
    ("feeds.entries", "GET"): (PUBLIC, "/feeds/entries.atom", None),
    ("feeds.hubs", "GET"): (PUBLIC, "/feeds/hubs.atom", None),
    ("feeds.readings", "GET"): (PUBLIC, "/feeds/readings.atom", None),
    ("feeds.tag", "GET"): (PUBLIC, "/feeds/tags/commons.atom", None),
    ("feeds.proposals", "GET"): (PUBLIC, "/feeds/proposals.atom", None),
    ("static", "GET"): (PUBLIC, "/static/style.css", None),
    # --- accounts ------------------------------------------------------------------------------
    ("auth.signup", "GET"): (PUBLIC, "/signup", None),
    ("auth.signup", "POST"): (PUBLIC, "/signup", {
        "username": "newcomer{n}", "email": "newcomer{n}@example.org",
        "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
    ("auth.login", "GET"): (PUBLIC, "/login", None),
    ("auth.login", "POST"): (PUBLIC, "/login", {"login": "nobody", "password": "not it at all"}),
    ("auth.logout", "POST"): (PUBLIC, "/logout", {}),
    ("auth.account", "GET"): (SIGNED_IN, "/account", None),
    ("auth.change_password", "POST"): (SIGNED_IN, "/account/password", {
        "current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
    ("auth.change_email", "POST"): (SIGNED_IN, "/account/email", {
        "current_password": PASSWORD, "email": "moved{n}@example.org"}),
    # Scoped to the account in SQL: someone else's session or token number ends nothing.
    ("auth.end_session", "POST"): (SIGNED_IN, "/account/sessions/{owner_session}/end", {}),
    ("auth.end_other_sessions", "POST"): (SIGNED_IN, "/account/sessions/end-others", {}),
    ("auth.create_token", "POST"): (SIGNED_IN, "/account/tokens", {"name": "my script"}),
    ("auth.revoke_token", "POST"): (SIGNED_IN, "/account/tokens/{owner_token}/revoke", {}),
    ("users.notifications", "GET"): (SIGNED_IN, "/notifications", None),
    ("users.mark_read", "POST"): (SIGNED_IN, "/notifications/read", {}),
    ("users.choose_language", "POST"): (PUBLIC, "/language", {"language": "fr"}),
    # A visitor's switch: it sets only the caller's own cookie.
    ("users.choose_language", "GET"): (PUBLIC, "/language?language=fr&next=/hubs", None),
    # --- contributing ------------------------------------------------------------------------
    ("proposals.propose", "GET"): (SIGNED_IN, "/propose/hub", None),
    ("proposals.propose", "POST"): (SIGNED_IN, "/propose/hub", HUB_FORM),
    ("proposals.change", "GET"): (OWNER_ONLY, "/proposals/{proposal}/change", None),
    ("proposals.change", "POST"): (OWNER_ONLY, "/proposals/{proposal}/change", {
        **HUB_FORM, "url": "https://example.org/{n}/seeds", "title": "Seed library {n}"}),
    ("proposals.withdraw", "POST"): (OWNER_ONLY, "/proposals/{proposal}/withdraw", {}),
    ("commons.propose_edit", "GET"): (SIGNED_IN, "/entries/{entry}/edit", None),
    ("commons.propose_edit", "POST"): (SIGNED_IN, "/entries/{entry}/edit", READING_EDIT_FORM),
    ("discussion.vote", "POST"): (NOT_OWNER, "/vote/proposal/{proposal}", {"value": "1"}),
    ("discussion.add_comment", "POST"): (SIGNED_IN, "/comments/proposal/{proposal}",
                                         {"body": "Worth a look."}),
    ("discussion.edit_comment", "GET"): (OWNER_ONLY, "/comments/{comment}/edit", None),
    ("discussion.edit_comment", "POST"): (OWNER_ONLY, "/comments/{comment}/edit",
                                          {"body": "On second thought."}),
    ("discussion.delete_comment", "POST"): (OWNER_ONLY, "/comments/{comment}/delete", {}),
    ("discussion.flag", "GET"): (NOT_OWNER, "/flag/proposal/{proposal}", None),
    ("discussion.flag", "POST"): (NOT_OWNER, "/flag/proposal/{proposal}", {"reason": "spam"}),
    # --- moderating ----------------------------------------------------------------------------
    ("moderation.queue", "GET"): (MODERATORS, "/moderation", None),
    ("links.broken_links", "GET"): (MODERATORS, "/moderation/broken-links", None),
    ("moderation.decide", "GET"): (MODERATORS, "/moderation/proposals/{proposal}", None),
    ("moderation.merge", "POST"): (MODERATORS, "/moderation/proposals/{proposal}/merge", REASON),
    ("moderation.reject", "POST"): (MODERATORS, "/moderation/proposals/{proposal}/reject",
                                    REASON),
    ("moderation.duplicate", "POST"): (MODERATORS, "/moderation/proposals/{proposal}/duplicate",
                                       {**REASON, "entry": "{other}"}),
    ("moderation.archive", "POST"): (MODERATORS, "/moderation/entries/{entry}/archive", REASON),
    # The entry is live, so restoring it is a 409: the door is open, the state says no.
    ("moderation.restore", "POST"): (MODERATORS, "/moderation/entries/{entry}/restore", REASON),
    ("moderation.merge_entries", "POST"): (MODERATORS, "/moderation/entries/{entry}/merge",
                                           {**REASON, "entry": "{other}"}),
    # It has one revision only, so there is nothing to roll back to: a 400.
    ("moderation.rollback", "POST"): (MODERATORS, "/moderation/entries/{entry}/rollback",
                                      {**REASON, "revision": "1"}),
    ("moderation.comment_visibility", "POST"): (MODERATORS,
                                                "/moderation/comments/{comment}/hide", REASON),
    ("moderation.decide_flags", "POST"): (MODERATORS,
                                          "/moderation/flags/proposal/{proposal}/dismissed",
                                          REASON),
    ("moderation.carry_out", "POST"): (MODERATORS, "/moderation/suggestions/{flag}", REASON),
    ("moderation.account_status", "POST"): (MODERATORS, "/moderation/users/{owner}/suspend",
                                            REASON),
    ("moderation.end_sessions", "POST"): (ADMINS, "/moderation/users/{owner}/end-sessions",
                                          REASON),
    # --- the API: reads for anyone, writes with a token ---------------------------------------
    ("api.openapi", "GET"): (PUBLIC, "/api/v1/openapi.json", None),
    ("api.entries", "GET"): (PUBLIC, "/api/v1/entries", None),
    ("api.entry", "GET"): (PUBLIC, "/api/v1/entries/{entry}", None),
    ("api.proposals", "GET"): (PUBLIC, "/api/v1/proposals", None),
    ("api.proposal", "GET"): (PUBLIC, "/api/v1/proposals/{proposal}", None),
    ("api.tags", "GET"): (PUBLIC, "/api/v1/tags", None),
    ("api.user", "GET"): (PUBLIC, "/api/v1/users/{owner}", None),
    ("api.propose_entry", "POST"): (SIGNED_IN, "/api/v1/proposals", {
        "kind": "hub", "rationale": "Widely used.", "fields": {
            "title": "Tool library {n}", "url": "https://example.org/{n}/tools",
            "summary": "Neighbours lend tools.", "tags": ["tools"],
            "focus": "commons-based initiative", "languages": "English", "region": "worldwide",
            "licence": "CC0"}}),
    ("api.propose_edit", "POST"): (SIGNED_IN, "/api/v1/entries/{entry}/proposals", {
        "base_revision": 1, "rationale": "The venue changed.", "fields": {
            "title": "Commons reader {n}", "url": "https://example.org/{n}/reader",
            "summary": "How social production transforms markets.", "tags": ["commons"],
            "authors": "Yochai Benkler", "year": 2006, "venue": "A new venue",
            "reading_type": "book"}}),
    ("api.add_comment", "POST"): (SIGNED_IN, "/api/v1/comments", {
        "target_type": "proposal", "target_id": "{proposal}", "body": "Worth a look."}),
    ("api.cast_vote", "POST"): (NOT_OWNER, "/api/v1/votes", {
        "target_type": "proposal", "target_id": "{proposal}", "value": 1}),
}


def url_map_rows(app):
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_has_a_row_in_the_table(app):
    routes = url_map_rows(app)

    missing = sorted(routes - TABLE.keys())
    gone = sorted(TABLE.keys() - routes)

    assert not missing, (
        "No access decision for " + ", ".join(f"{m} {e}" for e, m in missing)
        + ": add a row to TABLE in tests/functional/test_access_matrix.py."
    )
    assert not gone, "TABLE has rows for routes that no longer exist: " + ", ".join(
        f"{m} {e}" for e, m in gone
    )


def outcome(path, response):
    status = response.status_code
    if path.startswith("/api/"):
        if status == 401:
            return LOGIN
    elif status in (301, 302, 303, 307, 308) and urlsplit(response.location).path == "/login":
        return LOGIN
    if status == 403:
        return FORBIDDEN
    if status < 400 or status in (400, 404, 409):
        return ALLOWED
    return f"status {status}"


def denials(caplog):
    return [r for r in caplog.records if r.getMessage().startswith("access: denied")]


def test_each_role_meets_what_the_table_says(app, caplog):
    caplog.set_level(logging.INFO)
    numbers = itertools.count(1)
    wrong = []
    for (endpoint, method), (expected, path, body) in sorted(TABLE.items()):
        scene = Scene(app, next(numbers))
        found, statuses, logged = {}, {}, {}
        for role in ROLES:
            if method == "POST" and found and list(found.values())[-1] not in (LOGIN, FORBIDDEN):
                scene = Scene(app, next(numbers))
            caplog.clear()
            response = done(scene.request(role, method, path, body))
            found[role] = outcome(path, response)
            statuses[role] = response.status_code
            logged[role] = len(denials(caplog))
        if found != expected:
            wrong.append(f"{method} {endpoint}: expected {expected}, found {found} {statuses}")
        # Every refusal leaves exactly one line in the log, and nothing else does.
        if logged != {role: int(found[role] == FORBIDDEN) for role in ROLES}:
            wrong.append(f"{method} {endpoint}: denials logged {logged}")

    assert not wrong, "\n".join(wrong)


# --- what the table stands for, spelled out ------------------------------------------------------


def test_a_peer_cannot_change_anothers_proposal_and_the_refusal_is_logged_once(app, caplog):
    scene = Scene(app, 1)
    caplog.set_level(logging.INFO)

    response = scene.request("peer", "POST", "/proposals/{proposal}/change", {
        **HUB_FORM, "title": "Taken over", "url": "https://example.org/1/seeds"})

    assert response.status_code == 403
    [record] = denials(caplog)
    assert record.levelno == logging.WARNING
    assert "peer1" in record.getMessage()
    assert f"/proposals/{scene.values['proposal']}/change" in record.getMessage()
    shown = scene.browsers["anonymous"].get(f"/api/v1/proposals/{scene.values['proposal']}")
    assert shown.get_json()["title"] == "Seed library 1"


def test_a_suspended_accounts_live_session_and_token_count_for_nothing(app):
    scene = Scene(app, 1)
    suspended = scene.browsers["suspended"]

    page = suspended.get("/").get_data(as_text=True)

    assert 'href="/login"' in page
    assert "suspended1" not in page
    assert suspended.get("/account").status_code == 302
    refused = scene.request("suspended", "POST", "/api/v1/votes", {
        "target_type": "proposal", "target_id": "{proposal}", "value": 1})
    assert refused.status_code == 401

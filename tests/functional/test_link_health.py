"""`flask lbs check-links`, the broken-link notice on entry pages and the moderators' list.

Every link points at a local server on 127.0.0.1 that answers the way real sites do.
"""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from lbs.domain import accounts, entries, link_health
from lbs.extensions import db
from lbs.models import Entry, utcnow
from tests.link_server import serving

# Generous, so a busy machine never turns a working page into a timeout; the server that
# never answers is checked on its own with the short one, so its tests stay fast.
TIMEOUT = "5"
SHORT_TIMEOUT = "0.5"
# One entry per way a site can answer, and what the checker should remember of it.
EXPECTED = {
    "/ok": {"link_status": 200, "link_error": None, "link_broken": False, "final": None},
    "/moved": {"link_status": 200, "link_error": None, "link_broken": False, "final": "/ok"},
    "/missing": {"link_status": 404, "link_error": None, "link_broken": True, "final": None},
    "/failing": {"link_status": 500, "link_error": None, "link_broken": True, "final": None},
    "/get-only": {"link_status": 200, "link_error": None, "link_broken": False, "final": None},
    "/moved-away": {
        "link_status": 404, "link_error": None, "link_broken": True, "final": "/missing",
    },
}


@pytest.fixture
def server():
    with serving() as server:
        yield server


@pytest.fixture
def add_entries(app, make_user, server):
    """Live entries whose links are these paths on the local server; returns {path: slug}."""
    proposer = make_user("proposer")

    def add(*paths, kind="reading"):
        slugs = {}
        with app.app_context():
            user = accounts.find_by_login(proposer)
            for path in paths:
                fields = {"title": f"Reading at {path}", "url": server.url(path), "summary": "",
                          "tags": []}
                slugs[path] = entries.create_entry(kind, fields, user, None, reason="test").slug
            db.session.commit()
        return slugs

    return add


def check_links(runner, *options, timeout=TIMEOUT):
    return runner.invoke(args=["lbs", "check-links", "--timeout", timeout, *options])


def stored(app, slug):
    with app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.slug == slug))
        return {column.key: getattr(entry, column.key) for column in Entry.__table__.columns}


def set_columns(app, slug, **values):
    with app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.slug == slug))
        for name, value in values.items():
            setattr(entry, name, value)
        db.session.commit()


def test_check_links_records_how_each_link_answered(app, runner, server, add_entries):
    slugs = add_entries(*EXPECTED)

    result = check_links(runner)

    assert result.exit_code == 0, result.output
    for path, expected in EXPECTED.items():
        entry = stored(app, slugs[path])
        assert entry["link_status"] == expected["link_status"], path
        assert entry["link_error"] == expected["link_error"], path
        assert entry["link_broken"] is expected["link_broken"], path
        final = expected["final"] and server.url(expected["final"])
        assert entry["link_final_url"] == final, path
        assert utcnow() - entry["link_checked_at"] < timedelta(minutes=5), path


def test_check_links_prints_a_summary(runner, add_entries):
    add_entries(*EXPECTED)

    result = check_links(runner)

    assert result.exit_code == 0
    assert "Checked 6 links: 3 ok, 3 broken, 2 redirected." in result.output


def test_a_server_that_never_answers_is_recorded_as_a_timeout(app, runner, add_entries):
    slug = add_entries("/never")["/never"]

    result = check_links(runner, timeout=SHORT_TIMEOUT)

    assert result.exit_code == 0, result.output
    assert "Checked 1 link: 0 ok, 1 broken, 0 redirected." in result.output
    entry = stored(app, slug)
    assert (entry["link_status"], entry["link_error"], entry["link_broken"]) == (
        None, "timeout", True,
    )


def test_check_links_keeps_to_the_per_host_limit(runner, server, add_entries):
    add_entries(*(f"/slow/{n}" for n in range(6)))

    result = check_links(runner, "--concurrency", "8", "--per-host", "2")

    assert result.exit_code == 0, result.output
    assert "Checked 6 links: 6 ok" in result.output
    assert server.max_active == 2


def test_only_broken_rechecks_just_the_broken_links(runner, server, add_entries):
    add_entries("/ok", "/moved", "/missing", "/failing")
    check_links(runner)
    server.forget()

    result = check_links(runner, "--only-broken")

    assert result.exit_code == 0
    assert sorted(set(server.paths())) == ["/failing", "/missing"]
    assert "Checked 2 links: 0 ok, 2 broken" in result.output


def test_older_than_days_skips_links_checked_recently(app, runner, server, add_entries):
    slugs = add_entries("/ok", "/missing", "/failing")
    check_links(runner)
    set_columns(app, slugs["/missing"], link_checked_at=utcnow() - timedelta(days=10))
    server.forget()

    result = check_links(runner, "--older-than-days", "7")

    assert result.exit_code == 0
    assert server.paths() == ["/missing"]


def test_a_link_that_works_again_loses_its_broken_mark(app, client, runner, server, add_entries):
    slug = add_entries("/flaky")["/flaky"]
    check_links(runner)
    assert stored(app, slug)["link_broken"] is True

    server.flaky_status = 200
    check_links(runner, "--only-broken")

    entry = stored(app, slug)
    assert (entry["link_broken"], entry["link_status"]) == (False, 200)
    assert "seemed broken" not in client.get(f"/entries/{slug}").get_data(as_text=True)


def test_entries_that_are_not_live_are_not_checked(app, runner, server, add_entries):
    slugs = add_entries("/ok", "/missing")
    set_columns(app, slugs["/missing"], status="archived")

    check_links(runner)

    assert server.paths() == ["/ok"]


def test_a_check_leaves_the_entry_version_alone_so_pending_merges_still_apply(
    app, runner, add_entries
):
    slug = add_entries("/missing")["/missing"]
    before = stored(app, slug)

    check_links(runner)

    after = stored(app, slug)
    assert (after["version"], after["updated_at"]) == (before["version"], before["updated_at"])


# --- the entry page ------------------------------------------------------------------------------


def test_an_entry_with_a_broken_link_says_so_under_its_title(app, client, runner, add_entries):
    slug = add_entries("/missing")["/missing"]
    check_links(runner)
    checked = stored(app, slug)["link_checked_at"]

    page = client.get(f"/entries/{slug}").get_data(as_text=True)

    below_title = page.index("</header>", page.index('<header class="entry-head">'))
    notice = page[below_title:page.index("</p>", below_title)]
    assert "This link seemed broken when checked on" in notice
    assert f"{checked.day} {checked:%B %Y}" in notice
    assert "(status 404)" in notice
    assert f'href="/entries/{slug}/edit">Propose an edit</a>' in notice


def test_a_link_that_timed_out_shows_the_error_instead_of_a_status(client, runner, add_entries):
    slug = add_entries("/never")["/never"]
    check_links(runner, timeout=SHORT_TIMEOUT)

    page = client.get(f"/entries/{slug}").get_data(as_text=True)

    assert "seemed broken" in page
    assert "(timeout)" in page


def test_an_entry_whose_link_works_shows_no_notice(client, runner, add_entries):
    slugs = add_entries("/ok", "/moved")
    check_links(runner)

    for slug in slugs.values():
        assert "seemed broken" not in client.get(f"/entries/{slug}").get_data(as_text=True)


def test_an_unchecked_entry_shows_no_notice(client, add_entries):
    slug = add_entries("/missing")["/missing"]

    assert "seemed broken" not in client.get(f"/entries/{slug}").get_data(as_text=True)


# --- the moderators' list ------------------------------------------------------------------------


def test_moderators_see_the_broken_links_with_what_went_wrong(
    app, auth, client, runner, server, make_user, add_entries
):
    slugs = add_entries("/ok", "/missing", "/moved-away")
    check_links(runner)
    # A timeout as the checker stores it (its own test covers the checking).
    slugs["/never"] = add_entries("/never")["/never"]
    set_columns(app, slugs["/never"], link_broken=True, link_error="timeout",
                link_checked_at=utcnow())
    auth.login(make_user("mod", role="moderator"))

    response = client.get("/moderation/broken-links")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert slugs["/ok"] not in page
    for path in ("/missing", "/never", "/moved-away"):
        assert f'href="/entries/{slugs[path]}/edit"' in page
    row = page[page.index(f"/entries/{slugs['/moved-away']}\""):]
    row = row[:row.index("</tr>")]
    assert "<td>404</td>" in row
    assert server.url("/missing") in row
    never_row = page[page.index(f"/entries/{slugs['/never']}\""):]
    assert "<td>timeout</td>" in never_row[:never_row.index("</tr>")]


def test_the_list_shows_the_newest_checks_first(app, auth, client, make_user, add_entries):
    slugs = add_entries("/a", "/b", "/c")
    now = utcnow()
    for age, path in ((3, "/a"), (1, "/b"), (2, "/c")):
        set_columns(app, slugs[path], link_broken=True, link_status=404,
                    link_checked_at=now - timedelta(days=age))
    auth.login(make_user("mod", role="moderator"))

    page = client.get("/moderation/broken-links").get_data(as_text=True)

    positions = [page.index(f'href="/entries/{slugs[p]}"') for p in ("/b", "/c", "/a")]
    assert positions == sorted(positions)


def test_the_list_is_paginated(app, auth, client, make_user, add_entries, monkeypatch):
    monkeypatch.setattr(link_health, "BROKEN_PAGE", 2)
    slugs = add_entries("/a", "/b", "/c")
    now = utcnow()
    for age, path in ((1, "/a"), (2, "/b"), (3, "/c")):
        set_columns(app, slugs[path], link_broken=True, link_status=410,
                    link_checked_at=now - timedelta(hours=age))
    auth.login(make_user("mod", role="moderator"))

    first = client.get("/moderation/broken-links").get_data(as_text=True)
    second = client.get("/moderation/broken-links?page=2").get_data(as_text=True)

    assert f'href="/entries/{slugs["/a"]}"' in first
    assert f'href="/entries/{slugs["/b"]}"' in first
    assert f'href="/entries/{slugs["/c"]}"' not in first
    assert 'rel="next" href="/moderation/broken-links?page=2"' in first
    assert f'href="/entries/{slugs["/c"]}"' in second
    assert 'rel="next"' not in second


def test_admins_see_the_list_too(auth, client, make_user):
    auth.login(make_user("root", role="admin"))

    assert client.get("/moderation/broken-links").status_code == 200


def test_peers_may_not_see_the_list(auth, client, make_user):
    auth.login(make_user("pat"))

    assert client.get("/moderation/broken-links").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/moderation/broken-links")

    assert response.status_code == 302
    assert urlsplit(response.location).path == "/login"


def test_the_moderation_queue_links_to_the_list(auth, client, make_user):
    auth.login(make_user("mod", role="moderator"))

    page = client.get("/moderation").get_data(as_text=True)

    assert 'href="/moderation/broken-links"' in page

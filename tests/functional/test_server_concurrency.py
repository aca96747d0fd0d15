"""Many people at once against a real server: gunicorn with several workers on PostgreSQL.

Exact counts after 200 simultaneous votes, one merge and one 409 when two moderators merge
conflicting edits at the same moment, one account from a double-submitted sign-up, and every
comment kept when many are posted together.
"""

import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, insert, select

from lbs.domain import contributions, entries
from lbs.domain.accounts import system_user
from lbs.domain.passwords import hash_password
from lbs.extensions import db
from lbs.models import Comment, Entry, ModerationAction, Proposal, User, Vote
from tests.conftest import PASSWORD
from tests.support.browser_client import BrowserClient

VOTERS = 200
WORKERS = 4


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(app, database_url, dialect):
    if dialect != "postgresql":
        pytest.skip("concurrency on a real server is tested on PostgreSQL")
    port = _free_port()
    env = {
        **os.environ,
        "LBS_CONFIG": "development",
        "DATABASE_URL": database_url,
        "LBS_RATELIMIT_ENABLED": "0",  # hundreds of accounts from one address
    }
    process = subprocess.Popen(  # noqa: S603 - our own app on loopback
        [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-k", "sync", "--timeout", "60",
         "-b", f"127.0.0.1:{port}", "lbs:create_app()"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError(process.stderr.read().decode()[-2000:])
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=20)


def _make_people(app, count, role="peer", prefix="voter"):
    password_hash = hash_password(PASSWORD)
    with app.app_context():
        db.session.execute(insert(User), [
            {"username": f"{prefix}{i}", "username_key": f"{prefix}{i}",
             "email": f"{prefix}{i}@example.org", "email_key": f"{prefix}{i}@example.org",
             "password_hash": password_hash, "role": role}
            for i in range(count)
        ])
        db.session.commit()
    return [f"{prefix}{i}" for i in range(count)]


def _an_entry(app):
    with app.app_context():
        author = system_user()
        entry = entries.create_entry(
            "hub", {"title": "OpenStreetMap", "url": "https://www.openstreetmap.org",
                    "summary": "Maps", "tags": ["maps"], "focus": "peer-driven production"},
            proposer=author, merged_by=author, reason="test",
        )
        db.session.commit()
        return entry.id, entry.slug


def _logged_in(server, names):
    def login(name):
        client = BrowserClient(server)
        client.login(name, PASSWORD)
        return client

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(login, names))


def _all_at_once(calls):
    """Run the calls in threads released together, so they really hit the server at once."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_200_people_voting_at_once_leave_exact_counts(app, server):
    entry_id, _ = _an_entry(app)
    clients = _logged_in(server, _make_people(app, VOTERS))
    tokens = [c.token("/hubs") for c in clients]

    responses = _all_at_once([
        (lambda c=c, t=t: c.post(f"/vote/entry/{entry_id}", {"value": "1"}, token=t))
        for c, t in zip(clients, tokens, strict=True)
    ])

    assert [r.status for r in responses if r.status >= 400] == []
    with app.app_context():
        entry = db.session.get(Entry, entry_id)
        rows = db.session.scalar(select(func.count()).select_from(Vote).where(
            Vote.target_type == "entry", Vote.target_id == entry_id))
        assert (rows, entry.ups, entry.downs) == (VOTERS, VOTERS, 0)


def test_one_person_double_submitting_sign_up_gets_one_account(app, server):
    client = BrowserClient(server)
    token = client.token("/signup")
    form = {"username": "twice", "email": "twice@example.org",
            "password": "a long passphrase", "confirm": "a long passphrase"}

    responses = _all_at_once([lambda: client.post("/signup", form, token=token)] * 2)

    assert sorted(r.status for r in responses)[0] == 302
    assert all(r.status in (302, 400) for r in responses)
    with app.app_context():
        assert db.session.scalar(
            select(func.count()).select_from(User).where(User.username_key == "twice")) == 1


def test_comments_posted_together_are_all_kept(app, server):
    entry_id, _ = _an_entry(app)
    clients = _logged_in(server, _make_people(app, 10, prefix="talker"))
    calls = []
    for n, client in enumerate(clients):
        token = client.token("/hubs")
        for k in range(5):
            calls.append(lambda c=client, t=token, n=n, k=k: c.post(
                f"/comments/entry/{entry_id}", {"body": f"comment {n}-{k}"}, token=t))

    responses = _all_at_once(calls)

    assert all(r.status == 303 for r in responses), [r.status for r in responses]
    with app.app_context():
        bodies = set(db.session.scalars(select(Comment.body).where(Comment.target_id == entry_id)))
        assert bodies == {f"comment {n}-{k}" for n in range(10) for k in range(5)}
        assert db.session.get(Entry, entry_id).comment_count == 50


def test_two_moderators_merging_conflicting_edits_at_once_lose_nothing(app, server):
    entry_id, slug = _an_entry(app)
    _make_people(app, 2, role="moderator", prefix="mod")
    _make_people(app, 2, prefix="editor")
    with app.app_context():
        entry = db.session.get(Entry, entry_id)
        proposals = []
        for n, title in enumerate(("OpenStreetMap, the free map", "OpenStreetMap (OSM)")):
            editor = db.session.scalar(select(User).where(User.username_key == f"editor{n}"))
            proposal = contributions.propose_edit(
                editor, entry, {**contributions.current_fields(entry), "title": title},
                "A clearer name", base_revision_number=1,
            )
            proposals.append(proposal.id)
        db.session.commit()
        version = db.session.get(Entry, entry_id).version
    moderators = _logged_in(server, ["mod0", "mod1"])
    tokens = [m.token(f"/moderation/proposals/{p}") for m, p in zip(moderators, proposals,
                                                                       strict=True)]

    responses = _all_at_once([
        (lambda m=m, p=p, t=t: m.post(f"/moderation/proposals/{p}/merge",
                                      {"reason": "Clearer", "entry_version": str(version)},
                                      token=t))
        for m, p, t in zip(moderators, proposals, tokens, strict=True)
    ])

    assert sorted(r.status for r in responses) == [303, 409]
    with app.app_context():
        entry = db.session.get(Entry, entry_id)
        assert (entry.revision_count, entry.version) == (2, version + 1)
        statuses = {p: db.session.get(Proposal, p).status for p in proposals}
        assert sorted(statuses.values()) == ["merged", "open"]  # the other waits, not lost
        merges = db.session.scalar(select(func.count()).select_from(ModerationAction).where(
            ModerationAction.action == "merge"))
        assert merges == 1

"""Anti-spam quotas: proposals per day and comments per hour per account (lower for new
accounts), votes and flags per day; the next one gets a friendly 429 that says when to retry."""

from datetime import timedelta

import pytest

from lbs.extensions import db
from lbs.models import Comment, Flag, Proposal, Vote
from tests.conftest import make_test_app
from tests.functional.contributing import (
    add_entry,
    add_user,
    browser,
    count,
    entry_row,
    propose,
    text_of,
)

NEW = timedelta(days=1)


@pytest.fixture
def limited(app, database_url):
    """An app with the limits switched on. Built after `app`: the limiter is shared, and the
    last app built decides whether it is on."""
    limited_app = make_test_app(database_url, RATELIMIT_ENABLED=True)
    yield limited_app
    with limited_app.app_context():
        db.session.remove()
        db.engine.dispose()


def assert_slow_down_page(response):
    assert response.status_code == 429
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 24 * 60 * 60
    page = text_of(response.get_data(as_text=True))
    assert "Slow down" in page
    assert "try again in" in page


def propose_n(client, n, start=0, kind="hub"):
    return [propose(client, kind, url=f"https://example.org/{start + i}").status_code for i in range(n)]


def test_a_new_account_gets_three_proposals_a_day_and_then_a_429(limited):
    add_user(limited, "newbie", age=NEW)
    newbie = browser(limited, "newbie")

    assert propose_n(newbie, 3) == [302, 302, 302]
    response = propose(newbie, "hub", url="https://example.org/fourth")

    assert_slow_down_page(response)
    assert count(limited, Proposal) == 3


def test_previews_and_refused_forms_do_not_use_up_the_quota(limited):
    add_user(limited, "newbie", age=NEW)
    newbie = browser(limited, "newbie")

    for _ in range(4):
        assert propose(newbie, "hub", preview="Preview", submit=None).status_code == 200
        assert propose(newbie, "hub", url="javascript:alert(1)").status_code == 400

    assert propose_n(newbie, 3) == [302, 302, 302]


def test_edit_proposals_count_towards_the_same_quota(limited):
    add_user(limited, "newbie", age=NEW)
    slug = add_entry(limited, "newbie", "hub", url="https://www.openstreetmap.org")
    newbie = browser(limited, "newbie")
    propose_n(newbie, 3)

    response = newbie.post(f"/entries/{slug}/edit", data={
        "title": "OSM", "url": "https://www.openstreetmap.org", "focus": "peer-driven production",
        "base_revision": "1", "rationale": "Shorter.", "submit": "Propose",
    })

    assert response.status_code == 429


def test_the_quota_belongs_to_the_account_not_to_everyone(limited):
    add_user(limited, "newbie", age=NEW)
    add_user(limited, "other", age=NEW)
    propose_n(browser(limited, "newbie"), 3)

    assert propose_n(browser(limited, "other"), 1, start=10) == [302]


def test_an_established_account_gets_twenty_proposals_a_day(limited):
    add_user(limited, "settled")
    settled = browser(limited, "settled")

    assert propose_n(settled, 20) == [302] * 20
    assert_slow_down_page(propose(settled, "hub", url="https://example.org/21"))
    assert count(limited, Proposal) == 20


def comment_n(client, entry_id, n):
    return [client.post(f"/comments/entry/{entry_id}", data={"body": f"Comment {i}."}).status_code
            for i in range(n)]


@pytest.fixture
def entry_id(limited):
    add_user(limited, "owner")
    return entry_row(limited, add_entry(limited, "owner", "hub"))["id"]


def test_a_new_account_gets_six_comments_an_hour_and_then_a_429(limited, entry_id):
    add_user(limited, "newbie", age=NEW)
    newbie = browser(limited, "newbie")

    assert comment_n(newbie, entry_id, 6) == [303] * 6
    response = newbie.post(f"/comments/entry/{entry_id}", data={"body": "One more."})

    assert_slow_down_page(response)
    assert count(limited, Comment) == 6


def test_a_refused_comment_does_not_use_up_the_quota(limited, entry_id):
    add_user(limited, "newbie", age=NEW)
    newbie = browser(limited, "newbie")

    for _ in range(6):
        assert newbie.post(f"/comments/entry/{entry_id}", data={"body": ""}).status_code == 400

    assert comment_n(newbie, entry_id, 6) == [303] * 6


def test_an_established_account_gets_thirty_comments_an_hour(limited, entry_id):
    add_user(limited, "settled")
    settled = browser(limited, "settled")

    assert comment_n(settled, entry_id, 30) == [303] * 30
    assert_slow_down_page(settled.post(f"/comments/entry/{entry_id}", data={"body": "31st."}))
    assert count(limited, Comment) == 30


def test_fifty_votes_a_day_and_then_a_429(limited, entry_id):
    add_user(limited, "voter")
    voter = browser(limited, "voter")

    statuses = [voter.post(f"/vote/entry/{entry_id}", data={"value": str(i % 2)}).status_code
                for i in range(1, 51)]

    assert statuses == [303] * 50
    assert_slow_down_page(voter.post(f"/vote/entry/{entry_id}", data={"value": "1"}))
    assert count(limited, Vote) == 0  # the fiftieth vote withdrew the forty-ninth


def test_twenty_flags_a_day_and_then_a_429(limited):
    add_user(limited, "owner")
    add_user(limited, "flagger")
    ids = [entry_row(limited, add_entry(limited, "owner", "hub", title=f"Hub {i}",
                                        url=f"https://hub{i}.example.org"))["id"] for i in range(21)]
    flagger = browser(limited, "flagger")

    statuses = [flagger.post(f"/flag/entry/{i}", data={"reason": "spam"}).status_code for i in ids[:20]]

    assert statuses == [303] * 20
    assert_slow_down_page(flagger.post(f"/flag/entry/{ids[20]}", data={"reason": "spam"}))
    assert count(limited, Flag) == 20

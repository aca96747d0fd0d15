"""A commons to browse: entries made through the domain in one go, votes cast the way a peer
casts them, and the ranked rows of a page read back in the order a visitor sees them."""

import re
from datetime import timedelta
from itertools import count

from sqlalchemy import select

from lbs.domain import entries, moderation, voting
from lbs.domain.ranking import hot_score
from lbs.extensions import db
from lbs.models import Entry, User, utcnow
from tests.functional.contributing import add_user

_urls = count(1)


def hub(title, **fields):
    return {
        "kind": "hub", "title": title, "url": f"https://hub{next(_urls)}.example.org/",
        "summary": "", "tags": [], "focus": "production", "languages": None, "region": None,
        "licence": None, **fields,
    }


def reading(title, **fields):
    return {
        "kind": "reading", "title": title, "url": f"https://reading{next(_urls)}.example.org/",
        "summary": "", "tags": [], "authors": None, "year": None, "venue": None,
        "reading_type": "article", "doi": None, "isbn": None, **fields,
    }


def add_entries(app, proposer, specs, age_step=timedelta(minutes=1)):
    """Entries in the order given, each `age_step` younger than the one before; their slugs.

    The creation times are set apart on purpose: `new` and `hot` order by them, and entries
    made in the same millisecond would tie.
    """
    slugs = []
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username_key == proposer.lower()))
        start = utcnow() - age_step * (len(specs) + 1)
        tau = app.config["HOT_TAU_SECONDS"]
        for i, spec in enumerate(specs):
            fields = dict(spec)
            kind = fields.pop("kind")
            entry = entries.create_entry(kind, fields, user, None, reason="starter")
            entry.created_at = start + age_step * i
            entry.score_hot = hot_score(0, 0, entry.created_at, tau)
            slugs.append(entry.slug)
        db.session.commit()
    return slugs


def add_voters(app, n, prefix="voter"):
    """`n` established peers with enough karma to vote both ways; their usernames."""
    names = [f"{prefix}{i}" for i in range(1, n + 1)]
    for name in names:
        add_user(app, name, karma=10)
    return names


def vote(app, voters, slug, value=1):
    """Each voter casts `value` on the entry, through the one entry point for votes."""
    with app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.slug == slug))
        for name in voters:
            user = db.session.scalar(select(User).where(User.username_key == name.lower()))
            voting.cast_vote(user, entry, value)
        db.session.commit()


def set_status(app, moderator, slug, status, into=None):
    """Archive an entry or merge it into `into`, as a moderator would."""
    with app.app_context():
        mod = db.session.scalar(select(User).where(User.username_key == moderator.lower()))
        entry = db.session.scalar(select(Entry).where(Entry.slug == slug))
        if status == "archived":
            moderation.archive(mod, entry, "Out of scope.")
        else:
            survivor = db.session.scalar(select(Entry).where(Entry.slug == into))
            moderation.merge_entries(mod, entry, survivor, "The same thing twice.")
        db.session.commit()


def _ranked_list(page):
    match = re.search(r'<ol class="entries"[^>]*>(.*?)</ol>', page, re.S)
    return match.group(1) if match else ""


def listed_slugs(page):
    """The entries of a ranked list, in the order shown."""
    rows = re.findall(r'<li class="entry-row">(.*?)</li>', _ranked_list(page), re.S)
    slugs = []
    for row in rows:
        found = re.search(r'<a href="/entries/([^"#]+)">', row)
        assert found, row
        slugs.append(found.group(1))
    return slugs


def list_row(page, slug):
    """The HTML of the one row that shows this entry."""
    for row in re.findall(r'<li class="entry-row">(.*?)</li>', _ranked_list(page), re.S):
        if f'<a href="/entries/{slug}">' in row:
            return row
    raise AssertionError(f"{slug} is not listed")


def first_rank(page):
    """The rank of the first row: the `start` of the numbered list."""
    match = re.search(r'<ol class="entries" start="(\d+)"', page)
    assert match, "the page has no ranked list"
    return int(match.group(1))

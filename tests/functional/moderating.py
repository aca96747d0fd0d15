"""Setting the scene for the moderation tests: accounts, entries and proposals made through the
domain (the way peers would have made them), browsers signed in, and what the database holds
after a moderator acted."""

import html
import re
from datetime import timedelta
from functools import cache
from html.parser import HTMLParser

from sqlalchemy import func, select

from lbs.domain import accounts, contributions, discussion, entries, passwords, voting
from lbs.extensions import db
from lbs.models import (
    Comment,
    Entry,
    Flag,
    ModerationAction,
    Notification,
    Proposal,
    Revision,
    User,
    Vote,
    utcnow,
)
from tests.conftest import PASSWORD

# Older than NEW_ACCOUNT_DAYS: such accounts may flag and post links.
ESTABLISHED = timedelta(days=30)
REASON = "Well sourced and wanted by the community."

HUB = {
    "title": "OpenStreetMap", "url": "https://www.openstreetmap.org",
    "summary": "The free map of the world, drawn by its users.", "tags": ["geodata", "maps"],
    "focus": "peer-driven production", "languages": "many", "region": "worldwide",
    "licence": "ODbL",
}
READING = {
    "title": "The Wealth of Networks", "url": "https://www.benkler.org/wealth",
    "summary": "How social production transforms markets and freedom.", "tags": ["commons"],
    "authors": "Yochai Benkler", "year": 2006, "venue": "Yale University Press",
    "reading_type": "book", "doi": None, "isbn": None,
}


@cache
def _password_hash():
    # One argon2 hash serves every account of the run: hashing costs ~20 ms each.
    return passwords.hash_password(PASSWORD)


def add_user(app, username, role="peer", age=ESTABLISHED, karma=0):
    """An account `age` old; returns its id."""
    with app.app_context():
        user = User(
            username=username, username_key=username.lower(),
            email=f"{username}@example.org", email_key=f"{username.lower()}@example.org",
            password_hash=_password_hash(), role=role, karma=karma, created_at=utcnow() - age,
        )
        db.session.add(user)
        db.session.commit()
        return user.id


def login(app, username):
    """A browser of its own with a live server-side session of the account.

    The session is started the way the log-in form starts it, without verifying an argon2
    hash for every browser; logging in itself has its own tests.
    """
    with app.app_context():
        token = accounts.start_session(user_named(username))
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return client


def user_named(username):
    return db.session.scalar(select(User).where(User.username_key == username.lower()))


def entry_named(slug):
    return db.session.scalar(select(Entry).where(Entry.slug == slug))


def add_entry(app, proposer, kind="hub", **fields):
    """A live entry at revision 1, as an earlier merge left it; returns its slug."""
    values = {**(HUB if kind == "hub" else READING), **fields}
    with app.app_context():
        entry = entries.create_entry(kind, values, user_named(proposer), None,
                                     reason="From the starter commons.")
        db.session.commit()
        return entry.slug


def add_proposal(app, author, kind="hub", **fields):
    """An open proposal of a new entry; returns its id."""
    values = {**(HUB if kind == "hub" else READING), **fields}
    with app.app_context():
        proposal = contributions.propose_entry(user_named(author), kind, values,
                                               accept_similar=True)
        db.session.commit()
        return proposal.id


def add_edit(app, author, slug, rationale="Clearer and up to date.", base=None, **changes):
    """An open edit proposal changing `changes` of the entry's current fields; returns its id."""
    with app.app_context():
        entry = entry_named(slug)
        data = {**contributions.current_fields(entry), **changes}
        proposal = contributions.propose_edit(
            user_named(author), entry, data, rationale, base or entry.revision_count
        )
        db.session.commit()
        return proposal.id


def merge_now(app, moderator, proposal_id, reason=REASON, **choices):
    """A merge done earlier by a moderator, straight through the domain."""
    from lbs.domain import moderation

    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        entry = moderation.merge_proposal(user_named(moderator), proposal, reason,
                                          choices=choices or None)
        db.session.commit()
        return entry.slug


def cast(app, username, target_type, target_id, value=1):
    with app.app_context():
        target = voting.load_target(target_type, target_id)
        voting.cast_vote(user_named(username), target, value)
        db.session.commit()


def comment(app, author, target_type, target_id, body="A thought on this.", parent_id=None):
    with app.app_context():
        target = discussion.COMMENT_TARGETS[target_type]
        made = discussion.add_comment(user_named(author), db.session.get(target, target_id),
                                      body, parent_id)
        db.session.commit()
        return made.id


def flag(app, username, target_type, target_id, reason="spam", duplicate_of=None, note=""):
    """A peer's flag; returns its id."""
    with app.app_context():
        target = discussion.FLAG_TARGETS[target_type]
        flag_id = discussion.flag(
            user_named(username), db.session.get(target, target_id), reason, note,
            duplicate_of=entry_named(duplicate_of) if duplicate_of else None,
        )
        db.session.commit()
        return flag_id


def set_columns(app, model, row_id, **values):
    """Put a row in a state the scene needs (an older date, a status) without the domain."""
    with app.app_context():
        db.session.execute(
            model.__table__.update().where(model.__table__.c.id == row_id).values(**values)
        )
        db.session.commit()


def _columns(thing):
    return {column.key: getattr(thing, column.key) for column in type(thing).__table__.columns}


def row(app, model, row_id):
    with app.app_context():
        thing = db.session.get(model, row_id)
        assert thing is not None, f"no {model.__name__} {row_id}"
        return _columns(thing)


def entry_row(app, slug):
    with app.app_context():
        entry = entry_named(slug)
        assert entry is not None, f"no entry {slug!r}"
        return _columns(entry)


def entry_id(app, slug):
    return entry_row(app, slug)["id"]


def user_row(app, username):
    with app.app_context():
        return _columns(user_named(username))


def proposal_row(app, proposal_id):
    return row(app, Proposal, proposal_id)


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def votes_on(app, target_type, target_id):
    """{username: value} of the votes on one target."""
    with app.app_context():
        return dict(db.session.execute(
            select(User.username, Vote.value).join(User, User.id == Vote.user_id)
            .where(Vote.target_type == target_type, Vote.target_id == target_id)
        ).all())


def revisions(app, slug):
    """The entry's revisions, oldest first, with the names of proposer and merger."""
    with app.app_context():
        entry = entry_named(slug)
        rows = db.session.scalars(
            select(Revision).where(Revision.entry_id == entry.id).order_by(Revision.number)
        ).all()
        return [
            {**_columns(r), "author": r.author.username,
             "merged_by": r.merged_by.username if r.merged_by else None}
            for r in rows
        ]


def log_rows(app):
    """The public log, oldest first, with the moderator's name."""
    with app.app_context():
        rows = db.session.scalars(select(ModerationAction).order_by(ModerationAction.id)).all()
        return [{**_columns(r), "moderator": r.moderator.username} for r in rows]


def notifications_of(app, username):
    with app.app_context():
        user = user_named(username)
        return [
            _columns(n) for n in db.session.scalars(
                select(Notification).where(Notification.user_id == user.id)
                .order_by(Notification.id)
            )
        ]


def flags_on(app, target_type, target_id):
    with app.app_context():
        return [
            _columns(f) for f in db.session.scalars(
                select(Flag).where(Flag.target_type == target_type, Flag.target_id == target_id)
                .order_by(Flag.id)
            )
        ]


def comment_row(app, comment_id):
    return row(app, Comment, comment_id)


INLINE_TAGS = re.compile(r"</?(?:a|abbr|b|code|del|em|i|ins|span|strong|time)\b[^>]*>")


def text_of(page):
    """The page as a reader sees it: tags removed, entities decoded, whitespace collapsed."""
    page = INLINE_TAGS.sub("", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def section(page, heading_id):
    """The part of the page inside the <section> labelled by this heading."""
    start = page.index(f'aria-labelledby="{heading_id}"')
    return page[start : page.index("</section>", start)]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(page):
    parser = _Elements()
    parser.feed(page)
    parser.close()
    return parser.elements


def links(page):
    return [attrs.get("href") for tag, attrs in elements(page) if tag == "a"]


def link_text(page, href):
    """The words of the first link to `href`, as a reader sees them."""
    match = re.search(rf'<a href="{re.escape(href)}"[^>]*>(.*?)</a>', page, re.S)
    assert match, f"the page has no link to {href}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).split())


def hidden_value(page, form_action, name):
    """The value of a hidden input inside the form posting to `form_action`."""
    start = page.index(f'action="{form_action}"')
    form = page[start : page.index("</form>", start)]
    for tag, attrs in elements("<form " + form):
        if tag == "input" and attrs.get("name") == name:
            return attrs.get("value")
    raise AssertionError(f"the form for {form_action} has no input {name!r}")


def decision_form(client, proposal_id):
    """What the decision page gives a moderator to send back: the versions they saw."""
    page = client.get(f"/moderation/proposals/{proposal_id}").get_data(as_text=True)
    action = f"/moderation/proposals/{proposal_id}/merge"
    return {
        "version": hidden_value(page, action, "version"),
        "entry_version": hidden_value(page, action, "entry_version"),
    }

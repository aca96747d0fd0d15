"""Setting the scene for the contributing tests: peers, entries and proposals made directly in
the database, browsers signed in, and forms filled in the way a person would fill them."""

import html
import re
from datetime import timedelta
from functools import cache
from html.parser import HTMLParser

from sqlalchemy import func, select

from lbs.domain import accounts, entries, passwords
from lbs.extensions import db
from lbs.models import Comment, Entry, Proposal, User, Vote, utcnow
from tests.conftest import PASSWORD

ESTABLISHED = timedelta(days=60)


@cache
def shared_password_hash():
    # One argon2 hash for every account the scene needs: hashing costs ~20 ms each.
    return passwords.hash_password(PASSWORD)


def add_user(app, username, age=ESTABLISHED, karma=0, role="peer"):
    """An account `age` old (established by default); returns its id."""
    with app.app_context():
        user = User(
            username=username, username_key=username.lower(),
            email=f"{username}@example.org", email_key=f"{username.lower()}@example.org",
            password_hash=shared_password_hash(), role=role, karma=karma,
            created_at=utcnow() - age,
        )
        db.session.add(user)
        db.session.commit()
        return user.id


def sign_in(client, app, username):
    """Start a server-side session for the account and give its cookie to this browser.

    Going through /login would verify an argon2 hash per browser; log-in itself has its
    own tests.
    """
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username_key == username.lower()))
        token = accounts.start_session(user)
        db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return client


def browser(app, username):
    return sign_in(app.test_client(), app, username)


HUB_FIELDS = {
    "title": "OpenStreetMap", "url": "https://www.openstreetmap.org", "summary": "The free map.",
    "tags": ["maps", "geodata"], "focus": "peer-driven production", "languages": "many",
    "region": "worldwide", "licence": "ODbL",
}
READING_FIELDS = {
    "title": "The Wealth of Networks", "url": "https://www.benkler.org/wealth", "summary":
    "How social production transforms markets.", "tags": ["commons"], "authors": "Yochai Benkler",
    "year": 2006, "venue": "Yale University Press", "reading_type": "book", "doi": None,
    "isbn": None,
}


def add_entry(app, proposer, kind="hub", **fields):
    """A live entry with its revision 1, as a merge would leave it; returns its slug."""
    values = {**(HUB_FIELDS if kind == "hub" else READING_FIELDS), **fields}
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username_key == proposer.lower()))
        entry = entries.create_entry(kind, values, user, None, reason="starter")
        db.session.commit()
        return entry.slug


def hub_form(**changes):
    data = {
        "title": "Appropedia", "url": "https://www.appropedia.org/", "summary": "A *wiki* for "
        "appropriate technology.", "tags": "wiki, appropriate-tech", "focus": "commons-based "
        "initiative", "languages": "English, Spanish", "region": "worldwide",
        "licence": "CC BY-SA 4.0", "rationale": "", "submit": "Propose",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def reading_form(**changes):
    data = {
        "title": "Peer production", "url": "https://example.org/peer-production",
        "summary": "An essay on **peer production**.", "tags": "commons", "authors": "Ada Lovelace",
        "year": "2006", "venue": "Commons Press", "reading_type": "article", "doi": "",
        "isbn": "", "rationale": "", "submit": "Propose",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def proposal_id(response):
    """The id of the proposal a successful POST sent the browser to."""
    assert response.status_code == 302, response.status_code
    match = re.fullmatch(r"/proposals/(\d+)", response.location)
    assert match, response.location
    return int(match.group(1))


def propose(client, kind="hub", **changes):
    form = hub_form(**changes) if kind == "hub" else reading_form(**changes)
    return client.post(f"/propose/{kind}", data=form)


def row(app, model, row_id):
    """The stored columns of one row, as a dict."""
    with app.app_context():
        thing = db.session.get(model, row_id)
        assert thing is not None, f"no {model.__name__} {row_id}"
        return {column.key: getattr(thing, column.key) for column in model.__table__.columns}


def entry_row(app, slug):
    with app.app_context():
        entry_id = db.session.scalar(select(Entry.id).where(Entry.slug == slug))
    return row(app, Entry, entry_id)


def user_row(app, username):
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username_key == username.lower()))
    return row(app, User, user_id)


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def count_proposals(app):
    return count(app, Proposal)


def count_votes(app, *where):
    return count(app, Vote, *where)


def add_comment_row(app, author, target_type, target_id, body="A comment.", parent_id=None,
                    age=timedelta(0)):
    """A comment written `age` ago, straight into the database; returns its id."""
    from lbs.domain import discussion

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username_key == author.lower()))
        target = db.session.get(discussion.COMMENT_TARGETS[target_type], target_id)
        comment = discussion.add_comment(user, target, body, parent_id)
        comment.created_at = utcnow() - age
        db.session.commit()
        return comment.id


def comment_row(app, comment_id):
    return row(app, Comment, comment_id)


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self._textarea = None
        self.textareas = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag == "textarea":
            self._textarea = attrs.get("name")
            self.textareas[self._textarea] = ""

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self.textareas[self._textarea] += data


def parse(page):
    parser = _Elements()
    parser.feed(page)
    parser.close()
    return parser


def elements(page):
    """Every start tag of the page as (name, attributes), attribute values unescaped."""
    return parse(page).elements


def links(page):
    return [attrs.get("href") for tag, attrs in elements(page) if tag == "a"]


def shown_value(page, name):
    """What the form field called `name` shows: an input's value or a textarea's text."""
    parser = parse(page)
    if name in parser.textareas:
        # Browsers drop the one line break that may follow <textarea>.
        text = parser.textareas[name]
        return text.removeprefix("\r\n") if text.startswith("\r\n") else text.removeprefix("\n")
    for tag, attrs in parser.elements:
        if tag == "input" and attrs.get("name") == name:
            return attrs.get("value")
    raise AssertionError(f"the page has no field named {name!r}")


def field_error(page, field_id):
    """The message shown by the field with this id, or None."""
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S)
    return html.unescape(match.group(1)) if match else None


def text_of(page):
    """The page as a reader sees it: tags removed, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


class _FormFields(HTMLParser):
    """What a browser would send for the page's form of class "stacked" (the page's main form)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.fields = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = "stacked" in (attrs.get("class") or "").split()
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "checkbox"):
            self.fields[name] = attrs.get("value") or ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(page, **changes):
    """The page's main form as it was filled in, with a person's changes."""
    parser = _FormFields()
    parser.feed(page)
    parser.close()
    fields = {
        name: value.removeprefix("\r\n") if value.startswith("\r\n") else value
        for name, value in parser.fields.items()
    }
    fields.update(changes)
    return fields

"""Reading pages and the database the way the functional tests need: what a form shows,
which message sits by which field, and whether a browser is logged in."""

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from sqlalchemy import func, select

from lbs.extensions import db
from lbs.models import User


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def tags(page):
    """Every start tag of the page as (name, attributes), attribute values unescaped."""
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser.tags


def input_value(page, name):
    """What the input called `name` shows; fails when the page has no such input."""
    inputs = [attrs for tag, attrs in tags(page) if tag == "input" and attrs.get("name") == name]
    assert inputs, f"the page has no input named {name!r}"
    return inputs[0].get("value")


def field_error(page, field_id):
    """The message shown by the field with this id (or an id ending in -id / _id), or None."""
    match = re.search(
        rf'<p class="error" id="(?:[\w-]*[-_])?{re.escape(field_id)}-error">(.*?)</p>', page, re.S
    )
    return html.unescape(match.group(1)) if match else None


def section(page, heading_id):
    """The part of the page inside the <section> labelled by this heading."""
    start = page.index(f'<section aria-labelledby="{heading_id}"')
    return page[start : page.index("</section>", start)]


def is_logged_in(client):
    """Whether this browser is let into the account page, as a person would find out."""
    response = client.get("/account")
    if response.status_code == 200:
        return True
    assert response.status_code == 302, response.status_code
    assert urlsplit(response.location).path == "/login"
    return False


def count_users(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def stored_user(app, username):
    """The account's stored columns as a dict, looked up without regard to case."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username_key == username.lower()))
        assert user is not None, f"no account {username!r}"
        return {column.key: getattr(user, column.key) for column in User.__table__.columns}

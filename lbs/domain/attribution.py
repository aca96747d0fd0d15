"""Whom to credit, and under which licence: what every copy of the commons carries along.

CC BY-SA asks anyone who copies an entry to credit its authors. In the commons those are
everyone whose proposals were merged into the entry: the authors of its revisions.
"""

from flask import current_app
from sqlalchemy import func, select

from lbs.extensions import db
from lbs.models import Revision, User


def licence():
    """The commons' licence, as the site footer states it."""
    name = current_app.config["LICENCE_NAME"]
    url = current_app.config["LICENCE_URL"]
    return {
        "name": name,
        "url": url,
        "notice": (
            f"The commons of Learning by Sharing is shared under {name} ({url}). "
            "Copy, adapt and share it, crediting the contributors listed with each entry, "
            "and share what you make from it under the same licence."
        ),
    }


def contributors_by_entry(entry_ids):
    """{entry id: [username, ...]} for many entries in one query, first contribution first.

    The same people, in the same order, as lbs.domain.entries.contributors gives for one entry.
    """
    credits = {entry_id: [] for entry_id in entry_ids}
    if not credits:
        return credits
    rows = db.session.execute(
        select(Revision.entry_id, User.username)
        .join(User, User.id == Revision.author_id)
        .where(Revision.entry_id.in_(list(credits)))
        .group_by(Revision.entry_id, User.id, User.username)
        .order_by(Revision.entry_id, func.min(Revision.number))
    )
    for entry_id, username in rows:
        credits[entry_id].append(username)
    return credits


def profile_path(username):
    """Where a contributor's profile lives on the site, relative to its root."""
    return f"/users/{username}"

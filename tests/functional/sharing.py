"""Setting the scene for feeds, exports and citations: entries that several peers contributed
to, votes, entries taken out of the lists, open proposals, and a count of SQL statements."""

from datetime import timedelta

from sqlalchemy import select

from lbs.domain import entries
from lbs.domain.contributions import current_fields
from lbs.extensions import db
from lbs.models import Entry, Proposal, User, utcnow
from tests.functional.contributing import add_entry, add_user  # noqa: F401 - re-exported


def _user(username):
    return db.session.scalar(select(User).where(User.username_key == username.lower()))


def _entry(slug):
    return db.session.scalar(select(Entry).where(Entry.slug == slug))


def contribute(app, slug, username, **changes):
    """A merged edit by `username`: the entry gets a new revision credited to them."""
    with app.app_context():
        entry = _entry(slug)
        fields = {**current_fields(entry), **changes}
        entries.add_revision(entry, fields, _user(username), None, reason="edit merged")
        db.session.commit()


def change_entry(app, slug, **columns):
    """Set stored columns directly: votes, status, age, flags."""
    with app.app_context():
        entry = _entry(slug)
        for name, value in columns.items():
            setattr(entry, name, value)
        db.session.commit()


def age_entry(app, slug, days):
    change_entry(app, slug, created_at=utcnow() - timedelta(days=days),
                 updated_at=utcnow() - timedelta(days=days))


def add_proposal(app, author, title="Appropedia", status="open", kind="hub", **columns):
    """A proposal row as a peer's proposal leaves it; returns its id."""
    with app.app_context():
        fields = {"title": title, "url": f"https://{title.lower()}.example.org/",
                  "summary": f"Why **{title}** belongs here.", "tags": ["wiki"]}
        proposal = Proposal(
            kind="new", entry_kind=kind, author_id=_user(author).id, fields=fields, title=title,
            url=fields["url"], status=status, **columns,
        )
        db.session.add(proposal)
        db.session.commit()
        return proposal.id

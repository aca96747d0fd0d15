"""The fields of an entry, its snapshot in a revision, and creating an entry with revision 1."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lbs.domain import ranking
from lbs.domain.browsing import forget_counts
from lbs.domain.slugs import unique_slug
from lbs.domain.tags import set_entry_tags
from lbs.extensions import db
from lbs.models import Entry, Revision, User, utcnow

COMMON_FIELDS = ("title", "url", "summary", "tags")
KIND_FIELDS = {
    "hub": ("focus", "languages", "region", "licence"),
    "reading": ("authors", "year", "venue", "reading_type", "doi", "isbn"),
}
FIELD_LABELS = {
    "title": _l("Title"), "url": "URL", "summary": _l("Summary"), "tags": _l("Tags"),
    "focus": _l("Focus"), "languages": _l("Languages"), "region": _l("Region"),
    "licence": _l("Licence"), "authors": _l("Authors"), "year": _l("Year"),
    "venue": _l("Publisher or venue"), "reading_type": _l("Type"), "doi": "DOI", "isbn": "ISBN",
}
RELATED_LABEL = _l("Related entries")


def field_names(kind):
    return COMMON_FIELDS + KIND_FIELDS[kind]


def revision_field_names(kind):
    """What a revision records: the entry's fields and the entries it links to."""
    return (*field_names(kind), "related")


def snapshot(entry):
    """The entry's fields as a revision stores them."""
    fields = {name: getattr(entry, name) for name in field_names(entry.kind) if name != "tags"}
    fields["tags"] = [tag.name for tag in entry.tags]
    return fields


def apply_fields(entry, fields):
    for name in field_names(entry.kind):
        if name != "tags" and name in fields:
            setattr(entry, name, fields[name])
    # The tag names beside the entry, so full-text search indexes them without a join.
    entry.tags_text = " ".join(sorted(fields.get("tags") or []))


def hot_tau():
    return current_app.config.get("HOT_TAU_SECONDS", ranking.DEFAULT_HOT_TAU)


def create_entry(kind, fields, proposer, merged_by, proposal=None, reason=""):
    """A live entry with its revision 1, credited to the proposer and the merging moderator."""
    now = utcnow()
    entry = Entry(
        kind=kind,
        slug=unique_slug(fields["title"]),
        proposer_id=proposer.id,
        created_at=now,
        updated_at=now,
        score_hot=ranking.hot_score(0, 0, now, hot_tau()),
        revision_count=1,
    )
    apply_fields(entry, fields)
    db.session.add(entry)
    db.session.flush()
    _record_revision(entry, 1, fields, proposer, merged_by, proposal, reason)
    forget_counts()
    return entry


def _record_revision(entry, number, fields, author, merged_by, proposal, reason):
    from lbs.domain.relations import set_related

    set_entry_tags(entry, fields.get("tags") or [])
    set_related(entry, fields.get("related") or [])
    db.session.add(
        Revision(
            entry_id=entry.id,
            number=number,
            fields={name: fields.get(name) for name in revision_field_names(entry.kind)},
            proposal_id=proposal.id if proposal else None,
            author_id=author.id,
            merged_by_id=merged_by.id if merged_by else None,
            reason=reason,
        )
    )
    db.session.flush()


def add_revision(entry, fields, author, merged_by, proposal=None, reason=""):
    """A new revision of a live entry. The version column makes a concurrent one fail (409)."""
    authors = set(
        db.session.scalars(select(Revision.author_id).where(Revision.entry_id == entry.id))
    )
    apply_fields(entry, fields)
    entry.revision_count = entry.revision_count + 1
    entry.contributor_count = len(authors | {author.id})
    entry.updated_at = utcnow()
    # One UPDATE ... WHERE version = seen: raises StaleDataError if someone merged meanwhile.
    db.session.flush()
    _record_revision(entry, entry.revision_count, fields, author, merged_by, proposal, reason)
    return entry


def contributors(entry):
    """Everyone whose proposals were merged into the entry, first contribution first."""
    return db.session.scalars(
        select(User)
        .join(Revision, Revision.author_id == User.id)
        .where(Revision.entry_id == entry.id)
        .group_by(User.id)
        .order_by(func.min(Revision.number))
    ).all()

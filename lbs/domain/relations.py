"""Links between readings and the hubs where they are practised."""

from sqlalchemy import delete, select

from lbs.domain.sql import insert_ignoring_conflicts
from lbs.extensions import db
from lbs.models import Entry, Relation


def _other_side(entry):
    if entry.kind == "reading":
        return Relation.reading_id, Relation.hub_id
    return Relation.hub_id, Relation.reading_id


def related_entries(entry):
    own, other = _other_side(entry)
    return db.session.scalars(
        select(Entry)
        .join(Relation, other == Entry.id)
        .where(own == entry.id, Entry.status == "live")
        .order_by(Entry.title)
    ).all()


def related_slugs(entry):
    return [e.slug for e in related_entries(entry)]


def links_made_since(entry, moment):
    """Slugs of entries linked to this one after `moment`: a proposal written at `moment`
    never saw them, so it neither keeps nor removes them."""
    own, other = _other_side(entry)
    return set(db.session.scalars(
        select(Entry.slug).join(Relation, other == Entry.id)
        .where(own == entry.id, Relation.created_at > moment)
    ))


def set_related(entry, slugs):
    """Make the entry's related entries exactly the live ones named by `slugs`."""
    own, other = _other_side(entry)
    db.session.execute(delete(Relation).where(own == entry.id))
    if not slugs:
        return
    ids = db.session.scalars(
        select(Entry.id).where(Entry.slug.in_(slugs), Entry.status == "live", Entry.kind != entry.kind)
    ).all()
    rows = [
        {"reading_id": entry.id, "hub_id": i} if entry.kind == "reading" else
        {"reading_id": i, "hub_id": entry.id}
        for i in ids
    ]
    if rows:
        db.session.execute(insert_ignoring_conflicts(Relation), rows)

"""Tags: short lower-case words that group entries across kinds."""

import re

from flask_babel import gettext as _
from sqlalchemy import delete, select

from lbs.domain.errors import Invalid
from lbs.domain.sql import insert_ignoring_conflicts
from lbs.extensions import db
from lbs.models import EntryTag, Tag

MAX_TAGS = 5
TAG_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_TAG_LENGTH = 30


def normalize_tags(raw):
    """A list of tag names from a list or a comma/space separated string, or Invalid."""
    if isinstance(raw, str):
        raw = re.split(r"[,\s]+", raw)
    names = []
    for name in raw or []:
        name = name.strip().lower().lstrip("#")
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH or not TAG_PATTERN.fullmatch(name):
            raise Invalid(
                "tags",
                _(
                    "Tags are words of a-z, 0-9 and inner hyphens, up to %(num)d "
                    "characters; %(tag)s is not one.",
                    num=MAX_TAG_LENGTH, tag=repr(name[:40]),
                ),
            )
        if name not in names:
            names.append(name)
    if len(names) > MAX_TAGS:
        raise Invalid("tags", _("Use at most %(num)d tags.", num=MAX_TAGS))
    # In name order, as entries show them: a revision and the entry then agree on the list.
    return sorted(names)


def set_entry_tags(entry, names):
    """Make the entry's tags exactly `names`, creating tags nobody used before."""
    if names:
        db.session.execute(insert_ignoring_conflicts(Tag), [{"name": n} for n in names])
    tag_ids = db.session.scalars(select(Tag.id).where(Tag.name.in_(names))).all() if names else []
    db.session.execute(delete(EntryTag).where(EntryTag.entry_id == entry.id))
    if tag_ids:
        db.session.execute(
            insert_ignoring_conflicts(EntryTag), [{"entry_id": entry.id, "tag_id": t} for t in tag_ids]
        )
    db.session.expire(entry, ["tags"])

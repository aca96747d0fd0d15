"""The tags in use, with how many live entries carry each: what GET /api/v1/tags lists.

Read-only, and needed by the API alone so far. It belongs with the other tag rules in
lbs.domain.tags once a page needs it too.
"""

from sqlalchemy import func, select

from lbs.extensions import db
from lbs.models import Entry, EntryTag, Tag

# The answer stays one small page, whatever the number of tags: the most used come first.
MAX_TAGS_LISTED = 200


def tag_counts(limit=MAX_TAGS_LISTED):
    """[(name, count)] of tags on live, listed entries, most used first, then by name."""
    count = func.count(EntryTag.entry_id)
    return db.session.execute(
        select(Tag.name, count)
        .join(EntryTag, EntryTag.tag_id == Tag.id)
        .join(Entry, Entry.id == EntryTag.entry_id)
        .where(Entry.status == "live", Entry.flag_hidden.is_(False))
        .group_by(Tag.id, Tag.name)
        .order_by(count.desc(), Tag.name)
        .limit(limit)
    ).all()

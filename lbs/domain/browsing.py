"""What visitors read: the front page and the ranked lists of the commons."""

from sqlalchemy import func, select

from lbs.extensions import db
from lbs.models import Entry

FRONT_PAGE_ROWS = 5


def _top(kind, limit):
    return db.session.scalars(
        select(Entry)
        .where(Entry.kind == kind, Entry.status == "live")
        .order_by(Entry.score_top.desc(), Entry.id.desc())
        .limit(limit)
    ).all()


def commons_counts():
    rows = db.session.execute(
        select(Entry.kind, func.count()).where(Entry.status == "live").group_by(Entry.kind)
    ).all()
    counts = {"hub": 0, "reading": 0}
    counts.update(dict(rows))
    return counts


def front_page():
    return {
        "counts": commons_counts(),
        "top_hubs": _top("hub", FRONT_PAGE_ROWS),
        "top_readings": _top("reading", FRONT_PAGE_ROWS),
        "newest": db.session.scalars(
            select(Entry)
            .where(Entry.status == "live")
            .order_by(Entry.created_at.desc(), Entry.id.desc())
            .limit(FRONT_PAGE_ROWS)
        ).all(),
    }

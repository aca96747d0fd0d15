"""What visitors read: the front page and the ranked lists.

A ranked page is an index scan on a stored score: first the ids of the page from the
(kind, status, score, id) index alone, then those rows. Its cost does not grow with the size
of the commons, and no page counts the whole table.
"""

import time
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select, union_all
from sqlalchemy.orm import selectinload

from lbs.domain.errors import Invalid
from lbs.domain.tags import MAX_TAG_LENGTH, TAG_PATTERN
from lbs.extensions import db
from lbs.models import (
    ENTRY_KINDS,
    HUB_FOCUSES,
    PROPOSAL_STATUSES,
    READING_TYPES,
    Entry,
    EntryTag,
    Proposal,
    Tag,
)

PAGE_SIZE = 30
MAX_PAGE = 1000
FRONT_PAGE_ROWS = 5
SORTS = {
    "top": (Entry.score_top.desc(), Entry.id.desc()),
    "hot": (Entry.score_hot.desc(), Entry.id.desc()),
    "new": (Entry.created_at.desc(), Entry.id.desc()),
}
PROPOSAL_SORTS = {
    "hot": (Proposal.score_hot.desc(), Proposal.id.desc()),
    "top": (Proposal.score_top.desc(), Proposal.id.desc()),
    "new": (Proposal.created_at.desc(), Proposal.id.desc()),
}


@dataclass
class Listing:
    rows: list
    page: int
    sort: str
    has_next: bool
    filters: dict = field(default_factory=dict)

    @property
    def first_rank(self):
        return (self.page - 1) * PAGE_SIZE + 1


# What a row of a ranked list shows, and what the vote permission reads: no summary, no link
# health, and the tags as the stored tags_text rather than through a join.
ROW_COLUMNS = (
    Entry.id, Entry.kind, Entry.slug, Entry.title, Entry.url, Entry.tags_text, Entry.status,
    Entry.proposer_id, Entry.ups, Entry.downs, Entry.comment_count, Entry.contributor_count,
)
_ROWS_BY_ID = select(*ROW_COLUMNS).where(Entry.id.in_(bindparam("ids", expanding=True)))
_ENTRIES_BY_ID = (
    select(Entry).options(selectinload(Entry.tags))
    .where(Entry.id.in_(bindparam("ids", expanding=True)))
)


def _in_order(found, ids):
    by_id = {e.id: e for e in found}
    return [by_id[i] for i in ids if i in by_id]


def row_entries(ids, order=None):
    """What the rows of a list page show for these entries, as plain result rows. Pages of
    30 rows cost a third as much this way as with Entry objects.

    `ids` is a list (the rows come in its order), or a query of ids whose rows come sorted
    by `order`: one statement instead of two, which saves a round trip to the database.
    """
    if order is not None:
        page = ids.subquery()
        return db.session.execute(
            select(*ROW_COLUMNS).join(page, page.c.id == Entry.id).order_by(*order)
        ).all()
    if not ids:
        return []
    return _in_order(db.session.execute(_ROWS_BY_ID, {"ids": ids}), ids)


def full_entries(ids, order=None):
    """Whole Entry objects with their tags (the API, citations); `ids` as for row_entries."""
    if order is not None:
        page = ids.subquery()
        return db.session.scalars(
            select(Entry).options(selectinload(Entry.tags))
            .join(page, page.c.id == Entry.id).order_by(*order)
        ).all()
    if not ids:
        return []
    return _in_order(db.session.scalars(_ENTRIES_BY_ID, {"ids": ids}), ids)


def parse_page(raw):
    """Page numbers from a URL: junk or < 1 is page 1; past MAX_PAGE is refused."""
    try:
        page = int(str(raw or "1").strip())
    except ValueError:
        return 1
    if page > MAX_PAGE:
        raise Invalid(
            "page",
            _(
                "Lists go to page %(num)d. Narrow the list with a tag or a filter instead.",
                num=MAX_PAGE,
            ),
        )
    return max(page, 1)


def int_arg(raw, default):
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        return default


def _int_or_none(raw, low, high):
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if low <= value <= high else None


def _tag_name(raw):
    # Kept even when no tag could have it: a tag filter nothing matches shows an empty list,
    # not the whole commons under the tag's heading.
    name = (raw or "").strip().lower()[:100]
    return name or None


def _page_of(query, page):
    """Fetch one page plus one row, to know whether a next page exists without counting."""
    return query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)


def entry_filters(kind, args):
    filters = {"tag": _tag_name(args.get("tag"))}
    if kind == "hub" and args.get("focus") in HUB_FOCUSES:
        filters["focus"] = args["focus"]
    if kind == "reading":
        if args.get("type") in READING_TYPES:
            filters["type"] = args["type"]
        filters["year_from"] = _int_or_none(args.get("year_from"), 1000, 2100)
        filters["year_to"] = _int_or_none(args.get("year_to"), 1000, 2100)
    return {k: v for k, v in filters.items() if v is not None}


def tag_id(name):
    """The id of the tag called `name`, or None; names no tag could have never reach the
    database (PostgreSQL refuses text holding NUL, for one)."""
    if not name or len(name) > MAX_TAG_LENGTH or not TAG_PATTERN.fullmatch(name):
        return None
    return db.session.scalar(select(Tag.id).where(Tag.name == name))


def entry_list(kind, args, load=row_entries):
    """One page of live entries of a kind (or of every kind when kind is None), loaded by
    `load` (row_entries or full_entries)."""
    sort = args.get("sort") if args.get("sort") in SORTS else "top"
    page = parse_page(args.get("page"))
    filters = entry_filters(kind, args) if kind else {"tag": _tag_name(args.get("tag"))}
    ids = select(Entry.id).where(Entry.status == "live", Entry.flag_hidden.is_(False))
    if kind:
        ids = ids.where(Entry.kind == kind)
    if filters.get("tag"):
        found = tag_id(filters["tag"])
        if found is None:
            return Listing([], page, sort, False, filters)
        ids = ids.join(EntryTag, EntryTag.entry_id == Entry.id).where(EntryTag.tag_id == found)
    if "focus" in filters:
        ids = ids.where(Entry.focus == filters["focus"])
    if "type" in filters:
        ids = ids.where(Entry.reading_type == filters["type"])
    if "year_from" in filters:
        ids = ids.where(Entry.year >= filters["year_from"])
    if "year_to" in filters:
        ids = ids.where(Entry.year <= filters["year_to"])
    rows = load(_page_of(ids.order_by(*SORTS[sort]), page), SORTS[sort])
    has_next = len(rows) > PAGE_SIZE
    return Listing(rows[:PAGE_SIZE], page, sort, has_next, {k: v for k, v in filters.items() if v})


def proposal_list(args):
    sort = args.get("sort") if args.get("sort") in PROPOSAL_SORTS else "hot"
    status = args.get("status") if args.get("status") in PROPOSAL_STATUSES else "open"
    page = parse_page(args.get("page"))
    filters = {"status": status}
    query = select(Proposal).where(Proposal.status == status, Proposal.flag_hidden.is_(False)).options(
        selectinload(Proposal.author)
    )
    if args.get("kind") in ("hub", "reading"):
        filters["kind"] = args["kind"]
        query = query.where(Proposal.entry_kind == args["kind"])
    rows = db.session.scalars(_page_of(query.order_by(*PROPOSAL_SORTS[sort]), page)).all()
    return Listing(rows[:PAGE_SIZE], page, sort, len(rows) > PAGE_SIZE, filters)


_counts_cache = {"at": 0.0, "value": None}
COUNTS_TTL_SECONDS = 60


def commons_counts():
    """How many live hubs and readings: cached a minute, so the front page never counts per hit."""
    now = time.monotonic()
    if _counts_cache["value"] is None or now - _counts_cache["at"] > COUNTS_TTL_SECONDS:
        rows = db.session.execute(
            select(Entry.kind, func.count()).where(Entry.status == "live").group_by(Entry.kind)
        ).all()
        counts = {"hub": 0, "reading": 0}
        counts.update(dict(rows))
        _counts_cache.update(at=now, value=counts)
    return _counts_cache["value"]


def forget_counts():
    _counts_cache["value"] = None


def _top(kind, limit):
    return db.session.scalars(
        select(Entry)
        .where(Entry.kind == kind, Entry.status == "live", Entry.flag_hidden.is_(False))
        .order_by(*SORTS["top"])
        .limit(limit)
    ).all()


def _newest(limit):
    """The newest live entries of either kind.

    The created_at index starts with the kind, so ordering all kinds at once would read every
    live entry; the newest `limit` of each kind are two short index scans, and the newest
    `limit` overall are among them.
    """
    per_kind = [
        select(Entry.id)
        .where(Entry.kind == kind, Entry.status == "live", Entry.flag_hidden.is_(False))
        .order_by(*SORTS["new"])
        .limit(limit)
        .subquery()
        for kind in ENTRY_KINDS
    ]
    candidates = union_all(*(select(kind.c.id) for kind in per_kind))
    return db.session.scalars(
        select(Entry).where(Entry.id.in_(candidates)).order_by(*SORTS["new"]).limit(limit)
    ).all()


def front_page():
    return {
        "counts": commons_counts(),
        "top_hubs": _top("hub", FRONT_PAGE_ROWS),
        "top_readings": _top("reading", FRONT_PAGE_ROWS),
        "newest": _newest(FRONT_PAGE_ROWS),
        # Not "waiting": base.html sets that name for moderators, and it would win.
        "open_proposals": db.session.scalars(
            select(Proposal)
            .options(selectinload(Proposal.author))
            .where(Proposal.status == "open", Proposal.flag_hidden.is_(False))
            .order_by(*PROPOSAL_SORTS["hot"])
            .limit(FRONT_PAGE_ROWS)
        ).all(),
    }

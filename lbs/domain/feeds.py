"""What the Atom feeds carry: the entries newly merged into the commons (all of them, one
kind, or one tag) and the proposals open for votes.

Each feed is the newest FEED_SIZE items, read in a fixed number of queries (the items, their
tags, their contributors), so serving a feed costs the same however large the commons grows.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lbs.domain.attribution import contributors_by_entry
from lbs.domain.browsing import SORTS
from lbs.domain.tags import MAX_TAG_LENGTH, TAG_PATTERN
from lbs.domain.text import render_markdown
from lbs.extensions import db
from lbs.models import Entry, EntryTag, Proposal, Tag

FEED_SIZE = 30
KIND_TITLES = {None: _l("New in the commons"), "hub": _l("New hubs"), "reading": _l("New readings")}
KIND_SUBTITLES = {
    None: _l("The hubs and readings most recently merged into the Learning by Sharing commons."),
    "hub": _l("The hubs most recently merged into the Learning by Sharing commons."),
    "reading": _l("The readings most recently merged into the Learning by Sharing commons."),
}


@dataclass
class FeedItem:
    """One item of a feed: an entry or a proposal, with what a feed reader shows of it."""

    target: Entry | Proposal
    title: str
    summary_html: str
    authors: list
    published: datetime
    updated: datetime
    categories: list = field(default_factory=list)


@dataclass
class Feed:
    title: str
    subtitle: str
    items: list

    @property
    def updated(self):
        return max((item.updated for item in self.items), default=None)


def _live_entries():
    return (
        select(Entry)
        .where(Entry.status == "live", Entry.flag_hidden.is_(False))
        .order_by(*SORTS["new"])
        .limit(FEED_SIZE)
    )


def _entry_items(query):
    # Entry.tags loads with one SELECT ... IN for the whole page (lazy="selectin").
    entries = db.session.scalars(query).all()
    credits = contributors_by_entry([e.id for e in entries])
    return [
        FeedItem(
            target=entry,
            title=entry.title,
            summary_html=render_markdown(entry.summary),
            authors=credits[entry.id],
            published=entry.created_at,
            updated=entry.updated_at,
            categories=[tag.name for tag in entry.tags],
        )
        for entry in entries
    ]


def newest_entries(kind=None):
    """The entries merged into the commons most recently, of one kind or of both."""
    query = _live_entries()
    if kind:
        query = query.where(Entry.kind == kind)
    return Feed(str(KIND_TITLES[kind]), str(KIND_SUBTITLES[kind]), _entry_items(query))


def is_tag_name(name):
    return bool(name) and len(name) <= MAX_TAG_LENGTH and TAG_PATTERN.fullmatch(name) is not None


def tagged_entries(name):
    """The newest entries with a tag, or None when `name` cannot be a tag at all.

    A well-formed tag that nobody has used yet gives an empty feed: a reader may subscribe
    before the first entry is tagged, and the feed fills when one is.
    """
    name = (name or "").strip().lower()
    if not is_tag_name(name):
        return None
    title = _("Tagged “%(tag)s”", tag=name)
    subtitle = _("Entries tagged “%(tag)s”, newest first.", tag=name)
    tag_id = db.session.scalar(select(Tag.id).where(Tag.name == name))
    if tag_id is None:
        return Feed(title, subtitle, [])
    query = _live_entries().join(EntryTag, EntryTag.entry_id == Entry.id).where(
        EntryTag.tag_id == tag_id
    )
    return Feed(title, subtitle, _entry_items(query))


def open_proposals():
    """The newest proposals still open for discussion and votes."""
    proposals = db.session.scalars(
        select(Proposal)
        .options(selectinload(Proposal.author))
        .where(Proposal.status == "open", Proposal.flag_hidden.is_(False))
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())
        .limit(FEED_SIZE)
    ).all()
    items = [
        FeedItem(
            target=proposal,
            title=_("Edit: %(title)s", title=proposal.title)
            if proposal.kind == "edit" else proposal.title,
            summary_html=render_markdown((proposal.fields or {}).get("summary")),
            authors=[proposal.author.username],
            published=proposal.created_at,
            updated=proposal.updated_at,
            categories=list((proposal.fields or {}).get("tags") or []),
        )
        for proposal in proposals
    ]
    return Feed(
        _("Open proposals"),
        _("Hubs, readings and edits proposed for the commons, open for discussion and votes."),
        items,
    )

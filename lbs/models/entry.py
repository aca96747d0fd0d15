from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lbs.extensions import db
from lbs.models.base import utcnow

ENTRY_KINDS = ("hub", "reading")
ENTRY_STATUSES = ("live", "merged-away", "archived")
HUB_FOCUSES = ("production", "peer-driven production", "commons-based initiative")
READING_TYPES = ("article", "book", "report", "chapter", "video", "course")


class Entry(db.Model):
    """A hub or a reading in the shared commons. Its fields are those of its current revision."""

    __tablename__ = "entries"
    __table_args__ = (
        CheckConstraint("kind IN ('hub', 'reading')", name="kind"),
        CheckConstraint("status IN ('live', 'merged-away', 'archived')", name="status"),
        CheckConstraint(
            "focus IS NULL OR focus IN "
            "('production', 'peer-driven production', 'commons-based initiative')",
            name="focus",
        ),
        CheckConstraint(
            "reading_type IS NULL OR reading_type IN "
            "('article', 'book', 'report', 'chapter', 'video', 'course')",
            name="reading_type",
        ),
        CheckConstraint("year IS NULL OR (year >= 1000 AND year <= 2100)", name="year"),
        CheckConstraint("ups >= 0 AND downs >= 0", name="counters"),
        CheckConstraint(
            "(status = 'merged-away') = (merged_into_id IS NOT NULL)", name="merged_into"
        ),
        # Ranked lists are index scans on these; id breaks ties so keyset pages are stable.
        Index("ix_entries_kind_status_top", "kind", "status", "flag_hidden", "score_top", "id"),
        Index("ix_entries_kind_status_hot", "kind", "status", "flag_hidden", "score_hot", "id"),
        Index(
            "ix_entries_kind_status_created", "kind", "status", "flag_hidden", "created_at", "id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(db.String(10))
    slug: Mapped[str] = mapped_column(db.String(120), unique=True)
    title: Mapped[str] = mapped_column(db.String(200))
    url: Mapped[str | None] = mapped_column(db.String(2000), index=True)
    summary: Mapped[str] = mapped_column(db.Text, default="")
    # Hub fields
    focus: Mapped[str | None] = mapped_column(db.String(40))
    languages: Mapped[str | None] = mapped_column(db.String(200))
    region: Mapped[str | None] = mapped_column(db.String(100))
    licence: Mapped[str | None] = mapped_column(db.String(100))
    # Reading fields
    authors: Mapped[str | None] = mapped_column(db.String(500))
    year: Mapped[int | None] = mapped_column()
    venue: Mapped[str | None] = mapped_column(db.String(300))
    reading_type: Mapped[str | None] = mapped_column(db.String(20))
    doi: Mapped[str | None] = mapped_column(db.String(200), index=True)
    isbn: Mapped[str | None] = mapped_column(db.String(20), index=True)

    # The tag names as one string, so full-text search sees them without a join.
    tags_text: Mapped[str] = mapped_column(db.String(200), default="", server_default="")
    # Link health, filled by `flask lbs check-links`.
    link_status: Mapped[int | None] = mapped_column()
    link_error: Mapped[str | None] = mapped_column(db.String(200))
    link_final_url: Mapped[str | None] = mapped_column(db.String(2000))
    link_checked_at: Mapped[datetime | None] = mapped_column()
    link_broken: Mapped[bool] = mapped_column(default=False, server_default=false(), index=True)

    status: Mapped[str] = mapped_column(db.String(16), default="live", server_default="live")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id"))
    proposer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    ups: Mapped[int] = mapped_column(default=0, server_default="0")
    downs: Mapped[int] = mapped_column(default=0, server_default="0")
    score_top: Mapped[float] = mapped_column(default=0.0, server_default="0")
    score_hot: Mapped[float] = mapped_column(default=0.0, server_default="0")
    comment_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # Enough distinct flags hide an item from lists until a moderator decides.
    flag_count: Mapped[int] = mapped_column(default=0, server_default="0")
    flag_hidden: Mapped[bool] = mapped_column(default=False, server_default=false())
    revision_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # Distinct people whose proposals were merged into it; kept up to date at each merge.
    contributor_count: Mapped[int] = mapped_column(default=1, server_default="1")
    # Optimistic locking: a merge built on version n fails if someone merged n+1 meanwhile.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __mapper_args__ = {"version_id_col": version}

    proposer = relationship("User", foreign_keys=[proposer_id])
    merged_into = relationship("Entry", remote_side=[id])
    tags = relationship(
        "Tag", secondary="entry_tags", order_by="Tag.name", lazy="selectin", viewonly=True
    )

    @property
    def net_votes(self):
        return self.ups - self.downs

    def __repr__(self):
        return f"<Entry {self.slug}>"


class Tag(db.Model):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(db.String(40), unique=True)


class EntryTag(db.Model):
    __tablename__ = "entry_tags"
    __table_args__ = (Index("ix_entry_tags_tag_entry", "tag_id", "entry_id"),)

    entry_id: Mapped[int] = mapped_column(
        ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)


class Relation(db.Model):
    """A reading points to a hub where it is practised; both pages show the link."""

    __tablename__ = "relations"
    __table_args__ = (
        UniqueConstraint("reading_id", "hub_id"),
        CheckConstraint("reading_id <> hub_id", name="distinct"),
        Index("ix_relations_hub", "hub_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reading_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    hub_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

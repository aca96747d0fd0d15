from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lbs.extensions import db
from lbs.models.base import utcnow

PROPOSAL_KINDS = ("new", "edit")
PROPOSAL_STATUSES = ("open", "merged", "rejected", "withdrawn", "duplicate")


class Proposal(db.Model):
    """A peer's suggestion: a new entry, or an edit written against one revision of an entry."""

    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint("kind IN ('new', 'edit')", name="kind"),
        CheckConstraint("entry_kind IN ('hub', 'reading')", name="entry_kind"),
        CheckConstraint(
            "status IN ('open', 'merged', 'rejected', 'withdrawn', 'duplicate')", name="status"
        ),
        CheckConstraint(
            "(kind = 'new' AND target_entry_id IS NULL AND base_revision_number IS NULL) OR "
            "(kind = 'edit' AND target_entry_id IS NOT NULL AND base_revision_number IS NOT NULL)",
            name="edit_has_base",
        ),
        CheckConstraint("ups >= 0 AND downs >= 0", name="counters"),
        Index("ix_proposals_status_hot", "status", "flag_hidden", "score_hot", "id"),
        Index("ix_proposals_status_top", "status", "flag_hidden", "score_top", "id"),
        Index("ix_proposals_status_created", "status", "flag_hidden", "created_at", "id"),
        Index("ix_proposals_decided", "decided_at"),
        Index("ix_proposals_author_created", "author_id", "created_at"),
        Index("ix_proposals_target_status", "target_entry_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(db.String(4))
    entry_kind: Mapped[str] = mapped_column(db.String(10))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    target_entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id"))
    base_revision_number: Mapped[int | None] = mapped_column()
    # Everything the entry would hold: title, url, summary, tags, the kind's fields, related.
    fields: Mapped[dict] = mapped_column(JSON)
    # Copies of the look-up keys, so duplicate checks are index look-ups.
    title: Mapped[str] = mapped_column(db.String(200))
    url: Mapped[str | None] = mapped_column(db.String(2000), index=True)
    doi: Mapped[str | None] = mapped_column(db.String(200), index=True)
    isbn: Mapped[str | None] = mapped_column(db.String(20), index=True)
    rationale: Mapped[str] = mapped_column(db.Text, default="")

    status: Mapped[str] = mapped_column(db.String(12), default="open", server_default="open")
    decision_reason: Mapped[str | None] = mapped_column(db.Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column()
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id"))
    resulting_entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id"))

    ups: Mapped[int] = mapped_column(default=0, server_default="0")
    downs: Mapped[int] = mapped_column(default=0, server_default="0")
    score_top: Mapped[float] = mapped_column(default=0.0, server_default="0")
    score_hot: Mapped[float] = mapped_column(default=0.0, server_default="0")
    comment_count: Mapped[int] = mapped_column(default=0, server_default="0")
    flag_count: Mapped[int] = mapped_column(default=0, server_default="0")
    flag_hidden: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Optimistic locking: an author's change and a moderator's decision cannot both win.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    author = relationship("User", foreign_keys=[author_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    target_entry = relationship("Entry", foreign_keys=[target_entry_id])
    duplicate_of = relationship("Entry", foreign_keys=[duplicate_of_id])
    resulting_entry = relationship("Entry", foreign_keys=[resulting_entry_id])

    @property
    def net_votes(self):
        return self.ups - self.downs

    @property
    def is_open(self):
        return self.status == "open"

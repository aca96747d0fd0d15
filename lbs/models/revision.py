from datetime import datetime

from sqlalchemy import JSON, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lbs.extensions import db
from lbs.models.base import utcnow


class Revision(db.Model):
    """One state of an entry, like a commit: a full snapshot, who proposed it, who merged it, why."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("entry_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    fields: Mapped[dict] = mapped_column(JSON)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    merged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(db.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    entry = relationship("Entry")
    proposal = relationship("Proposal")
    author = relationship("User", foreign_keys=[author_id])
    merged_by = relationship("User", foreign_keys=[merged_by_id])

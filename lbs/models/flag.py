from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lbs.extensions import db
from lbs.models.base import utcnow

FLAG_REASONS = ("spam", "off-topic", "abuse", "broken-link", "duplicate")
FLAG_STATUSES = ("open", "resolved", "dismissed")


class Flag(db.Model):
    __tablename__ = "flags"
    __table_args__ = (
        UniqueConstraint("user_id", "target_type", "target_id"),
        CheckConstraint("target_type IN ('entry', 'proposal', 'comment')", name="target_type"),
        CheckConstraint(
            "reason IN ('spam', 'off-topic', 'abuse', 'broken-link', 'duplicate')", name="reason"
        ),
        CheckConstraint("status IN ('open', 'resolved', 'dismissed')", name="status"),
        # A duplicate flag names what it duplicates: that is what makes it a merge suggestion.
        CheckConstraint("reason <> 'duplicate' OR duplicate_of_id IS NOT NULL", name="duplicate"),
        Index("ix_flags_target_status", "target_type", "target_id", "status"),
        Index("ix_flags_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(db.String(10))
    target_id: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(db.String(20))
    note: Mapped[str] = mapped_column(db.Text, default="")
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id"))
    status: Mapped[str] = mapped_column(db.String(10), default="open", server_default="open")
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", foreign_keys=[user_id])
    duplicate_of = relationship("Entry")

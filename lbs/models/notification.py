from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lbs.extensions import db
from lbs.models.base import utcnow

NOTIFICATION_KINDS = ("decision", "reply", "edit-proposed", "comment-hidden", "comment-unhidden")


class Notification(db.Model):
    """Something a person should know: a decision on their proposal, a reply, an edit."""

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('decision', 'reply', 'edit-proposed', 'comment-hidden', 'comment-unhidden')",
            name="kind",
        ),
        Index("ix_notifications_user_read", "user_id", "read_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(db.String(20))
    message: Mapped[str] = mapped_column(db.String(500))
    link: Mapped[str] = mapped_column(db.String(300))
    reason: Mapped[str | None] = mapped_column(db.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column()

    actor = relationship("User", foreign_keys=[actor_id])

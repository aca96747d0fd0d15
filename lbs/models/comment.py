from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lbs.extensions import db
from lbs.models.base import utcnow

COMMENT_STATUSES = ("visible", "deleted", "hidden")


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint("target_type IN ('entry', 'proposal')", name="target_type"),
        CheckConstraint("status IN ('visible', 'deleted', 'hidden')", name="status"),
        CheckConstraint("ups >= 0 AND downs >= 0", name="counters"),
        Index("ix_comments_target", "target_type", "target_id", "created_at"),
        Index("ix_comments_author_created", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    target_type: Mapped[str] = mapped_column(db.String(10))
    target_id: Mapped[int] = mapped_column()
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"))
    body: Mapped[str] = mapped_column(db.Text)
    status: Mapped[str] = mapped_column(
        db.String(10), default="visible", server_default="visible"
    )
    hidden_reason: Mapped[str | None] = mapped_column(db.Text)
    ups: Mapped[int] = mapped_column(default=0, server_default="0")
    downs: Mapped[int] = mapped_column(default=0, server_default="0")
    score: Mapped[int] = mapped_column(default=0, server_default="0")
    flag_count: Mapped[int] = mapped_column(default=0, server_default="0")
    flag_hidden: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column()

    author = relationship("User")

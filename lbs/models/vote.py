from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lbs.extensions import db
from lbs.models.base import utcnow


class Vote(db.Model):
    __tablename__ = "votes"
    __table_args__ = (
        # The database itself allows one vote per user and target; no column here is nullable.
        UniqueConstraint("user_id", "target_type", "target_id"),
        CheckConstraint("target_type IN ('entry', 'proposal', 'comment')", name="target_type"),
        CheckConstraint("value IN (-1, 1)", name="value"),
        Index("ix_votes_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(db.String(10))
    target_id: Mapped[int] = mapped_column()
    value: Mapped[int] = mapped_column(db.SmallInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

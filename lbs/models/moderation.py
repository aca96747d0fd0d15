from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lbs.extensions import db
from lbs.models.base import utcnow

MODERATION_ACTIONS = (
    "merge",
    "reject",
    "mark-duplicate",
    "merge-entries",
    "archive",
    "restore",
    "rollback",
    "hide-comment",
    "unhide-comment",
    "resolve-flag",
    "dismiss-flag",
    "suspend",
    "reinstate",
    "set-role",
    "end-sessions",
)


class ModerationAction(db.Model):
    """The public log. Rows are only ever added: see the guard below."""

    __tablename__ = "moderation_actions"
    __table_args__ = (
        Index("ix_moderation_actions_created", "created_at", "id"),
        Index("ix_moderation_actions_moderator_created", "moderator_id", "created_at"),
        Index("ix_moderation_actions_action_created", "action", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(db.String(30))
    target_type: Mapped[str] = mapped_column(db.String(16))
    target_id: Mapped[int] = mapped_column()
    target_label: Mapped[str] = mapped_column(db.String(200), default="")
    reason: Mapped[str] = mapped_column(db.Text)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    moderator = relationship("User")


def _refuse_change(mapper, connection, target):
    raise RuntimeError("the moderation log is append-only")


event.listen(ModerationAction, "before_update", _refuse_change)
event.listen(ModerationAction, "before_delete", _refuse_change)

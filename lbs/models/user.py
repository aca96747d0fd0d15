from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lbs.extensions import db
from lbs.models.base import utcnow

ROLES = ("peer", "moderator", "admin")
USER_STATUSES = ("active", "suspended")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('peer', 'moderator', 'admin')", name="role"),
        CheckConstraint("status IN ('active', 'suspended')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(db.String(30))
    # Lower-cased copies carry the unique keys: "Ada" and "ada" are one account.
    username_key: Mapped[str] = mapped_column(db.String(30), unique=True)
    email: Mapped[str] = mapped_column(db.String(254))
    email_key: Mapped[str] = mapped_column(db.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(db.String(255))
    role: Mapped[str] = mapped_column(db.String(16), default="peer", server_default="peer")
    status: Mapped[str] = mapped_column(db.String(16), default="active", server_default="active")
    suspended_reason: Mapped[str | None] = mapped_column(db.Text)
    karma: Mapped[int] = mapped_column(default=0, server_default="0")
    # The interface language the person chose; None follows the browser.
    locale: Mapped[str | None] = mapped_column(db.String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Set by the user loader: the server-side session this request belongs to.
    current_session_token = None

    def get_id(self):
        # Flask-Login stores this in the cookie. It is the session token, not the user id,
        # so ending the session server-side makes a copied cookie worthless.
        return self.current_session_token

    @property
    def is_active(self):
        return self.status == "active"

    @property
    def is_moderator(self):
        return self.role in ("moderator", "admin")

    @property
    def is_admin(self):
        return self.role == "admin"

    def __repr__(self):
        return f"<User {self.username}>"


class LoginSession(db.Model):
    """One signed-in browser. The cookie holds a random token; only its hash is stored."""

    __tablename__ = "login_sessions"
    __table_args__ = (Index("ix_login_sessions_user_ended", "user_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(db.String(64), unique=True)
    user_agent: Mapped[str] = mapped_column(db.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column()

    user: Mapped[User] = relationship()


class ApiToken(db.Model):
    """A personal token for the API. Shown once at creation; only its hash is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(db.String(60))
    token_hash: Mapped[str] = mapped_column(db.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()

    user: Mapped[User] = relationship()

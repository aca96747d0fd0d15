"""Small pieces shared by the models."""

from datetime import UTC, datetime


def utcnow():
    """Naive UTC: SQLite has no time zones, so every timestamp is stored as UTC without one."""
    return datetime.now(UTC).replace(tzinfo=None)


# The things people vote on, comment on and flag. One table per kind of row, but votes,
# comments and flags point at them through (target_type, target_id): both NOT NULL, so the
# one-vote-per-user unique key really holds (NULLs never collide in a unique index).
TARGET_TYPES = ("entry", "proposal", "comment")

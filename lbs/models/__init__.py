"""SQLAlchemy models only: columns, relationships, constraints and indexes."""

from lbs.models.base import TARGET_TYPES, utcnow
from lbs.models.comment import COMMENT_STATUSES, Comment
from lbs.models.entry import (
    ENTRY_KINDS,
    ENTRY_STATUSES,
    HUB_FOCUSES,
    READING_TYPES,
    Entry,
    EntryTag,
    Relation,
    Tag,
)
from lbs.models.flag import FLAG_REASONS, FLAG_STATUSES, Flag
from lbs.models.moderation import MODERATION_ACTIONS, ModerationAction
from lbs.models.notification import NOTIFICATION_KINDS, Notification
from lbs.models.proposal import PROPOSAL_KINDS, PROPOSAL_STATUSES, Proposal
from lbs.models.revision import Revision
from lbs.models.user import ROLES, USER_STATUSES, ApiToken, LoginSession, User
from lbs.models.vote import Vote

__all__ = [
    "COMMENT_STATUSES", "ENTRY_KINDS", "ENTRY_STATUSES", "FLAG_REASONS", "FLAG_STATUSES",
    "HUB_FOCUSES", "MODERATION_ACTIONS", "NOTIFICATION_KINDS", "PROPOSAL_KINDS", "PROPOSAL_STATUSES",
    "READING_TYPES", "ROLES", "TARGET_TYPES", "USER_STATUSES",
    "ApiToken", "Comment", "Entry", "EntryTag", "Flag", "LoginSession", "ModerationAction", "Notification",
    "Proposal",
    "Relation", "Revision", "Tag", "User", "Vote", "utcnow",
]

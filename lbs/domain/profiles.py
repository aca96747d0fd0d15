"""What a profile shows: a person's contributions and recent talk."""

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lbs.domain import permissions
from lbs.domain.errors import Invalid
from lbs.extensions import db
from lbs.models import Comment, Proposal, User

PROFILE_ROWS = 30


def user_named(username):
    if not username or len(username) > 30 or "\x00" in username:
        return None
    return db.session.scalar(select(User).where(User.username_key == username.lower()))


def _sees_flag_hidden(user, viewer):
    # As on the discussion pages: what flags hid stays visible to its author and moderators.
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    return viewer.id == user.id or permissions.can(viewer, "moderate")


def profile(user, viewer=None):
    proposal_query = select(Proposal).where(Proposal.author_id == user.id)
    comment_query = select(Comment).where(Comment.author_id == user.id, Comment.status == "visible")
    if not _sees_flag_hidden(user, viewer):
        proposal_query = proposal_query.where(Proposal.flag_hidden.is_(False))
        comment_query = comment_query.where(Comment.flag_hidden.is_(False))
    proposals = db.session.scalars(
        proposal_query
        .options(selectinload(Proposal.resulting_entry), selectinload(Proposal.target_entry))
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())
        .limit(PROFILE_ROWS)
    ).all()
    comments = db.session.scalars(
        comment_query.order_by(Comment.created_at.desc(), Comment.id.desc()).limit(PROFILE_ROWS)
    ).all()
    return {"user": user, "proposals": proposals, "comments": comments}


def set_language(user, language):
    from lbs.i18n import LANGUAGES

    if language not in LANGUAGES:
        raise Invalid("language", _("Choose English, French or Spanish."))
    user.locale = language

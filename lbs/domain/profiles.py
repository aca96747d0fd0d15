"""What a profile shows: a person's contributions and recent talk."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lbs.domain.errors import Invalid
from lbs.extensions import db
from lbs.models import Comment, Proposal, User

PROFILE_ROWS = 30


def user_named(username):
    if not username or len(username) > 30:
        return None
    return db.session.scalar(select(User).where(User.username_key == username.lower()))


def profile(user, viewer=None):
    proposals = db.session.scalars(
        select(Proposal)
        .options(selectinload(Proposal.resulting_entry), selectinload(Proposal.target_entry))
        .where(Proposal.author_id == user.id)
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())
        .limit(PROFILE_ROWS)
    ).all()
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.author_id == user.id, Comment.status == "visible")
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(PROFILE_ROWS)
    ).all()
    return {"user": user, "proposals": proposals, "comments": comments}


def set_language(user, language):
    from lbs.i18n import LANGUAGES

    if language not in LANGUAGES:
        raise Invalid("language", "Choose English, French or Spanish.")
    user.locale = language

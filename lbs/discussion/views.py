"""Votes, comments and flags. Plain form POSTs that send the user back where they were."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from lbs.auth.forms import EmptyForm
from lbs.discussion.forms import CommentForm, FlagForm
from lbs.domain import discussion, voting
from lbs.domain.errors import Invalid
from lbs.extensions import db, limiter
from lbs.forms import attach_error
from lbs.models import Comment, Entry
from lbs.ratelimits import by_account_age, setting, signed_in_user, succeeded
from lbs.security import safe_next

bp = Blueprint("discussion", __name__)


def _target_or_404(target_type, target_id):
    target = voting.load_target(target_type, target_id)
    if target is None:
        abort(404)
    return target


def page_of(target):
    """Where a target is shown: its entry or proposal page (a comment's is its discussion's)."""
    if isinstance(target, Comment):
        parent = voting.load_target(target.target_type, target.target_id)
        return page_of(parent) + f"#comment-{target.id}"
    if isinstance(target, Entry):
        return url_for("commons.entry", slug=target.slug)
    return url_for("proposals.show", proposal_id=target.id)


def _back(target):
    return redirect(safe_next(request.form.get("next"), page_of(target)), 303)


@bp.route("/vote/<any(entry, proposal, comment):target_type>/<int:target_id>", methods=["POST"])
@login_required
@limiter.limit(setting("VOTES_LIMIT"), key_func=signed_in_user, scope="votes",
               deduct_when=succeeded)
def vote(target_type, target_id):
    target = _target_or_404(target_type, target_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        value = int(request.form.get("value", ""))
    except ValueError:
        abort(400, _("A vote is 1 (up), -1 (down) or 0 (withdraw)."))
    voting.cast_vote(current_user, target, value)
    db.session.commit()
    return _back(target)


@bp.route("/comments/<any(entry, proposal):target_type>/<int:target_id>", methods=["POST"])
@login_required
@limiter.limit(by_account_age("NEW_ACCOUNT_COMMENTS_LIMIT", "COMMENTS_LIMIT"),
               key_func=signed_in_user, scope="comments", deduct_when=succeeded)
def add_comment(target_type, target_id):
    target = _target_or_404(target_type, target_id)
    form = CommentForm()
    parent_id = _comment_id(form.parent_id.data)
    if form.validate_on_submit():
        try:
            comment = discussion.add_comment(current_user, target, form.body.data, parent_id)
            db.session.commit()
        except Invalid as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            return redirect(page_of(target) + f"#comment-{comment.id}", 303)
    # The comment comes back in its own page with the message, so nothing typed is lost.
    parent = db.session.get(Comment, parent_id) if parent_id is not None else None
    return render_template(
        "discussion/comment_form.html", form=form, target=target, parent=parent,
        action=url_for("discussion.add_comment", target_type=target_type, target_id=target_id),
        back=page_of(target),
    ), 400


def _comment_id(raw):
    """The comment a reply names, or None: parsed once, since str.isdigit() passes "²",
    which int() refuses."""
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def _comment_or_404(comment_id):
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    return comment


@bp.route("/comments/<int:comment_id>")
def comment_link(comment_id):
    """A stable address for one comment: it sends the reader to its place in the discussion."""
    return redirect(page_of(_comment_or_404(comment_id)))


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(comment_id):
    comment = _comment_or_404(comment_id)
    if not discussion.permissions.can(current_user, "edit-comment", comment):
        abort(403, _("You can edit your own comments during the first hour after posting."))
    form = CommentForm(data={"body": comment.body} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            discussion.edit_comment(current_user, comment, form.body.data)
            db.session.commit()
        except Invalid as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            return redirect(page_of(comment), 303)
    target = voting.load_target(comment.target_type, comment.target_id)
    return render_template(
        "discussion/comment_form.html", form=form, target=target, editing=comment,
        action=url_for("discussion.edit_comment", comment_id=comment.id), back=page_of(comment),
    ), (400 if form.is_submitted() else 200)


@bp.route("/comments/<int:comment_id>/delete", methods=["POST"])
@login_required
def delete_comment(comment_id):
    comment = _comment_or_404(comment_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    discussion.delete_comment(current_user, comment)
    db.session.commit()
    flash(_("Your comment is deleted."), "info")
    return redirect(page_of(comment), 303)


def _entry_named(text):
    slug = (text or "").strip().rstrip("/").rsplit("/entries/", 1)[-1].strip().lower()
    if not slug or len(slug) > 120:
        return None
    return db.session.scalar(select(Entry).where(Entry.slug == slug))


@bp.route("/flag/<any(entry, proposal, comment):target_type>/<int:target_id>",
          methods=["GET", "POST"])
@login_required
@limiter.limit(setting("FLAGS_LIMIT"), key_func=signed_in_user, methods=["POST"], scope="flags",
               deduct_when=succeeded)
def flag(target_type, target_id):
    target = _target_or_404(target_type, target_id)
    if not discussion.permissions.can(current_user, "flag", target):
        abort(403, _("Your account cannot flag this yet (new accounts cannot flag, "
                     "and nobody flags their own contributions)."))
    form = FlagForm()
    if form.validate_on_submit():
        try:
            discussion.flag(
                current_user, target, form.reason.data, form.note.data,
                duplicate_of=_entry_named(form.duplicate_of.data),
            )
            db.session.commit()
        except Invalid as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(_("Thank you: moderators will look at it."), "success")
            return redirect(page_of(target), 303)
    return render_template(
        "discussion/flag.html", form=form, target=target, target_type=target_type,
        back=page_of(target),
    ), (400 if form.is_submitted() else 200)

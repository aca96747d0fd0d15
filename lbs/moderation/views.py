"""The moderators' room: the queue, decisions on proposals, entries, comments, flags and people,
and the public log. Every handler loads, lets the domain check and decide, commits once."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from lbs.domain import contributions, moderation, permissions, profiles
from lbs.domain.errors import Conflict, Invalid
from lbs.extensions import db
from lbs.forms import attach_error
from lbs.models import Comment, Entry, Flag, Proposal
from lbs.moderation.forms import DuplicateForm, MergeEntriesForm, ReasonForm, RollbackForm

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


def _require_moderator():
    if not permissions.can(current_user, "moderate"):
        abort(403, _("Only moderators and admins can do this."))


def _int(raw):
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def entry_named(text):
    """An entry from its slug or the address of its page."""
    slug = (text or "").strip().rstrip("/").rsplit("/entries/", 1)[-1].strip().lower()
    if not slug or len(slug) > 120:
        return None
    return db.session.scalar(select(Entry).where(Entry.slug == slug))


def _get_or_404(model, ident):
    thing = db.session.get(model, ident)
    if thing is None:
        abort(404)
    return thing


def _entry_or_404(slug):
    entry = db.session.scalar(select(Entry).where(Entry.slug == slug))
    if entry is None:
        abort(404)
    return entry


@bp.route("")
@login_required
def queue():
    _require_moderator()
    return render_template("moderation/queue.html", **moderation.queue(), form=ReasonForm())


@bp.route("/log")
def log():
    return render_template("moderation/log.html", **moderation.log_page(request.args))


# --- proposals -----------------------------------------------------------------------------------


def _fresh_form(proposal, reason=""):
    entry = proposal.target_entry
    return ReasonForm(
        formdata=None, reason=reason, version=str(proposal.version),
        entry_version=str(entry.version) if entry is not None else "",
    )


def _merge_page(proposal, status=200, form=None, plan=None, message=None,
                duplicate_form=None, reject_form=None):
    """The decision page: the proposal, side by side with the entry for edits, and the forms."""
    if plan is None and proposal.kind == "edit" and proposal.status == "open":
        plan = moderation.merge_plan(proposal)
    version = str(proposal.version)
    return render_template(
        "moderation/merge.html", proposal=proposal, plan=plan, message=message,
        form=form or _fresh_form(proposal),
        duplicate_form=duplicate_form or DuplicateForm(formdata=None, version=version),
        reject_form=reject_form or ReasonForm(formdata=None, version=version),
    ), status


@bp.route("/proposals/<int:proposal_id>", methods=["GET"])
@login_required
def decide(proposal_id):
    _require_moderator()
    return _merge_page(_get_or_404(Proposal, proposal_id))


def _fields_named(prefix):
    """{rest of the name: value} of the form's fields whose names start with `prefix`. A
    multipart part whose name cannot be read arrives with None for a name: it is skipped."""
    return {
        name[len(prefix):]: value
        for name, value in request.form.items()
        if isinstance(name, str) and name.startswith(prefix)
    }


@bp.route("/proposals/<int:proposal_id>/merge", methods=["POST"])
@login_required
def merge(proposal_id):
    _require_moderator()
    proposal = _get_or_404(Proposal, proposal_id)
    form = ReasonForm()
    if not form.validate():
        abort(400)
    choices = _fields_named("choice_")
    custom = _fields_named("custom_")
    try:
        entry = moderation.merge_proposal(
            current_user, proposal, form.reason.data, seen_version=_int(form.version.data),
            seen_entry_version=_int(form.entry_version.data), choices=choices, custom=custom,
        )
        db.session.commit()
    except Invalid as error:
        db.session.rollback()
        attach_error(form, error)
        return _merge_page(proposal, 400, form=form)
    except (Conflict, StaleDataError) as error:
        # Someone else got there first: show the fresh state, keep what the moderator wrote.
        db.session.rollback()
        db.session.expire_all()
        message = getattr(error, "message", _("The entry changed while you were looking at it."))
        return _merge_page(proposal, 409, form=_fresh_form(proposal, form.reason.data),
                           message=message)
    flash(_("Merged into the commons."), "success")
    return redirect(url_for("commons.entry", slug=entry.slug), 303)


@bp.route("/proposals/<int:proposal_id>/reject", methods=["POST"])
@login_required
def reject(proposal_id):
    _require_moderator()
    proposal = _get_or_404(Proposal, proposal_id)
    form = ReasonForm()
    if not form.validate():
        abort(400)
    try:
        moderation.reject(current_user, proposal, form.reason.data, _int(form.version.data))
        db.session.commit()
    except Invalid as error:
        db.session.rollback()
        attach_error(form, error)
        return _merge_page(proposal, 400, reject_form=form)
    flash(_("The proposal is rejected; its author is told why."), "info")
    return redirect(url_for("proposals.show", proposal_id=proposal.id), 303)


@bp.route("/proposals/<int:proposal_id>/duplicate", methods=["POST"])
@login_required
def duplicate(proposal_id):
    _require_moderator()
    proposal = _get_or_404(Proposal, proposal_id)
    form = DuplicateForm()
    if not form.validate():
        abort(400)
    try:
        moderation.mark_duplicate(
            current_user, proposal, entry_named(form.entry.data), form.reason.data,
            _int(form.version.data),
        )
        db.session.commit()
    except Invalid as error:
        db.session.rollback()
        attach_error(form, error)
        return _merge_page(proposal, 400, duplicate_form=form)
    flash(_("Closed as a duplicate; its up-votes moved to the entry."), "info")
    return redirect(url_for("proposals.show", proposal_id=proposal.id), 303)


# --- entries --------------------------------------------------------------------------------------


def _entry_action(slug, action, form_class=ReasonForm):
    _require_moderator()
    entry = _entry_or_404(slug)
    form = form_class()
    if not form.validate():
        abort(400)
    try:
        target = action(entry, form)
        db.session.commit()
    except Invalid as error:
        db.session.rollback()
        return render_template(
            "moderation/entry_error.html", entry=entry, message=error.message, form=form
        ), 400
    return target or entry


@bp.route("/entries/<slug>/archive", methods=["POST"])
@login_required
def archive(slug):
    result = _entry_action(slug, lambda e, f: moderation.archive(current_user, e, f.reason.data))
    if isinstance(result, tuple):
        return result
    flash(_("The entry is archived: it no longer shows in lists."), "info")
    return redirect(url_for("commons.entry", slug=result.slug), 303)


@bp.route("/entries/<slug>/restore", methods=["POST"])
@login_required
def restore(slug):
    result = _entry_action(slug, lambda e, f: moderation.restore(current_user, e, f.reason.data))
    if isinstance(result, tuple):
        return result
    flash(_("The entry is live again."), "success")
    return redirect(url_for("commons.entry", slug=result.slug), 303)


@bp.route("/entries/<slug>/merge", methods=["POST"])
@login_required
def merge_entries(slug):
    def action(entry, form):
        survivor = entry_named(form.entry.data)
        moderation.merge_entries(current_user, entry, survivor, form.reason.data)
        return survivor

    result = _entry_action(slug, action, MergeEntriesForm)
    if isinstance(result, tuple):
        return result
    flash(_("The entries are merged; the old address now leads here."), "success")
    return redirect(url_for("commons.entry", slug=result.slug), 303)


@bp.route("/entries/<slug>/rollback", methods=["POST"])
@login_required
def rollback(slug):
    def action(entry, form):
        moderation.rollback(
            current_user, entry, _int(form.revision.data), form.reason.data,
            _int(form.entry_version.data),
        )

    result = _entry_action(slug, action, RollbackForm)
    if isinstance(result, tuple):
        return result
    flash(_("Rolled back, as a new revision."), "success")
    return redirect(url_for("commons.history", slug=result.slug), 303)


# --- comments, flags, people ---------------------------------------------------------------------------


@bp.route("/comments/<int:comment_id>/<any(hide, unhide):action>", methods=["POST"])
@login_required
def comment_visibility(comment_id, action):
    _require_moderator()
    comment = _get_or_404(Comment, comment_id)
    form = ReasonForm()
    if not form.validate():
        abort(400)
    decide_ = moderation.hide_comment if action == "hide" else moderation.unhide_comment
    decide_(current_user, comment, form.reason.data)
    db.session.commit()
    flash(_("The comment is hidden.") if action == "hide" else _("The comment is visible again."), "info")
    return redirect(url_for("discussion.comment_link", comment_id=comment.id), 303)


FLAG_DECISION = (
    "/flags/<any(entry, proposal, comment):target_type>/<int:target_id>"
    "/<any(resolved, dismissed):outcome>"
)


@bp.route(FLAG_DECISION, methods=["POST"])
@login_required
def decide_flags(target_type, target_id, outcome):
    _require_moderator()
    _get_or_404(moderation.FLAG_TARGET_MODELS[target_type], target_id)
    form = ReasonForm()
    if not form.validate():
        abort(400)
    moderation.decide_flags(current_user, target_type, target_id, outcome, form.reason.data)
    db.session.commit()
    flash(_("Flags resolved.") if outcome == "resolved" else _("Flags dismissed."), "info")
    return redirect(url_for("moderation.queue"), 303)


@bp.route("/suggestions/<int:flag_id>", methods=["POST"])
@login_required
def carry_out(flag_id):
    _require_moderator()
    flag = _get_or_404(Flag, flag_id)
    form = ReasonForm()
    if not form.validate():
        abort(400)
    moderation.carry_out_suggestion(current_user, flag, form.reason.data)
    db.session.commit()
    flash(_("Done: the duplicate is merged."), "success")
    return redirect(url_for("moderation.queue"), 303)


@bp.route("/users/<username>/<any(suspend, reinstate):action>", methods=["POST"])
@login_required
def account_status(username, action):
    _require_moderator()
    user = profiles.user_named(username)
    if user is None:
        abort(404)
    form = ReasonForm()
    if not form.validate():
        abort(400)
    decide_ = moderation.suspend if action == "suspend" else moderation.reinstate
    decide_(current_user, user, form.reason.data)
    db.session.commit()
    if action == "suspend":
        flash(_("%(name)s is suspended.", name=user.username), "info")
    else:
        flash(_("%(name)s is active again.", name=user.username), "info")
    return redirect(url_for("users.profile", username=user.username), 303)


@bp.route("/users/<username>/end-sessions", methods=["POST"])
@login_required
def end_sessions(username):
    # Refused before the look-up, so the answer tells nobody else which accounts exist.
    if not permissions.can(current_user, "administer"):
        abort(403, _("Only admins can end someone's sessions."))
    user = profiles.user_named(username)
    if user is None:
        abort(404)
    form = ReasonForm()
    if not form.validate():
        abort(400)
    moderation.end_sessions(current_user, user, form.reason.data)
    db.session.commit()
    flash(_("%(name)s is logged out everywhere.", name=user.username), "info")
    return redirect(url_for("users.profile", username=user.username), 303)


@bp.app_context_processor
def moderation_counts():
    def waiting():
        if permissions.can(current_user, "moderate"):
            return moderation.waiting_count()
        return 0

    return {"moderation_waiting": waiting, "proposal_diff": contributions.proposal_diff}

"""Proposing hubs and readings, and the page where a proposal is discussed."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lbs.auth.forms import EmptyForm
from lbs.domain import browsing, contributions, discussion, voting
from lbs.domain.contributions import Duplicate, SimilarProposals
from lbs.domain.errors import Invalid
from lbs.domain.text import render_markdown
from lbs.extensions import db, limiter
from lbs.forms import attach_error
from lbs.models import Proposal
from lbs.proposals.forms import FORMS, form_data, form_values
from lbs.ratelimits import by_account_age, signed_in_user, succeeded

bp = Blueprint("proposals", __name__)

# Shared: new entries and edits (lbs.commons.views) draw on one quota of proposals.
proposal_limit = limiter.shared_limit(
    by_account_age("NEW_ACCOUNT_PROPOSALS_LIMIT", "PROPOSALS_LIMIT"),
    key_func=signed_in_user, methods=["POST"], deduct_when=succeeded, scope="proposals",
)


def render_proposal_form(template, form, kind, status, **context):
    """The form page, with the preview and any duplicates the domain pointed out."""
    preview = None
    if form.is_submitted() and form.preview.data:
        preview = render_markdown(form.summary.data or "")
    return render_template(
        template, form=form, kind=kind, preview=preview, **context
    ), status


def submit_or_show(form, kind, template, save, **context):
    """Shared by the new, edit and change forms: preview, or save and go to the proposal."""
    duplicate = similar = None
    status = 200
    if form.is_submitted() and not form.preview.data:
        status = 400
        if form.validate():
            try:
                proposal = save()
                db.session.commit()
            except Invalid as error:
                db.session.rollback()
                attach_error(form, error)
                duplicate = getattr(error, "entry", None) if isinstance(error, Duplicate) else None
                similar = error.proposals if isinstance(error, SimilarProposals) else None
            else:
                flash(_("Your proposal is open for discussion and votes."), "success")
                return redirect(url_for("proposals.show", proposal_id=proposal.id))
    return render_proposal_form(
        template, form, kind, status, duplicate=duplicate, similar=similar, **context
    )


@bp.route("/propose")
def choose():
    return render_template("proposals/choose.html")


@bp.route("/propose/<any(hub, reading):kind>", methods=["GET", "POST"])
@login_required
@proposal_limit
def propose(kind):
    form = FORMS[kind]()

    def save():
        return contributions.propose_entry(
            current_user, kind, form_data(form), form.rationale.data,
            accept_similar=form.accept_similar.data,
        )

    return submit_or_show(form, kind, "proposals/form.html", save)


def _proposal_or_404(proposal_id):
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        abort(404)
    return proposal


@bp.route("/proposals")
def index():
    listing = browsing.proposal_list(request.args)
    return render_template("proposals/index.html", listing=listing)


@bp.route("/proposals/<int:proposal_id>")
def show(proposal_id):
    proposal = _proposal_or_404(proposal_id)
    comments = discussion.thread(proposal)
    return render_template(
        "proposals/show.html",
        proposal=proposal,
        fields=proposal.fields,
        diff=contributions.proposal_diff(proposal),
        comments=comments,
        my_vote=voting.votes_by(current_user, "proposal", [proposal.id]).get(proposal.id, 0),
        my_comment_votes=voting.votes_by(current_user, "comment", [c.id for c, _ in comments]),
    )


@bp.route("/proposals/<int:proposal_id>/change", methods=["GET", "POST"])
@login_required
def change(proposal_id):
    proposal = _proposal_or_404(proposal_id)
    if not contributions.permissions.can(current_user, "change-proposal", proposal):
        abort(403, _("Only its author may change a proposal, and only while it is open."))
    form_class = FORMS[proposal.entry_kind]
    if request.method == "GET":
        form = form_class(data={**form_values(proposal.fields), "rationale": proposal.rationale})
    else:
        form = form_class()

    def save():
        return contributions.update_proposal(
            current_user, proposal, form_data(form), form.rationale.data,
            accept_similar=form.accept_similar.data,
        )

    return submit_or_show(
        form, proposal.entry_kind, "proposals/form.html", save, proposal=proposal
    )


@bp.route("/proposals/<int:proposal_id>/withdraw", methods=["POST"])
@login_required
def withdraw(proposal_id):
    proposal = _proposal_or_404(proposal_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    contributions.withdraw(current_user, proposal)
    db.session.commit()
    flash(_("Your proposal is withdrawn."), "info")
    return redirect(url_for("proposals.show", proposal_id=proposal.id))

"""Browsing the commons: the front page, ranked lists, tags, and entry pages."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lbs.domain import browsing, contributions, discussion, entries, voting
from lbs.domain import history as history_domain
from lbs.domain.errors import Invalid
from lbs.domain.relations import related_entries
from lbs.extensions import db
from lbs.models import Entry, Proposal, Revision
from lbs.proposals.forms import EDIT_FORMS, form_data, form_values
from lbs.proposals.views import proposal_limit, submit_or_show
from lbs.rows import listing_rows

bp = Blueprint("commons", __name__)


@bp.route("/")
def home():
    page = browsing.front_page()
    return render_template("commons/home.html", **page)


def _list_page(kind):
    listing = browsing.entry_list(kind, request.args)
    return render_template(
        "commons/list.html", kind=kind, listing=listing, rows=listing_rows(listing)
    )


@bp.route("/hubs")
def hubs():
    return _list_page("hub")


@bp.route("/readings")
def readings():
    return _list_page("reading")


@bp.route("/tags/<tag>")
def tag(tag):
    args = request.args.to_dict()
    if "tag" in args:
        # The tag is the address itself; a second one in the query would clash with it in
        # every sort and page link.
        del args["tag"]
        return redirect(url_for("commons.tag", tag=tag, **args))
    args["tag"] = tag
    listing = browsing.entry_list(None, args)
    return render_template(
        "commons/list.html", kind=None, tag=tag, listing=listing,
        rows=listing_rows(listing, show_kind=True),
    )


def _entry_or_404(slug):
    # No slug holds NUL, and PostgreSQL would refuse the look-up with an error rather than
    # find nothing.
    if "\x00" in slug:
        abort(404)
    entry = db.session.scalar(select(Entry).where(Entry.slug == slug))
    if entry is None:
        abort(404)
    # An archived entry is gone for everyone but moderators, on every page of it: a 403 on
    # one of them would tell that it exists.
    if entry.status == "archived" and not contributions.permissions.can(current_user, "moderate"):
        abort(404)
    return entry


@bp.route("/entries/<slug>")
def entry(slug):
    entry = _entry_or_404(slug)
    if entry.status == "merged-away":
        return redirect(url_for("commons.entry", slug=entry.merged_into.slug), 301)
    comments = discussion.thread(entry)
    origin = db.session.scalar(
        select(Revision).where(Revision.entry_id == entry.id, Revision.number == 1)
    )
    contributors = entries.contributors(entry)
    return render_template(
        "commons/entry.html",
        entry=entry,
        fields=contributions.current_fields(entry),
        related=related_entries(entry),
        origin=origin,
        contributors=contributors,
        open_edits=db.session.scalars(
            select(Proposal)
            .options(selectinload(Proposal.author))
            .where(Proposal.target_entry_id == entry.id, Proposal.status == "open")
            .order_by(Proposal.id)
        ).all(),
        comments=comments,
        my_vote=voting.votes_by(current_user, "entry", [entry.id]).get(entry.id, 0),
        my_comment_votes=voting.votes_by(current_user, "comment", [c.id for c, _ in comments]),
    )


@bp.route("/entries/<slug>/edit", methods=["GET", "POST"])
@login_required
@proposal_limit
def propose_edit(slug):
    entry = _entry_or_404(slug)
    if entry.status == "merged-away":
        return redirect(url_for("commons.propose_edit", slug=entry.merged_into.slug), 301)
    if not contributions.permissions.can(current_user, "propose-edit", entry):
        abort(403, _("Only live entries can be edited."))
    form_class = EDIT_FORMS[entry.kind]
    if request.method == "GET":
        form = form_class(
            data={**form_values(contributions.current_fields(entry)),
                  "base_revision": str(entry.revision_count)}
        )
    else:
        form = form_class()

    def save():
        try:
            base = int(form.base_revision.data)
        except (TypeError, ValueError):
            base = None
        return contributions.propose_edit(
            current_user, entry, form_data(form), form.rationale.data, base
        )

    return submit_or_show(form, entry.kind, "proposals/form.html", save, entry=entry)


@bp.route("/entries/<slug>/history")
def history(slug):
    entry = _entry_or_404(slug)
    revs = history_domain.revisions(entry)
    newest = revs[0].number if revs else 1
    older = browsing.int_arg(request.args.get("from"), newest - 1 if newest > 1 else 1)
    newer = browsing.int_arg(request.args.get("to"), newest)
    if older > newer:
        older, newer = newer, older
    try:
        changes = history_domain.diff(entry, revs, older, newer) if len(revs) > 1 else []
    except Invalid as error:
        abort(400, error.message)
    return render_template(
        "commons/history.html", entry=entry, revisions=revs, older=older, newer=newer,
        changes=changes, merged_in=history_domain.merged_into_this(entry),
    )

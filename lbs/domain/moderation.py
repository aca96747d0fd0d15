"""Moderators' decisions. Each one is a single transaction that writes its row of the public log.

Proposals are claimed with a guarded UPDATE (status still open, version as the moderator saw
it), so two moderators deciding at once end with one decision and one Conflict; entries
carry a version column, so a merge never overwrites a change it has not seen.
"""

from datetime import timedelta
from statistics import median

from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from lbs.domain import permissions, voting
from lbs.domain.accounts import end_all_sessions
from lbs.domain.contributions import clean_fields, current_fields, revision_fields
from lbs.domain.entries import (
    FIELD_LABELS,
    RELATED_LABEL,
    add_revision,
    create_entry,
    revision_field_names,
)
from lbs.domain.errors import Conflict, Invalid, NotAllowed
from lbs.domain.notifications import notify
from lbs.domain.relations import links_made_since
from lbs.domain.sql import insert_ignoring_conflicts
from lbs.extensions import db
from lbs.models import (
    Comment,
    Entry,
    Flag,
    ModerationAction,
    Proposal,
    Relation,
    User,
    Vote,
    utcnow,
)

QUEUE_ROWS = 50
LOG_PAGE = 50


def _required_reason(reason):
    reason = " ".join((reason or "").split())
    if not reason:
        raise Invalid(
            "reason", _("Give a reason: it is shown to the people concerned and in the public log.")
        )
    if len(reason) > 2000:
        raise Invalid(
            "reason", _("Keep the reason under %(num)s characters.", num=format_number(2000))
        )
    return reason


def log_action(moderator, action, target_type, target_id, reason, label="", **details):
    row = ModerationAction(
        moderator_id=moderator.id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=label[:200],
        reason=reason,
        details=details,
    )
    db.session.add(row)
    return row


# --- people -------------------------------------------------------------------------------


def suspend(moderator, user, reason):
    permissions.require(moderator, "suspend", user, _("You may not suspend this account."))
    reason = _required_reason(reason)
    if user.status == "suspended":
        raise Conflict(_("%(name)s is suspended already.", name=user.username))
    user.status = "suspended"
    user.suspended_reason = reason
    end_all_sessions(user)
    log_action(moderator, "suspend", "user", user.id, reason, label=user.username)


def reinstate(moderator, user, reason):
    permissions.require(moderator, "reinstate", user, _("You may not reinstate this account."))
    reason = _required_reason(reason)
    if user.status != "suspended":
        raise Conflict(_("%(name)s is not suspended.", name=user.username))
    user.status = "active"
    user.suspended_reason = None
    log_action(moderator, "reinstate", "user", user.id, reason, label=user.username)


def end_sessions(admin, user, reason):
    """Log the account out everywhere (a stolen cookie, a shared computer) without suspending it."""
    permissions.require(admin, "end-sessions", user, _("Only an admin may end someone's sessions."))
    reason = _required_reason(reason)
    end_all_sessions(user)
    log_action(admin, "end-sessions", "user", user.id, reason, label=user.username)


def set_role(admin, user, role, reason):
    from lbs.domain.accounts import set_role as assign

    permissions.require(admin, "set-role", user, _("Only an admin may change roles."))
    reason = _required_reason(reason)
    assign(user, role)
    log_action(admin, "set-role", "user", user.id, reason, label=user.username, role=role)


# --- proposals ------------------------------------------------------------------------------


def _claim(moderator, proposal, status, reason, seen_version=None, **values):
    """Close an open proposal, or Conflict if it was decided or changed meanwhile."""
    if not permissions.can(moderator, "decide", proposal):
        raise NotAllowed(
            _("You cannot decide on your own proposal; another moderator will.")
            if proposal.author_id == moderator.id else _("Only moderators decide on proposals.")
        )
    query = update(Proposal).where(Proposal.id == proposal.id, Proposal.status == "open")
    if seen_version is not None:
        query = query.where(Proposal.version == seen_version)
    changed = db.session.execute(
        query.values(
            status=status, decision_reason=reason, decided_by_id=moderator.id,
            decided_at=utcnow(), version=Proposal.version + 1, **values,
        ).execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        raise Conflict(
            _(
                "Someone decided on or changed this proposal while you were looking at it. "
                "Here is its current state."
            )
        )
    db.session.expire(proposal)


def _tell_author(moderator, proposal, outcome, link, reason, **details):
    notify(
        proposal.author_id, "decision", link, actor=moderator, reason=reason,
        outcome=outcome, title=proposal.title, **details,
    )


def _existing_entry_with_links(fields, exclude_entry_id=None):
    from lbs.domain.contributions import find_duplicates

    entries, _proposals = find_duplicates(fields, exclude_entry_id=exclude_entry_id)
    return entries[0] if entries else None


def _merge_links(base, current, proposed, unseen):
    """Links merge as sets: what the proposal added or removed, applied to today's links.
    Links made after the proposal was written were never seen, so never count as removed."""
    seen_base = set(base or []) - unseen
    proposed = set(proposed or [])
    merged = (set(current or []) - (seen_base - proposed)) | (proposed - seen_base)
    return sorted(merged) or None


def merge_plan(proposal):
    """For an edit: each field's base, current and proposed value, the three-way result, and
    which fields both sides changed differently (those need the moderator's choice)."""
    entry = proposal.target_entry
    base = revision_fields(entry, proposal.base_revision_number)
    current = current_fields(entry)
    proposed = dict(proposal.fields)
    rows, result, conflicts = [], {}, []
    for name in revision_field_names(entry.kind):
        b, c, p = (base.get(name) or None), (current.get(name) or None), (proposed.get(name) or None)
        if name == "related":
            unseen = links_made_since(entry, proposal.created_at)
            result[name] = _merge_links(b, c, p, unseen)
            rows.append({
                "name": name, "label": FIELD_LABELS.get(name, RELATED_LABEL),
                "base": b, "current": c, "proposed": p, "conflict": False,
                "changed": p != b or c != b,
            })
            continue
        conflict = p != b and c != b and c != p
        if conflict:
            conflicts.append(name)
        result[name] = c if (p == b or conflict) else p
        rows.append({
            "name": name, "label": FIELD_LABELS.get(name, RELATED_LABEL),
            "base": b, "current": c, "proposed": p, "conflict": conflict,
            "changed": p != b or c != b,
        })
    return {
        "rows": rows, "result": result, "conflicts": conflicts,
        "moved_on": entry.revision_count != proposal.base_revision_number,
        "entry_version": entry.version,
    }


class NeedsResolution(Conflict):
    """The entry moved on and both sides changed some fields: the moderator must choose."""

    def __init__(self, plan):
        super().__init__(
            _(
                "The entry changed since this edit was proposed. Choose a value for each field "
                "both sides changed, then merge."
            )
        )
        self.plan = plan


def _resolve(plan, choices, custom):
    fields = dict(plan["result"])
    missing = []
    for name in plan["conflicts"]:
        row = next(r for r in plan["rows"] if r["name"] == name)
        choice = (choices or {}).get(name)
        if choice == "current":
            fields[name] = row["current"]
        elif choice == "proposed":
            fields[name] = row["proposed"]
        elif choice == "custom":
            fields[name] = (custom or {}).get(name, "")
        else:
            missing.append(name)
    if missing:
        raise NeedsResolution(plan)
    return fields


def merge_proposal(moderator, proposal, reason, seen_version=None, seen_entry_version=None,
                   choices=None, custom=None):
    """Merge a proposal into the commons. Returns the entry it created or changed."""
    reason = _required_reason(reason)
    if proposal.status != "open":
        raise Conflict(_("This proposal is no longer open."))
    if proposal.kind == "new":
        return _merge_new(moderator, proposal, reason, seen_version)
    return _merge_edit(moderator, proposal, reason, seen_version, seen_entry_version, choices,
                       custom)


def _merge_new(moderator, proposal, reason, seen_version):
    fields = dict(proposal.fields)
    existing = _existing_entry_with_links(fields)
    if existing is not None:
        raise Conflict(
            _(
                "“%(title)s” is in the commons with the same link now: close this "
                "proposal as its duplicate instead.",
                title=existing.title,
            )
        )
    _claim(moderator, proposal, "merged", reason, seen_version)
    author = db.session.get(User, proposal.author_id)
    entry = create_entry(
        proposal.entry_kind, fields, proposer=author, merged_by=moderator,
        proposal=proposal, reason=reason,
    )
    db.session.execute(
        update(Proposal).where(Proposal.id == proposal.id).values(resulting_entry_id=entry.id)
        .execution_options(synchronize_session=False)
    )
    # The community's support for the proposal becomes the entry's score.
    voting.move_votes("proposal", proposal.id, "entry", entry.id)
    voting.recount(entry)
    log_action(moderator, "merge", "proposal", proposal.id, reason, label=proposal.title,
               entry=entry.slug)
    _tell_author(moderator, proposal, "merged", f"/entries/{entry.slug}", reason)
    db.session.expire(proposal)
    return entry


def _merge_edit(moderator, proposal, reason, seen_version, seen_entry_version, choices, custom):
    entry = proposal.target_entry
    if entry.status != "live":
        raise Conflict(_("The entry is archived or merged into another; this edit cannot land."))
    plan = merge_plan(proposal)
    if seen_entry_version is not None and entry.version != seen_entry_version:
        # Someone merged into this entry since the moderator loaded the page: show the fresh
        # state side by side before anything is written.
        raise NeedsResolution(plan)
    fields = _resolve(plan, choices, custom)
    fields = clean_fields(entry.kind, fields, moderator, entry)
    existing = _existing_entry_with_links(fields, exclude_entry_id=entry.id)
    if existing is not None:
        raise Conflict(
            _("“%(title)s” already has this link; merge the two entries instead.", title=existing.title)
        )
    _claim(moderator, proposal, "merged", reason, seen_version)
    author = db.session.get(User, proposal.author_id)
    add_revision(entry, fields, author=author, merged_by=moderator, proposal=proposal,
                 reason=reason)
    log_action(moderator, "merge", "proposal", proposal.id, reason, label=proposal.title,
               entry=entry.slug, revision=entry.revision_count)
    _tell_author(moderator, proposal, "merged", f"/entries/{entry.slug}", reason)
    return entry


def reject(moderator, proposal, reason, seen_version=None):
    reason = _required_reason(reason)
    _claim(moderator, proposal, "rejected", reason, seen_version)
    log_action(moderator, "reject", "proposal", proposal.id, reason, label=proposal.title)
    _tell_author(moderator, proposal, "rejected", f"/proposals/{proposal.id}", reason)


def mark_duplicate(moderator, proposal, entry, reason, seen_version=None):
    """Close a proposal as a duplicate of an entry; its up-votes move to the entry."""
    reason = _required_reason(reason)
    if entry is None or entry.status != "live":
        raise Invalid("entry", _("Name a live entry in the commons (its address or slug)."))
    _claim(moderator, proposal, "duplicate", reason, seen_version, duplicate_of_id=entry.id)
    voting.move_votes("proposal", proposal.id, "entry", entry.id, only_up=True,
                      exclude_user_id=entry.proposer_id)
    voting.recount(entry)
    log_action(moderator, "mark-duplicate", "proposal", proposal.id, reason,
               label=proposal.title, entry=entry.slug)
    _tell_author(moderator, proposal, "duplicate", f"/entries/{entry.slug}", reason,
                 entry=entry.title)


# --- entries --------------------------------------------------------------------------------


def _recount_comments(entry_id):
    visible = (
        select(func.count())
        .select_from(Comment)
        .where(Comment.target_type == "entry", Comment.target_id == entry_id,
               Comment.status == "visible")
        .scalar_subquery()
    )
    db.session.execute(update(Entry).where(Entry.id == entry_id).values(comment_count=visible)
                       .execution_options(synchronize_session=False))


def merge_entries(moderator, loser, survivor, reason):
    """Fold `loser` into `survivor`: votes united without counting anyone twice, comments and
    links moved, history kept on the old entry, and its slug answering with a redirect."""
    permissions.require(moderator, "moderate", message=_("Only moderators merge entries."))
    reason = _required_reason(reason)
    if survivor is None or loser is None:
        raise Invalid("entry", _("Name the live entry to merge into (its address or slug)."))
    if loser.id == survivor.id:
        raise Invalid("entry", _("An entry cannot be merged into itself."))
    if loser.status != "live" or survivor.status != "live":
        raise Conflict(_("Both entries must be live to be merged."))
    if loser.kind != survivor.kind:
        raise Invalid("entry", _("A hub can only be merged with a hub, a reading with a reading."))
    voting.move_votes("entry", loser.id, "entry", survivor.id, exclude_user_id=survivor.proposer_id)

    db.session.execute(delete(Vote).where(Vote.target_type == "entry", Vote.target_id == loser.id))
    voting.recount(loser)
    voting.recount(survivor)
    db.session.execute(
        update(Comment).where(Comment.target_type == "entry", Comment.target_id == loser.id)
        .values(target_id=survivor.id).execution_options(synchronize_session=False)
    )
    _recount_comments(loser.id)
    _recount_comments(survivor.id)
    for own, other in ((Relation.reading_id, Relation.hub_id), (Relation.hub_id, Relation.reading_id)):
        linked = db.session.scalars(select(other).where(own == loser.id)).all()
        rows = [
            {own.key: survivor.id, other.key: i} for i in linked if i != survivor.id
        ]
        if rows:
            db.session.execute(insert_ignoring_conflicts(Relation), rows)
        db.session.execute(delete(Relation).where(own == loser.id))
    db.session.refresh(loser)
    loser.status = "merged-away"
    loser.merged_into_id = survivor.id
    db.session.flush()
    _close_flags("entry", loser.id, "resolved", moderator)
    log_action(moderator, "merge-entries", "entry", loser.id, reason, label=loser.title,
               into=survivor.slug)


def archive(moderator, entry, reason):
    permissions.require(moderator, "moderate", message=_("Only moderators archive entries."))
    reason = _required_reason(reason)
    if entry.status != "live":
        raise Conflict(_("Only a live entry can be archived."))
    entry.status = "archived"
    db.session.flush()
    log_action(moderator, "archive", "entry", entry.id, reason, label=entry.title)


def restore(moderator, entry, reason):
    permissions.require(moderator, "moderate", message=_("Only moderators restore entries."))
    reason = _required_reason(reason)
    if entry.status != "archived":
        raise Conflict(_("Only an archived entry can be restored."))
    entry.status = "live"
    db.session.flush()
    log_action(moderator, "restore", "entry", entry.id, reason, label=entry.title)


def rollback(moderator, entry, number, reason, seen_entry_version=None):
    """Bring back an earlier revision's fields, as a new revision: history only grows."""
    permissions.require(moderator, "moderate", message=_("Only moderators roll back entries."))
    reason = _required_reason(reason)
    if entry.status != "live":
        raise Conflict(_("Only a live entry can be rolled back."))
    if seen_entry_version is not None and entry.version != seen_entry_version:
        raise Conflict(_("The entry changed while you were looking at it. Here is its current state."))
    if number is None or not 1 <= number <= entry.revision_count:
        raise Invalid("revision", _("Choose one of the entry's revisions to roll back to."))
    if number == entry.revision_count:
        raise Invalid("revision", _("That is the current revision already."))
    fields = revision_fields(entry, number)
    add_revision(entry, fields, author=moderator, merged_by=moderator,
                 reason=f"Rolled back to revision {number}: {reason}")
    log_action(moderator, "rollback", "entry", entry.id, reason, label=entry.title,
               to_revision=number, revision=entry.revision_count)


# --- talk and flags ----------------------------------------------------------------------------


def hide_comment(moderator, comment, reason):
    permissions.require(moderator, "moderate", message=_("Only moderators hide comments."))
    reason = _required_reason(reason)
    changed = db.session.execute(
        update(Comment).where(Comment.id == comment.id, Comment.status == "visible")
        .values(status="hidden", hidden_reason=reason).execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        raise Conflict(_("Only a visible comment can be hidden."))
    _move_comment_count(comment, -1)
    _close_flags("comment", comment.id, "resolved", moderator)
    log_action(moderator, "hide-comment", "comment", comment.id, reason,
               label=f"comment by {comment.author.username}")
    notify(comment.author_id, "comment-hidden", f"/comments/{comment.id}", actor=moderator,
           reason=reason)
    db.session.expire(comment)


def unhide_comment(moderator, comment, reason):
    permissions.require(moderator, "moderate", message=_("Only moderators unhide comments."))
    reason = _required_reason(reason)
    changed = db.session.execute(
        update(Comment).where(Comment.id == comment.id, Comment.status == "hidden")
        .values(status="visible", hidden_reason=None).execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        raise Conflict(_("Only a hidden comment can be shown again."))
    _move_comment_count(comment, 1)
    log_action(moderator, "unhide-comment", "comment", comment.id, reason,
               label=f"comment by {comment.author.username}")
    notify(comment.author_id, "comment-unhidden", f"/comments/{comment.id}", actor=moderator,
           reason=reason)
    db.session.expire(comment)


def _move_comment_count(comment, delta):
    model = Entry if comment.target_type == "entry" else Proposal
    table = model.__table__
    db.session.execute(update(table).where(table.c.id == comment.target_id)
                       .values(comment_count=table.c.comment_count + delta))


FLAG_TARGET_MODELS = {"entry": Entry, "proposal": Proposal, "comment": Comment}


def _close_flags(target_type, target_id, outcome, moderator):
    closed = db.session.execute(
        update(Flag)
        .where(Flag.target_type == target_type, Flag.target_id == target_id, Flag.status == "open")
        .values(status=outcome, resolved_by_id=moderator.id, resolved_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    table = FLAG_TARGET_MODELS[target_type].__table__
    # The moderator has looked: the item shows again unless the decision itself removed it.
    db.session.execute(update(table).where(table.c.id == target_id)
                       .values(flag_hidden=False, flag_count=0))
    return closed


def decide_flags(moderator, target_type, target_id, outcome, reason):
    """Resolve (acted on) or dismiss (nothing wrong) every open flag on one item."""
    permissions.require(moderator, "moderate", message=_("Only moderators decide on flags."))
    reason = _required_reason(reason)
    if outcome not in ("resolved", "dismissed") or target_type not in FLAG_TARGET_MODELS:
        raise Invalid("outcome", _("Resolve or dismiss the flags."))
    if not _close_flags(target_type, target_id, outcome, moderator):
        raise Conflict(_("These flags were decided already."))
    action = "resolve-flag" if outcome == "resolved" else "dismiss-flag"
    log_action(moderator, action, target_type, target_id, reason, label=f"flags on {target_type}")


def carry_out_suggestion(moderator, flag, reason):
    """A peer's duplicate flag, done in one step: merge the entries or close the proposal."""
    if flag.status != "open" or flag.reason != "duplicate" or flag.duplicate_of is None:
        raise Conflict(_("This suggestion was handled already."))
    survivor = flag.duplicate_of
    if flag.target_type == "entry":
        loser = db.session.get(Entry, flag.target_id)
        merge_entries(moderator, loser, survivor, reason)
    elif flag.target_type == "proposal":
        proposal = db.session.get(Proposal, flag.target_id)
        mark_duplicate(moderator, proposal, survivor, reason)
        _close_flags("proposal", proposal.id, "resolved", moderator)
    else:
        raise Invalid("flag", _("Only entries and proposals can be duplicates."))


# --- the queue and the log -----------------------------------------------------------------------


def waiting_count():
    proposals = db.session.scalar(
        select(func.count()).select_from(Proposal).where(Proposal.status == "open")
    )
    flagged = db.session.scalar(
        select(func.count()).select_from(
            select(Flag.target_type, Flag.target_id).where(Flag.status == "open")
            .group_by(Flag.target_type, Flag.target_id).subquery()
        )
    )
    return proposals + flagged


def health(now=None):
    now = now or utcnow()
    oldest = db.session.scalar(
        select(func.min(Proposal.created_at)).where(Proposal.status == "open")
    )
    decided = db.session.execute(
        select(Proposal.created_at, Proposal.decided_at).where(
            Proposal.decided_at >= now - timedelta(days=30),
            Proposal.decided_by_id.is_not(None),
        )
    ).all()
    durations = [(d - c).total_seconds() for c, d in decided]
    return {
        "waiting": waiting_count(),
        "oldest": oldest,
        "median_hours": round(median(durations) / 3600, 1) if durations else None,
        "decided_30_days": len(durations),
    }


def _load(target_type, ids):
    from sqlalchemy.orm import selectinload

    model = FLAG_TARGET_MODELS[target_type]
    if not ids:
        return {}
    query = select(model).where(model.id.in_(ids))
    if model is Comment:
        # The queue names each flagged comment's author.
        query = query.options(selectinload(Comment.author))
    return {t.id: t for t in db.session.scalars(query)}


def queue():
    from sqlalchemy.orm import selectinload

    proposals = db.session.scalars(
        select(Proposal)
        .options(selectinload(Proposal.author), selectinload(Proposal.target_entry))
        .where(Proposal.status == "open")
        .order_by(Proposal.score_top.desc(), Proposal.created_at, Proposal.id)
        .limit(QUEUE_ROWS)
    ).all()
    flag_groups = db.session.execute(
        select(
            Flag.target_type, Flag.target_id, func.count().label("flags"),
            func.min(Flag.created_at).label("first"),
        )
        .where(Flag.status == "open", Flag.reason != "duplicate")
        .group_by(Flag.target_type, Flag.target_id)
        .order_by(func.count().desc(), func.min(Flag.created_at))
        .limit(QUEUE_ROWS)
    ).all()
    reasons = {}
    if flag_groups:
        for flag in db.session.scalars(
            select(Flag).where(Flag.status == "open", Flag.reason != "duplicate",
                               Flag.target_id.in_([g.target_id for g in flag_groups]))
        ):
            reasons.setdefault((flag.target_type, flag.target_id), []).append(flag)
    targets = {
        kind: _load(kind, [g.target_id for g in flag_groups if g.target_type == kind])
        for kind in FLAG_TARGET_MODELS
    }
    flagged = [
        {"type": g.target_type, "id": g.target_id, "flags": g.flags, "first": g.first,
         "target": targets[g.target_type].get(g.target_id),
         "reasons": reasons.get((g.target_type, g.target_id), [])}
        for g in flag_groups
    ]
    suggestions = db.session.scalars(
        select(Flag)
        .options(selectinload(Flag.duplicate_of), selectinload(Flag.user))
        .where(Flag.status == "open", Flag.reason == "duplicate")
        .order_by(Flag.created_at, Flag.id)
        .limit(QUEUE_ROWS)
    ).all()
    suggestion_targets = {
        kind: _load(kind, [f.target_id for f in suggestions if f.target_type == kind])
        for kind in ("entry", "proposal")
    }
    return {
        "proposals": proposals,
        "flagged": flagged,
        "suggestions": [
            (f, suggestion_targets.get(f.target_type, {}).get(f.target_id)) for f in suggestions
        ],
        "health": health(),
    }


def log_page(args):
    from lbs.domain.browsing import parse_page
    from lbs.models import MODERATION_ACTIONS

    page = parse_page(args.get("page"))
    query = select(ModerationAction, User).join(User, User.id == ModerationAction.moderator_id)
    filters = {}
    if args.get("action") in MODERATION_ACTIONS:
        filters["action"] = args["action"]
        query = query.where(ModerationAction.action == args["action"])
    moderator_name = (args.get("moderator") or "").strip().lower()
    if moderator_name and len(moderator_name) <= 30:
        filters["moderator"] = moderator_name
        query = query.where(User.username_key == moderator_name)
    rows = db.session.execute(
        query.order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
        .limit(LOG_PAGE + 1).offset((page - 1) * LOG_PAGE)
    ).all()
    return {"rows": rows[:LOG_PAGE], "page": page, "has_next": len(rows) > LOG_PAGE,
            "filters": filters, "first_rank": (page - 1) * LOG_PAGE + 1}

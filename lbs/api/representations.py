"""What the API sends: models turned into plain JSON with stable snake_case names.

Every shape here has a schema in lbs.api.openapi with additionalProperties false, and the
contract test checks each response against it: a field added here and not there fails.
"""

from flask import url_for
from sqlalchemy import select

from lbs.domain.entries import snapshot
from lbs.extensions import db
from lbs.models import Entry, User


def iso(moment):
    """ISO 8601 in UTC with a Z: stored times are naive UTC (see lbs.models.base)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _api(endpoint, **values):
    return url_for(f"api.{endpoint}", _external=True, **values)


def _page(endpoint, **values):
    return url_for(endpoint, _external=True, **values)


def entry(row, fields=None):
    """An entry of a list; `fields` replaces the snapshot where the caller has the full set."""
    return {
        "id": row.id,
        "slug": row.slug,
        "kind": row.kind,
        "status": row.status,
        "fields": fields if fields is not None else snapshot(row),
        "ups": row.ups,
        "downs": row.downs,
        "comment_count": row.comment_count,
        "current_revision": row.revision_count,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
        "links": {
            "self": _api("entry", slug=row.slug),
            "html": _page("commons.entry", slug=row.slug),
        },
    }


def revision(row):
    return {
        "number": row.number,
        "author": row.author.username,
        "merged_by": row.merged_by.username if row.merged_by else None,
        "reason": row.reason or "",
        "proposal_id": row.proposal_id,
        "created_at": iso(row.created_at),
        "fields": row.fields,
    }


def entry_detail(row, fields, revisions):
    return {**entry(row, fields), "revisions": [revision(r) for r in revisions]}


def preload(model, ids):
    """Load these rows into the session in one query.

    A many-to-one relationship looks its row up in the session before asking the database,
    so a list that reads proposal.target_entry or proposal.decided_by costs one query in all
    rather than one per row.
    """
    ids = {i for i in ids if i is not None}
    return db.session.scalars(select(model).where(model.id.in_(ids))).all() if ids else []


def _slug(related):
    return related.slug if related is not None else None


def proposal(row):
    return {
        "id": row.id,
        "kind": row.kind,
        "entry_kind": row.entry_kind,
        "status": row.status,
        "author": row.author.username,
        "title": row.title,
        "fields": row.fields,
        "rationale": row.rationale or "",
        "target_entry": _slug(row.target_entry),
        "base_revision": row.base_revision_number,
        "ups": row.ups,
        "downs": row.downs,
        "comment_count": row.comment_count,
        "decision_reason": row.decision_reason,
        "decided_by": row.decided_by.username if row.decided_by else None,
        "decided_at": iso(row.decided_at),
        "resulting_entry": _slug(row.resulting_entry),
        "duplicate_of": _slug(row.duplicate_of),
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
        "links": {
            "self": _api("proposal", proposal_id=row.id),
            "html": _page("proposals.show", proposal_id=row.id),
        },
    }


def proposals(rows):
    # Held until the list is built: the session's identity map keeps rows only weakly.
    _held = (
        preload(Entry, [i for r in rows
                        for i in (r.target_entry_id, r.resulting_entry_id, r.duplicate_of_id)]),
        preload(User, [r.decided_by_id for r in rows]),
    )
    return [proposal(r) for r in rows]


def profile(user, proposals_of_user):
    return {
        "username": user.username,
        "role": user.role,
        "karma": user.karma,
        "created_at": iso(user.created_at),
        "proposals": [
            {
                "id": p.id,
                "kind": p.kind,
                "entry_kind": p.entry_kind,
                "status": p.status,
                "title": p.title,
                "created_at": iso(p.created_at),
                "links": {"self": _api("proposal", proposal_id=p.id)},
            }
            for p in proposals_of_user
        ],
        "links": {
            "self": _api("user", username=user.username),
            "html": _page("users.profile", username=user.username),
        },
    }


def comment(row, author):
    return {
        "id": row.id,
        "target_type": row.target_type,
        "target_id": row.target_id,
        "parent_id": row.parent_id,
        "author": author.username,
        "body": row.body,
        "status": row.status,
        "created_at": iso(row.created_at),
        "links": {"html": _page("discussion.comment_link", comment_id=row.id)},
    }


def vote(target_type, target, value):
    return {
        "target_type": target_type,
        "target_id": target.id,
        "value": value,
        "ups": target.ups,
        "downs": target.downs,
    }


def tag(name, count):
    return {
        "name": name,
        "count": count,
        "links": {
            "entries": _api("entries", tag=name),
            "html": _page("commons.tag", tag=name),
        },
    }

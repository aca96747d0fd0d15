"""Peers bring knowledge in: proposing entries and edits, changing or withdrawing a proposal."""

from datetime import date

from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from lbs.domain import permissions
from lbs.domain.accounts import is_new_account
from lbs.domain.entries import FIELD_LABELS, RELATED_LABEL, field_names, snapshot
from lbs.domain.errors import Conflict, Invalid
from lbs.domain.links import normalize_doi, normalize_isbn, normalize_url
from lbs.domain.notifications import notify_contributors
from lbs.domain.relations import links_made_since, related_slugs
from lbs.domain.tags import normalize_tags
from lbs.domain.text import clean_text, count_links
from lbs.extensions import db
from lbs.models import HUB_FOCUSES, READING_TYPES, Entry, Proposal, Revision, utcnow

MAX_LENGTHS = {
    "title": 200, "summary": 10000, "languages": 200, "region": 100, "licence": 100,
    "authors": 500, "venue": 300, "rationale": 5000,
}
NEW_ACCOUNT_MAX_LINKS = 2
MAX_RELATED = 10
OTHER_KIND = {"hub": "reading", "reading": "hub"}


class Duplicate(Invalid):
    """The link already belongs to a live entry: propose an edit to it instead."""

    def __init__(self, field, message, entry):
        super().__init__(field, message)
        self.entry = entry


class SimilarProposals(Invalid):
    """Open proposals share the link: the peer should look before proposing again."""

    def __init__(self, field, message, proposals):
        super().__init__(field, message)
        self.proposals = proposals


def _text(data, name, errors, required=False, multiline=False):
    value = clean_text(data.get(name), multiline=multiline)
    if required and not value:
        errors[name] = _("%(field)s is required.", field=FIELD_LABELS.get(name, name.title()))
    elif len(value) > MAX_LENGTHS[name]:
        errors[name] = _(
            "Keep this under %(max)s characters (it has %(length)s).",
            max=format_number(MAX_LENGTHS[name]), length=format_number(len(value)),
        )
    return value or None


def _checked(errors, name, normalize, value):
    try:
        return normalize(value)
    except Invalid as error:
        errors[name] = error.message
        return None


def _year(raw, errors):
    if raw in (None, ""):
        return None
    try:
        year = int(str(raw).strip())
    except ValueError:
        errors["year"] = _("Give the year as a number, like 2006.")
        return None
    if not 1000 <= year <= date.today().year + 1:
        errors["year"] = _("Give a year between 1000 and %(last)d.", last=date.today().year + 1)
        return None
    return year


def _related(raw, kind, errors, linked=()):
    if isinstance(raw, str):
        raw = [part for part in raw.replace(",", " ").split() if part]
    slugs = []
    for item in raw or []:
        slug = item.strip().rstrip("/").rsplit("/entries/", 1)[-1].strip().lower()
        if slug and slug not in slugs:
            slugs.append(slug)
    # Only newly named entries count: readings link themselves to a hub without limit.
    if len([s for s in slugs if s not in linked]) > MAX_RELATED:
        errors["related"] = _("Link at most %(num)d related entries.", num=MAX_RELATED)
        return []
    if not slugs:
        return []
    found = set(
        db.session.scalars(
            select(Entry.slug).where(
                Entry.slug.in_(slugs), Entry.kind == OTHER_KIND[kind], Entry.status == "live"
            )
        )
    )
    missing = [s for s in slugs if s not in found]
    if missing:
        if OTHER_KIND[kind] == "hub":
            message = _(
                "No live hub has the address %(address)s; "
                "give the part after /entries/ of a hub's page.",
                address=repr(missing[0][:80]),
            )
        else:
            message = _(
                "No live reading has the address %(address)s; "
                "give the part after /entries/ of a reading's page.",
                address=repr(missing[0][:80]),
            )
        errors["related"] = message
    return [s for s in slugs if s in found]


def clean_fields(kind, data, author, entry=None):
    """The proposed fields in their stored form, or Invalid naming every wrong field.

    `entry` is the entry an edit is for: the entries it links to already are no new links.
    """
    errors = {}
    fields = {
        "title": _text(data, "title", errors, required=True),
        "summary": _text(data, "summary", errors, multiline=True) or "",
    }
    raw_url = clean_text(data.get("url"))
    fields["url"] = _checked(errors, "url", normalize_url, raw_url) if raw_url else None
    fields["tags"] = _checked(errors, "tags", normalize_tags, data.get("tags")) or []
    if kind == "hub":
        if not raw_url:
            errors["url"] = _("Give the hub's web address, starting with https:// or http://.")
        focus = clean_text(data.get("focus"))
        if focus not in HUB_FOCUSES:
            errors["focus"] = _("Choose the hub's focus.")
        fields.update(
            focus=focus or None,
            languages=_text(data, "languages", errors),
            region=_text(data, "region", errors),
            licence=_text(data, "licence", errors),
        )
    else:
        reading_type = clean_text(data.get("reading_type"))
        if reading_type not in READING_TYPES:
            errors["reading_type"] = _("Choose what kind of reading this is.")
        fields.update(
            authors=_text(data, "authors", errors),
            year=_year(data.get("year"), errors),
            venue=_text(data, "venue", errors),
            reading_type=reading_type or None,
            doi=_checked(errors, "doi", normalize_doi, clean_text(data.get("doi"))),
            isbn=_checked(errors, "isbn", normalize_isbn, clean_text(data.get("isbn"))),
        )
        if not raw_url and not fields["doi"] and not fields["isbn"] and "url" not in errors:
            errors["url"] = _("Give a web address, a DOI or an ISBN, so others can find it.")
    if is_new_account(author) and count_links(fields["summary"]) > NEW_ACCOUNT_MAX_LINKS:
        errors["summary"] = _(
            "New accounts may put at most %(num)d links in a summary.", num=NEW_ACCOUNT_MAX_LINKS
        )
    linked = related_slugs(entry) if entry is not None else ()
    fields["related"] = _related(data.get("related"), kind, errors, linked)
    if errors:
        raise Invalid.from_errors(errors)
    return fields


def _link_keys(fields):
    return [
        (name, fields[name]) for name in ("url", "doi", "isbn") if fields.get(name)
    ]


def find_duplicates(fields, exclude_entry_id=None, exclude_proposal_id=None):
    """Live entries and open proposals that share the URL, DOI or ISBN."""
    keys = _link_keys(fields)
    if not keys:
        return [], []
    entry_query = select(Entry).where(
        Entry.status == "live", or_(*(getattr(Entry, n) == v for n, v in keys))
    )
    if exclude_entry_id:
        entry_query = entry_query.where(Entry.id != exclude_entry_id)
    proposal_query = select(Proposal).where(
        Proposal.status == "open", or_(*(getattr(Proposal, n) == v for n, v in keys))
    )
    if exclude_proposal_id:
        proposal_query = proposal_query.where(Proposal.id != exclude_proposal_id)
    entries = db.session.scalars(entry_query.limit(5)).all()
    proposals = db.session.scalars(proposal_query.limit(5)).all()
    return entries, proposals


def _refuse_duplicates(fields, accept_similar, exclude_entry_id=None, exclude_proposal_id=None):
    entries, proposals = find_duplicates(fields, exclude_entry_id, exclude_proposal_id)
    if entries:
        entry = entries[0]
        field = next(n for n, v in _link_keys(fields) if getattr(entry, n) == v)
        messages = {
            "url": _(
                "“%(title)s” is already in the commons with this URL. "
                "Propose an edit to it instead.", title=entry.title,
            ),
            "doi": _(
                "“%(title)s” is already in the commons with this DOI. "
                "Propose an edit to it instead.", title=entry.title,
            ),
            "isbn": _(
                "“%(title)s” is already in the commons with this ISBN. "
                "Propose an edit to it instead.", title=entry.title,
            ),
        }
        raise Duplicate(field, messages[field], entry)
    if proposals and not accept_similar:
        field = next(n for n, v in _link_keys(fields) if getattr(proposals[0], n) == v)
        raise SimilarProposals(
            field,
            _(
                "An open proposal already has this link. Look at it first; if yours is "
                "different, tick “This is not the same” and send again."
            ),
            proposals,
        )


def _store(proposal, fields):
    proposal.fields = fields
    proposal.title = fields["title"]
    proposal.url = fields.get("url")
    proposal.doi = fields.get("doi")
    proposal.isbn = fields.get("isbn")


def _rationale(raw, required):
    errors = {}
    value = _text({"rationale": raw}, "rationale", errors, required=required, multiline=True)
    if required and "rationale" in errors:
        errors["rationale"] = _("Say why this edit improves the entry.")
    if errors:
        raise Invalid.from_errors(errors)
    return value or ""


def propose_entry(author, kind, data, rationale="", accept_similar=False):
    permissions.require(author, "propose", message=_("Your account may not propose."))
    if kind not in OTHER_KIND:
        raise Invalid("kind", _("Propose a hub or a reading."))
    fields = clean_fields(kind, data, author)
    rationale = _rationale(rationale, required=False)
    _refuse_duplicates(fields, accept_similar)
    now = utcnow()
    proposal = Proposal(
        kind="new", entry_kind=kind, author_id=author.id, rationale=rationale,
        created_at=now, updated_at=now,
    )
    from lbs.domain.voting import initial_scores

    proposal.score_top, proposal.score_hot = initial_scores(now)
    _store(proposal, fields)
    db.session.add(proposal)
    db.session.flush()
    return proposal


def current_fields(entry):
    """The entry's fields as an edit form starts from them, related entries included."""
    fields = snapshot(entry)
    fields["related"] = related_slugs(entry)
    return fields


def _comparable(name, value):
    # Tags and related entries are sets, shown in name order: typing them in another order
    # changes nothing.
    if name in ("tags", "related") and value:
        return sorted(value)
    return value or None


def _changes(before, after, kind):
    names = (*field_names(kind), "related")
    return [n for n in names if _comparable(n, before.get(n)) != _comparable(n, after.get(n))]


def propose_edit(author, entry, data, rationale, base_revision_number, accept_similar=True):
    permissions.require(author, "propose-edit", entry, _("This entry cannot be edited now."))
    fields = clean_fields(entry.kind, data, author, entry)
    rationale = _rationale(rationale, required=True)
    base = revision_fields(entry, base_revision_number)
    if not _changes(base, fields, entry.kind):
        raise Invalid("title", _("This proposal changes nothing: edit at least one field."))
    _refuse_duplicates(fields, accept_similar, exclude_entry_id=entry.id)
    now = utcnow()
    proposal = Proposal(
        kind="edit", entry_kind=entry.kind, author_id=author.id, target_entry_id=entry.id,
        base_revision_number=base_revision_number, rationale=rationale,
        created_at=now, updated_at=now,
    )
    from lbs.domain.voting import initial_scores

    proposal.score_top, proposal.score_hot = initial_scores(now)
    _store(proposal, fields)
    db.session.add(proposal)
    db.session.flush()
    notify_contributors(
        entry, "edit-proposed", f"/proposals/{proposal.id}", actor=author, title=entry.title
    )
    return proposal


def revision_fields(entry, number):
    """The fields of one revision of the entry, or Conflict if that revision does not exist."""
    if number is None or not 1 <= number <= entry.revision_count:
        raise Conflict(_("That revision of the entry does not exist; reload the edit page."))
    revision = db.session.scalar(
        select(Revision).where(Revision.entry_id == entry.id, Revision.number == number)
    )
    if revision is None:
        raise Conflict(_("That revision of the entry does not exist; reload the edit page."))
    fields = dict(revision.fields)
    if number == entry.revision_count:
        # Links have two sides: a reading merged later links itself to a hub without a new
        # revision of the hub, so the current revision's links are the live ones.
        fields["related"] = related_slugs(entry)
    else:
        fields.setdefault("related", [])
    return fields


def update_proposal(author, proposal, data, rationale, accept_similar=False):
    permissions.require(
        author, "change-proposal", proposal, _("Only its author may change an open proposal.")
    )
    fields = clean_fields(proposal.entry_kind, data, author, proposal.target_entry)
    if proposal.kind == "edit":
        rationale = _rationale(rationale, required=True)
        entry = proposal.target_entry
        if not _changes(revision_fields(entry, proposal.base_revision_number), fields, entry.kind):
            raise Invalid("title", _("This proposal changes nothing: edit at least one field."))
        _refuse_duplicates(
            fields, True, exclude_entry_id=entry.id, exclude_proposal_id=proposal.id
        )
    else:
        rationale = _rationale(rationale, required=False)
        _refuse_duplicates(fields, accept_similar, exclude_proposal_id=proposal.id)
    _store(proposal, fields)
    proposal.rationale = rationale
    proposal.updated_at = utcnow()
    db.session.flush()
    return proposal


def withdraw(author, proposal):
    permissions.require(
        author, "change-proposal", proposal, _("Only its author may withdraw an open proposal.")
    )
    # Guarded by status in SQL: a moderator deciding at the same moment wins or loses cleanly.
    changed = db.session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.status == "open")
        .values(status="withdrawn", decided_at=utcnow(), version=Proposal.version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        raise Conflict(_("This proposal is no longer open."))
    db.session.expire(proposal)


def proposal_diff(proposal):
    """For an edit: each field with its value in the base revision and as proposed."""
    if proposal.kind != "edit":
        return []
    base = revision_fields(proposal.target_entry, proposal.base_revision_number)
    if base.get("related"):
        # Today's links stand for the current revision's; those made after the proposal
        # was written are not something it removes.
        unseen = links_made_since(proposal.target_entry, proposal.created_at)
        base["related"] = [slug for slug in base["related"] if slug not in unseen]
    return [
        {"name": n, "label": FIELD_LABELS.get(n, RELATED_LABEL), "before": base.get(n),
         "after": proposal.fields.get(n)}
        for n in _changes(base, proposal.fields, proposal.entry_kind)
    ]

"""The whole commons to take away, as JSON or CSV, and a JSON export loaded into a new site.

Exports are generators of text chunks: entries are read in id order, BATCH_SIZE at a time
(keyset: `id > last id`, so each batch is an index range scan, never an OFFSET), and each
batch costs a fixed number of queries (the entries, their tags, their contributors, their
related entries). Memory stays flat however large the commons is.

What is exported: every live entry that the lists show (entries hidden by flags wait for a
moderator and are left out), with its current fields, the people whose proposals were merged
into it, its revision count and its votes, under the commons' licence.

JSON: {"format", "version", "exported_at", "licence": {name, url, notice}, "entries": [...]},
one entry per line. CSV: one header row, then one row per entry, UTF-8 with a byte-order mark
(so spreadsheet programs read the accents right). Every row carries the licence in its
`shared_under` column, so a row copied elsewhere keeps its terms, and no comment line gets in
the way of programs that expect the header first. Cells beginning with = + - @ get a leading
apostrophe: spreadsheets would otherwise run what someone typed as a formula.
"""

import csv
import io
import json
import re
from datetime import UTC, datetime

from sqlalchemy import func, insert, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from lbs.domain import ranking
from lbs.domain.accounts import SYSTEM_USERNAME, USERNAME_PATTERN, system_user
from lbs.domain.attribution import contributors_by_entry, licence, profile_path
from lbs.domain.browsing import forget_counts
from lbs.domain.entries import KIND_FIELDS, apply_fields, hot_tau, revision_field_names
from lbs.domain.errors import Invalid
from lbs.domain.sql import insert_ignoring_conflicts
from lbs.domain.tags import normalize_tags
from lbs.extensions import db
from lbs.models import ENTRY_KINDS, Entry, EntryTag, Proposal, Relation, Revision, Tag, User, utcnow

FORMAT_NAME = "lbs-commons"
FORMAT_VERSION = 1
BATCH_SIZE = 1000
CSV_COLUMNS = (
    "kind", "slug", "title", "url", "summary", "tags",
    "focus", "languages", "region", "licence",
    "authors", "year", "venue", "reading_type", "doi", "isbn",
    "related", "status", "created_at", "updated_at",
    "contributors", "revision_count", "ups", "downs", "page_url", "shared_under",
)
# A list in one CSV cell: tags, slugs and usernames never contain a comma.
CSV_LIST_SEPARATOR = ", "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
IMPORT_REASON = "Imported from an export of the commons."
CREDIT_REASON = (
    "Imported from an export of the commons, which keeps no history: this revision credits "
    "{username}, whose proposals had been merged into the entry."
)
# Imported accounts need an address to satisfy the schema; .invalid never delivers mail.
IMPORTED_EMAIL = "{key}@imported.invalid"
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

_COLUMNS = (
    Entry.id, Entry.kind, Entry.slug, Entry.title, Entry.url, Entry.summary,
    Entry.focus, Entry.languages, Entry.region, Entry.licence,
    Entry.authors, Entry.year, Entry.venue, Entry.reading_type, Entry.doi, Entry.isbn,
    Entry.status, Entry.created_at, Entry.updated_at, Entry.revision_count, Entry.ups, Entry.downs,
)


def iso(moment):
    """ISO 8601 in UTC, to the microsecond, so an import gives back the very same moment."""
    return moment.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def parse_iso(value):
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _exported():
    return (Entry.status == "live", Entry.flag_hidden.is_(False))


def _tags_by_entry(ids):
    tags = {i: [] for i in ids}
    rows = db.session.execute(
        select(EntryTag.entry_id, Tag.name)
        .join(Tag, Tag.id == EntryTag.tag_id)
        .where(EntryTag.entry_id.in_(ids))
        .order_by(EntryTag.entry_id, Tag.name)
    )
    for entry_id, name in rows:
        tags[entry_id].append(name)
    return tags


def _related_by_entry(ids):
    """Both sides of each relation, so every entry lists what its page shows as related."""
    other = aliased(Entry)
    from_readings = (
        select(Relation.reading_id.label("entry_id"), other.slug.label("slug"))
        .join(other, other.id == Relation.hub_id)
        .where(Relation.reading_id.in_(ids), other.status == "live", other.flag_hidden.is_(False))
    )
    from_hubs = (
        select(Relation.hub_id.label("entry_id"), other.slug.label("slug"))
        .join(other, other.id == Relation.reading_id)
        .where(Relation.hub_id.in_(ids), other.status == "live", other.flag_hidden.is_(False))
    )
    related = {i: [] for i in ids}
    for entry_id, slug in db.session.execute(union_all(from_readings, from_hubs)):
        related[entry_id].append(slug)
    return {i: sorted(slugs) for i, slugs in related.items()}


def entry_records(site_url="", batch_size=None):
    """Every exported entry as a dict, batch by batch (a generator of lists).

    `site_url` is put before the site's paths (profiles, entry pages): the web export passes
    the address it was asked at, the command line leaves paths relative.
    """
    batch_size = batch_size or BATCH_SIZE
    last_id = 0
    while True:
        rows = db.session.execute(
            select(*_COLUMNS).where(*_exported(), Entry.id > last_id).order_by(Entry.id)
            .limit(batch_size)
        ).all()
        if not rows:
            return
        ids = [row.id for row in rows]
        tags = _tags_by_entry(ids)
        credits = contributors_by_entry(ids)
        related = _related_by_entry(ids)
        yield [_record(row, tags[row.id], credits[row.id], related[row.id], site_url) for row in rows]
        if len(rows) < batch_size:
            return
        last_id = ids[-1]


def _record(row, tags, usernames, related, site_url):
    record = {
        "kind": row.kind,
        "slug": row.slug,
        "title": row.title,
        "url": row.url,
        "summary": row.summary,
        "tags": tags,
    }
    for name in KIND_FIELDS[row.kind]:
        record[name] = getattr(row, name)
    record.update(
        related=related,
        status=row.status,
        created_at=iso(row.created_at),
        updated_at=iso(row.updated_at),
        page_url=f"{site_url}/entries/{row.slug}",
        contributors=[
            {"username": name, "profile_url": site_url + profile_path(name)} for name in usernames
        ],
        revision_count=row.revision_count,
        score={"ups": row.ups, "downs": row.downs},
    )
    return record


def commons_json(site_url="", batch_size=None):
    """The JSON export, chunk by chunk."""
    head = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": iso(utcnow()),
        "licence": licence(),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "entries": ['
    separator = "\n"
    for batch in entry_records(site_url, batch_size):
        chunk = []
        for record in batch:
            chunk.append(separator + json.dumps(record, ensure_ascii=False))
            separator = ",\n"
        yield "".join(chunk)
    yield "\n]}\n"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        value = CSV_LIST_SEPARATOR.join(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_row(record, shared_under):
    values = {
        **record,
        "contributors": [c["username"] for c in record["contributors"]],
        "ups": record["score"]["ups"],
        "downs": record["score"]["downs"],
        "shared_under": shared_under,
    }
    return [_cell(values.get(name)) for name in CSV_COLUMNS]


def commons_csv(site_url="", batch_size=None):
    """The CSV export, chunk by chunk."""
    terms = licence()
    shared_under = f"{terms['name']} {terms['url']}"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(CSV_COLUMNS)
    yield buffer.getvalue()
    for batch in entry_records(site_url, batch_size):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(_csv_row(record, shared_under) for record in batch)
        yield buffer.getvalue()


# Loading an export -------------------------------------------------------------------------


def is_empty():
    """Whether the database holds no entry, proposal or account yet."""
    return not any(
        db.session.scalar(select(func.count()).select_from(model)) for model in (Entry, Proposal, User)
    )


def _check_export(data):
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise Invalid("file", f"This is not an export of the commons (no \"format\": \"{FORMAT_NAME}\").")
    if data.get("version") != FORMAT_VERSION:
        raise Invalid(
            "file", f"This export has version {data.get('version')!r}; this site reads version "
            f"{FORMAT_VERSION}."
        )
    if not isinstance(data.get("entries"), list):
        raise Invalid("file", "This export has no list of entries.")


def _checked_record(number, record, slugs):
    where = f"Entry {number}"
    if not isinstance(record, dict):
        raise Invalid("file", f"{where} is not an object.")
    where = f"Entry {number} ({record.get('slug')!r})"
    if record.get("kind") not in ENTRY_KINDS:
        raise Invalid("file", f"{where}: the kind must be one of {', '.join(ENTRY_KINDS)}.")
    slug = record.get("slug")
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
        raise Invalid("file", f"{where}: the slug must be lower-case words joined by hyphens.")
    if slug in slugs:
        raise Invalid("file", f"{where}: another entry has the same slug.")
    slugs.add(slug)
    if not isinstance(record.get("title"), str) or not record["title"].strip():
        raise Invalid("file", f"{where}: the title is missing.")
    if record.get("status") != "live":
        raise Invalid("file", f"{where}: only live entries can be imported.")
    contributors = record.get("contributors")
    if not contributors or not all(
        isinstance(c, dict) and USERNAME_PATTERN.fullmatch(str(c.get("username") or ""))
        for c in contributors
    ):
        raise Invalid("file", f"{where}: every entry needs its contributors, by username.")
    score = record.get("score") or {}
    if not isinstance(score, dict) or not all(
        isinstance(score.get(side, 0), int) and score.get(side, 0) >= 0 for side in ("ups", "downs")
    ):
        raise Invalid("file", f"{where}: the score must be counts of ups and downs.")
    try:
        record["tags"] = normalize_tags(record.get("tags") or [])
        record["created_at"] = parse_iso(record["created_at"])
        record["updated_at"] = parse_iso(record.get("updated_at") or record["created_at"])
    except (KeyError, TypeError, ValueError):
        raise Invalid("file", f"{where}: created_at must be an ISO 8601 time.") from None
    except Invalid as error:
        raise Invalid("file", f"{where}: {error.message}") from None
    return record


def _accounts(records):
    """An account for each contributor, with no password anyone could type."""
    users = {}
    for record in records:
        for contributor in record["contributors"]:
            name = contributor["username"]
            key = name.lower()
            if key in users:
                continue
            if key == SYSTEM_USERNAME:
                # The commons' own account, which signs the starter entries, keeps its role.
                users[key] = system_user()
                continue
            users[key] = User(
                username=name, username_key=key,
                email=IMPORTED_EMAIL.format(key=key), email_key=IMPORTED_EMAIL.format(key=key),
                password_hash="!",  # noqa: S106 - not a hash of anything: no password matches  # nosec B106
            )
            db.session.add(users[key])
    db.session.flush()
    return users


def _new_entry(record, users):
    kind = record["kind"]
    contributors = list(dict.fromkeys(users[c["username"].lower()] for c in record["contributors"]))
    score = record.get("score") or {}
    ups, downs = score.get("ups", 0), score.get("downs", 0)
    entry = Entry(
        kind=kind,
        slug=record["slug"],
        proposer_id=contributors[0].id,
        created_at=record["created_at"],
        updated_at=record["updated_at"],
        ups=ups,
        downs=downs,
        score_top=ranking.wilson_lower_bound(ups, downs),
        score_hot=ranking.hot_score(ups, downs, record["created_at"], hot_tau()),
        revision_count=len(contributors),
        contributor_count=len(contributors),
    )
    apply_fields(entry, record)
    return entry, contributors


def _revisions(entry, record, contributors):
    """Revision 1, by the first contributor, holds the entry as exported; each later
    contributor gets a revision of their own, so the entry keeps crediting them."""
    fields = {name: record.get(name) for name in revision_field_names(entry.kind)}
    return [
        Revision(
            entry_id=entry.id, number=number, fields=fields, author_id=user.id,
            reason=IMPORT_REASON if number == 1 else CREDIT_REASON.format(username=user.username),
        )
        for number, user in enumerate(contributors, start=1)
    ]


def _tag(records, entries):
    names = sorted({name for record in records for name in record["tags"]})
    if not names:
        return
    db.session.execute(insert_ignoring_conflicts(Tag), [{"name": n} for n in names])
    ids = dict(db.session.execute(select(Tag.name, Tag.id)).all())
    rows = [
        {"entry_id": entry.id, "tag_id": ids[name]}
        for record, entry in zip(records, entries, strict=True)
        for name in record["tags"]
    ]
    db.session.execute(insert(EntryTag), rows)


def _relate(records, entries):
    by_slug = {entry.slug: entry for entry in entries}
    rows = []
    for record, entry in zip(records, entries, strict=True):
        for slug in record.get("related") or []:
            other = by_slug.get(slug)
            if other is None or other.kind == entry.kind:
                continue
            reading, hub = (entry, other) if entry.kind == "reading" else (other, entry)
            rows.append({"reading_id": reading.id, "hub_id": hub.id})
    if rows:
        # Both sides of a relation list it; the unique key keeps one row.
        db.session.execute(insert_ignoring_conflicts(Relation), rows)


def import_commons(data):
    """Loads a JSON export into an empty database. Returns (entries, accounts) created.

    Entries come back live with their slugs, fields, tags, related entries, creation time and
    votes; each contributor becomes an account that cannot log in until an administrator
    gives it a password. The history before the export is not in it: revision 1 holds the
    entry as exported, and each later contributor is credited by a revision of their own.
    """
    if not is_empty():
        raise Invalid(
            "database",
            "The database is not empty. An export can only be imported into a new database "
            "that has no entries, proposals or accounts yet (create one, then run "
            "`flask --app lbs db upgrade` on it).",
        )
    _check_export(data)
    slugs = set()
    records = [_checked_record(n, r, slugs) for n, r in enumerate(data["entries"], start=1)]
    users = _accounts(records)
    made = [_new_entry(record, users) for record in records]
    entries = [entry for entry, _ in made]
    db.session.add_all(entries)
    try:
        db.session.flush()
        db.session.add_all(
            revision
            for record, (entry, contributors) in zip(records, made, strict=True)
            for revision in _revisions(entry, record, contributors)
        )
        _tag(records, entries)
        _relate(records, entries)
        db.session.flush()
    except IntegrityError as error:
        raise Invalid(
            "file", f"An entry breaks a rule of the database: {error.orig}".strip()
        ) from None
    forget_counts()
    return len(entries), len(users)

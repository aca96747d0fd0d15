"""An entry's revisions and the differences between any two of them."""

import difflib
import re

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lbs.domain.entries import FIELD_LABELS, revision_field_names
from lbs.domain.errors import Invalid
from lbs.extensions import db
from lbs.models import Entry, Revision


def revisions(entry):
    return db.session.scalars(
        select(Revision)
        .options(selectinload(Revision.author), selectinload(Revision.merged_by))
        .where(Revision.entry_id == entry.id)
        .order_by(Revision.number.desc())
    ).all()


def merged_into_this(entry):
    return db.session.scalars(
        select(Entry).where(Entry.merged_into_id == entry.id).order_by(Entry.id)
    ).all()


def _as_text(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def word_diff(before, after):
    """[(op, text)] with op in equal/delete/insert: what a reader needs to see a text change."""
    a = re.split(r"(\s+)", _as_text(before))
    b = re.split(r"(\s+)", _as_text(after))
    pieces = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("equal", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                pieces.append(("delete", "".join(a[i1:i2])))
            if j2 > j1:
                pieces.append(("insert", "".join(b[j1:j2])))
    return pieces


def diff(entry, revs, older, newer):
    """Field-by-field changes from revision `older` to `newer`, word by word within each."""
    by_number = {r.number: r for r in revs}
    if older not in by_number or newer not in by_number:
        raise Invalid("revision", "Choose two revisions of this entry to compare.")
    a, b = by_number[older].fields, by_number[newer].fields
    rows = []
    for name in revision_field_names(entry.kind):
        if (a.get(name) or None) != (b.get(name) or None):
            rows.append({
                "label": FIELD_LABELS.get(name, "Related entries"),
                "pieces": word_diff(a.get(name), b.get(name)),
            })
    return rows

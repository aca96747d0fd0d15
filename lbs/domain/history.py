"""An entry's revisions and the differences between any two of them."""

import difflib
import re

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lbs.domain.entries import FIELD_LABELS, RELATED_LABEL, revision_field_names
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


def _list_diff(before, after):
    # Items are what changes in a list (tags, related entries), not the words of its text:
    # a tag kept in its place shows as kept, however its neighbours changed.
    a, b = [str(v) for v in before or []], [str(v) for v in after or []]
    items = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            items += [("equal", item) for item in a[i1:i2]]
        else:
            items += [("delete", item) for item in a[i1:i2]]
            items += [("insert", item) for item in b[j1:j2]]
    pieces = []
    for n, piece in enumerate(items):
        if n:
            pieces.append(("equal", ", "))
        pieces.append(piece)
    return pieces


def word_diff(before, after):
    """[(op, text)] with op in equal/delete/insert: what a reader needs to see a text change."""
    if isinstance(before, list) or isinstance(after, list):
        return _list_diff(before, after)
    # Splitting keeps the spaces as tokens of their own; an empty text has no token at all.
    a = [token for token in re.split(r"(\s+)", _as_text(before)) if token]
    b = [token for token in re.split(r"(\s+)", _as_text(after)) if token]
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


def _comparable(value):
    # Tags and links are sets: the same ones in another order are no change.
    if isinstance(value, list):
        return sorted(value) or None
    return value or None


def diff(entry, revs, older, newer):
    """Field-by-field changes from revision `older` to `newer`, word by word within each."""
    by_number = {r.number: r for r in revs}
    if older not in by_number or newer not in by_number:
        raise Invalid("revision", _("Choose two revisions of this entry to compare."))
    a, b = by_number[older].fields, by_number[newer].fields
    rows = []
    for name in revision_field_names(entry.kind):
        if _comparable(a.get(name)) != _comparable(b.get(name)):
            rows.append({
                "label": FIELD_LABELS.get(name, RELATED_LABEL),
                "pieces": word_diff(a.get(name), b.get(name)),
            })
    return rows

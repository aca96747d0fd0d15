"""The starter commons: real hubs and readings a fresh installation begins with."""

import json
from importlib import resources

from sqlalchemy import or_, select

from lbs.domain.accounts import system_user
from lbs.domain.entries import create_entry
from lbs.domain.links import normalize_doi, normalize_isbn, normalize_url
from lbs.domain.tags import normalize_tags
from lbs.extensions import db
from lbs.models import Entry

REASON = "Part of the starter commons that every new installation loads."


def starter_data():
    text = resources.files("lbs.data").joinpath("starter-commons.json").read_text("utf-8")
    return json.loads(text)


def _fields(kind, item):
    fields = {
        "title": item["title"],
        "url": normalize_url(item["url"]) if item.get("url") else None,
        "summary": item.get("summary", ""),
        "tags": normalize_tags(item.get("tags", [])),
    }
    if kind == "hub":
        fields.update(
            focus=item.get("focus"),
            languages=item.get("languages"),
            region=item.get("region"),
            licence=item.get("licence"),
        )
    else:
        fields.update(
            authors=", ".join(item.get("authors", [])) or None,
            year=item.get("year"),
            venue=item.get("venue"),
            reading_type=item.get("type"),
            doi=normalize_doi(item.get("doi")),
            isbn=normalize_isbn(item.get("isbn")),
        )
    return fields


def _exists(fields):
    keys = [Entry.title == fields["title"]]
    for name in ("url", "doi", "isbn"):
        if fields.get(name):
            keys.append(getattr(Entry, name) == fields[name])
    return db.session.scalar(select(Entry.id).where(or_(*keys)).limit(1)) is not None


def load_starter(data=None):
    """Adds each starter entry that is not in the commons yet; returns how many were added."""
    data = data or starter_data()
    author = system_user()
    added = 0
    for kind, key in (("hub", "hubs"), ("reading", "readings")):
        for item in data[key]:
            fields = _fields(kind, item)
            if _exists(fields):
                continue
            create_entry(kind, fields, proposer=author, merged_by=author, reason=REASON)
            added += 1
    return added

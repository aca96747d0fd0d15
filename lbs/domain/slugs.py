"""Readable, unique, ASCII slugs for entry URLs."""

import re
import unicodedata

from sqlalchemy import select

from lbs.extensions import db
from lbs.models import Entry

MAX_SLUG = 80


def slugify(title):
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:MAX_SLUG].rstrip("-") or "entry"


def unique_slug(title):
    base = slugify(title)
    taken = set(db.session.scalars(select(Entry.slug).where(Entry.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug

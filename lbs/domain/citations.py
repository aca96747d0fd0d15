"""Citations of readings as BibTeX, RIS and CSL-JSON, for one reading or for a page of them.

Hubs are platforms and communities, not works with authors and a year, so only readings
are cited. The citation key is the entry's slug: unique in the commons and stable, so a
document that cites it keeps working with the next download.
"""

import json
import re
from dataclasses import dataclass

from sqlalchemy import select

from lbs.domain import search
from lbs.domain.browsing import entry_list, full_entries
from lbs.extensions import db
from lbs.models import Entry

# Lower-case words that belong to the family name: "Ludwig van Beethoven" is van Beethoven.
NAME_PARTICLES = {
    "da", "das", "de", "del", "della", "der", "des", "di", "do", "dos", "du", "la", "le",
    "ten", "ter", "van", "von", "zu",
}


# Finding what to cite ----------------------------------------------------------------------


def citable_reading(slug):
    """The live reading at `slug` (or the reading it was merged into), or None."""
    entry = db.session.scalar(select(Entry).where(Entry.slug == slug))
    if entry is not None and entry.status == "merged-away":
        entry = entry.merged_into
    if entry is None or entry.kind != "reading" or entry.status != "live":
        return None
    return entry


def readings_page(args):
    """The readings of one page of /readings, with the same sort, filters and page."""
    return entry_list("reading", args, load=full_entries).rows


def search_page(args):
    """The readings of one page of /search?kind=reading with the same words, tag and page."""
    return search.search({**args, "kind": "reading"}, load=full_entries).rows


# Names --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    family: str
    given: str = ""


def _split_authors(authors):
    """The names in the authors field: separated by commas (as the form asks), or by
    semicolons, in which case each may be written "Family, Given"."""
    text = (authors or "").strip()
    if not text:
        return []
    if ";" in text:
        parts = text.split(";")
    else:
        parts = re.split(r",|\s+and\s+|\s+&\s+", text)
    return [" ".join(part.split()) for part in parts if part.strip()]


def _name(text):
    if "," in text:
        family, given = (piece.strip() for piece in text.split(",", 1))
        return Name(family, given)
    words = text.split()
    if len(words) == 1:
        return Name(words[0])
    start = len(words) - 1
    while start > 1 and words[start - 1] in NAME_PARTICLES:
        start -= 1
    return Name(" ".join(words[start:]), " ".join(words[:start]))


def names(entry):
    return [_name(text) for text in _split_authors(entry.authors)]


def _tags(entry):
    return [tag.name for tag in entry.tags]


# BibTeX -------------------------------------------------------------------------------------

BIBTEX_TYPES = {
    "article": ("article", "journal"),
    "book": ("book", "publisher"),
    "report": ("techreport", "institution"),
    "chapter": ("incollection", "booktitle"),
    "video": ("misc", "howpublished"),
    "course": ("misc", "howpublished"),
}
# \{ and \} would still count as braces when BibTeX matches a field's own delimiters, so
# one unmatched brace in a title would break the whole file; the text commands do not.
BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(text):
    """Text as a BibTeX field holds it: LaTeX's special characters escaped, the rest as is
    (UTF-8, which biber and modern BibTeX read)."""
    return "".join(BIBTEX_SPECIALS.get(char, char) for char in " ".join(str(text).split()))


def _verbatim(text):
    # doi and url are verbatim fields (biblatex, the url package): escaping _ or ~ there would
    # print the backslash. Only % and # need escaping; a rare brace is percent-encoded, which
    # names the same address and keeps the field's braces matched.
    text = text.replace("{", "%7B").replace("}", "%7D")
    return text.replace("%", r"\%").replace("#", r"\#")


def _bibtex_title(title):
    # Styles may lower-case titles; braces keep words like OpenStreetMap or DNA as written.
    words = []
    for word in " ".join(title.split()).split(" "):
        escaped = bibtex_escape(word)
        words.append(f"{{{escaped}}}" if any(c.isupper() for c in word[1:]) else escaped)
    return " ".join(words)


def _bibtex_name(name):
    family = bibtex_escape(name.family)
    # A family name of several words is braced so BibTeX does not take its first word as given.
    if " " in name.family:
        family = f"{{{family}}}"
    return f"{family}, {bibtex_escape(name.given)}" if name.given else family


def bibtex_record(entry):
    entry_type, venue_field = BIBTEX_TYPES.get(entry.reading_type, ("misc", "howpublished"))
    fields = []
    if entry.authors:
        fields.append(("author", " and ".join(_bibtex_name(n) for n in names(entry))))
    fields.append(("title", _bibtex_title(entry.title)))
    if entry.venue:
        fields.append((venue_field, bibtex_escape(entry.venue)))
    if entry.year:
        fields.append(("year", str(entry.year)))
    if entry.doi:
        fields.append(("doi", _verbatim(entry.doi)))
    if entry.isbn:
        fields.append(("isbn", entry.isbn))
    if entry.url:
        fields.append(("url", _verbatim(entry.url)))
    if entry.tags:
        fields.append(("keywords", bibtex_escape(", ".join(_tags(entry)))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{entry.slug},\n{body}\n}}\n"


def bibtex(entries):
    return "% Encoding: UTF-8\n\n" + "\n".join(bibtex_record(e) for e in entries)


# RIS ----------------------------------------------------------------------------------------

RIS_TYPES = {
    "article": ("JOUR", "JO"),
    "book": ("BOOK", "PB"),
    "report": ("RPRT", "PB"),
    "chapter": ("CHAP", "T2"),
    "video": ("VIDEO", "PB"),
    "course": ("GEN", "PB"),
}
RIS_LINE_END = "\r\n"


def ris_value(text):
    """RIS has no escapes: a value is the rest of its line, so line breaks become spaces."""
    return " ".join(str(text).split())


def ris_record(entry):
    ris_type, venue_tag = RIS_TYPES.get(entry.reading_type, ("GEN", "PB"))
    lines = [("TY", ris_type)]
    for name in names(entry):
        lines.append(("AU", f"{name.family}, {name.given}" if name.given else name.family))
    lines.append(("TI", entry.title))
    if entry.venue:
        lines.append((venue_tag, entry.venue))
    if entry.year:
        lines.append(("PY", str(entry.year)))
    if entry.doi:
        lines.append(("DO", entry.doi))
    if entry.isbn:
        lines.append(("SN", entry.isbn))
    if entry.url:
        lines.append(("UR", entry.url))
    lines.extend(("KW", tag) for tag in _tags(entry))
    lines.append(("ID", entry.slug))
    text = "".join(f"{tag}  - {ris_value(value)}{RIS_LINE_END}" for tag, value in lines)
    return text + f"ER  - {RIS_LINE_END}"


def ris(entries):
    return RIS_LINE_END.join(ris_record(e) for e in entries)


# CSL-JSON -----------------------------------------------------------------------------------

CSL_TYPES = {
    "article": ("article-journal", "container-title"),
    "book": ("book", "publisher"),
    "report": ("report", "publisher"),
    "chapter": ("chapter", "container-title"),
    "video": ("motion_picture", "publisher"),
    "course": ("document", "publisher"),
}


def csl_item(entry):
    csl_type, venue_field = CSL_TYPES.get(entry.reading_type, ("document", "publisher"))
    item = {"id": entry.slug, "type": csl_type, "title": entry.title}
    authors = [
        {"family": n.family, "given": n.given} if n.given else {"family": n.family}
        for n in names(entry)
    ]
    if authors:
        item["author"] = authors
    if entry.year:
        item["issued"] = {"date-parts": [[entry.year]]}
    if entry.venue:
        item[venue_field] = entry.venue
    if entry.doi:
        item["DOI"] = entry.doi
    if entry.isbn:
        item["ISBN"] = entry.isbn
    if entry.url:
        item["URL"] = entry.url
    if entry.tags:
        item["keyword"] = ", ".join(_tags(entry))
    return item


def csl_json(entries):
    """A CSL-JSON array (what pandoc, Zotero and citeproc read), one item per reading."""
    return json.dumps([csl_item(e) for e in entries], ensure_ascii=False, indent=2) + "\n"


FORMATS = {"bib": bibtex, "ris": ris, "json": csl_json}

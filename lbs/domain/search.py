"""Full-text search over the commons, behind one function for both databases.

SQLite uses an FTS5 table kept in step by triggers; PostgreSQL a generated tsvector column
with a GIN index (migrations 0002 and 0003). User input never reaches either query language as
syntax: it is cut into words, and each word is quoted (FTS5) or checked to hold only word
characters (tsquery), so `AND`, `"x`, `C++`, `NEAR(` and `*` are just text.
"""

import re

from sqlalchemy import bindparam, text

from lbs.domain import browsing
from lbs.domain.browsing import PAGE_SIZE, Listing, parse_page
from lbs.extensions import db

MAX_TERMS = 12
# How many of a query's matches are ranked by relevance: the newest this many (see below).
CANDIDATES = 2000
MAX_TERM_LENGTH = 40
WORD = re.compile(r"\w+", re.UNICODE)
# Objects of the search index that migrations 0002 and 0003 make and the models do not describe.
SEARCH_TABLE_PREFIX = "entries_fts"
SEARCH_COLUMN = "search_vector"
# Both databases rank alike, so a commons answers the same on either: the field weights of
# the bm25() call below (title and tags 10, authors 3, venue 2, summary 1) as ts_rank's
# {D, C, B, A}, and normalization 1 (divide by 1 + log of the length) to prefer, as bm25
# does, a short entry over a long one that mentions the words as often.
PG_WEIGHTS = "{0.1, 0.2, 0.3, 1.0}"


def terms_of(query):
    """The words searched for: letters and digits only, lower-cased, a bounded number."""
    words = [w.lower()[:MAX_TERM_LENGTH] for w in WORD.findall(query or "")]
    words = [w.replace("_", "") for w in words]
    return [w for w in words if w][:MAX_TERMS]


def _fts5_query(terms):
    # Every word is a quoted string, so nothing typed can be FTS5 syntax; the last one
    # matches as a prefix, since people search while they are still typing.
    quoted = [f'"{t}"' for t in terms]
    if len(terms[-1]) >= 3:
        quoted[-1] += "*"
    return " ".join(quoted)


def _tsquery(terms):
    parts = list(terms)
    if len(parts[-1]) >= 3:
        parts[-1] += ":*"
    return " & ".join(parts)


def _matching_ids(terms):
    """The query for one page of matching ids, best first.

    Relevance is computed for every candidate, and a common word can match a third of the
    commons: ranking 40,000 matches took 150 ms. So only the newest CANDIDATES matches that
    pass the filters are ranked (newest: both indexes give matches cheaply in id order),
    which keeps a search's cost bounded whatever the size of the commons. A word rarer than
    that is ranked over all its matches.
    """
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        # The query is written out twice rather than shared through a CTE: the planner must
        # see it to know how common its words are, and walk the id index backwards for a
        # common one (5 ms) instead of reading all its matches (110 ms at 100,000 entries).
        query = text(
            "SELECT id FROM ("
            "  SELECT id, score_top, ts_rank(CAST(:weights AS REAL[]), search_vector, "
            "         to_tsquery('simple', :q), 1) AS rank "
            "  FROM entries "
            "  WHERE search_vector @@ to_tsquery('simple', :q) "
            "  AND status = 'live' AND NOT flag_hidden "
            # psycopg sends each :name as its own untyped parameter, and PostgreSQL cannot
            # type a bare `$n IS NULL`: the casts name the types.
            "  AND (CAST(:kind AS VARCHAR) IS NULL OR kind = :kind) "
            "  AND (CAST(:tag_id AS INTEGER) IS NULL OR EXISTS (SELECT 1 FROM entry_tags t "
            "       WHERE t.entry_id = entries.id AND t.tag_id = :tag_id)) "
            "  ORDER BY id DESC LIMIT :candidates"
            ") AS candidates "
            "ORDER BY rank DESC, score_top DESC, id DESC "
            "LIMIT :limit OFFSET :offset"
        ).bindparams(bindparam("q", _tsquery(terms)), bindparam("weights", PG_WEIGHTS))
    else:
        # The scalar subquery finds the id of the CANDIDATES-th newest match; FTS5 then ranks
        # only the matches from that id on (a rowid range it reads directly). Both parts
        # filter alike, so the candidates are matches the page may show.
        query = text(
            "SELECT e.id FROM entries_fts f JOIN entries e ON e.id = f.rowid "
            "WHERE entries_fts MATCH :q AND f.rowid >= coalesce(("
            "  SELECT c.rowid FROM entries_fts c JOIN entries ce ON ce.id = c.rowid "
            "  WHERE c.entries_fts MATCH :q AND ce.status = 'live' AND NOT ce.flag_hidden "
            "  AND (:kind IS NULL OR ce.kind = :kind) "
            "  AND (:tag_id IS NULL OR EXISTS (SELECT 1 FROM entry_tags t "
            "       WHERE t.entry_id = ce.id AND t.tag_id = :tag_id)) "
            "  ORDER BY c.rowid DESC LIMIT 1 OFFSET :candidates - 1), 0) "
            "AND e.status = 'live' AND NOT e.flag_hidden AND (:kind IS NULL OR e.kind = :kind) "
            "AND (:tag_id IS NULL OR EXISTS (SELECT 1 FROM entry_tags t "
            "     WHERE t.entry_id = e.id AND t.tag_id = :tag_id)) "
            "ORDER BY bm25(entries_fts, 10.0, 1.0, 3.0, 2.0, 10.0), e.score_top DESC, e.id DESC "
            "LIMIT :limit OFFSET :offset"
        ).bindparams(bindparam("q", _fts5_query(terms)))
    return query


def search(args, load=browsing.row_entries):
    """One page of live entries matching `q`, best first, with kind and tag filters, loaded
    by `load` (browsing.row_entries or browsing.full_entries)."""
    raw = (args.get("q") or "")[:1000]
    terms = terms_of(raw)
    page = parse_page(args.get("page"))
    filters = {}
    kind = args.get("kind") if args.get("kind") in ("hub", "reading") else None
    if kind:
        filters["kind"] = kind
    tag_name = (args.get("tag") or "").strip().lower()[:40] or None
    tag_id = None
    if tag_name:
        filters["tag"] = tag_name
        tag_id = browsing.tag_id(tag_name)
    listing = Listing([], page, "relevance", False, filters)
    listing.query = raw
    listing.terms = terms
    if not terms or (tag_name and tag_id is None):
        return listing
    ids = db.session.execute(
        _matching_ids(terms),
        {"kind": kind, "tag_id": tag_id, "limit": PAGE_SIZE + 1,
         "offset": (page - 1) * PAGE_SIZE, "candidates": CANDIDATES},
    ).scalars().all()
    listing.has_next = len(ids) > PAGE_SIZE
    ids = ids[:PAGE_SIZE]
    listing.rows = load(ids)
    return listing


def include_in_schema_comparison(obj, name, type_, reflected, compare_to):
    """For Alembic: the search index is made by hand in a migration, not by the models."""
    if type_ == "table" and name and name.startswith(SEARCH_TABLE_PREFIX):
        return False
    if type_ == "column" and name == SEARCH_COLUMN:
        return False
    if type_ == "index" and name == "ix_entries_search_vector":
        return False
    return True



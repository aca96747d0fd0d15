"""full-text search over entries: FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

"""
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# Weighted like the search ranking: title and tags first, then authors, venue, summary.
PG_VECTOR = """
    setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('simple', coalesce(tags_text, '')), 'A') ||
    setweight(to_tsvector('simple', coalesce(authors, '')), 'B') ||
    setweight(to_tsvector('simple', coalesce(venue, '')), 'C') ||
    setweight(to_tsvector('simple', coalesce(summary, '')), 'D')
"""
FTS_COLUMNS = "title, summary, authors, venue, tags_text"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"ALTER TABLE entries ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({PG_VECTOR}) STORED"
        )
        op.execute("CREATE INDEX ix_entries_search_vector ON entries USING GIN (search_vector)")
        return
    op.execute(
        f"CREATE VIRTUAL TABLE entries_fts USING fts5({FTS_COLUMNS}, content='entries', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
    )
    new = ", ".join(f"new.{c.strip()}" for c in FTS_COLUMNS.split(","))
    old = ", ".join(f"old.{c.strip()}" for c in FTS_COLUMNS.split(","))
    op.execute(
        f"CREATE TRIGGER entries_fts_insert AFTER INSERT ON entries BEGIN "
        f"INSERT INTO entries_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, {new}); END"
    )
    op.execute(
        f"CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN "
        f"INSERT INTO entries_fts(entries_fts, rowid, {FTS_COLUMNS}) "
        f"VALUES ('delete', old.id, {old}); END"
    )
    op.execute(
        f"CREATE TRIGGER entries_fts_update AFTER UPDATE OF {FTS_COLUMNS} ON entries BEGIN "
        f"INSERT INTO entries_fts(entries_fts, rowid, {FTS_COLUMNS}) "
        f"VALUES ('delete', old.id, {old}); "
        f"INSERT INTO entries_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, {new}); END"
    )
    op.execute("INSERT INTO entries_fts(entries_fts) VALUES ('rebuild')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_entries_search_vector")
        op.execute("ALTER TABLE entries DROP COLUMN IF EXISTS search_vector")
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS entries_fts_{trigger}")
    op.execute("DROP TABLE IF EXISTS entries_fts")

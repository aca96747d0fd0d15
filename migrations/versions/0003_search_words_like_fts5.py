"""PostgreSQL indexes the words of entries as FTS5 does: split at every non-alphanumeric

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30

PostgreSQL's parser keeps "open-hardware" as one word besides its halves, and "example.org"
as a host name, where FTS5 (and the search box, lbs.domain.search.terms_of) sees only
words of letters and digits. Entries with such words then ranked differently on the two
databases. The tsvector now indexes each field with everything but letters and digits
replaced by spaces. SQLite needs no change.
"""
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

FIELDS = (("title", "A"), ("tags_text", "A"), ("authors", "B"), ("venue", "C"), ("summary", "D"))


def _vector(words_only):
    def field(name):
        value = f"coalesce({name}, '')"
        return f"regexp_replace({value}, '[^[:alnum:]]+', ' ', 'g')" if words_only else value

    return " || ".join(
        f"setweight(to_tsvector('simple', {field(name)}), '{weight}')" for name, weight in FIELDS
    )


def _rebuild(words_only):
    op.execute("DROP INDEX IF EXISTS ix_entries_search_vector")
    op.execute("ALTER TABLE entries DROP COLUMN IF EXISTS search_vector")
    op.execute(
        f"ALTER TABLE entries ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({_vector(words_only)}) STORED"
    )
    op.execute("CREATE INDEX ix_entries_search_vector ON entries USING GIN (search_vector)")


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        _rebuild(words_only=True)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        _rebuild(words_only=False)

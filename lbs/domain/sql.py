"""The one SQL feature both databases spell differently: INSERT ... ON CONFLICT DO NOTHING."""

from sqlalchemy.dialects import postgresql, sqlite

from lbs.extensions import db


def insert_ignoring_conflicts(model):
    """An INSERT that skips rows colliding with a unique key, instead of failing the transaction."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).on_conflict_do_nothing()

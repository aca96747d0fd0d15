"""A second, empty database beside the test run's: a file on SQLite, a schema on PostgreSQL."""

from contextlib import contextmanager

from sqlalchemy import create_engine, text


@contextmanager
def scratch_database(database_url, dialect, tmp_path, name):
    """The URL of an empty database called `name`, dropped again afterwards."""
    if dialect == "sqlite":
        yield f"sqlite:///{tmp_path / f'{name}.sqlite'}"
        return
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {name}"))
    separator = "&" if "?" in database_url else "?"
    try:
        yield f"{database_url}{separator}options=-csearch_path%3D{name}"
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        engine.dispose()

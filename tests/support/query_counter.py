"""Counting the SQL statements a page runs: a page's count must not grow with its rows."""

from contextlib import contextmanager

from sqlalchemy import event

from lbs.extensions import db


@contextmanager
def counting(app):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements_for(app, client, path):
    client.get(path)  # the first visit may fill caches; the second is the steady cost
    with counting(app) as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)

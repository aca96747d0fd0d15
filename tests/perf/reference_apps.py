"""Two yardsticks for tests/perf/bench.py, served by gunicorn exactly like the real app.

- `hello_app()`: Flask answering a constant string, the floor of any Flask page.
- `rows_app()`: bare Flask + Flask-SQLAlchemy rendering 30 rows of the same `entries` table
  (DATABASE_URL) with one query and a plain template: what a ranked list costs without the
  product around it (sessions, permissions, tags, vote state, layout).

    gunicorn -w 2 -k sync -b 127.0.0.1:8001 --pythonpath tests/perf "reference_apps:hello_app()"
"""

import os

from flask import Flask, render_template_string
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

ROWS_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hubs</title></head>
<body><h1>Hubs</h1>
<ol>{% for row in rows %}
<li><a href="/entries/{{ row.slug }}">{{ row.title }}</a> ({{ row.url }})
{{ row.ups - row.downs }} points, {{ row.comment_count }} comments</li>{% endfor %}
</ol></body></html>
"""

# The query /hubs?sort=top runs for its ids, returning the columns a row shows.
TOP_HUBS = text(
    "SELECT slug, title, url, ups, downs, comment_count FROM entries "
    "WHERE kind = 'hub' AND status = 'live' AND flag_hidden = :hidden "
    "ORDER BY score_top DESC, id DESC LIMIT 30"
)


def hello_app():
    app = Flask(__name__)

    @app.route("/")
    def hello():
        return "Hello, world!"

    return app


def rows_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    db = SQLAlchemy(app)

    @app.route("/")
    def rows():
        found = db.session.execute(TOP_HUBS, {"hidden": False}).all()
        return render_template_string(ROWS_TEMPLATE, rows=found)

    return app

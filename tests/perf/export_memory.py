"""How much memory the streamed exports take: a commons of N synthetic entries is exported as
JSON and CSV through the web routes, reading the body chunk by chunk as a client would, and
the peak of Python allocations during each export is printed.

    .venv/bin/python tests/perf/export_memory.py [--entries 100000] [--database-url URL]

Memory should stay flat: the peak at 100,000 entries about the same as at 10,000. A benchmark,
not a test: nothing here asserts, the numbers are for a person to read.
"""

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from lbs.extensions import db  # noqa: E402
from lbs.models import Entry, EntryTag, Revision, Tag, User, utcnow  # noqa: E402
from tests.conftest import make_test_app  # noqa: E402

CHUNK = 5000
PEERS = 500
TAGS = ["commons", "maps", "wiki", "peer-production", "learning", "governance"]


def build_commons(app, count):
    """`count` live entries, half hubs and half readings, each with one or two contributors
    and two tags, inserted in bulk (a few seconds for 100,000)."""
    now = utcnow()
    with app.app_context():
        db.session.execute(insert(User), [
            {"username": f"peer{n}", "username_key": f"peer{n}", "email": f"peer{n}@example.org",
             "email_key": f"peer{n}@example.org", "password_hash": "!"}
            for n in range(PEERS)
        ])
        db.session.execute(insert(Tag), [{"name": name} for name in TAGS])
        user_ids = db.session.scalars(select(User.id).order_by(User.id)).all()
        tag_ids = db.session.scalars(select(Tag.id).order_by(Tag.id)).all()
        for start in range(0, count, CHUNK):
            numbers = range(start, min(start + CHUNK, count))
            rows = []
            for n in numbers:
                kind = "hub" if n % 2 else "reading"
                row = {
                    "kind": kind, "slug": f"entry-{n}", "title": f"Entry number {n} — “ü”",
                    "url": f"https://e{n}.example.org/", "tags_text": "commons maps",
                    "summary": "A summary of a few words, with *markdown* and a [link](https://x.org). " * 3,
                    "proposer_id": user_ids[n % PEERS], "created_at": now, "updated_at": now,
                    "revision_count": 1 + n % 2, "contributor_count": 1 + n % 2,
                    "ups": n % 7, "downs": n % 3,
                }
                if kind == "hub":
                    row.update(focus="production", languages="many", region="worldwide",
                               licence="CC BY-SA 4.0")
                else:
                    row.update(authors="Ada Lovelace, Charles Babbage", year=2000 + n % 25,
                               venue="Commons Press", reading_type="book")
                rows.append(row)
            db.session.execute(insert(Entry), rows)
            ids = db.session.scalars(
                select(Entry.id).where(Entry.slug.in_([r["slug"] for r in rows]))
            ).all()
            db.session.execute(insert(EntryTag), [
                {"entry_id": i, "tag_id": t} for i in ids for t in tag_ids[:2]
            ])
            db.session.execute(insert(Revision), [
                {"entry_id": i, "number": number, "fields": {"title": "snapshot"},
                 "author_id": user_ids[(i + number) % PEERS], "reason": "synthetic"}
                for i in ids for number in range(1, 2 + i % 2)
            ])
            db.session.commit()


def measure(app, path):
    client = app.test_client()
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    response = client.get(path, buffered=False)
    size = 0
    for chunk in response.response:
        size += len(chunk)
    response.close()
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return size, seconds, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--database-url", help="an empty database (default: a new SQLite file)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite:///{Path(directory) / 'export-memory.sqlite'}"
        app = make_test_app(url)
        with app.app_context():
            upgrade()
        started = time.perf_counter()
        build_commons(app, args.entries)
        print(f"built {args.entries:,} entries in {time.perf_counter() - started:.1f} s")
        for path in ("/export/commons.json", "/export/commons.csv"):
            size, seconds, peak = measure(app, path)
            print(f"{path}: {size / 2**20:.1f} MiB in {seconds:.1f} s, "
                  f"peak Python allocations {peak / 2**20:.1f} MiB")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"process peak resident set (building included): {rss:.0f} MiB")


if __name__ == "__main__":
    main()

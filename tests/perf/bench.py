"""Benchmark of the pages people browse most, on a commons the size of a busy site.

What it does, in one run:

1. Builds the database named by DATABASE_URL (default: a fresh SQLite file,
   instance/bench.sqlite) through the real migrations, and fills it with bulk inserts:
   100,000 entries (half hubs, half readings, tagged), their revision 1, 10,000 users sharing
   one password hash, 1,000,000 votes, some open proposals and a discussion on one entry.
   Counters, karma and both stored scores are computed from those votes with
   lbs.domain.ranking, as cast_vote would have left them. Then ANALYZE and VACUUM.
   A second, small database (1,000 entries by default) is built the same way, to show how
   cost grows with the size of the commons.
2. Serves each database with `gunicorn -w 2 -k sync "lbs:create_app()"` on 127.0.0.1, and
   two yardsticks from tests/perf/reference_apps.py served the same way: hello-world Flask,
   and bare Flask + SQLAlchemy rendering 30 rows of the same entries table with one query.
3. Drives every URL with wrk (8 connections, --latency) in interleaved rounds and keeps the
   median round: requests per second, p50 and p99 latency.
4. Prints a Markdown table: each lbs page against both yardsticks, and time at the large
   size over time at the small size (1.0 means the page's cost does not grow with the
   commons).

The database it is given is wiped and rebuilt. A PostgreSQL database whose name (or schema,
set with ?options=-csearch_path%3D<schema>) does not contain "bench" is refused unless
--yes is given.

Usage:
    make bench                                  # 100,000 entries on SQLite
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/lbs_bench make bench
    .venv/bin/python tests/perf/bench.py --quick         # smoke test: small sizes, short rounds
    .venv/bin/python tests/perf/bench.py --entries 20000 --rounds 5 --duration 20
    .venv/bin/python tests/perf/bench.py --reuse         # skip the fill when sizes match

On PostgreSQL the small database is <name>_small on the same server (created when missing),
unless --small-database-url names another. Needs wrk (`apt-get install -y wrk`). Run it on
an otherwise idle machine: other load makes the numbers meaningless.
"""

import argparse
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from array import array
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

BIN = Path(sys.executable).parent
BATCH = 10_000
CONNECTIONS = 8
SEARCH_WORD = "commons"
PASSWORD = "bench password 1234"

# Words for titles and summaries, drawn with Zipf-like weights: the search word, 15th, ends
# up in about a third of the entries, as a common word does.
WORDS = (
    "peer learning open knowledge community production network wiki map free source sharing "
    "library school commons garden energy water city data design science research "
    "education culture software hardware seed farm repair maker archive music art film "
    "history language health food housing transport climate forest river ocean mountain "
    "village cooperative union platform protocol standard licence license encyclopedia "
    "atlas manual guide course lecture handbook journal report essay book chapter video "
    "theory practice governance economy market labour care craft textile wood metal solar "
    "wind biogas compost soil bee bird tree flower rice wheat bread cheese kitchen recipe "
    "mapping survey census translation dictionary grammar poem story game toy puzzle robot"
).split()
TAGS = [f"{a}-{b}" for a in WORDS[:30] for b in WORDS[30:50]][:500]
HUB_FOCUSES = ("production", "peer-driven production", "commons-based initiative")
READING_TYPES = ("article", "book", "report", "chapter", "video", "course")


@dataclass
class Sizes:
    entries: int
    users: int
    votes: int

    @property
    def label(self):
        return f"{self.entries:,}"


@dataclass
class Measure:
    rps: list = field(default_factory=list)
    p50: list = field(default_factory=list)
    p99: list = field(default_factory=list)

    def median(self):
        return (statistics.median(self.rps), statistics.median(self.p50),
                statistics.median(self.p99))


def log(message):
    print(message, file=sys.stderr, flush=True)


# --- databases --------------------------------------------------------------------------------


def default_database_url():
    return os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'instance' / 'bench.sqlite'}"


def pg_schema(url):
    """The schema a `?options=-csearch_path%3D<schema>` URL works in, else public."""
    raw = make_url(url).query.get("options", "")
    match = re.search(r"search_path\s*=\s*(\w+)", raw if isinstance(raw, str) else " ".join(raw))
    return match.group(1) if match else "public"


def small_url_for(url):
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        return str(parsed.set(database=str(path.with_name(f"{path.stem}-small{path.suffix}"))))
    return parsed.set(database=f"{parsed.database}_small").render_as_string(hide_password=False)


def check_may_wipe(url, allowed):
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" or allowed:
        return
    names = f"{parsed.database} {pg_schema(url)}"
    if "bench" not in names:
        sys.exit(f"Refusing to wipe {parsed.render_as_string()}: its name has no 'bench' in it. "
                 "Pass --yes if this database really is for the benchmark.")


def ensure_pg_database(url):
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
        )
        if not exists:
            log(f"creating database {parsed.database}")
            connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def wipe(url):
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    ensure_pg_database(url)
    schema = pg_schema(url)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()


def make_app(url):
    from config import DevelopmentConfig
    from lbs import create_app

    class BenchConfig(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = url

    return create_app(BenchConfig)


def filled_sizes(url):
    """(entries, users) an earlier run left in the database, or None.

    Votes are not compared: on a small commons a user may find fewer distinct entries to vote
    on than asked for, so the count stored can fall short of the count requested.
    """
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            entries = connection.scalar(text("SELECT count(*) FROM entries"))
            users = connection.scalar(text("SELECT count(*) FROM users"))
            return entries, users
    except Exception:  # noqa: BLE001 - no tables yet, or no database: either way, not filled
        return None
    finally:
        engine.dispose()


@contextmanager
def timed(what):
    start = time.monotonic()
    log(f"  {what}...")
    yield
    log(f"  {what}: {time.monotonic() - start:.1f} s")


def insert_batches(connection, table, rows):
    """Insert an iterable of dicts in executemany batches of BATCH rows."""
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            connection.execute(insert(table), batch)
            batch = []
    if batch:
        connection.execute(insert(table), batch)


def entry_votes(rnd, n_entries, k, proposer, user_index):
    """The entries one user votes on: popular entries (low numbers) are chosen more often."""
    chosen = set()
    tries = 0
    while len(chosen) < k and tries < k * 20:
        tries += 1
        index = int(n_entries * rnd.random() ** 2.5)
        if proposer[index] != user_index:
            chosen.add(index)
    return sorted(chosen)


def vote_stream(sizes, proposer, seed):
    """Every vote as (user index, entry index, value); the same stream every time it is read."""
    per_user, extra = divmod(sizes.votes, sizes.users)
    for user_index in range(sizes.users):
        rnd = random.Random(seed * 1_000_003 + user_index)
        k = per_user + (1 if user_index < extra else 0)
        for entry_index in entry_votes(rnd, sizes.entries, min(k, sizes.entries - 1), proposer,
                                       user_index):
            yield user_index, entry_index, 1 if rnd.random() < 0.8 else -1


def fill(url, sizes, seed=1):
    """Build the schema with the real migrations, then bulk-insert a whole commons."""
    from flask_migrate import upgrade

    from lbs.domain.passwords import hash_password
    from lbs.domain.ranking import hot_score, wilson_lower_bound
    from lbs.extensions import db
    from lbs.models import Comment, Entry, EntryTag, Proposal, Revision, Tag, User, Vote, utcnow

    app = make_app(url)
    tau = app.config["HOT_TAU_SECONDS"]
    rnd = random.Random(seed)
    now = utcnow().replace(microsecond=0)
    weights = [1 / (rank + 1) for rank in range(len(WORDS))]

    def words(n):
        return rnd.choices(WORDS, weights=weights, k=n)

    with app.app_context():
        with timed("migrations"):
            upgrade()
        engine = db.engine
        sqlite = engine.dialect.name == "sqlite"

        proposer = array("i", (rnd.randrange(sizes.users) for _ in range(sizes.entries)))
        ups = array("i", bytes(4 * sizes.entries))
        downs = array("i", bytes(4 * sizes.entries))
        with timed(f"counting {sizes.votes:,} votes"):
            for _, entry_index, value in vote_stream(sizes, proposer, seed):
                if value == 1:
                    ups[entry_index] += 1
                else:
                    downs[entry_index] += 1
        karma = [0] * sizes.users
        for entry_index in range(sizes.entries):
            karma[proposer[entry_index]] += ups[entry_index] - downs[entry_index]

        with engine.begin() as connection:
            if sqlite:
                connection.exec_driver_sql("PRAGMA synchronous=OFF")
            with timed(f"{sizes.users:,} users"):
                password_hash = hash_password(PASSWORD)
                insert_batches(connection, User.__table__, (
                    {"id": u + 1, "username": f"peer{u + 1}", "username_key": f"peer{u + 1}",
                     "email": f"peer{u + 1}@example.org",
                     "email_key": f"peer{u + 1}@example.org", "password_hash": password_hash,
                     "role": "moderator" if u == 0 else "peer", "status": "active",
                     "karma": karma[u], "created_at": now - timedelta(days=400)}
                    for u in range(sizes.users)
                ))
            with timed(f"{len(TAGS)} tags"):
                insert_batches(connection, Tag.__table__,
                               ({"id": i + 1, "name": name} for i, name in enumerate(TAGS)))

            entry_tags = []
            revisions = []

            def entries():
                span = 2 * 365 * 24 * 3600
                for i in range(sizes.entries):
                    kind = "hub" if i % 2 == 0 else "reading"
                    created = now - timedelta(seconds=int(span * (1 - i / sizes.entries)))
                    title = " ".join(words(rnd.randint(2, 5))).capitalize() + f" {i + 1}"
                    tags = sorted(set(rnd.choices(range(len(TAGS)), k=rnd.randint(1, 4))))
                    fields = {
                        "title": title, "url": f"https://site{i + 1}.example.org/page",
                        "summary": " ".join(words(rnd.randint(12, 40))) + ".",
                        "tags": [TAGS[t] for t in tags],
                    }
                    if kind == "hub":
                        fields.update(focus=rnd.choice(HUB_FOCUSES), languages="many",
                                      region="worldwide", licence="CC BY-SA 4.0")
                    else:
                        fields.update(authors=" ".join(words(2)).title(), year=rnd.randint(1950, 2025),
                                      venue=" ".join(words(2)).title() + " Press",
                                      reading_type=rnd.choice(READING_TYPES), doi=None, isbn=None)
                    entry_tags.extend({"entry_id": i + 1, "tag_id": t + 1} for t in tags)
                    revisions.append({
                        "entry_id": i + 1, "number": 1, "fields": {**fields, "related": []},
                        "author_id": proposer[i] + 1, "merged_by_id": 1,
                        "reason": "Bench commons.", "created_at": created,
                    })
                    yield {
                        "id": i + 1, "kind": kind, "slug": f"entry-{i + 1}",
                        "title": title, "url": fields["url"], "summary": fields["summary"],
                        "focus": fields.get("focus"), "languages": fields.get("languages"),
                        "region": fields.get("region"), "licence": fields.get("licence"),
                        "authors": fields.get("authors"), "year": fields.get("year"),
                        "venue": fields.get("venue"), "reading_type": fields.get("reading_type"),
                        "doi": None, "isbn": None, "tags_text": " ".join(sorted(fields["tags"])),
                        "status": "live", "proposer_id": proposer[i] + 1,
                        "ups": ups[i], "downs": downs[i],
                        "score_top": wilson_lower_bound(ups[i], downs[i]),
                        "score_hot": hot_score(ups[i], downs[i], created, tau),
                        "comment_count": 0, "flag_count": 0, "flag_hidden": False,
                        "link_broken": False, "revision_count": 1, "contributor_count": 1,
                        "version": 1, "created_at": created, "updated_at": created,
                    }

            with timed(f"{sizes.entries:,} entries"):
                insert_batches(connection, Entry.__table__, entries())
            with timed(f"{len(entry_tags):,} entry tags"):
                insert_batches(connection, EntryTag.__table__, entry_tags)
            with timed(f"{len(revisions):,} revisions"):
                insert_batches(connection, Revision.__table__, revisions)
            del entry_tags[:], revisions[:]

            with timed(f"{sizes.votes:,} votes"):
                insert_batches(connection, Vote.__table__, (
                    {"user_id": u + 1, "target_type": "entry", "target_id": e + 1, "value": v,
                     "created_at": now}
                    for u, e, v in vote_stream(sizes, proposer, seed)
                ))

            n_proposals = max(sizes.entries // 100, 10)
            with timed(f"{n_proposals:,} open proposals"):
                def proposals():
                    for p in range(n_proposals):
                        created = now - timedelta(minutes=p * 37)
                        title = " ".join(words(3)).capitalize() + f" proposal {p + 1}"
                        url_ = f"https://proposed{p + 1}.example.org/"
                        yield {
                            "id": p + 1, "kind": "new", "entry_kind": "hub",
                            "author_id": rnd.randrange(sizes.users) + 1,
                            "fields": {"title": title, "url": url_, "summary": "", "tags": [],
                                       "focus": "production", "related": []},
                            "title": title, "url": url_, "rationale": "", "status": "open",
                            "ups": 0, "downs": 0, "score_top": 0.0,
                            "score_hot": hot_score(0, 0, created, tau), "comment_count": 0,
                            "flag_count": 0, "flag_hidden": False, "version": 1,
                            "created_at": created, "updated_at": created,
                        }
                insert_batches(connection, Proposal.__table__, proposals())

            # The entry page measured is the top hub; give it a discussion to render.
            featured = connection.scalar(
                select(Entry.id).where(Entry.kind == "hub")
                .order_by(Entry.score_top.desc(), Entry.id.desc()).limit(1)
            )
            insert_batches(connection, Comment.__table__, (
                {"id": c + 1, "author_id": (c % sizes.users) + 1, "target_type": "entry",
                 "target_id": featured, "parent_id": None, "body": " ".join(words(30)),
                 "status": "visible", "ups": 0, "downs": 0, "score": 0, "flag_count": 0,
                 "flag_hidden": False, "created_at": now - timedelta(minutes=30 - c)}
                for c in range(30)
            ))
            connection.execute(Entry.__table__.update().where(Entry.id == featured)
                               .values(comment_count=30))
            if not sqlite:
                for table in ("users", "tags", "entries", "revisions", "votes", "proposals",
                              "comments"):
                    connection.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT COALESCE(max(id), 1) FROM {table}))"
                    ))

        with timed("ANALYZE and VACUUM"):
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                if sqlite:
                    connection.exec_driver_sql("INSERT INTO entries_fts(entries_fts) VALUES ('optimize')")
                    connection.exec_driver_sql("ANALYZE")
                    connection.exec_driver_sql("VACUUM")
                else:
                    connection.exec_driver_sql("VACUUM ANALYZE")
        engine.dispose()


def prepare(url, sizes, reuse, allowed):
    log(f"database {make_url(url).render_as_string()} with {sizes.label} entries")
    if reuse and filled_sizes(url) == (sizes.entries, sizes.users):
        log("  already filled with these sizes: reused")
        return
    check_may_wipe(url, allowed)
    start = time.monotonic()
    wipe(url)
    fill(url, sizes)
    log(f"  filled in {time.monotonic() - start:.0f} s")


def featured_slug(url):
    engine = create_engine(url)
    with engine.connect() as connection:
        slug = connection.scalar(
            text("SELECT slug FROM entries WHERE kind = 'hub' AND status = 'live' "
                 "ORDER BY score_top DESC, id DESC LIMIT 1")
        )
        matches = connection.scalar(
            text("SELECT count(*) FROM entries WHERE summary LIKE :word"), {"word": f"%{SEARCH_WORD}%"}
        )
        total = connection.scalar(select(func.count()).select_from(text("entries")))
    engine.dispose()
    log(f"  '{SEARCH_WORD}' appears in about {matches:,} of {total:,} summaries")
    return slug


# --- servers and load ---------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(target, env, pythonpath=None):
    """Serve `target` with 2 sync workers on a free local port; yields the base URL."""
    port = free_port()
    command = [str(BIN / "gunicorn"), "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}",
               "--chdir", str(ROOT), "--log-level", "warning"]
    if pythonpath:
        command += ["--pythonpath", str(pythonpath)]
    command.append(target)
    process = subprocess.Popen(command, env={**os.environ, **env})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=30):
                    break
            except OSError:  # refused while booting, or a first answer slower than the timeout
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{target} did not start on {base}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def lbs_env(url):
    return {"DATABASE_URL": url, "LBS_CONFIG": "production",
            "LBS_SECRET_KEY": secrets.token_hex(32), "REDIS_URL": ""}


def warm_up(url):
    for _ in range(3):
        with urllib.request.urlopen(url, timeout=60) as response:
            if response.status != 200:
                raise RuntimeError(f"{url} answered {response.status}")


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def parse_duration_ms(raw):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", raw.strip())
    if not match:
        raise ValueError(f"unreadable wrk duration {raw!r}")
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def parse_wrk(output):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = parse_duration_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = parse_duration_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors:.*", output)
    return rps, p50, p99, (int(errors.group(1)) if errors else 0), (
        socket_errors.group(0) if socket_errors else "")


def run_wrk(wrk, url, duration):
    output = subprocess.run(
        [wrk, "-t", "2", "-c", str(CONNECTIONS), "-d", f"{duration}s", "--timeout", "30s",
         "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout
    rps, p50, p99, errors, socket_errors = parse_wrk(output)
    if errors:
        log(f"    warning: {errors} non-2xx answers from {url}")
    if socket_errors:
        log(f"    warning: {socket_errors} on {url}")
    return rps, p50, p99


def find_wrk():
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("wrk is missing: apt-get install -y wrk")
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True,
                       stdout=subprocess.DEVNULL)
        return shutil.which("wrk")
    sys.exit("wrk is needed: install it with `apt-get install -y wrk`.")


# --- the run ------------------------------------------------------------------------------------


def lbs_pages(slug):
    return {
        "/hubs?sort=top": "/hubs?sort=top",
        "/hubs?sort=hot": "/hubs?sort=hot",
        "/readings?page=200": "/readings?page=200",
        f"/search?q={SEARCH_WORD}": f"/search?q={SEARCH_WORD}",
        "an entry page": f"/entries/{slug}",
    }


def fmt(value, digits=1):
    return f"{value:,.{digits}f}"


def report(args, large, small, results, pages):
    hello_rps = results[("ref", "hello")].median()[0]
    rows_rps = results[("ref", "rows")].median()[0]
    lines = [
        "",
        f"## lbs browsing benchmark: {large.label} entries vs {small.label}",
        "",
        f"Database: {make_url(args.database_url).get_backend_name()}; "
        f"{large.label} entries, {large.users:,} users, {large.votes:,} votes "
        f"(small: {small.label} / {small.users:,} / {small.votes:,}). gunicorn -w 2 -k sync; "
        f"wrk -c {CONNECTIONS} --latency, median of {args.rounds} interleaved rounds of "
        f"{args.duration} s; {os.cpu_count()} CPUs.",
        "",
        f"| page | req/s | p50 ms | p99 ms | × hello-world | × 30-row Flask+SQLAlchemy "
        f"| req/s @{small.label} | time @{large.label} / @{small.label} |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in pages:
        rps, p50, p99 = results[("large", name)].median()
        small_rps = results[("small", name)].median()[0]
        lines.append(
            f"| {name} | {fmt(rps)} | {fmt(p50, 2)} | {fmt(p99, 2)} | {fmt(hello_rps / rps, 2)} "
            f"| {fmt(rows_rps / rps, 2)} | {fmt(small_rps)} | {fmt(small_rps / rps, 2)} |"
        )
    for label, key in (("hello-world Flask", "hello"), ("30-row Flask+SQLAlchemy", "rows")):
        rps, p50, p99 = results[("ref", key)].median()
        lines.append(f"| *{label}* | {fmt(rps)} | {fmt(p50, 2)} | {fmt(p99, 2)} | | | | |")
    lines += [
        "",
        "× columns: how many times the yardstick's requests per second exceed the page's "
        "(its cost per request, relative). time @large / @small: requests per second on the "
        "small commons over those on the large one; 1.0 means the page's cost does not grow "
        "with the commons.",
    ]
    if small.entries // 2 < 200 * 30:
        lines.append(f"/readings?page=200 is past the last page of the {small.label}-entry commons, "
                     "so there it renders an empty page.")
    print("\n".join(lines))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, help="entries in the large commons (100,000)")
    parser.add_argument("--users", type=int, help="users (default: entries / 10)")
    parser.add_argument("--votes", type=int, help="votes (default: entries × 10)")
    parser.add_argument("--small-entries", type=int, help="entries in the small commons (1,000)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds per URL (3)")
    parser.add_argument("--duration", type=int, help="seconds per wrk run (10)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: 2,000 vs 200 entries, 1 round of 2 s")
    parser.add_argument("--database-url", default=default_database_url(),
                        help="the large commons (DATABASE_URL, else instance/bench.sqlite)")
    parser.add_argument("--small-database-url", help="the small commons (derived by default)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep a database already filled with the same sizes")
    parser.add_argument("--yes", action="store_true",
                        help="allow wiping a PostgreSQL database without 'bench' in its name")
    args = parser.parse_args(argv)
    quick = args.quick
    args.entries = args.entries or (2_000 if quick else 100_000)
    args.small_entries = args.small_entries or (200 if quick else 1_000)
    args.rounds = args.rounds or (1 if quick else 3)
    args.duration = args.duration or (2 if quick else 10)
    args.small_database_url = args.small_database_url or small_url_for(args.database_url)
    return args


def sizes_for(entries, users=None, votes=None):
    return Sizes(entries, users or max(entries // 10, 10), votes if votes is not None else entries * 10)


def main(argv=None):
    args = parse_args(argv)
    wrk = find_wrk()
    large = sizes_for(args.entries, args.users, args.votes)
    # The small commons keeps the large one's proportions of users and votes per entry.
    scale = args.small_entries / large.entries
    small = Sizes(args.small_entries, max(round(large.users * scale), 10), round(large.votes * scale))
    prepare(args.database_url, large, args.reuse, args.yes)
    prepare(args.small_database_url, small, args.reuse, args.yes)
    slugs = {"large": featured_slug(args.database_url), "small": featured_slug(args.small_database_url)}

    results = {}
    with ExitStack() as servers:
        log("starting gunicorn servers")
        bases = {
            "large": servers.enter_context(gunicorn("lbs:create_app()", lbs_env(args.database_url))),
            "small": servers.enter_context(
                gunicorn("lbs:create_app()", lbs_env(args.small_database_url))),
            "hello": servers.enter_context(
                gunicorn("reference_apps:hello_app()", {}, ROOT / "tests" / "perf")),
            "rows": servers.enter_context(
                gunicorn("reference_apps:rows_app()", {"DATABASE_URL": args.database_url},
                         ROOT / "tests" / "perf")),
        }
        pages = list(lbs_pages(slugs["large"]))
        targets = []
        for size in ("large", "small"):
            for name, path in lbs_pages(slugs[size]).items():
                targets.append(((size, name), bases[size] + path))
        targets += [(("ref", "hello"), bases["hello"] + "/"), (("ref", "rows"), bases["rows"] + "/")]
        for _, url in targets:
            warm_up(url)
        for round_number in range(1, args.rounds + 1):
            log(f"round {round_number} of {args.rounds}")
            # Shuffled each round, so a slow patch of the machine does not always hit one URL.
            order = targets[:]
            random.Random(round_number).shuffle(order)
            for key, url in order:
                rps, p50, p99 = run_wrk(wrk, url, args.duration)
                measure = results.setdefault(key, Measure())
                measure.rps.append(rps)
                measure.p50.append(p50)
                measure.p99.append(p99)
                log(f"  {key[0]:5} {key[1]:24} {rps:9.1f} req/s  p50 {p50:8.2f} ms  p99 {p99:8.2f} ms")
    report(args, large, small, results, pages)


if __name__ == "__main__":
    main()

"""Link health: whether each entry's address still answers, and the list of those that do not.

Checking is plain functions over URLs (no database, no app context), so it runs in worker
threads; storing writes finished results by entry id in short batches, so no transaction
stays open while a slow server is waited on.
"""

import http.client
import ipaddress
import socket
import ssl
import string
import threading
from collections import defaultdict, deque
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from urllib.parse import quote, urljoin, urlsplit

from sqlalchemy import bindparam, func, or_, select, update

from lbs.extensions import db
from lbs.models import Entry, utcnow

USER_AGENT = (
    "lbs-link-check/1.0 (Learning by Sharing; checks that the links of its commons still work)"
)
DEFAULT_TIMEOUT = 10.0
DEFAULT_CONCURRENCY = 8
DEFAULT_PER_HOST = 2
MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# Answers by which a server refuses HEAD itself rather than the page: GET may still work.
HEAD_REFUSED = {403, 405, 501}
SCHEMES = {"http": http.client.HTTPConnection, "https": http.client.HTTPSConnection}
STORE_BATCH = 100
BROKEN_PAGE = 50
# The columns' sizes: a longer text would make the whole batch fail on PostgreSQL.
MAX_ERROR = 200
MAX_FINAL_URL = 2000
# Everything printable in ASCII stays as typed (including existing %-escapes); only what a
# request line cannot carry (spaces, non-ASCII letters) is escaped.
_SAFE_IN_TARGET = string.punctuation


@dataclass(frozen=True)
class LinkResult:
    """What one check found: the last status seen, or why there was none."""

    url: str
    status: int | None = None
    error: str | None = None
    final_url: str | None = None
    checked_at: datetime = field(default_factory=utcnow)

    @property
    def broken(self):
        return self.error is not None or self.status is None or self.status >= 400

    @property
    def redirected(self):
        return self.final_url is not None


class _Failed(Exception):
    """A check that ended without an HTTP answer worth recording, with its short reason."""


def describe_error(error):
    """The short text a moderator reads for a failed connection."""
    # Order matters: several of these are subclasses of one another (all are OSErrors).
    if isinstance(error, TimeoutError):
        return "timeout"
    if isinstance(error, socket.gaierror):
        return "DNS failure"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ssl.SSLCertVerificationError):
        return "certificate not trusted"
    if isinstance(error, ssl.SSLError):
        return "TLS failure"
    if isinstance(error, http.client.RemoteDisconnected | ConnectionResetError):
        return "connection closed without an answer"
    if isinstance(error, http.client.HTTPException):
        return "malformed HTTP answer"
    if isinstance(error, ValueError):  # a host name or port that cannot be, often in a redirect
        return "invalid address"
    if isinstance(error, OSError) and error.strerror:
        return f"network error: {error.strerror}"[:MAX_ERROR]
    return f"network error: {type(error).__name__}"[:MAX_ERROR]


def _is_quirk(error):
    # A server that drops or garbles a HEAD may still answer GET; a timeout, a refusal or a
    # name that does not resolve would only fail again, twice as slowly.
    return isinstance(error, http.client.HTTPException | ConnectionResetError)


class HostSlots:
    """At most `per_host` requests at once to any one host, across all worker threads."""

    def __init__(self, per_host):
        self._per_host = per_host
        self._lock = threading.Lock()
        self._slots = {}

    def __call__(self, host):
        with self._lock:
            if host not in self._slots:
                self._slots[host] = threading.BoundedSemaphore(self._per_host)
            return self._slots[host]


@cache
def _tls_context():
    # Loading the system's certificates takes milliseconds; one context serves every thread.
    return ssl.create_default_context()


def _refuse_private(host, port, scheme):
    """Entry links are typed by anyone: never let one make the server probe its own network."""
    try:
        infos = socket.getaddrinfo(host, port or (443 if scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except OSError:
        return  # the connection attempt reports the DNS failure in its own words
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise _Failed("private or local address, not checked")


def _request(method, url, timeout, slots, allow_private=False):
    """One HTTP exchange: (status, Location header). The body is never read."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise _Failed("not an http or https address")
    try:
        host = (parts.hostname or "").encode("idna").decode("ascii")
        port = parts.port
    except (UnicodeError, ValueError):
        raise _Failed("invalid address") from None
    if not host:
        raise _Failed("invalid address")
    if not allow_private:
        _refuse_private(host, port, scheme)
    target = quote(parts.path or "/", safe=_SAFE_IN_TARGET)
    if parts.query:
        target += "?" + quote(parts.query, safe=_SAFE_IN_TARGET)
    options = {"context": _tls_context()} if scheme == "https" else {}
    with slots(host.lower()):
        connection = SCHEMES[scheme](host, port, timeout=timeout, **options)
        try:
            connection.request(method, target, headers={
                "User-Agent": USER_AGENT, "Accept": "*/*", "Connection": "close",
            })
            response = connection.getresponse()
            return response.status, response.getheader("Location")
        finally:
            connection.close()


def _exchange(url, timeout, slots, allow_private):
    """HEAD, or GET when the server refuses HEAD or stumbles over it."""
    try:
        status, location = _request("HEAD", url, timeout, slots, allow_private)
        if status not in HEAD_REFUSED:
            return status, location
    except (OSError, http.client.HTTPException) as error:
        if not _is_quirk(error):
            raise
    return _request("GET", url, timeout, slots, allow_private)


def check_url(url, timeout=DEFAULT_TIMEOUT, slots=None, allow_private=False):
    """Follow the address through at most MAX_REDIRECTS redirects and say what answered.

    Addresses on private, loopback or link-local networks are refused unless allowed (tests
    run their server on 127.0.0.1), including where a redirect leads.
    """
    slots = slots or HostSlots(DEFAULT_PER_HOST)
    current = url
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            status, location = _exchange(current, timeout, slots, allow_private)
            if status not in REDIRECT_STATUSES or not location:
                return _result(url, current, status=status)
            following = urljoin(current, location.strip())
            if urlsplit(following).scheme.lower() not in SCHEMES:
                return _result(url, following, error="redirected to a non-web address")
            current = following
        return _result(url, current, error="too many redirects")
    except _Failed as failure:
        return _result(url, current, error=str(failure))
    except (OSError, http.client.HTTPException, ValueError) as error:
        return _result(url, current, error=describe_error(error))


def _result(url, reached, status=None, error=None):
    final_url = reached if reached != url else None
    if final_url is not None and len(final_url) > MAX_FINAL_URL:
        final_url = None  # a cut address would point nowhere; the status still tells the story
    return LinkResult(url=url, status=status, error=error and error[:MAX_ERROR],
                      final_url=final_url)


def _by_host_in_turns(targets):
    """The targets reordered so that neighbours are on different hosts.

    Workers take tasks in order; a run of links to one host would park every worker on that
    host's slots while other hosts wait.
    """
    queues = defaultdict(deque)
    for key, url in targets:
        queues[(urlsplit(url).hostname or "").lower()].append((key, url))
    ordered = []
    while queues:
        for host in list(queues):
            ordered.append(queues[host].popleft())
            if not queues[host]:
                del queues[host]
    return ordered


def check_urls(targets, timeout=DEFAULT_TIMEOUT, concurrency=DEFAULT_CONCURRENCY,
               per_host=DEFAULT_PER_HOST, allow_private=False):
    """Check (key, url) pairs in threads; yields (key, LinkResult) as each check finishes."""
    slots = HostSlots(per_host)
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="link-check")
    try:
        futures = {
            pool.submit(check_url, url, timeout, slots, allow_private): key
            for key, url in _by_host_in_turns(targets)
        }
        for future in as_completed(futures):
            yield futures[future], future.result()
    finally:
        # When the caller stops early (storing failed), the checks still queued are dropped
        # instead of run for nothing; only those under way are waited for.
        pool.shutdown(wait=True, cancel_futures=True)


def batches(items, size=STORE_BATCH):
    """Lists of at most `size` items, each handed over as soon as it is full."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class Summary:
    checked: int = 0
    ok: int = 0
    broken: int = 0
    redirected: int = 0

    def count(self, results):
        for result in results:
            self.checked += 1
            self.broken += result.broken
            self.ok += not result.broken
            self.redirected += result.redirected

    def __str__(self):
        links = "link" if self.checked == 1 else "links"
        return (f"Checked {self.checked} {links}: {self.ok} ok, {self.broken} broken, "
                f"{self.redirected} redirected.")


def entries_to_check(only_broken=False, older_than_days=None):
    """(id, url) of the live entries to check; plain tuples, so no row outlives the query."""
    query = select(Entry.id, Entry.url).where(
        Entry.status == "live", Entry.url.is_not(None), Entry.url != ""
    )
    if only_broken:
        query = query.where(Entry.link_broken.is_(True))
    if older_than_days is not None:
        before = utcnow() - timedelta(days=older_than_days)
        query = query.where(
            or_(Entry.link_checked_at.is_(None), Entry.link_checked_at < before)
        )
    return [tuple(row) for row in db.session.execute(query.order_by(Entry.id))]


_STORE = (
    # A Core UPDATE by id, not the ORM: a link check must neither bump the entry's version
    # (a moderator's merge would then fail as stale) nor its updated_at (nobody edited it).
    update(Entry.__table__)
    .where(Entry.__table__.c.id == bindparam("entry_id"))
    .values(
        link_status=bindparam("found_status"),
        link_error=bindparam("found_error"),
        link_final_url=bindparam("found_final_url"),
        link_checked_at=bindparam("found_checked_at"),
        link_broken=bindparam("found_broken"),
    )
)


def store_results(pairs):
    """Write (entry id, LinkResult) pairs in one statement; the caller commits."""
    rows = [
        {"entry_id": entry_id, "found_status": result.status, "found_error": result.error,
         "found_final_url": result.final_url, "found_checked_at": result.checked_at,
         "found_broken": result.broken}
        for entry_id, result in pairs
    ]
    if rows:
        db.session.execute(_STORE, rows)
    return len(rows)


def broken_links_page(args):
    """The moderators' list: live entries whose link failed, most recently checked first."""
    from lbs.domain.browsing import parse_page

    page = parse_page(args.get("page"))
    broken = (Entry.status == "live", Entry.link_broken.is_(True))
    entries = db.session.scalars(
        select(Entry).where(*broken)
        .order_by(Entry.link_checked_at.desc(), Entry.id.desc())
        .limit(BROKEN_PAGE + 1).offset((page - 1) * BROKEN_PAGE)
    ).all()
    total = db.session.scalar(select(func.count()).select_from(Entry).where(*broken))
    return {"entries": entries[:BROKEN_PAGE], "page": page,
            "has_next": len(entries) > BROKEN_PAGE, "total": total}

"""Hostile input for the fuzz tests (SECURITY.md, check 20): Hypothesis strategies for text a
person or a program could send, and request bodies encoded by hand, so that what no browser
would send (lone surrogates, bytes that are not UTF-8) reaches the app as sent."""

import json
from urllib.parse import quote_from_bytes

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.support.terminal import write_line

# Each test's examples; with the file's dozen-odd tests, one run of a file stays near a minute.
EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    database=None,  # every run starts fresh: no example database written into the project
    suppress_health_check=list(HealthCheck),
)

MEGABYTE = 1_000_000
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
# Characters that often slip past validation: controls, invisible and bidi marks, digits
# str.isdigit() accepts but int() refuses, letters that change length when lower-cased.
AWKWARD_CHARACTERS = (
    "\x00\x01\x08\x0b\x0c\x1b\x7f\x85\xa0\u2028\u2029\ufeff\u200b\u200d\ufffd\ufffe"
    + BIDI + "²³¹٣۳߃०௧\u0130\u0131ßǅﬃ\u0301\u20dd😀👩‍👩‍👧"
)
HOSTILE = [
    "", " ", "\x00", "a\x00b", "\ud800", "\udfff", "x\udc80y", "\ud83d", "\u202eevil\u202c",
    "\u2066\u2067\u2068", "\u200b", "\ufeff", "\r\n\r\n", "\t", "²", "٣", "１２", "-1", "0",
    "-0", "+1", "1.5", "1e309", "NaN", "Infinity", "9" * 30, "-" + "9" * 30, str(2**31),
    str(2**63), "0x10", "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
    "</textarea><script>alert(1)</script>", "javascript:alert(1)", "jav&#x09;ascript:alert(1)",
    "[x](javascript:alert(1))", "data:text/html,<script>alert(1)</script>", "{{7*7}}",
    "{% raw %}", "${7*7}", "%s%s%s%n", "%00", "%ff", "' OR '1'='1", "'; DROP TABLE users; --",
    "\\", "//evil.example", "/\\evil.example", "../../../etc/passwd", "AND", '"x', "C++",
    "NEAR(", "*", "https://", "https://x", "http://[::1", "http://a:99999", "mailto:x@y",
    "x@", "@", "a" * 31, "a" * 255, "é" * 300, "e\u0301" * 200, "İ" * 40, "😀" * 100,
    "ǅ" * 40, "<" * 5000, "\n" * 5000, "a," * 400, "tag-" * 50, "10.1234/" + "x" * 300,
    "978-0-521-40599-7", "0-521-40599-X", "hub", "reading", "production", "article",
    "spam", "duplicate", "open", "merged", "1", "2", "hide", "en", "fr", "current",
    "proposed", "custom",
]
# One megabyte of text: under the request limit alone, over it when escaped or doubled.
LARGE = ["x" * MEGABYTE, "é" * (MEGABYTE // 2), "<b>" * (MEGABYTE // 3), "\x00" * 1000]

_characters = st.one_of(
    st.characters(),
    st.characters(categories=["Cs"]),  # lone surrogates: valid in JSON, never text
    st.sampled_from(AWKWARD_CHARACTERS),
)
random_text = st.text(_characters, max_size=300)


def text(*plausible):
    """Text for one field: plausible values (to get past the first check), hostile ones, now
    and then a megabyte, and random ones."""
    options = [st.sampled_from(HOSTILE + LARGE), random_text]
    options += [st.just(p) if isinstance(p, str) else p for p in plausible]
    return st.one_of(*options)


def light_text(*plausible):
    """As text(), without the megabytes: for the fields that come along with a big one."""
    options = [st.sampled_from(HOSTILE), random_text]
    options += [st.just(p) if isinstance(p, str) else p for p in plausible]
    return st.one_of(*options)


def filled(**fields):
    """A form as a dict strategy: each named field may be left out, and now and then a field
    nobody asked for (a hostile name) comes along."""
    return st.fixed_dictionaries({}, optional=fields).flatmap(
        lambda chosen: st.dictionaries(light_text(), st.sampled_from(HOSTILE), max_size=2).map(
            lambda extra: {**extra, **chosen}
        )
    )


def _bytes(value):
    # Lone surrogates become the bytes a careless client would send: not UTF-8 at all.
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def urlencoded(fields):
    """A form body as a browser encodes it, but byte for byte what the fields hold."""
    return b"&".join(
        quote_from_bytes(_bytes(name), safe="").encode() + b"=" + quote_from_bytes(
            _bytes(value), safe="").encode()
        for name, value in fields.items()
    )


def multipart(fields, boundary="fuzzboundary7MA4YWxk"):
    """The same fields as multipart/form-data, values as raw bytes."""
    parts = []
    for name, value in fields.items():
        safe_name = _bytes(name).replace(b'"', b"%22").replace(b"\r", b"").replace(b"\n", b"")
        parts.append(
            b"--" + boundary.encode() + b'\r\nContent-Disposition: form-data; name="' + safe_name
            + b'"\r\n\r\n' + _bytes(value) + b"\r\n"
        )
    return b"".join(parts) + b"--" + boundary.encode() + b"--\r\n", (
        f"multipart/form-data; boundary={boundary}"
    )


def raw_json(value):
    """JSON text for any Python value, lone surrogates written as the escapes JSON allows."""
    return json.dumps(value, ensure_ascii=True, allow_nan=True).encode()


def _header_text(*plausible):
    # Header values travel as bytes, which WSGI hands over read as latin-1.
    return light_text(*plausible).map(
        lambda value: value.encode("utf-8", "surrogatepass").decode("latin-1")
    ).map(lambda value: value.replace("\r", "").replace("\n", ""))


HEADERS = {
    "Authorization": st.one_of(
        _header_text("Bearer lbs_x", "Bearer", "Bearer ", "Basic YTpi", "bearer  lbs_", "Token x"),
        _header_text().map(lambda v: "Bearer " + v), st.just("Bearer " + "x" * 10_000)),
    "Accept": _header_text("application/json", "*/*", "text/html;q=0.9"),
    "Accept-Encoding": _header_text("gzip", "GZIP, br", "gzip;q=0", "identity, *;q=0", "x" * 3000),
    "Accept-Language": _header_text("fr", "es-ES,es;q=0.9", "*", "zz-ZZ;q=2", "en;q=NaN"),
    "Cookie": _header_text("lbs_lang=fr", "lbs_session=garbage", "lbs_remember=1|x", "a=" * 500),
    "Origin": _header_text("https://evil.example", "null"),
    "Access-Control-Request-Method": _header_text("GET", "POST", "DELETE"),
    "If-None-Match": _header_text('"x"', "*"),
    "Range": _header_text("bytes=0-10", "bytes=-1", "bytes=9999999999-"),
    "X-Forwarded-For": _header_text("1.2.3.4", "::1", "not an address"),
    "Content-Length": _header_text("0", "-1", "99999999999", "abc"),
    "Host": _header_text("evil.example", "localhost:99999", "[::1", "a b", "x" * 300, ""),
}
class Tally:
    """How many requests a fuzz file sent, to quote at the end of its run."""

    def __init__(self, name):
        self.name = name
        self.requests = 0
        self.by_status = {}

    def record(self, response):
        self.requests += 1
        self.by_status[response.status_code] = self.by_status.get(response.status_code, 0) + 1
        return response

    def report(self, config):
        write_line(config, self.summary())

    def summary(self):
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(self.by_status.items()))
        return f"{self.name}: {self.requests} fuzzed requests, by status {statuses}"

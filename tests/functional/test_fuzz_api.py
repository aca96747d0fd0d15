"""The JSON API, fuzzed past its contract (SECURITY.md, check 20).

test_api_contract.py lets Schemathesis send what the OpenAPI document describes. This file
sends what it does not: bodies that are not JSON or not UTF-8, JSON nested thousands deep,
numbers no column holds, lone surrogates, megabyte strings, hostile headers on every route
and method. Whatever arrives, the answer is never a 5xx, and every answer under /api/ is
JSON. The file ends by reporting how many requests it sent.
"""

import gzip
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lbs.api import openapi
from tests.functional.api_scene import API, issue_token
from tests.functional.contributing import add_comment_row, add_entry, add_user, entry_row
from tests.functional.fuzzing import (
    EXAMPLES,
    HEADERS,
    HOSTILE,
    LARGE,
    Tally,
    light_text,
    random_text,
    raw_json,
    text,
    urlencoded,
)
from tests.functional.moderating import add_proposal

TALLY = Tally("test_fuzz_api")
SWEEP = settings(EXAMPLES, max_examples=150)
WRITES = ["/proposals", "/entries/openstreetmap/proposals", "/comments", "/votes"]
READS = ["/openapi.json", "/entries", "/entries/openstreetmap", "/entries/the-wealth-of-networks",
         "/proposals", "/proposals/1", "/tags", "/users/ada"]


@pytest.fixture(scope="module", autouse=True)
def report(request):
    yield
    TALLY.report(request.config)


@pytest.fixture
def scene(app):
    add_user(app, "ada", karma=10)
    add_user(app, "grace")
    hub = add_entry(app, "grace", "hub")
    add_entry(app, "grace", "reading", related=[hub])
    entry_id = entry_row(app, hub)["id"]
    add_comment_row(app, "grace", "entry", entry_id, "Welcome.")
    add_proposal(app, "grace", "reading", url="https://example.org/peer")
    return {"token": issue_token(app, "ada"), "entry_id": entry_id}


def call(app, method, path, body=None, content_type=None, headers=None, query=""):
    """One request to the API, checked: no 5xx, and JSON whatever the status."""
    response = TALLY.record(app.test_client().open(
        API + path + (f"?{query}" if query else ""), method=method, data=body,
        content_type=content_type, headers=headers or {},
    ))
    shown = body if body is None or len(body) < 300 else body[:300] + b"..."
    assert response.status_code < 500, (method, path, shown, headers, response.status_code)
    # Flask answers OPTIONS (a CORS preflight) itself, with headers and an empty body.
    if method not in ("HEAD", "OPTIONS") or response.get_data():
        assert response.mimetype == "application/json", (method, path, response.mimetype)
        payload = response.get_data()
        if response.headers.get("Content-Encoding") == "gzip":
            payload = gzip.decompress(payload)
        json.loads(payload)
    return response


def bearer(scene):
    return {"Authorization": f"Bearer {scene['token']}"}


# -- JSON values --------------------------------------------------------------------------------

NUMBERS = st.one_of(
    st.integers(), st.sampled_from([0, -1, 1, 2**31 - 1, 2**31, 2**63, 2**64, -(2**63), 10**100]),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1.0, -0.0, 1e308, 5e-324]),
)
LEAVES = st.one_of(st.none(), st.booleans(), NUMBERS, text(), st.sampled_from(HOSTILE))
ANY_JSON = st.recursive(
    LEAVES, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(light_text(), inner, max_size=4)),
    max_leaves=12,
)


# Text the schema accepts (no lone surrogates, within its lengths) but the domain may not:
# this gets past validation to the rules behind it.
SCHEMA_TEXT = st.one_of(
    st.sampled_from([h for h in HOSTILE if not any("\ud800" <= c <= "\udfff" for c in h)]),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=200),
)
_urls = st.integers(0, 10**9).map(lambda n: f"https://example.org/api/{n}")


def _mostly(plain, hostile=SCHEMA_TEXT):
    # Mostly a value that passes, so that the one hostile value in a body is what is tested.
    return st.one_of(st.just(plain), st.just(plain), hostile)


def _fields(kind):
    required = {"title": _mostly("A title"), "url": st.one_of(_urls, _urls, SCHEMA_TEXT)}
    optional = {"summary": _mostly("A *summary*."),
                "tags": st.lists(_mostly("maps"), max_size=5, unique=True)}
    if kind == "hub":
        required["focus"] = st.sampled_from(["production", "commons-based initiative"])
        optional.update(languages=_mostly("English"), region=_mostly("worldwide"),
                        licence=_mostly("CC0"),
                        related=st.lists(st.sampled_from(["the-wealth-of-networks", "nope"]),
                                         max_size=2))
    else:
        required["reading_type"] = st.sampled_from(["book", "article"])
        optional.update(authors=_mostly("Ostrom"), year=st.integers(900, 2200),
                        venue=_mostly("Press"), doi=_mostly(None), isbn=_mostly(None),
                        related=st.lists(st.sampled_from(["openstreetmap", "nope"]), max_size=2))
    return st.fixed_dictionaries(required, optional=optional)


def valid_body(path):
    """A body the document accepts, with hostile text wherever text goes."""
    ids = st.sampled_from([1, 1, 1, 2, 3])
    if path == "/votes":
        return st.fixed_dictionaries({"target_type": st.sampled_from(["entry", "proposal", "comment"]),
                                      "target_id": ids, "value": st.sampled_from([-1, 0, 1])})
    if path == "/comments":
        return st.fixed_dictionaries(
            {"target_type": st.sampled_from(["entry", "proposal"]), "target_id": ids,
             "body": _mostly("A **thought**.")}, optional={"parent_id": st.one_of(st.none(), ids)})
    if path == "/proposals":
        return st.sampled_from(["hub", "reading"]).flatmap(lambda kind: st.fixed_dictionaries(
            {"kind": st.just(kind), "fields": _fields(kind)},
            optional={"rationale": _mostly("Why."), "accept_similar": st.booleans()}))
    return st.fixed_dictionaries({"base_revision": st.sampled_from([1, 2]), "fields": _fields("hub"),
                                  "rationale": _mostly("Better.")})


def _swap(body, which, value):
    key = sorted(body)[which % len(body)]
    return {**body, key: value}


def body_for(path):
    """Valid bodies, valid bodies with one value swapped for anything (nested ones included),
    and anything at all."""
    swapped = st.builds(_swap, valid_body(path), st.integers(0, 10), ANY_JSON)
    swapped_field = valid_body(path).filter(lambda body: isinstance(body.get("fields"), dict)).flatmap(
        lambda body: st.builds(lambda fields: {**body, "fields": fields},
                               st.builds(_swap, st.just(body["fields"]), st.integers(0, 20), ANY_JSON)))
    return st.one_of(valid_body(path), valid_body(path), swapped,
                     swapped_field if "proposals" in path else swapped, ANY_JSON)


@SWEEP
@given(path=st.sampled_from(WRITES), data=st.data())
def test_any_json_to_every_write(app, scene, path, data):
    body = data.draw(body_for(path))
    call(app, "POST", path, raw_json(body), "application/json", bearer(scene))


@EXAMPLES
@given(path=st.sampled_from(WRITES), depth=st.sampled_from([50, 500, 999, 1000, 5000, 100_000]),
       shape=st.sampled_from(["array", "object", "mixed"]), where=st.sampled_from(["top", "field"]))
def test_json_nested_deeper_than_anyone_writes(app, scene, path, depth, shape, where):
    opening = {"array": "[", "object": '{"a":', "mixed": '[{"a":'}[shape]
    closing = {"array": "]", "object": "}", "mixed": "}]"}[shape]
    nested = opening * depth + "1" + closing * depth
    if where == "field":
        nested = '{"kind": "hub", "target_type": "entry", "target_id": 1, "body": "x", "fields": ' + (
            '{"title": ' + nested + "}}")
    call(app, "POST", path, nested.encode(), "application/json", bearer(scene))


@EXAMPLES
@given(path=st.sampled_from(WRITES), field=st.sampled_from(["target_id", "value", "parent_id",
                                                           "base_revision", "year"]),
       literal=st.sampled_from(["1e400", "-1e400", "9" * 5000, "-" + "9" * 4300, "1" + "0" * 400,
                                "NaN", "Infinity", "-Infinity", "1.0", "-0", "1E+2", "0.1e1",
                                "2147483648", "9223372036854775808", "18446744073709551616"]))
def test_numbers_no_column_holds(app, scene, path, field, literal):
    fields = {"target_type": '"entry"', "target_id": "1", "value": "1", "body": '"Hi."',
              "kind": '"reading"', "base_revision": "1", "rationale": '"Better."'}
    fields[field] = literal
    inner = '{"title": "T", "url": "https://example.org/n", "reading_type": "book", "year": ' + (
        (literal if field == "year" else "2001") + "}")
    body = "{" + ", ".join(f'"{k}": {v}' for k, v in fields.items()) + f', "fields": {inner}}}'
    call(app, "POST", path, body.encode(), "application/json", bearer(scene))


CONTENT_TYPES = ["application/json", "application/json; charset=latin-1",
                 "application/json; charset=utf-16", "application/merge-patch+json", "text/plain",
                 "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                 "multipart/form-data", "application/octet-stream", "", None]


@SWEEP
@given(path=st.sampled_from(WRITES), content_type=st.sampled_from(CONTENT_TYPES),
       body=st.one_of(
           st.binary(max_size=2000),
           st.sampled_from([b"", b"{", b"}", b"[]", b"null", b"\"x\"", b"1", b"\xef\xbb\xbf{}",
                            b'{"body": "\xed\xa0\x80"}', b'{"body": "\xff\xfe"}', b"\x00" * 100,
                            b'{"a":1,"a":2}', b'{"body": "x"} trailing', b"\xff" * 100,
                            "{}".encode("utf-16"), b"--x\r\nContent-Disposition: form-data\r\n\r\n"]),
           random_text.map(lambda s: s.encode("utf-8", "surrogatepass")),
           st.dictionaries(light_text(), light_text(), max_size=4).map(urlencoded),
       ))
def test_bodies_that_are_not_json(app, scene, path, content_type, body):
    call(app, "POST", path, body, content_type, bearer(scene))


PATHS = READS + WRITES + ["/entries/" + "x" * 200, "/users/" + "a" * 40, "/proposals/0",
                          "/proposals/2147483648", "/entries/Open-Street-Map", "/users/%00",
                          "/entries/%ED%A0%80", "/nope"]


@SWEEP
@given(path=st.sampled_from(PATHS),
       method=st.sampled_from(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]),
       headers=st.fixed_dictionaries({}, optional=HEADERS),
       body=st.one_of(st.none(), st.builds(raw_json, st.just({"kind": "hub"}))))
def test_hostile_headers_on_every_route_and_method(app, scene, path, method, headers, body):
    if "Content-Length" in headers:
        # The test client sets it from the body; a wrong one is what a real socket would see.
        headers = {**headers, "Content-Length": headers["Content-Length"]}
    call(app, method, path, body if method not in ("GET", "HEAD") else None,
         "application/json" if body else None, headers)


QUERY_NAMES = ["q", "kind", "sort", "tag", "page", "status", "type", "focus", "year_from",
               "year_to", "_"]


@SWEEP
@given(path=st.sampled_from(READS),
       query=st.dictionaries(st.sampled_from(QUERY_NAMES) | light_text(),
                             st.one_of(light_text("1", "hub", "top", "maps"),
                                       st.sampled_from(LARGE[:1] + ["9" * 5000, "1" * 11])),
                             max_size=5))
def test_any_query_on_every_read(app, scene, path, query):
    call(app, "GET", path, query=urlencoded(query).decode())


@EXAMPLES
@given(kind=st.sampled_from(["entries", "users", "proposals"]),
       value=st.one_of(st.sampled_from(HOSTILE).filter(bool), random_text.filter(bool)),
       tail=st.sampled_from(["", "/proposals"]))
def test_any_name_in_the_path(app, scene, kind, value, tail):
    from urllib.parse import quote

    segment = quote(value.encode("utf-8", "surrogatepass"), safe="")
    method = "POST" if tail else "GET"
    call(app, method, f"/{kind}/{segment}{tail}", raw_json({}) if tail else None,
         "application/json" if tail else None, bearer(scene))


def test_a_doubled_slash_is_a_json_not_found_not_an_html_redirect(app, scene):
    # Found by the sweep above: werkzeug merged "//" with a 308 whose body was HTML.
    for path in ["/users/%2F%2Fevil.example", "/users//ada", "//entries", "/entries//openstreetmap"]:
        response = call(app, "GET", path, headers=bearer(scene))
        assert response.status_code == 404, path
        assert "Location" not in response.headers


def test_a_body_over_the_limit_is_a_json_413_on_every_write(app, scene):
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = raw_json({"body": "x" * limit})
    for path in WRITES:
        response = call(app, "POST", path, body, "application/json", bearer(scene))
        assert response.status_code == 413, path
        assert response.get_json()["error"]["status"] == 413
        # Without a token the request is refused before its body is read.
        assert call(app, "POST", path, body, "application/json").status_code == 401


def test_the_document_lists_every_write_fuzzed_here():
    documented = {path.replace("{slug}", "openstreetmap")
                  for path, operations in openapi.document()["paths"].items() if "post" in operations}
    assert documented == set(WRITES)

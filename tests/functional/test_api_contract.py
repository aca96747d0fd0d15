"""The API keeps its published contract: Schemathesis sends at least 100 generated requests
to every operation of /api/v1/openapi.json (valid and invalid ones) and checks that none is a
server error, that every status is one the document lists, and that every body matches the
documented schema. Writes run with a real token, and again without one to see 401s."""

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from config import TestingConfig
from lbs import create_app
from lbs.api import openapi
from tests.functional.api_scene import api_post, bearer, issue_token
from tests.functional.contributing import add_comment_row, add_entry, add_user, entry_row

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# Schemathesis reads WSGI answers as they come, without undoing gzip (lbs.compression).
PLAIN = {"Accept-Encoding": "identity"}
EXAMPLES = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,  # every run starts fresh: no example database written into the project
)


@pytest.fixture
def scene(app):
    """A small commons for the generated requests to find: the documented examples name it."""
    add_user(app, "ada", karma=10)
    add_user(app, "grace")
    slug = add_entry(app, "grace", "hub")
    assert slug == "openstreetmap"
    add_entry(app, "grace", "reading", related=[slug])
    add_comment_row(app, "grace", "entry", entry_row(app, slug)["id"], "Welcome.")
    reading = {"title": "Peer production", "url": "https://example.org/peer",
               "reading_type": "article"}
    grace = issue_token(app, "grace")
    assert api_post(app, "/proposals", {"kind": "reading", "fields": reading}, grace).status_code == 201
    return {"token": issue_token(app, "ada")}


def _document_source():
    """An app to read the document from while tests are collected; requests go to `app`.

    The document needs no database, and collecting one test per operation needs the
    document before any fixture exists.
    """

    class Settings(TestingConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    return create_app(Settings)


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _document_source())


@schema.parametrize()
@EXAMPLES
def test_every_operation_keeps_the_contract(case, app, scene):
    case.call_and_validate(app=app, headers={**PLAIN, **bearer(scene["token"])}, checks=CHECKS)


@schema.include(method="POST").parametrize()
@EXAMPLES
def test_every_write_without_a_token_is_a_documented_401(case, app, scene):
    response = case.call_and_validate(app=app, headers=PLAIN, checks=CHECKS)

    # Schemathesis also tries methods the path does not take: those are 405s, before any token.
    if case.method.upper() == "POST":
        assert response.status_code == 401
        assert response.headers["www-authenticate"][0].startswith("Bearer")


def test_the_document_covers_every_api_route_and_nothing_else(app):
    routes = {
        (_plain(rule.rule.removeprefix("/api/v1")), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {
        (path.replace("{", "<").replace("}", ">"), method)
        for path, operations in openapi.document()["paths"].items()
        for method in operations
    }

    assert routes == documented


def _plain(rule):
    # Flask writes converters into the rule (<int(...):proposal_id>); the document does not.
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"<\1>", rule)


def test_every_request_body_refuses_properties_it_does_not_document():
    schemas = openapi.document()["components"]["schemas"]
    bodies = ["NewHubProposal", "NewReadingProposal", "EditProposal", "NewComment", "NewVote",
              "HubFields", "ReadingFields"]

    assert all(schemas[name]["additionalProperties"] is False for name in bodies)


def test_writes_and_only_writes_need_the_bearer_token():
    document = openapi.document()
    needs = {
        (path, method): operation.get("security") == [{"bearerAuth": []}]
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    }

    assert all(needs[key] == (key[1] == "post") for key in needs)
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        **document["components"]["securitySchemes"]["bearerAuth"], "type": "http",
        "scheme": "bearer",
    }

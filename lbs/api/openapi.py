"""The API's contract: an OpenAPI 3.1 document, served at /api/v1/openapi.json.

It is also the API's rule book. lbs.api.validation checks every request body and query
parameter against these schemas, and the contract test (tests/functional/test_api_contract.py)
checks every response against them, so the document cannot drift from the behaviour. Limits
come from the domain's own constants, so a rule changed there changes here too.
"""

from copy import deepcopy
from datetime import date
from functools import lru_cache

from lbs.domain import browsing, contributions, discussion, links, tags
from lbs.models import ENTRY_STATUSES, HUB_FOCUSES, PROPOSAL_STATUSES, READING_TYPES

API_VERSION = "1.0.0"
# Ids are 32-bit integers in PostgreSQL: a larger one cannot name anything.
MAX_ID = 2**31 - 1
SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
MAX_SLUG = 120
USERNAME_PATTERN = "^[A-Za-z0-9_-]{3,30}$"
TAG_PATTERN = "^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$"
MAX_ISBN_TYPED = 30
MAX_DOI = 200
MAX_QUERY = 1000
MIN_YEAR = 1000

REF = "#/components/schemas/"
JSON = "application/json"


def _ref(name):
    return {"$ref": REF + name}


def _nullable_text(max_length, description):
    return {"type": ["string", "null"], "maxLength": max_length, "description": description}


def _id(description):
    return {"type": "integer", "minimum": 1, "maximum": MAX_ID, "description": description}


def _uri(description=None):
    schema = {"type": "string", "format": "uri"}
    if description:
        schema["description"] = description
    return schema


def _time(description):
    return {"type": "string", "format": "date-time", "description": description}


def _nullable_time(description):
    return {"type": ["string", "null"], "format": "date-time", "description": description}


def _object(properties, required=(), description=None):
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


# -- Entry fields: what a proposal sends (strict) and what entries show (as stored) --------

def _common_fields():
    lengths = contributions.MAX_LENGTHS
    return {
        "title": _nullable_text(lengths["title"], "Required."),
        "url": _nullable_text(
            links.MAX_URL, "An http or https address. Required for a hub; a reading needs a "
            "url, a doi or an isbn."
        ),
        "summary": _nullable_text(lengths["summary"], "Markdown."),
        "tags": {
            "type": ["array", "null"],
            "maxItems": tags.MAX_TAGS,
            "items": {"type": "string", "maxLength": tags.MAX_TAG_LENGTH},
            "description": "Words of a-z, 0-9 and inner hyphens.",
        },
    }


def _related_field():
    return {
        "type": ["array", "null"],
        "items": {"type": "string", "maxLength": MAX_SLUG, "pattern": SLUG_PATTERN},
        "description": (
            "Slugs of live entries of the other kind (readings for a hub, hubs for a reading); "
            f"at most {contributions.MAX_RELATED} not linked already."
        ),
    }


def _hub_fields():
    lengths = contributions.MAX_LENGTHS
    return _object(
        {
            **_common_fields(),
            "focus": {
                "type": ["string", "null"], "enum": [*HUB_FOCUSES, None], "description": "Required.",
            },
            "languages": _nullable_text(lengths["languages"], "Languages the hub works in."),
            "region": _nullable_text(lengths["region"], "Where it works."),
            "licence": _nullable_text(lengths["licence"], "The licence of what it produces."),
            "related": _related_field(),
        },
        description="The fields of a hub. Leave out or send null what does not apply.",
    )


def _reading_fields(year):
    lengths = contributions.MAX_LENGTHS
    return _object(
        {
            **_common_fields(),
            "authors": _nullable_text(lengths["authors"], "As they should be shown."),
            "year": {
                "type": ["integer", "null"], "minimum": MIN_YEAR, "maximum": year + 1,
                "description": "Year of publication, up to next year.",
            },
            "venue": _nullable_text(lengths["venue"], "Publisher or venue."),
            "reading_type": {
                "type": ["string", "null"], "enum": [*READING_TYPES, None],
                "description": "Required.",
            },
            "doi": _nullable_text(MAX_DOI, "Like 10.1234/abcd, with or without https://doi.org/."),
            "isbn": _nullable_text(MAX_ISBN_TYPED, "ISBN-10 or ISBN-13, hyphens allowed."),
            "related": _related_field(),
        },
        description="The fields of a reading. Leave out or send null what does not apply.",
    )


def _stored(kind):
    """Fields as entries, revisions and proposals hold them: cleaned, every key present."""
    text = {"type": ["string", "null"]}
    names = {
        "hub": ("focus", "languages", "region", "licence"),
        "reading": ("authors", "venue", "reading_type", "doi", "isbn"),
    }[kind]
    properties = {
        "title": {"type": "string"},
        "url": text,
        "summary": text,
        "tags": {"type": ["array", "null"], "items": {"type": "string"}},
        **{name: text for name in names},
        "related": {
            "type": ["array", "null"], "items": {"type": "string"},
            "description": "Present on an entry's own page, in revisions and in proposals.",
        },
    }
    if kind == "reading":
        properties["year"] = {"type": ["integer", "null"]}
    required = [name for name in properties if name != "related"]
    return _object(properties, required, f"The fields of a {kind}.")


# -- Responses -------------------------------------------------------------------------------

def _links(*names):
    return _object({name: _uri() for name in names}, names)


def _page_links():
    nullable_uri = {"type": ["string", "null"], "format": "uri"}
    return _object(
        {"self": _uri(), "next": nullable_uri, "prev": nullable_uri},
        ("self", "next", "prev"),
        "Absolute URLs of this page and its neighbours; null where there is none.",
    )


def _entry_properties():
    return {
        "id": _id("Use it as target_id to vote or comment on the entry."),
        "slug": {"type": "string"},
        "kind": {"type": "string", "enum": ["hub", "reading"]},
        "status": {"type": "string", "enum": list(ENTRY_STATUSES)},
        "fields": {"anyOf": [_ref("StoredHubFields"), _ref("StoredReadingFields")]},
        "ups": {"type": "integer", "minimum": 0},
        "downs": {"type": "integer", "minimum": 0},
        "comment_count": {"type": "integer", "minimum": 0},
        "current_revision": {
            "type": "integer", "minimum": 0,
            "description": "The number of the current revision: the base_revision of an edit.",
        },
        "created_at": _time("When the entry joined the commons."),
        "updated_at": _time("When its last revision was merged."),
        "links": _links("self", "html"),
    }


def _revision():
    return _object(
        {
            "number": {"type": "integer", "minimum": 1},
            "author": {"type": "string", "description": "Who proposed it."},
            "merged_by": {"type": ["string", "null"], "description": "The moderator who merged it."},
            "reason": {"type": "string"},
            "proposal_id": {"type": ["integer", "null"]},
            "created_at": _time("When it was merged."),
            "fields": {"anyOf": [_ref("StoredHubFields"), _ref("StoredReadingFields")]},
        },
        ("number", "author", "merged_by", "reason", "proposal_id", "created_at", "fields"),
    )


def _proposal():
    nullable_slug = {"type": ["string", "null"]}
    properties = {
        "id": _id("Use it as target_id to vote or comment on the proposal."),
        "kind": {"type": "string", "enum": ["new", "edit"]},
        "entry_kind": {"type": "string", "enum": ["hub", "reading"]},
        "status": {"type": "string", "enum": list(PROPOSAL_STATUSES)},
        "author": {"type": "string"},
        "title": {"type": "string"},
        "fields": {"anyOf": [_ref("StoredHubFields"), _ref("StoredReadingFields")]},
        "rationale": {"type": "string"},
        "target_entry": {**nullable_slug, "description": "For an edit: the entry's slug."},
        "base_revision": {
            "type": ["integer", "null"], "description": "For an edit: the revision it changes.",
        },
        "ups": {"type": "integer", "minimum": 0},
        "downs": {"type": "integer", "minimum": 0},
        "comment_count": {"type": "integer", "minimum": 0},
        "decision_reason": {"type": ["string", "null"]},
        "decided_by": {"type": ["string", "null"]},
        "decided_at": _nullable_time("When a moderator decided, or it was withdrawn."),
        "resulting_entry": {**nullable_slug, "description": "The entry a merge made."},
        "duplicate_of": {**nullable_slug, "description": "The entry it duplicates."},
        "created_at": _time("When it was proposed."),
        "updated_at": _time("When it was last changed."),
        "links": _links("self", "html"),
    }
    return _object(properties, properties)


def _list(item, sorts, filters, description):
    return _object(
        {
            "data": {"type": "array", "items": _ref(item)},
            "page": {"type": "integer", "minimum": 1, "maximum": browsing.MAX_PAGE},
            "sort": {"type": "string", "enum": sorts},
            "filters": _object(filters, description="The filters that applied."),
            "links": _page_links(),
        },
        ("data", "page", "sort", "filters", "links"),
        description,
    )


def _user():
    proposal_summary = _object(
        {
            "id": {"type": "integer"},
            "kind": {"type": "string", "enum": ["new", "edit"]},
            "entry_kind": {"type": "string", "enum": ["hub", "reading"]},
            "status": {"type": "string", "enum": list(PROPOSAL_STATUSES)},
            "title": {"type": "string"},
            "created_at": _time("When it was proposed."),
            "links": _links("self"),
        },
        ("id", "kind", "entry_kind", "status", "title", "created_at", "links"),
    )
    return _object(
        {
            "username": {"type": "string"},
            "role": {"type": "string", "enum": ["peer", "moderator", "admin"]},
            "karma": {"type": "integer"},
            "created_at": _time("When the account was made."),
            "proposals": {
                "type": "array", "items": proposal_summary,
                "description": "The latest proposals, newest first (at most 30).",
            },
            "links": _links("self", "html"),
        },
        ("username", "role", "karma", "created_at", "proposals", "links"),
        "A public profile. Email addresses are never shown.",
    )


def _error():
    return _object(
        {
            "error": _object(
                {
                    "status": {"type": "integer"},
                    "message": {"type": "string"},
                    "fields": {
                        "type": "object", "additionalProperties": {"type": "string"},
                        "description": "For a 400: a message for each field or parameter that "
                        "is wrong, unknown or missing.",
                    },
                    "duplicate_of": {
                        "type": "string",
                        "description": "The slug of the live entry that has this link already.",
                    },
                    "similar_proposals": {
                        "type": "array", "items": {"type": "integer"},
                        "description": "Open proposals with this link: look, then send again with "
                        "accept_similar true if yours differs.",
                    },
                },
                ("status", "message"),
            )
        },
        ("error",),
    )


# -- Request bodies --------------------------------------------------------------------------

def _rationale(description):
    return {
        "type": "string", "maxLength": contributions.MAX_LENGTHS["rationale"],
        "description": description,
    }


def _new_proposal(kind):
    return _object(
        {
            "kind": {"type": "string", "enum": [kind]},
            "fields": _ref("HubFields" if kind == "hub" else "ReadingFields"),
            "rationale": _rationale("Why it belongs in the commons (optional)."),
            "accept_similar": {
                "type": "boolean",
                "description": "Propose although an open proposal has the same link.",
            },
        },
        ("kind", "fields"),
    )


def _edit_proposal():
    return _object(
        {
            "base_revision": {
                "type": "integer", "minimum": 1, "maximum": MAX_ID,
                "description": "The revision the edit was written against: the entry's "
                "current_revision when you read it.",
            },
            "fields": {
                "anyOf": [_ref("HubFields"), _ref("ReadingFields")],
                "description": "The entry's complete fields as they should read after the "
                "edit: those of its kind only. Start from the entry's fields and change some.",
            },
            "rationale": _rationale("Why the edit improves the entry (required)."),
        },
        ("base_revision", "fields", "rationale"),
    )


def edit_body_schema(kind):
    """The edit body as the server checks it: the fields of the entry's own kind only."""
    schema = deepcopy(_edit_proposal())
    schema["properties"]["fields"] = _ref("HubFields" if kind == "hub" else "ReadingFields")
    return schema


def _new_comment():
    return _object(
        {
            "target_type": {"type": "string", "enum": list(discussion.COMMENT_TARGETS)},
            "target_id": _id("The entry's or the proposal's id."),
            "body": {
                "type": "string", "maxLength": discussion.MAX_COMMENT,
                "description": "Markdown.",
            },
            "parent_id": {
                "type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID,
                "description": "The comment this replies to, in the same discussion.",
            },
        },
        ("target_type", "target_id", "body"),
    )


def _new_vote():
    return _object(
        {
            "target_type": {"type": "string", "enum": ["entry", "proposal", "comment"]},
            "target_id": _id("The id of the entry, proposal or comment."),
            "value": {
                "type": "integer", "enum": [-1, 0, 1],
                "description": "1 up, -1 down (needs some karma), 0 withdraws your vote.",
            },
        },
        ("target_type", "target_id", "value"),
    )


# -- Parameters ------------------------------------------------------------------------------

def _query(name, schema, description, example=None):
    parameter = {"name": name, "in": "query", "required": False, "schema": schema,
                 "description": description}
    if example is not None:
        parameter["example"] = example
    return parameter


def _page_parameter():
    return _query(
        "page", {"type": "integer", "minimum": 1, "maximum": browsing.MAX_PAGE, "default": 1},
        f"Page number; {browsing.PAGE_SIZE} items a page.",
    )


def _entry_parameters():
    return [
        _query("sort", {"type": "string", "enum": list(browsing.SORTS), "default": "top"},
               "top: best rated (Wilson lower bound); hot: rising; new: newest first. "
               "Ignored when q is given."),
        _query("kind", {"type": "string", "enum": ["hub", "reading"]}, "Only hubs or readings."),
        _query("tag", {"type": "string", "maxLength": tags.MAX_TAG_LENGTH, "pattern": TAG_PATTERN},
               "Only entries with this tag.", "commons"),
        _query("focus", {"type": "string", "enum": list(HUB_FOCUSES)},
               "Only hubs with this focus; applies with kind=hub, without q."),
        _query("type", {"type": "string", "enum": list(READING_TYPES)},
               "Only readings of this type; applies with kind=reading, without q."),
        _query("year_from", {"type": "integer", "minimum": MIN_YEAR, "maximum": 2100},
               "Only readings from this year on; applies with kind=reading, without q."),
        _query("year_to", {"type": "integer", "minimum": MIN_YEAR, "maximum": 2100},
               "Only readings up to this year; applies with kind=reading, without q."),
        _query("q", {"type": "string", "maxLength": MAX_QUERY},
               "Search words: the best matches first (sort becomes relevance). Any text is "
               "taken as plain words.", "peer production"),
        _page_parameter(),
    ]


def _proposal_parameters():
    return [
        _query("status", {"type": "string", "enum": list(PROPOSAL_STATUSES), "default": "open"},
               "Proposals in this state."),
        _query("kind", {"type": "string", "enum": ["hub", "reading"]},
               "Only proposals of hubs or of readings."),
        _query("sort", {"type": "string", "enum": list(browsing.PROPOSAL_SORTS), "default": "hot"},
               "hot: rising; top: best rated; new: newest first."),
        _page_parameter(),
    ]


def _path(name, schema, description, example):
    return {"name": name, "in": "path", "required": True, "schema": schema,
            "description": description, "example": example}


SLUG_PARAMETER = {"type": "string", "maxLength": MAX_SLUG, "pattern": SLUG_PATTERN}


# -- Operations ------------------------------------------------------------------------------

def _json(schema, description, headers=None):
    response = {"description": description, "content": {JSON: {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


def _error_response(name):
    return {"$ref": f"#/components/responses/{name}"}


READ_ERRORS = {"500": _error_response("ServerError"), "503": _error_response("Unavailable")}
WRITE_ERRORS = {
    "400": _error_response("BadRequest"),
    "401": _error_response("Unauthorized"),
    "403": _error_response("Forbidden"),
    "413": _error_response("TooLarge"),
    "429": _error_response("TooManyRequests"),
    **READ_ERRORS,
}


def _body(schema, examples):
    return {
        "required": True,
        "content": {JSON: {"schema": schema, "examples": {
            name: {"value": value} for name, value in examples.items()
        }}},
    }


def _location(description):
    return {"Location": {"description": description, "required": True, "schema": _uri()}}


def _paths():
    bearer = [{"bearerAuth": []}]
    return {
        "/entries": {"get": {
            "operationId": "listEntries",
            "summary": "Entries of the commons, ranked, filtered or searched",
            "parameters": _entry_parameters(),
            "responses": {
                "200": _json(_ref("EntryList"), "One page of live entries."),
                "400": _error_response("BadRequest"),
                **READ_ERRORS,
            },
        }},
        "/entries/{slug}": {"get": {
            "operationId": "getEntry",
            "summary": "One entry with its revisions, newest first",
            "parameters": [_path("slug", SLUG_PARAMETER, "The entry's slug.", "openstreetmap")],
            "responses": {
                "200": _json(_ref("EntryDetail"), "The entry."),
                "301": _json(
                    _ref("Moved"), "The entry was merged into another: follow Location.",
                    _location("The entry it was merged into."),
                ),
                "404": _error_response("NotFound"),
                **READ_ERRORS,
            },
        }},
        "/entries/{slug}/proposals": {"post": {
            "operationId": "proposeEdit",
            "summary": "Propose an edit to an entry",
            "description": "Opens an edit proposal for discussion and votes; a moderator merges "
            "it. Counts towards the same daily quota of proposals as the web site.",
            "security": bearer,
            "parameters": [_path("slug", SLUG_PARAMETER, "The entry's slug.", "openstreetmap")],
            "requestBody": _body(_ref("EditProposal"), {"licence": {
                "base_revision": 1,
                "fields": {
                    "title": "OpenStreetMap", "url": "https://www.openstreetmap.org",
                    "summary": "The free, editable map of the whole world.",
                    "tags": ["maps", "geodata"], "focus": "peer-driven production",
                    "languages": "many", "region": "worldwide", "licence": "ODbL 1.0",
                },
                "rationale": "The licence has a version.",
            }}),
            "responses": {
                "201": _json(_ref("Proposal"), "The proposal, open.",
                             _location("The proposal's address in the API.")),
                **WRITE_ERRORS,
                "404": _error_response("NotFound"),
                "409": _error_response("Conflict"),
            },
        }},
        "/proposals": {
            "get": {
                "operationId": "listProposals",
                "summary": "Proposals, open ones first by default",
                "parameters": _proposal_parameters(),
                "responses": {
                    "200": _json(_ref("ProposalList"), "One page of proposals."),
                    "400": _error_response("BadRequest"),
                    **READ_ERRORS,
                },
            },
            "post": {
                "operationId": "proposeEntry",
                "summary": "Propose a new hub or reading",
                "description": "Opens a proposal for discussion and votes; a moderator merges "
                "it into the commons. A link already in the commons is refused (400 with "
                "duplicate_of); one in an open proposal too (similar_proposals) unless "
                "accept_similar is true.",
                "security": bearer,
                "requestBody": _body(_ref("NewProposal"), {"reading": {
                    "kind": "reading",
                    "fields": {
                        "title": "The Wealth of Networks",
                        "url": "https://www.benkler.org/Benkler_Wealth_Of_Networks.pdf",
                        "summary": "How social production transforms markets and freedom.",
                        "tags": ["commons", "peer-production"], "authors": "Yochai Benkler",
                        "year": 2006, "venue": "Yale University Press", "reading_type": "book",
                    },
                    "rationale": "The classic on commons-based peer production.",
                }}),
                "responses": {
                    "201": _json(_ref("Proposal"), "The proposal, open.",
                                 _location("The proposal's address in the API.")),
                    **WRITE_ERRORS,
                },
            },
        },
        "/proposals/{proposal_id}": {"get": {
            "operationId": "getProposal",
            "summary": "One proposal",
            "parameters": [_path("proposal_id", {"type": "integer", "minimum": 1,
                                                 "maximum": MAX_ID}, "The proposal's id.", 1)],
            "responses": {
                "200": _json(_ref("Proposal"), "The proposal."),
                "404": _error_response("NotFound"),
                **READ_ERRORS,
            },
        }},
        "/tags": {"get": {
            "operationId": "listTags",
            "summary": "The tags in use and how many live entries carry each",
            "description": "The most used first, then by name; at most 200.",
            "responses": {"200": _json(_ref("TagList"), "The tags."), **READ_ERRORS},
        }},
        "/users/{username}": {"get": {
            "operationId": "getUser",
            "summary": "A public profile",
            "parameters": [_path("username", {"type": "string", "pattern": USERNAME_PATTERN},
                                 "The username, in any case.", "ada")],
            "responses": {
                "200": _json(_ref("User"), "The profile."),
                "404": _error_response("NotFound"),
                **READ_ERRORS,
            },
        }},
        "/comments": {"post": {
            "operationId": "addComment",
            "summary": "Comment on an entry or a proposal, or reply to a comment",
            "security": bearer,
            "requestBody": _body(_ref("NewComment"), {"comment": {
                "target_type": "entry", "target_id": 1,
                "body": "The wiki has a *great* beginners' guide.", "parent_id": None,
            }}),
            "responses": {
                "201": _json(_ref("Comment"), "The comment."),
                **WRITE_ERRORS,
                "404": _error_response("NotFound"),
            },
        }},
        "/votes": {"post": {
            "operationId": "castVote",
            "summary": "Vote on an entry, a proposal or a comment",
            "description": "Sets your one vote on the target; sending the same vote again "
            "changes nothing. Nobody votes on their own contributions.",
            "security": bearer,
            "requestBody": _body(_ref("NewVote"), {"up": {
                "target_type": "entry", "target_id": 1, "value": 1,
            }}),
            "responses": {
                "200": _json(_ref("VoteResult"), "Your vote and the target's counts."),
                **WRITE_ERRORS,
                "404": _error_response("NotFound"),
            },
        }},
        "/openapi.json": {"get": {
            "operationId": "getOpenApi",
            "summary": "This document",
            "responses": {"200": _json({"type": "object"}, "The OpenAPI document."),
                          **READ_ERRORS},
        }},
    }


def _schemas(year):
    filters_entries = {
        "kind": {"type": "string"}, "tag": {"type": "string"}, "focus": {"type": "string"},
        "type": {"type": "string"}, "year_from": {"type": "integer"},
        "year_to": {"type": "integer"},
    }
    return {
        "HubFields": _hub_fields(),
        "ReadingFields": _reading_fields(year),
        "StoredHubFields": _stored("hub"),
        "StoredReadingFields": _stored("reading"),
        "Entry": _object(_entry_properties(), _entry_properties(), "An entry of the commons."),
        "EntryDetail": _object(
            {**_entry_properties(), "revisions": {"type": "array", "items": _ref("Revision")}},
            [*_entry_properties(), "revisions"],
            "An entry, its fields with the entries it links to, and its history.",
        ),
        "Revision": _revision(),
        "EntryList": _list("Entry", [*browsing.SORTS, "relevance"], filters_entries,
                           "One page of entries."),
        "Moved": _object(
            {"merged_into": {"type": "string"}, "links": _links("self")},
            ("merged_into", "links"),
        ),
        "Proposal": _proposal(),
        "ProposalList": _list(
            "Proposal", list(browsing.PROPOSAL_SORTS),
            {"status": {"type": "string"}, "kind": {"type": "string"}}, "One page of proposals.",
        ),
        "Tag": _object(
            {"name": {"type": "string"}, "count": {"type": "integer", "minimum": 1},
             "links": _links("entries", "html")},
            ("name", "count", "links"),
        ),
        "TagList": _object({"data": {"type": "array", "items": _ref("Tag")}}, ("data",)),
        "User": _user(),
        "Comment": _object(
            {
                "id": {"type": "integer"},
                "target_type": {"type": "string", "enum": list(discussion.COMMENT_TARGETS)},
                "target_id": {"type": "integer"},
                "parent_id": {"type": ["integer", "null"]},
                "author": {"type": "string"},
                "body": {"type": "string", "description": "Markdown, as stored."},
                "status": {"type": "string", "enum": ["visible", "deleted", "hidden"]},
                "created_at": _time("When it was written."),
                "links": _links("html"),
            },
            ("id", "target_type", "target_id", "parent_id", "author", "body", "status",
             "created_at", "links"),
        ),
        "VoteResult": _object(
            {
                "target_type": {"type": "string", "enum": ["entry", "proposal", "comment"]},
                "target_id": {"type": "integer"},
                "value": {"type": "integer", "enum": [-1, 0, 1]},
                "ups": {"type": "integer", "minimum": 0},
                "downs": {"type": "integer", "minimum": 0},
            },
            ("target_type", "target_id", "value", "ups", "downs"),
        ),
        "NewProposal": {
            "oneOf": [_ref("NewHubProposal"), _ref("NewReadingProposal")],
            "discriminator": {
                "propertyName": "kind",
                "mapping": {"hub": REF + "NewHubProposal", "reading": REF + "NewReadingProposal"},
            },
        },
        "NewHubProposal": _new_proposal("hub"),
        "NewReadingProposal": _new_proposal("reading"),
        "EditProposal": _edit_proposal(),
        "NewComment": _new_comment(),
        "NewVote": _new_vote(),
        "Error": _error(),
    }


def _error_responses():
    def error(description, headers=None):
        return _json(_ref("Error"), description, headers)

    retry = {"Retry-After": {"description": "Seconds until the next try can succeed.",
                             "required": True, "schema": {"type": "integer", "minimum": 1}}}
    challenge = {"WWW-Authenticate": {"description": "Bearer.", "required": True,
                                      "schema": {"type": "string"}}}
    return {
        "BadRequest": error("Something sent is not valid: fields names each culprit."),
        "Unauthorized": error("No token, or one that is revoked or whose account is "
                              "suspended.", challenge),
        "Forbidden": error("The token's account may not do this."),
        "NotFound": error("Nothing has that id or slug."),
        "Conflict": error("It changed meanwhile, or its state no longer allows this."),
        "TooLarge": error("The body is larger than the server accepts."),
        "TooManyRequests": error("A quota is used up: retry after Retry-After seconds.", retry),
        "ServerError": error("An error on the server; nothing was half saved."),
        "Unavailable": error("The database cannot be reached; try again in a minute."),
    }


DESCRIPTION = """\
The commons of Learning by Sharing: hubs and readings proposed, discussed and voted on by
peers, merged by moderators.

Reading needs no account. Proposing, commenting and voting need a personal API token, made
in your account settings and sent as `Authorization: Bearer <token>`; it acts as you, with
your permissions and your quotas (the same as on the web site). Cookies never authorise a
write.

Lists are pages of 30 with absolute `links.next` and `links.prev`. Times are ISO 8601 in
UTC. Every error is JSON: `{"error": {"status": 404, "message": "..."}}`, and a 400 names
each wrong field in `error.fields`; a field a request does not take is an error, not
ignored. Reads may be made from any origin (CORS); writes only from programs.
"""


@lru_cache(maxsize=2)
def _document(year):
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Learning by Sharing API",
            "version": API_VERSION,
            "description": DESCRIPTION,
        },
        "servers": [{"url": "/api/v1"}],
        "paths": _paths(),
        "components": {
            "schemas": _schemas(year),
            "responses": _error_responses(),
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http", "scheme": "bearer",
                    "description": "A personal API token from your account settings.",
                },
            },
        },
    }


def document():
    """The document as it stands today (next year's readings become valid on 1 January)."""
    return _document(date.today().year)


def resolve(ref):
    """The part of the document a local $ref ("#/components/...") points to."""
    node = document()
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def operation(path, method):
    return document()["paths"][path][method]

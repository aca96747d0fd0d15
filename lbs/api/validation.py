"""Requests checked against the OpenAPI document itself, so the API accepts what it documents.

Only the JSON Schema keywords the document uses are understood: a keyword added there
without a rule here fails loudly (KeyError) instead of being silently ignored. A failure is
a domain Invalid whose fields name the offending properties or parameters, so it becomes a
400 like any other.
"""

import json
import re

from flask import request

from lbs.api import openapi
from lbs.domain.errors import Invalid

# Keywords that only describe (documentation and examples), never constrain.
DESCRIPTIVE = {"description", "example", "examples", "title", "default", "format", "$comment"}
# The constraining keywords `check` enforces.
ENFORCED = {
    "type", "enum", "const", "maxLength", "minLength", "pattern", "minimum", "maximum", "items",
    "maxItems", "properties", "required", "additionalProperties", "oneOf", "discriminator",
}
TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}
TYPE_WORDS = {
    "string": "text", "integer": "a whole number", "boolean": "true or false",
    "array": "a list", "object": "an object", "null": "null",
}
# A lone surrogate is valid JSON but not text: no database can store it.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _resolve(schema):
    while "$ref" in schema:
        schema = openapi.resolve(schema["$ref"])
    return schema


def _describe_types(types):
    return " or ".join(TYPE_WORDS[t] for t in types)


def _quoted(values):
    # null, where a schema allows it, means "not given": not a choice worth listing.
    return ", ".join(str(v) for v in values if v is not None)


def check(value, schema, name, errors):
    """`value` as the API uses it (whole floats made ints), recording what is wrong in `errors`."""
    schema = _resolve(schema)
    unknown = set(schema) - DESCRIPTIVE - ENFORCED
    if unknown:
        raise KeyError(f"no validation rule for {sorted(unknown)} in the API document")
    if "oneOf" in schema:
        return _one_of(value, schema, name, errors)
    types = schema.get("type")
    if types is not None:
        types = [types] if isinstance(types, str) else types
        if not any(TYPES[t](value) for t in types):
            errors.setdefault(name, f"Give {_describe_types(types)}.")
            return value
    if isinstance(value, float):
        value = int(value)
    if "enum" in schema and value not in schema["enum"]:
        errors.setdefault(name, f"Choose one of: {_quoted(schema['enum'])}.")
        return value
    if "const" in schema and value != schema["const"]:
        errors.setdefault(name, f"This must be {schema['const']}.")
        return value
    if isinstance(value, str):
        _check_string(value, schema, name, errors)
    elif isinstance(value, int) and not isinstance(value, bool):
        _check_number(value, schema, name, errors)
    elif isinstance(value, list):
        value = _check_array(value, schema, name, errors)
    elif isinstance(value, dict):
        value = _check_object(value, schema, errors)
    return value


def _check_string(value, schema, name, errors):
    if _SURROGATE.search(value):
        errors.setdefault(name, "This is not valid Unicode text.")
    elif len(value) > schema.get("maxLength", len(value)):
        errors.setdefault(name, f"Use at most {schema['maxLength']:,} characters.")
    elif len(value) < schema.get("minLength", 0):
        errors.setdefault(name, f"Give at least {schema['minLength']} characters.")
    elif "pattern" in schema and not re.search(_python_pattern(schema["pattern"]), value):
        errors.setdefault(name, "This is not in the expected form.")


def _python_pattern(pattern):
    # A final $ ends the text in JSON Schema; in Python it also matches before a last "\n".
    return pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern


def _check_number(value, schema, name, errors):
    if value < schema.get("minimum", value) or value > schema.get("maximum", value):
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and high is not None:
            errors.setdefault(name, f"Give a number from {low} to {high}.")
        elif low is not None:
            errors.setdefault(name, f"Give a number of at least {low}.")
        else:
            errors.setdefault(name, f"Give a number of at most {high}.")


def _check_array(value, schema, name, errors):
    if len(value) > schema.get("maxItems", len(value)):
        errors.setdefault(name, f"Give at most {schema['maxItems']} items.")
        return value
    return [check(item, schema.get("items", {}), name, errors) for item in value]


def _check_object(value, schema, errors):
    properties = schema.get("properties", {})
    if schema.get("additionalProperties", True) is False:
        for key in value:
            if key not in properties:
                errors.setdefault(key, f"Unknown field {key!r}: this request does not take it.")
    for key in schema.get("required", ()):
        if key not in value:
            errors.setdefault(key, "This field is required.")
    return {
        key: check(item, properties[key], key, errors) if key in properties else item
        for key, item in value.items()
    }


def _one_of(value, schema, name, errors):
    # Every oneOf in the document has a discriminator: its value picks the one branch.
    discriminator = schema["discriminator"]["propertyName"]
    mapping = schema["discriminator"]["mapping"]
    if not isinstance(value, dict):
        errors.setdefault(name, "Give an object.")
        return value
    choice = value.get(discriminator)
    if not isinstance(choice, str) or choice not in mapping:
        errors.setdefault(discriminator, f"Choose one of: {_quoted(mapping)}.")
        return value
    return check(value, {"$ref": mapping[choice]}, name, errors)


def _raise(errors, message=None):
    if errors:
        error = Invalid.from_errors(errors)
        if message:
            error.message = message
        raise error


def json_body(schema):
    """The request's JSON body, checked against a request-body schema of the document."""
    if not request.is_json:
        raise Invalid("body", "Send a JSON object, with Content-Type: application/json.")
    # Read here rather than by request.get_json: a body over MAX_CONTENT_LENGTH is a 413,
    # and JSON nested deeper than Python recurses is a 400 rather than a crash.
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise Invalid("body", "The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise Invalid("body", "The body is not a JSON object.")
    errors = {}
    body = check(body, schema, "body", errors)
    _raise(errors, _summary(errors))
    return body


def _summary(errors):
    names = ", ".join(sorted(errors))
    return f"Check these fields: {names}." if len(errors) > 1 else next(iter(errors.values()), "")


def query_args(path, method="get"):
    """The query parameters the document lists for an operation, parsed and checked.

    Parameters it does not list are ignored, as a cache-busting `_=` should be; a listed one
    with a wrong value is a 400 naming it rather than a quiet fallback.
    """
    errors = {}
    args = {}
    for parameter in openapi.operation(path, method).get("parameters", []):
        parameter = _resolve(parameter)
        if parameter["in"] != "query" or parameter["name"] not in request.args:
            continue
        name, raw = parameter["name"], request.args[parameter["name"]]
        schema = _resolve(parameter["schema"])
        value = raw
        if schema.get("type") == "integer":
            value = int(raw.strip()) if re.fullmatch(r"\s*[+-]?\d{1,10}\s*", raw) else raw
        args[name] = check(value, schema, name, errors)
    _raise(errors, _summary(errors))
    return args

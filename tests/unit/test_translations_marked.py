"""Every word a template shows goes through the translation functions.

Jinja's lexer separates a template's literal text ("data") from its code; literal text with
letters in it, outside {% trans %} blocks, is a string a French or Spanish reader would see in
English. Attribute values that people read (title, placeholder, aria-label, alt, value of a
button) count too.
"""

import re
from pathlib import Path

import pytest
from jinja2 import Environment

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Literal text that is not language: punctuation, entities, symbols, numbers.
TAG = re.compile(r"<[^>]*>", re.S)
ENTITY = re.compile(r"&[a-z]+;|&#\d+;")
READABLE_ATTRIBUTE = re.compile(
    r'\b(?:title|placeholder|aria-label|alt)="([^"{}]*[A-Za-z][^"{}]*)"'
)
# Words that are the same in every language of the site, or not language at all.
ALLOWED = {"lbs", "CC BY-SA 4.0", "DOI", "ISBN", "URL", "BibTeX", "RIS", "CSL-JSON", "Atom"}


# Stands for a {{ ... }} or {% ... %} in the literal text, so a tag cut by one stays one tag.
CODE = "\x00"


def _literal_text(source):
    """The template's literal text outside {% trans %} blocks, its code replaced by CODE."""
    # Only lexed, never rendered: autoescaping has nothing to escape here.
    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    parts = []
    in_trans = 0
    for _lineno, token_type, value in env.lex(source):
        if token_type == "name" and value == "trans":
            in_trans += 1
        elif token_type == "name" and value == "endtrans":
            in_trans -= 1
        if token_type == "data" and not in_trans:
            parts.append(value)
        elif not parts or parts[-1] != CODE:
            parts.append(CODE)
    return "".join(parts)


def _untranslated(source):
    found = []
    value = _literal_text(source)
    for attribute in READABLE_ATTRIBUTE.findall(value):
        attribute = attribute.replace(CODE, " ").strip()
        if attribute not in ALLOWED:
            found.append(attribute)
    text = ENTITY.sub(" ", TAG.sub(" ", value)).replace(CODE, "  ")
    for piece in re.split(r"\s{2,}|\n", text):
        piece = piece.strip(" .,:;()·—–-→←▲▼|/\"'“”")
        if re.search(r"[A-Za-z]{2,}", piece) and piece not in ALLOWED:
            found.append(piece)
    return found


@pytest.mark.parametrize(
    "template", sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html"))
)
def test_no_template_shows_a_string_not_marked_for_translation(template):
    assert _untranslated((TEMPLATES / template).read_text()) == []


def test_the_check_catches_an_unmarked_string():
    assert _untranslated("<p>Hello there</p>{{ _('Marked') }}") == ["Hello there"]
    assert _untranslated('<input placeholder="Search">') == ["Search"]
    assert _untranslated("<p>{% trans %}Fine{% endtrans %}</p>") == []
    assert _untranslated('<span title="{{ n }} up">{{ n }} points</span>') == ["up", "points"]


def test_a_tag_cut_by_template_code_is_still_markup():
    assert _untranslated('<a href="{{ url }}"{% if x %} aria-current="page"{% endif %}>') == []

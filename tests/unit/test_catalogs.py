"""The French and Spanish catalogs are complete, consistent with the source, and compiled.

A French or Spanish reader sees English wherever a message has no translation, a fuzzy one
(ignored when compiling), a translation that lost a %(name)s (the page fails), or where the
shipped .mo file lags behind its .po file. After changing a string people read, run
`make translations` and translate what it leaves empty.
"""

import re
from gettext import GNUTranslations
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "lbs" / "translations"
LANGUAGES = ("fr", "es")
# As `make translations` extracts: Babel's keywords, and the lazy ones of class-level strings.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%%")


def catalog(language):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=language)


def messages(language):
    return [message for message in catalog(language) if message.id]


def key(message):
    singular = message.id[0] if isinstance(message.id, tuple) else message.id
    return (message.context, singular)


def forms(value):
    return list(value) if isinstance(value, tuple) else [value]


@pytest.fixture(scope="module")
def marked_in_source():
    """Every string the code and the templates mark, extracted as `make translations` does."""
    with open(TRANSLATIONS / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS,
        # Babel skips directories starting with "_" by default; templates/_macros is one.
        directory_filter=lambda path: not Path(path).name.startswith(".")
        and Path(path).name != "__pycache__",
    ):
        singular = message[0] if isinstance(message, tuple) else message
        found.add((context, singular))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_has_a_message_in_the_catalog(language, marked_in_source):
    in_catalog = {key(message) for message in messages(language)}
    assert sorted(marked_in_source - in_catalog, key=str) == [], "run `make translations`"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    untranslated = [
        message.id for message in messages(language)
        if not all(form.strip() for form in forms(message.string))
    ]
    fuzzy = [message.id for message in messages(language) if message.fuzzy]
    assert (untranslated, fuzzy) == ([], [])


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_messages_have_every_plural_form(language):
    po = catalog(language)
    short = [
        message.id for message in messages(language)
        if isinstance(message.id, tuple) and len(forms(message.string)) != po.num_plurals
    ]
    assert short == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_the_english(language):
    changed = []
    for message in messages(language):
        expected = sorted(PLACEHOLDER.findall(forms(message.id)[-1]))
        for form in forms(message.string):
            # A lone % would break the formatting that templates always apply.
            if sorted(PLACEHOLDER.findall(form)) != expected or "%" in PLACEHOLDER.sub("", form):
                changed.append((message.id, form))
    assert changed == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_put_no_straight_double_quote_where_attributes_would_break(language):
    # Templates insert translations unescaped, some inside attribute values ("title").
    broken = [
        message.id for message in messages(language)
        for form in forms(message.string)
        if '"' in form.replace('href="%(api)s"', "")
    ]
    assert broken == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_shipped_mo_file_is_the_compiled_po_file(language):
    compiled = BytesIO()
    write_mo(compiled, catalog(language))
    compiled.seek(0)
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo", "rb") as shipped:
        # GNU gettext reads both: the catalogs it builds must hold the same messages.
        assert GNUTranslations(shipped)._catalog == GNUTranslations(compiled)._catalog

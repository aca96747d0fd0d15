"""Citation text: names cut into family and given, and characters escaped for each format."""

from types import SimpleNamespace

import pytest

from lbs.domain.citations import (
    Name,
    bibtex_escape,
    bibtex_record,
    names,
    ris_record,
    ris_value,
)


def reading(**fields):
    values = {
        "slug": "a-reading", "title": "A Reading", "authors": None, "year": None, "venue": None,
        "reading_type": "article", "doi": None, "isbn": None, "url": None, "tags": [],
    }
    values.update(fields)
    values["tags"] = [SimpleNamespace(name=n) for n in values["tags"]]
    return SimpleNamespace(**values)


@pytest.mark.parametrize("authors, expected", [
    ("Yochai Benkler", [Name("Benkler", "Yochai")]),
    ("Yochai Benkler, Helen Nissenbaum",
     [Name("Benkler", "Yochai"), Name("Nissenbaum", "Helen")]),
    ("Charlotte Hess and Elinor Ostrom", [Name("Hess", "Charlotte"), Name("Ostrom", "Elinor")]),
    ("Ludwig van Beethoven", [Name("van Beethoven", "Ludwig")]),
    ("Jean-Luc de la Fontaine", [Name("de la Fontaine", "Jean-Luc")]),
    ("Benkler, Yochai; Nissenbaum, Helen",
     [Name("Benkler", "Yochai"), Name("Nissenbaum", "Helen")]),
    ("Plato", [Name("Plato")]),
    ("  Ada   Lovelace ,  ", [Name("Lovelace", "Ada")]),
    ("", []),
    (None, []),
])
def test_authors_are_cut_into_family_and_given_names(authors, expected):
    assert names(reading(authors=authors)) == expected


@pytest.mark.parametrize("char, escaped", [
    ("{", r"\textbraceleft{}"), ("}", r"\textbraceright{}"), ("%", r"\%"), ("&", r"\&"),
    ("$", r"\$"), ("#", r"\#"), ("_", r"\_"), ("~", r"\textasciitilde{}"),
    ("^", r"\textasciicircum{}"), ("\\", r"\textbackslash{}"),
])
def test_each_latex_special_character_is_escaped(char, escaped):
    assert bibtex_escape(f"a{char}b") == f"a{escaped}b"


def test_non_ascii_text_is_kept_as_it_is():
    assert bibtex_escape("Ünïcödé “quotes” 日本") == "Ünïcödé “quotes” 日本"


def test_a_backslash_is_escaped_once_and_not_again_by_the_braces_it_brings():
    assert bibtex_escape("\\{") == r"\textbackslash{}\textbraceleft{}"


def test_a_bibtex_title_braces_words_whose_capitals_must_stay():
    record = bibtex_record(reading(title="Mapping with OpenStreetMap and DNA"))

    assert "title = {Mapping with {OpenStreetMap} and {DNA}}" in record


def test_a_url_is_left_verbatim_but_for_percent_and_hash():
    record = bibtex_record(reading(url="https://example.org/a_b~c?d=50%25#e"))

    assert r"url = {https://example.org/a_b~c?d=50\%25\#e}" in record


def test_a_multi_word_family_name_is_braced_in_bibtex():
    record = bibtex_record(reading(authors="Ludwig van Beethoven, Ada Lovelace"))

    assert "author = {{van Beethoven}, Ludwig and Lovelace, Ada}" in record


def test_a_ris_value_never_spans_lines():
    assert ris_value("one\r\ntwo\nthree\rfour  five") == "one two three four five"


def test_a_ris_record_ends_every_line_with_crlf_and_closes_with_er():
    record = ris_record(reading(title="Line\nbreak", year=2001))

    lines = record.split("\r\n")
    assert lines[0] == "TY  - JOUR"
    assert "TI  - Line break" in lines
    assert lines[-2:] == ["ER  - ", ""]

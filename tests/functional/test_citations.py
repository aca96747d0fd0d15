"""Citations of readings, read back the way reference managers read them: BibTeX through
bibtexparser (with LaTeX decoded), RIS line by line, CSL-JSON as JSON."""

import json
import re
from urllib.parse import quote

import bibtexparser
import pytest
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from tests.functional.contributing import links
from tests.functional.sharing import add_entry, add_user, change_entry

TRICKY_TITLE = "Braces {open and} close} 100% & $5 #1 a_b ~x^2 back\\slash: Ünïcödé “OpenStreetMap” 日本"
TRICKY_VENUE = "Presses de l’Université & Co_op {2}"


def _latex_decoder():
    # pylatexenc knows the LaTeX text commands but not \textbraceleft / \textbraceright, and
    # renders \textasciicircum as a modifier letter (U+02C6) rather than ^.
    context = get_default_latex_context_db()
    context.add_context_category("lbs-test", prepend=True, macros=[
        MacroTextSpec("url", simplify_repl="%s"),
        MacroTextSpec("textbraceleft", "{"),
        MacroTextSpec("textbraceright", "}"),
        MacroTextSpec("textasciicircum", "^"),
    ])
    return LatexNodes2Text(latex_context=context, math_mode="verbatim")


# Read as written, not as LaTeX: biblatex and the url package take these verbatim.
VERBATIM_FIELDS = {"url", "doi"}


def read_bibtex(text):
    """[(type, key, {field: text})] as a reference manager reads the file: LaTeX decoded,
    except in verbatim fields where only \\% and \\# are escapes."""
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, library.failed_blocks
    decoder = _latex_decoder()

    def value(field):
        if field.key in VERBATIM_FIELDS:
            return field.value.replace(r"\%", "%").replace(r"\#", "#")
        return decoder.latex_to_text(field.value)

    return [(e.entry_type, e.key, {f.key: value(f) for f in e.fields}) for e in library.entries]


def read_ris(text):
    """[{tag: [values]}]: each line `TG  - value`, each record from TY to ER."""
    records, record = [], None
    for line in text.split("\r\n"):
        if not line.strip():
            continue
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert match, f"not a RIS line: {line!r}"
        tag, value = match.groups()
        if tag == "TY":
            assert record is None, "TY before the previous record ended"
            record = {}
        assert record is not None, f"{tag} outside a record"
        if tag == "ER":
            records.append(record)
            record = None
            continue
        record.setdefault(tag, []).append(value)
    assert record is None, "the last record has no ER"
    return records


@pytest.fixture
def ada(app):
    add_user(app, "ada")
    return "ada"


@pytest.fixture
def book(app, ada):
    return add_entry(
        app, "ada", "reading", title="The Wealth of Networks",
        authors="Yochai Benkler, Ludwig van Beethoven", year=2006,
        venue="Yale University Press", reading_type="book", isbn="9780300110562",
        doi="10.1234/wealth_2006", url="https://www.benkler.org/wealth?x=1&y=50%25#top",
        tags=["commons", "economics"],
    )


@pytest.fixture
def tricky(app, ada):
    return add_entry(
        app, "ada", "reading", title=TRICKY_TITLE, authors="Ünï Çödé, Ada {Lovelace}",
        year=1843, venue=TRICKY_VENUE, reading_type="article", url="https://example.org/tricky",
    )


def download(client, path, content_type, filename):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.headers["Content-Type"] == f"{content_type}; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    return response.get_data(as_text=True)


def bib(client, slug):
    return read_bibtex(download(client, f"/entries/{slug}.bib", "application/x-bibtex",
                                f"{slug}.bib"))


def ris(client, slug):
    return read_ris(download(client, f"/entries/{slug}.ris",
                             "application/x-research-info-systems", f"{slug}.ris"))


def csl(client, slug):
    return json.loads(download(client, f"/entries/{slug}.json",
                               "application/vnd.citationstyles.csl+json", f"{slug}.json"))


def test_bibtex_of_a_book_reads_back_with_every_field(client, book):
    [(entry_type, key, fields)] = bib(client, book)

    assert entry_type == "book"
    assert key == book
    assert fields["title"] == "The Wealth of Networks"
    assert fields["author"] == "Benkler, Yochai and van Beethoven, Ludwig"
    assert fields["year"] == "2006"
    assert fields["publisher"] == "Yale University Press"
    assert fields["isbn"] == "9780300110562"
    assert fields["doi"] == "10.1234/wealth_2006"
    assert fields["url"] == "https://www.benkler.org/wealth?x=1&y=50%25#top"
    assert fields["keywords"] == "commons, economics"


def test_bibtex_escapes_latex_specials_and_keeps_unicode(client, tricky):
    text = download(client, f"/entries/{tricky}.bib", "application/x-bibtex", f"{tricky}.bib")
    [(entry_type, _, fields)] = read_bibtex(text)

    assert entry_type == "article"
    assert fields["title"] == TRICKY_TITLE
    assert fields["journal"] == TRICKY_VENUE
    assert fields["author"] == "Çödé, Ünï and {Lovelace}, Ada"
    # Non-ASCII stays as UTF-8 text, not as LaTeX accents.
    assert "Ünïcödé" in text and "日本" in text
    title_line = next(line for line in text.splitlines() if line.strip().startswith("title"))
    assert not re.search(r"(?<!\\)[%&$#_]|[~^]", title_line), title_line


def test_a_field_with_one_unmatched_brace_leaves_the_file_readable(client, tricky):
    text = download(client, f"/entries/{tricky}.bib", "application/x-bibtex", f"{tricky}.bib")

    # BibTeX matches a field's braces, escaped or not: they must pair up in every field.
    body = text.split("@article", 1)[1]
    assert body.count("{") == body.count("}")


def test_ris_of_a_book_reads_back_with_every_field(client, book):
    [record] = ris(client, book)

    assert record["TY"] == ["BOOK"]
    assert record["AU"] == ["Benkler, Yochai", "van Beethoven, Ludwig"]
    assert record["TI"] == ["The Wealth of Networks"]
    assert record["PY"] == ["2006"]
    assert record["PB"] == ["Yale University Press"]
    assert record["SN"] == ["9780300110562"]
    assert record["DO"] == ["10.1234/wealth_2006"]
    assert record["UR"] == ["https://www.benkler.org/wealth?x=1&y=50%25#top"]
    assert record["KW"] == ["commons", "economics"]


def test_ris_keeps_special_characters_as_they_are(client, tricky):
    [record] = ris(client, tricky)

    assert record["TY"] == ["JOUR"]
    assert record["TI"] == [TRICKY_TITLE]
    assert record["JO"] == [TRICKY_VENUE]
    assert record["AU"] == ["Çödé, Ünï", "{Lovelace}, Ada"]


def test_ris_puts_a_multi_line_value_on_one_line(app, client, ada):
    slug = add_entry(app, "ada", "reading", venue="First line\nsecond line")

    [record] = ris(client, slug)

    assert record["PB"] == ["First line second line"]


def test_csl_json_of_a_book_has_the_fields_citation_processors_read(client, book):
    [item] = csl(client, book)

    assert item["id"] == book
    assert item["type"] == "book"
    assert item["title"] == "The Wealth of Networks"
    assert item["author"] == [{"family": "Benkler", "given": "Yochai"},
                              {"family": "van Beethoven", "given": "Ludwig"}]
    assert item["issued"] == {"date-parts": [[2006]]}
    assert item["publisher"] == "Yale University Press"
    assert item["DOI"] == "10.1234/wealth_2006"
    assert item["ISBN"] == "9780300110562"
    assert item["URL"] == "https://www.benkler.org/wealth?x=1&y=50%25#top"


def test_csl_json_of_an_article_names_its_journal(client, tricky):
    [item] = csl(client, tricky)

    assert item["type"] == "article-journal"
    assert item["title"] == TRICKY_TITLE
    assert item["container-title"] == TRICKY_VENUE
    assert "publisher" not in item
    assert item["author"][0] == {"family": "Çödé", "given": "Ünï"}


def test_a_chapter_is_cited_in_its_book(app, client, ada):
    slug = add_entry(app, "ada", "reading", reading_type="chapter", venue="The Book of Commons")

    [(entry_type, _, fields)] = bib(client, slug)
    [record] = ris(client, slug)
    [item] = csl(client, slug)

    assert (entry_type, fields["booktitle"]) == ("incollection", "The Book of Commons")
    assert (record["TY"], record["T2"]) == (["CHAP"], ["The Book of Commons"])
    assert (item["type"], item["container-title"]) == ("chapter", "The Book of Commons")


def test_a_reading_without_authors_or_year_is_still_citable(app, client, ada):
    slug = add_entry(app, "ada", "reading", authors=None, year=None, venue=None)

    [(_, _, fields)] = bib(client, slug)
    [item] = csl(client, slug)

    assert "author" not in fields and "year" not in fields
    assert "author" not in item and "issued" not in item


@pytest.mark.parametrize("suffix", ["bib", "ris", "json"])
def test_hubs_are_not_cited(app, client, ada, suffix):
    hub = add_entry(app, "ada", "hub")

    assert client.get(f"/entries/{hub}.{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", ["bib", "ris", "json"])
def test_an_unknown_reading_is_not_found(client, suffix):
    assert client.get(f"/entries/no-such-reading.{suffix}").status_code == 404


def test_an_unknown_citation_format_is_not_found(client, book):
    assert client.get(f"/entries/{book}.docx").status_code == 404


def test_an_archived_reading_is_not_cited(app, client, book):
    change_entry(app, book, status="archived")

    assert client.get(f"/entries/{book}.bib").status_code == 404


def test_a_merged_away_reading_sends_to_the_citation_of_the_one_it_joined(app, client, book):
    other = add_entry(app, "ada", "reading", title="Wealth of Networks (copy)",
                      url="https://copy.example.org")
    with app.app_context():
        from sqlalchemy import select

        from lbs.extensions import db
        from lbs.models import Entry

        survivor_id = db.session.scalar(select(Entry.id).where(Entry.slug == book))
    change_entry(app, other, status="merged-away", merged_into_id=survivor_id)

    response = client.get(f"/entries/{other}.ris")

    assert response.status_code == 301
    assert response.location == f"/entries/{book}.ris"


def test_a_reading_page_offers_its_citations(client, book):
    page = client.get(f"/entries/{book}").get_data(as_text=True)

    assert "Cite" in page
    for suffix in ("bib", "ris", "json"):
        assert f"/entries/{book}.{suffix}" in links(page)


def test_a_hub_page_offers_no_citation(app, client, ada):
    hub = add_entry(app, "ada", "hub")

    page = client.get(f"/entries/{hub}").get_data(as_text=True)

    assert 'id="cite-heading"' not in page
    assert not any(link.endswith(".bib") for link in links(page) if link)


def list_slugs(client, path):
    """The entries a list page shows, in order."""
    page = client.get(path).get_data(as_text=True)
    return re.findall(r'<li class="entry-row">.*?href="/entries/([a-z0-9-]+)"', page, re.S)


@pytest.fixture
def shelf(app, ada):
    made = []
    for n, tag in enumerate(["commons", "maps", "commons", "commons"]):
        made.append(add_entry(app, "ada", "reading", title=f"Reading {n} on {tag}",
                              url=f"https://r{n}.example.org", tags=[tag], year=2000 + n))
        change_entry(app, made[-1], score_top=n / 10)
    add_entry(app, "ada", "hub", tags=["commons"])
    return made


@pytest.mark.parametrize("query", ["", "?sort=new", "?sort=top&tag=commons",
                                   "?tag=commons&year_from=2002"])
def test_a_readings_list_cites_the_readings_it_shows_in_order(client, shelf, query):
    shown = list_slugs(client, f"/readings{query}")

    cited = read_bibtex(download(client, f"/readings.bib{query}", "application/x-bibtex",
                                 "readings.bib"))
    as_ris = read_ris(download(client, f"/readings.ris{query}",
                               "application/x-research-info-systems", "readings.ris"))
    as_csl = json.loads(download(client, f"/readings.json{query}",
                                 "application/vnd.citationstyles.csl+json", "readings.json"))

    assert shown
    assert [key for _, key, _ in cited] == shown
    assert [r["ID"][0] for r in as_ris] == shown
    assert [item["id"] for item in as_csl] == shown


def test_search_results_are_cited_without_hubs(client, shelf):
    words = quote("commons")
    shown = list_slugs(client, f"/search?q={words}&kind=reading")

    cited = read_ris(download(client, f"/search.ris?q={words}",
                              "application/x-research-info-systems", "search-results.ris"))

    assert len(shown) == 3
    assert [r["ID"][0] for r in cited] == shown
    # The hub tagged "commons" matches too, and is left out.
    assert len(list_slugs(client, f"/search?q={words}")) == 4


def test_a_search_with_no_results_gives_an_empty_but_valid_file(client, shelf):
    text = download(client, "/search.bib?q=nothingmatchesthis", "application/x-bibtex",
                    "search-results.bib")

    assert read_bibtex(text) == []
    assert json.loads(client.get("/search.json?q=nothingmatchesthis").data) == []

"""Searching the commons: titles, summaries, authors, venues and tags, best match first, with
kind and tag filters; whatever is typed gets a friendly page; and the same commons answers
the same on SQLite (FTS5) and on PostgreSQL (tsvector)."""

import re

import pytest

from tests.functional.commons_scene import (
    add_entries,
    add_voters,
    hub,
    list_row,
    listed_slugs,
    reading,
    set_status,
    vote,
)
from tests.functional.contributing import add_user, browser, text_of

# Oldest first. Written like real entries: a word may sit in several fields of several entries,
# so the order of results depends on the ranking, not only on what matches.
CORPUS = [
    hub("Wikipedia", summary="The free encyclopedia that anyone can edit.",
        tags=["encyclopedia", "wiki"]),
    hub("OpenStreetMap", summary="A free map of the world, made by mappers.",
        tags=["maps", "geodata"]),
    hub("Appropedia", summary="A wiki for appropriate technology and sustainability.",
        tags=["wiki", "appropriate-tech"]),
    hub("P2PU", summary="Peer to peer university: learning circles in public libraries.",
        tags=["learning", "education"]),
    reading("The Wealth of Networks", authors="Yochai Benkler", venue="Yale University Press",
            summary="How social production transforms markets and freedom.",
            tags=["commons", "peer-production"]),
    reading("Governing the Commons", authors="Elinor Ostrom", venue="Cambridge University Press",
            summary="The evolution of institutions for collective action.",
            tags=["commons", "institutions"]),
    reading("Coase's Penguin", authors="Yochai Benkler", venue="Yale Law Journal",
            summary="Linux and the nature of the firm: commons-based peer production.",
            tags=["peer-production"]),
    reading("The Cathedral and the Bazaar", authors="Eric S. Raymond", venue="O'Reilly Media",
            summary="Musings on Linux and open source by an accidental revolutionary.",
            tags=["open-source"]),
    reading("Wikinomics", authors="Don Tapscott, Anthony D. Williams", venue="Portfolio",
            summary="How mass collaboration changes everything, from Wikipedia to Linux.",
            tags=["collaboration"]),
    hub("Biogas digester builders",
        summary="A network of builders sharing open designs of biogas digesters.",
        tags=["energy", "open-hardware"]),
]


@pytest.fixture
def corpus(app):
    add_user(app, "owner")
    return add_entries(app, "owner", CORPUS)


def results(client, query, **filters):
    response = client.get("/search", query_string={"q": query, **filters})
    assert response.status_code == 200, query
    return listed_slugs(response.get_data(as_text=True))


# --- what is searched -------------------------------------------------------------------------


@pytest.mark.parametrize("query, found", [
    ("Governing", "governing-the-commons"),        # title
    ("sustainability", "appropedia"),             # summary
    ("Ostrom", "governing-the-commons"),           # authors
    ("Cambridge", "governing-the-commons"),        # venue
    ("geodata", "openstreetmap"),                  # tags
])
def test_search_looks_in_every_field(client, corpus, query, found):
    assert results(client, query) == [found]


def test_search_is_blind_to_case(client, corpus):
    assert results(client, "OSTROM") == ["governing-the-commons"]
    assert results(client, "ostrom") == ["governing-the-commons"]


def test_a_word_typed_with_its_accents_finds_it(app, client, corpus):
    add_entries(app, "owner", [hub("Café Commun", summary="Réseau d'échange.")])

    assert results(client, "CAFÉ") == ["cafe-commun"]
    assert results(client, "réseau") == ["cafe-commun"]


def test_a_word_typed_without_its_accents_finds_it(request, dialect, app, client, corpus):
    request.node.add_marker(pytest.mark.xfail(
        dialect == "postgresql", strict=True,
        reason="FTS5 removes diacritics (remove_diacritics 2) but migration 0002's tsvector "
        "uses the 'simple' configuration without unaccent, so 'cafe' misses 'Café' there",
    ))
    add_entries(app, "owner", [hub("Café Commun", summary="Réseau d'échange.")])

    assert results(client, "cafe") == ["cafe-commun"]
    assert results(client, "reseau") == ["cafe-commun"]


def test_the_last_word_matches_as_a_prefix_while_typing(client, corpus):
    assert results(client, "encyclop") == ["wikipedia"]


def test_every_word_must_match(client, corpus):
    assert results(client, "linux commons") == ["coase-s-penguin"]
    assert results(client, "linux ostrom") == []


def test_a_title_match_ranks_above_a_summary_match(client, corpus):
    assert results(client, "wikipedia") == ["wikipedia", "wikinomics"]


def test_a_result_row_links_the_entry_and_shows_its_kind_and_tags(client, corpus):
    page = client.get("/search?q=ostrom").get_data(as_text=True)

    row = list_row(page, "governing-the-commons")
    assert '<a href="/entries/governing-the-commons">Governing the Commons</a>' in row
    assert '<span class="muted">reading</span>' in row
    assert re.findall(r'<a class="tag" href="/tags/([^"]+)">', row) == ["commons", "institutions"]


def test_a_signed_in_peer_can_vote_from_the_results(app, corpus):
    add_user(app, "bob")

    page = browser(app, "bob").get("/search?q=ostrom").get_data(as_text=True)

    assert "/vote/entry/" in list_row(page, "governing-the-commons")


# --- filters ----------------------------------------------------------------------------------


def test_results_can_be_narrowed_to_one_kind(client, corpus):
    assert results(client, "wiki", kind="hub") == ["wikipedia", "appropedia"]
    assert results(client, "wiki", kind="reading") == ["wikinomics"]


def test_results_can_be_narrowed_to_a_tag(client, corpus):
    assert results(client, "yale", tag="commons") == ["the-wealth-of-networks"]
    assert results(client, "linux", tag="Open-Source") == ["the-cathedral-and-the-bazaar"]


def test_an_unknown_tag_or_kind_filter_is_handled_gently(client, corpus):
    assert results(client, "benkler", tag="no-such-tag") == []
    assert results(client, "benkler", tag="\x00") == []
    assert len(results(client, "benkler", kind="poem")) == 2


def test_the_form_keeps_what_was_searched(client, corpus):
    page = client.get("/search?q=benkler&kind=reading&tag=commons").get_data(as_text=True)

    assert 'name="q" type="search" value="benkler"' in page
    assert '<option value="reading" selected>' in page
    assert 'name="tag" value="commons"' in page


# --- what never appears -----------------------------------------------------------------------


def test_archived_and_merged_away_entries_never_appear(app, client, corpus):
    add_user(app, "mod", role="moderator")
    set_status(app, "mod", "wikinomics", "archived")
    set_status(app, "mod", "coase-s-penguin", "merged-away", into="the-wealth-of-networks")

    assert results(client, "linux") == ["the-cathedral-and-the-bazaar"]
    assert results(client, "benkler") == ["the-wealth-of-networks"]
    assert results(client, "wikinomics") == []


def test_an_edited_entry_is_found_by_its_new_words_only(app, client, corpus):
    from sqlalchemy import select

    from lbs.domain import entries
    from lbs.extensions import db
    from lbs.models import Entry, User

    with app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.slug == "p2pu"))
        owner = db.session.scalar(select(User).where(User.username == "owner"))
        fields = {**entries.snapshot(entry), "title": "Peer 2 Peer University",
                  "summary": "Free courses online."}
        entries.add_revision(entry, fields, owner, None, reason="Clearer.")
        db.session.commit()

    assert results(client, "courses") == ["p2pu"]
    assert results(client, "circles") == []


# --- many results -----------------------------------------------------------------------------


def test_results_come_30_a_page_and_the_next_link_keeps_the_query(app, client):
    add_user(app, "owner")
    add_entries(app, "owner", [hub(f"Garden {i}", tags=["gardens"]) for i in range(35)])

    page = client.get("/search?q=garden&kind=hub").get_data(as_text=True)

    assert len(listed_slugs(page)) == 30
    next_link = re.search(r'rel="next" href="([^"]+)"', page).group(1)
    assert "q=garden" in next_link and "kind=hub" in next_link and "page=2" in next_link
    second = client.get(next_link.replace("&amp;", "&")).get_data(as_text=True)
    assert len(listed_slugs(second)) == 5


def test_between_equal_matches_the_better_voted_entry_comes_first(app, client):
    add_user(app, "owner")
    plain, liked = add_entries(app, "owner", [hub("Seed library"), hub("Seed bank")])
    vote(app, add_voters(app, 2), liked)

    assert results(client, "seed") == [liked, plain]


@pytest.fixture
def five_candidates(monkeypatch):
    from lbs.domain import search

    monkeypatch.setattr(search, "CANDIDATES", 5)


def test_a_very_common_word_ranks_only_its_newest_matches(app, client, five_candidates):
    # A word in more than CANDIDATES entries is ranked among its newest CANDIDATES matches,
    # so a search costs the same however large the commons grows.
    add_user(app, "owner")
    oldest, *others = add_entries(app, "owner", [hub("Seed seed seed")] + [
        hub(f"Garden {i}", summary="Sharing seed.") for i in range(6)])

    found = results(client, "seed")

    assert found == list(reversed(others))[:5]
    assert oldest not in found  # the best match, but the oldest of seven


def test_the_newest_matches_are_counted_after_the_filters(app, client, five_candidates):
    add_user(app, "owner")
    title_match, *_ = add_entries(app, "owner", [reading("Seed seed seed")] + [
        hub(f"Garden {i}", summary="Sharing seed.") for i in range(6)])

    assert results(client, "seed", kind="reading") == [title_match]


def test_among_the_candidates_the_best_match_still_comes_first(app, client, five_candidates):
    add_user(app, "owner")
    *_, best, newest = add_entries(app, "owner", [
        hub(f"Garden {i}", summary="Sharing seed.") for i in range(6)] + [
        hub("Seed seed seed"), hub("Garden last", summary="Sharing seed.")])

    found = results(client, "seed")

    assert found[0] == best
    assert len(found) == 5 and newest in found


# --- whatever is typed ------------------------------------------------------------------------


FTS_SYNTAX = ["AND", "OR", "NOT", '"x', "x\"", "C++", "NEAR(", "NEAR(a b", "*", "a*", "-",
              "title:wiki", "^wiki", "(", ")", "{title}: x", "'", "\\", "a & b", "!x", "x:*",
              "x | y", "<->", "%", "_", "\x00", "wiki\x00", "😀", "\u200b"]


@pytest.mark.parametrize("query", FTS_SYNTAX)
def test_search_syntax_is_just_text(client, corpus, query):
    response = client.get("/search", query_string={"q": query})

    assert response.status_code == 200
    assert "Search the commons" in response.get_data(as_text=True)


def test_an_operator_word_is_searched_as_a_word(client, corpus):
    assert results(client, "cathedral AND bazaar") == ["the-cathedral-and-the-bazaar"]
    assert results(client, "C++ linux") == []


def test_a_10_kb_query_gets_a_friendly_page(client, corpus):
    response = client.get("/search", query_string={"q": "commons " * 1280})

    assert response.status_code == 200
    assert listed_slugs(response.get_data(as_text=True))[0] == "governing-the-commons"


def test_an_empty_query_explains_what_can_be_searched(client, corpus):
    page = client.get("/search?q=").get_data(as_text=True)

    assert "titles, summaries, authors, venues and tags are searched" in text_of(page)
    assert listed_slugs(page) == []


def test_punctuation_alone_is_answered_with_advice(client, corpus):
    page = client.get("/search", query_string={"q": "?! -- ..."}).get_data(as_text=True)

    assert "There are no words to search for" in text_of(page)


def test_no_match_says_so_and_keeps_the_query(client, corpus):
    page = client.get("/search?q=zeppelin").get_data(as_text=True)

    assert "Nothing in the commons matches “zeppelin”" in text_of(page)


@pytest.mark.parametrize("page_number", ["-1", "abc", "1001"])
def test_odd_page_numbers_get_a_clean_answer(client, corpus, page_number):
    response = client.get(f"/search?q=commons&page={page_number}")

    assert response.status_code in (200, 400)
    assert '<nav aria-label="Main">' in response.get_data(as_text=True)


# --- the same answers on both databases -------------------------------------------------------

# The same expected lists whichever database the suite runs on: the suite runs once on SQLite
# and once on PostgreSQL, so each run holds that database to the same top 3.
SAME_TOP_3 = {
    "commons": ["governing-the-commons", "the-wealth-of-networks", "coase-s-penguin"],
    "benkler": ["the-wealth-of-networks", "coase-s-penguin"],
    "yochai benkler": ["the-wealth-of-networks", "coase-s-penguin"],
    "linux": ["wikinomics", "coase-s-penguin", "the-cathedral-and-the-bazaar"],
    "wiki": ["wikipedia", "appropedia", "wikinomics"],
    "wikipedia": ["wikipedia", "wikinomics"],
    "free": ["wikipedia", "openstreetmap", "the-wealth-of-networks"],
    "university press": ["governing-the-commons", "the-wealth-of-networks"],
    "yale": ["the-wealth-of-networks", "coase-s-penguin"],
    "production": ["the-wealth-of-networks", "coase-s-penguin"],
    "peer production": ["the-wealth-of-networks", "coase-s-penguin"],
    "how": ["wikinomics", "the-wealth-of-networks"],
    "network": ["the-wealth-of-networks", "biogas-digester-builders"],
    "the": ["the-cathedral-and-the-bazaar", "governing-the-commons", "the-wealth-of-networks"],
}


@pytest.mark.parametrize("query", SAME_TOP_3)
def test_a_fixed_commons_gives_the_same_top_3_on_either_database(client, corpus, query):
    assert results(client, query)[:3] == SAME_TOP_3[query]


# PostgreSQL's parser indexes "open-hardware" as the whole word and as its two halves, where
# FTS5 sees only the halves; migration 0003 gives PostgreSQL the halves alone, so entries with
# hyphenated words rank alike on both.
HYPHENATED = {
    "open": ["openstreetmap", "biogas-digester-builders", "the-cathedral-and-the-bazaar"],
    "peer": ["coase-s-penguin", "the-wealth-of-networks", "p2pu"],
}


@pytest.mark.parametrize("query", HYPHENATED)
def test_hyphenated_words_rank_the_same_on_either_database(request, dialect, client, corpus, query):
    # Both now see the same words; what is left is the ranking functions themselves.
    request.node.add_marker(pytest.mark.xfail(
        dialect == "postgresql" and query == "peer", strict=True,
        reason="bm25 lifts Coase's Penguin for its second 'peer' (in the summary) above The "
        "Wealth of Networks; ts_rank, normalised by length, keeps the shorter entry first",
    ))

    assert results(client, query)[:3] == HYPHENATED[query]

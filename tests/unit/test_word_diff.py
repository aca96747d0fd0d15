"""word_diff: how a reader of an entry's history sees one field change, word by word."""

from lbs.domain.history import word_diff


def shown(pieces):
    """The pieces the way the history page marks them up."""
    marks = {"equal": "{}", "delete": "<del>{}</del>", "insert": "<ins>{}</ins>"}
    return "".join(marks[op].format(text) for op, text in pieces)


def test_an_unchanged_text_is_one_equal_piece():
    assert word_diff("The free map.", "The free map.") == [("equal", "The free map.")]


def test_one_changed_word_is_deleted_and_inserted_between_equal_words():
    assert word_diff("The free map of the world", "The open map of the world") == [
        ("equal", "The "), ("delete", "free"), ("insert", "open"), ("equal", " map of the world"),
    ]


def test_added_words_are_inserted_only():
    assert shown(word_diff("A map", "A free map")) == "A <ins>free </ins>map"


def test_removed_words_are_deleted_only():
    assert shown(word_diff("A free map", "A map")) == "A <del>free </del>map"


def test_a_field_filled_for_the_first_time_is_one_insertion():
    assert word_diff(None, "Europe") == [("insert", "Europe")]


def test_a_field_emptied_is_one_deletion():
    assert word_diff("Europe", "") == [("delete", "Europe")]


def test_line_breaks_and_spacing_survive_the_diff():
    assert shown(word_diff("First line.\n\nSecond  line.", "First line.\n\nThird  line.")) == (
        "First line.\n\n<del>Second</del><ins>Third</ins>  line.")


def test_numbers_are_compared_as_text():
    assert word_diff(2006, 2007) == [("delete", "2006"), ("insert", "2007")]


def test_a_list_is_compared_item_by_item():
    assert shown(word_diff(["geodata", "maps"], ["maps", "openness"])) == (
        "<del>geodata</del>, maps, <ins>openness</ins>")


def test_a_list_started_from_nothing_is_all_insertions():
    assert word_diff(None, ["maps", "wiki"]) == [
        ("insert", "maps"), ("equal", ", "), ("insert", "wiki")]


def test_nothing_to_nothing_has_no_change():
    assert [piece for piece in word_diff(None, "") if piece[0] != "equal"] == []

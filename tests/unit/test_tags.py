"""Tags as people type them become short lower-case words; at most five per entry."""

import pytest

from lbs.domain.errors import Invalid
from lbs.domain.tags import MAX_TAG_LENGTH, MAX_TAGS, normalize_tags


def test_tags_typed_with_commas_or_spaces_become_a_list():
    assert normalize_tags("maps, open-data water") == ["maps", "open-data", "water"]


def test_tags_are_kept_in_name_order_as_entries_show_them():
    # Stored in any other order, a revision and its entry would disagree about the same tags.
    assert normalize_tags("water, maps, energy") == ["energy", "maps", "water"]


def test_tags_are_lower_case_without_a_leading_hash():
    assert normalize_tags("#Maps, WATER") == ["maps", "water"]


def test_a_tag_given_twice_counts_once():
    assert normalize_tags("maps, Maps, #maps") == ["maps"]


def test_empty_input_means_no_tags():
    assert normalize_tags("") == []
    assert normalize_tags(" , ,") == []
    assert normalize_tags(None) == []


def test_a_list_of_tags_is_accepted_as_well():
    assert normalize_tags(["Maps", "water"]) == ["maps", "water"]


def test_five_tags_are_accepted():
    assert len(normalize_tags("a, b, c, d, e")) == MAX_TAGS == 5


def test_a_sixth_tag_is_refused():
    with pytest.raises(Invalid) as refused:
        normalize_tags("a, b, c, d, e, f")

    assert refused.value.field == "tags"


@pytest.mark.parametrize(
    "typed", ["open_data", "-maps", "maps-", "c++", "<script>", "wasser\u00e4", "a--b"]
)
def test_a_tag_outside_a_z_0_9_and_inner_hyphens_is_refused(typed):
    with pytest.raises(Invalid) as refused:
        normalize_tags(typed)

    assert refused.value.field == "tags"


def test_a_tag_longer_than_the_limit_is_refused():
    assert normalize_tags("a" * MAX_TAG_LENGTH) == ["a" * MAX_TAG_LENGTH]
    with pytest.raises(Invalid):
        normalize_tags("a" * (MAX_TAG_LENGTH + 1))

"""The two stored scores order lists the way DESIGN.md promises."""

import math
from datetime import datetime, timedelta

import pytest

from lbs.domain.ranking import DEFAULT_HOT_TAU, HOT_EPOCH, hot_score, wilson_lower_bound

NOON = datetime(2026, 3, 1, 12, 0)


def test_nothing_voted_scores_zero_on_top():
    assert wilson_lower_bound(0, 0) == 0.0


def test_the_wilson_bound_matches_the_published_formula():
    # 1 up, 0 down at z = 1.96: z²/(n + z²) = 3.8416/4.8416.
    assert wilson_lower_bound(1, 0) == pytest.approx(1 / (1 + 1.96**2), rel=1e-9)
    # Evan Miller's worked example: 90 up and 10 down give about 0.825.
    assert wilson_lower_bound(90, 10) == pytest.approx(0.8256, abs=1e-4)


def test_few_votes_rank_below_many_mostly_good_votes():
    assert wilson_lower_bound(1, 0) < wilson_lower_bound(90, 10)


def test_more_ups_never_lower_the_top_score_and_more_downs_never_raise_it():
    for ups in range(0, 20):
        for downs in range(0, 20):
            assert wilson_lower_bound(ups + 1, downs) >= wilson_lower_bound(ups, downs)
            assert wilson_lower_bound(ups, downs + 1) <= wilson_lower_bound(ups, downs)


def test_an_entry_with_only_down_votes_never_outranks_one_without_votes():
    for downs in range(1, 30):
        assert wilson_lower_bound(0, downs) <= wilson_lower_bound(0, 0)


def test_the_top_score_stays_between_zero_and_one():
    assert 0 <= wilson_lower_bound(0, 50) <= wilson_lower_bound(1000, 0) < 1


def test_hot_is_age_over_tau_when_votes_cancel_out():
    created = HOT_EPOCH + timedelta(seconds=DEFAULT_HOT_TAU * 3)

    assert hot_score(4, 4, created) == pytest.approx(3.0)


def test_ten_times_the_net_votes_is_worth_one_tau_of_freshness():
    older = hot_score(100, 0, NOON)
    newer = hot_score(10, 0, NOON + timedelta(seconds=DEFAULT_HOT_TAU))

    assert older == pytest.approx(newer)


def test_hot_follows_the_formula_for_net_down_votes():
    s = 3 - 30
    expected = -math.log10(abs(s)) + (NOON - HOT_EPOCH).total_seconds() / DEFAULT_HOT_TAU

    assert hot_score(3, 30, NOON) == pytest.approx(expected, abs=1e-6)


def test_with_equal_votes_the_newer_item_is_hotter():
    assert hot_score(5, 1, NOON + timedelta(hours=1)) > hot_score(5, 1, NOON)


def test_with_equal_age_more_net_votes_are_hotter():
    assert hot_score(6, 1, NOON) > hot_score(5, 1, NOON) > hot_score(1, 1, NOON) > hot_score(1, 5, NOON)


def test_the_hot_score_depends_on_the_creation_time_not_the_clock():
    # Stored once, it must stay right: the same inputs always give the same number.
    assert hot_score(7, 2, NOON) == hot_score(7, 2, NOON)


def test_a_smaller_tau_makes_age_count_for_more():
    later = NOON + timedelta(hours=1)

    gap_small_tau = hot_score(1, 0, later, tau=1000) - hot_score(1, 0, NOON, tau=1000)
    gap_default = hot_score(1, 0, later) - hot_score(1, 0, NOON)

    assert gap_small_tau > gap_default

"""Small-group and complementary suppression: examples, and properties over any team counts."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.wellbeing.suppression import publish

K = 5


def test_teams_at_the_threshold_are_shown_and_below_it_hidden():
    assert publish({"a": 5, "b": 9}, K).shown == {"a", "b"}
    result = publish({"a": 4, "b": 3, "c": 9}, K)
    assert result.suppressed == {"a", "b"} and result.shown == {"c"}


def test_one_hidden_team_hides_the_next_smallest_sibling_too():
    result = publish({"small": 4, "mid": 6, "big": 7}, K)
    assert result.suppressed == {"small", "mid"}
    assert result.shown == {"big"}
    assert result.total_shown


def test_hidden_teams_whose_sum_is_below_the_threshold_take_a_sibling_along():
    result = publish({"a": 1, "b": 2, "c": 30, "d": 40}, K)
    assert result.suppressed == {"a", "b", "c"}
    assert result.total_shown


def test_two_hidden_teams_with_enough_together_need_no_complement():
    result = publish({"a": 3, "b": 4, "c": 10}, K)
    assert result.suppressed == {"a", "b"}
    assert result.shown == {"c"}
    assert result.total_shown


def test_a_division_below_the_threshold_shows_nothing():
    result = publish({"a": 2, "b": 2}, K)
    assert result.shown == frozenset()
    assert not result.total_shown


def test_a_lone_team_below_the_threshold_hides_the_total():
    assert not publish({"a": 4}, K).total_shown
    assert publish({"a": 5}, K).total_shown


def test_when_nothing_is_small_everything_is_shown():
    result = publish({"a": 5, "b": 12}, K)
    assert result.suppressed == frozenset() and result.total_shown


def test_zero_check_ins_is_a_value_too():
    """A team where nobody checked in must not be recognisable as such by subtraction."""
    result = publish({"empty": 0, "a": 9, "b": 11}, K)
    assert result.suppressed == {"empty", "a"}


def test_ties_are_broken_by_key_so_the_outcome_is_stable():
    assert publish({1: 4, 2: 6, 3: 6}, K).suppressed == {1, 2}


def test_the_threshold_must_be_positive():
    with pytest.raises(ValueError):
        publish({"a": 1}, 0)


# -- properties -----------------------------------------------------------------------------------

team_counts = st.dictionaries(st.integers(min_value=1, max_value=12), st.integers(min_value=0, max_value=25), max_size=7)
thresholds = st.integers(min_value=5, max_value=12)


def feasible_values(counts, result) -> dict:
    """What someone who sees the published numbers can tell about each hidden team: every value it
    could have, consistent with the shown teams and the shown total (counts are never negative).

    The hidden teams add up to the remainder (total minus shown teams). A value v is possible for
    one hidden team when the other hidden teams can make up the rest, remainder - v, with counts
    of zero or more: always when there are others and v <= remainder, else only v == remainder."""
    hidden = sorted(result.suppressed)
    if not result.total_shown:
        return {key: None for key in hidden}  # no total: nothing ties the hidden teams down
    remainder = sum(counts.values()) - sum(counts[key] for key in result.shown)
    others = len(hidden) - 1
    return {
        key: {v for v in range(remainder + 1) if (remainder - v >= 0 if others else remainder - v == 0)}
        for key in hidden
    }


@settings(max_examples=300, deadline=None)
@given(team_counts, thresholds)
def test_no_hidden_team_can_be_derived_from_the_shown_values_and_total(counts, threshold):
    result = publish(counts, threshold)
    for key, values in feasible_values(counts, result).items():
        assert values is None or len(values) >= 2, (key, counts, result)


@settings(max_examples=300, deadline=None)
@given(team_counts, thresholds)
def test_what_subtraction_reveals_is_itself_a_group_of_at_least_the_threshold(counts, threshold):
    """Total minus shown teams is the hidden teams together: at least two teams and enough people,
    so their answers are mixed like any shown group's."""
    result = publish(counts, threshold)
    if result.total_shown and result.suppressed:
        assert len(result.suppressed) >= 2
        assert sum(counts[key] for key in result.suppressed) >= threshold


@settings(max_examples=300, deadline=None)
@given(team_counts, thresholds)
def test_every_shown_group_meets_the_threshold(counts, threshold):
    result = publish(counts, threshold)
    assert all(counts[key] >= threshold for key in result.shown)
    assert not result.total_shown or sum(counts.values()) >= threshold
    assert result.shown | result.suppressed == set(counts) and not result.shown & result.suppressed


@settings(max_examples=300, deadline=None)
@given(team_counts, thresholds)
def test_the_total_is_shown_exactly_when_the_division_reaches_the_threshold(counts, threshold):
    """The overview relies on this: it shows a division total by its size alone."""
    assert publish(counts, threshold).total_shown == (sum(counts.values()) >= threshold)


@settings(max_examples=200, deadline=None)
@given(team_counts, thresholds)
def test_only_the_smallest_shown_teams_are_hidden_as_complements(counts, threshold):
    """Complements are taken smallest first, so no shown team is smaller than a complement."""
    result = publish(counts, threshold)
    complements = {key for key in result.suppressed if counts[key] >= threshold}
    if complements and result.shown:
        assert max((counts[k], k) for k in complements) < min((counts[k], k) for k in result.shown)

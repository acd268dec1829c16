"""Periods from a campaign's cadence."""
from __future__ import annotations

import itertools
from datetime import date

import pytest

from plugins.wellbeing.periods import period_containing, periods_until


@pytest.mark.parametrize("cadence, day, expected", [
    ("weekly", date(2026, 3, 2), (date(2026, 3, 2), date(2026, 3, 8))),
    ("weekly", date(2026, 3, 15), (date(2026, 3, 9), date(2026, 3, 15))),
    ("biweekly", date(2026, 3, 16), (date(2026, 3, 16), date(2026, 3, 29))),
    ("monthly", date(2026, 4, 1), (date(2026, 3, 2), date(2026, 4, 1))),
    ("monthly", date(2026, 4, 2), (date(2026, 4, 2), date(2026, 5, 1))),
])
def test_the_period_holding_a_day(cadence, day, expected):
    assert period_containing(cadence, date(2026, 3, 2), None, day) == expected


def test_a_month_from_the_31st_uses_the_last_day_of_shorter_months():
    assert period_containing("monthly", date(2026, 1, 31), None, date(2026, 3, 1)) == (date(2026, 2, 28), date(2026, 3, 30))


def test_no_period_before_the_start_or_after_the_end():
    assert period_containing("weekly", date(2026, 3, 2), date(2026, 3, 31), date(2026, 3, 1)) is None
    assert period_containing("weekly", date(2026, 3, 2), date(2026, 3, 31), date(2026, 4, 1)) is None


def test_the_last_period_stops_at_the_campaign_end():
    assert period_containing("weekly", date(2026, 3, 2), date(2026, 3, 11), date(2026, 3, 10)) == (date(2026, 3, 9), date(2026, 3, 11))


def test_an_unknown_cadence_fails_loudly():
    with pytest.raises(ValueError):
        period_containing("daily", date(2026, 3, 2), None, date(2026, 3, 3))


def test_periods_until_a_day_follow_each_other_without_gaps():
    periods = periods_until("weekly", date(2026, 3, 2), None, date(2026, 3, 20))
    assert [p[0] for p in periods] == [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]
    assert all((b[0] - a[1]).days == 1 for a, b in itertools.pairwise(periods))

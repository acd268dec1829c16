"""The Wet flexibel werken dates, month ends and leap years included."""
from __future__ import annotations

from datetime import date

import pytest

from plugins.flexwork import wfw


@pytest.mark.parametrize(("start", "deadline"), [
    (date(2027, 6, 15), date(2027, 5, 15)),
    (date(2028, 3, 31), date(2028, 2, 29)),  # leap year: the last day of February
    (date(2027, 3, 31), date(2027, 2, 28)),  # common year
    (date(2028, 3, 29), date(2028, 2, 29)),
    (date(2028, 3, 30), date(2028, 2, 29)),
    (date(2027, 5, 31), date(2027, 4, 30)),  # a 31st back to a 30-day month
    (date(2027, 1, 15), date(2026, 12, 15)),  # across the turn of the year
    (date(2028, 2, 29), date(2028, 1, 29)),
])
def test_decision_deadline_is_one_calendar_month_before_the_start(start, deadline):
    assert wfw.decision_deadline(start) == deadline


@pytest.mark.parametrize(("start", "latest"), [
    (date(2027, 9, 1), date(2027, 7, 1)),
    (date(2028, 4, 30), date(2028, 2, 29)),  # leap year
    (date(2027, 4, 30), date(2027, 2, 28)),
    (date(2027, 12, 31), date(2027, 10, 31)),
    (date(2027, 2, 28), date(2026, 12, 28)),
])
def test_latest_request_date_is_two_calendar_months_before_the_start(start, latest):
    assert wfw.latest_request_date(start) == latest


def test_request_on_the_last_day_is_in_time_and_a_day_later_is_not():
    start = date(2028, 4, 30)
    assert wfw.requested_in_time(date(2028, 2, 29), start)
    assert not wfw.requested_in_time(date(2028, 3, 1), start)


def test_twenty_six_weeks_of_service_on_the_start_date():
    start = date(2027, 7, 1)
    assert wfw.service_start_needed(start) == date(2026, 12, 31)
    assert wfw.has_service(date(2026, 12, 31), start)  # exactly 26 weeks
    assert not wfw.has_service(date(2027, 1, 1), start)  # a day short
    assert not wfw.has_service(None, start)


def test_twenty_six_weeks_across_a_leap_day():
    start = date(2028, 6, 1)
    assert wfw.service_start_needed(start) == date(2027, 12, 2)  # 182 days, 29 February among them
    assert wfw.has_service(date(2027, 12, 2), start)
    assert not wfw.has_service(date(2027, 12, 3), start)


def test_deciding_on_the_deadline_is_in_time_the_next_day_is_not():
    deadline = date(2028, 2, 29)
    assert not wfw.is_past_deadline(deadline, date(2028, 2, 29))
    assert wfw.is_past_deadline(deadline, date(2028, 3, 1))
    assert wfw.days_left(deadline, date(2028, 2, 22)) == 7
    assert wfw.days_left(deadline, date(2028, 3, 1)) == -1


def test_assess_brings_the_rules_together():
    result = wfw.assess(date(2028, 3, 31), submitted_on=date(2028, 2, 1), employment_start=date(2027, 1, 1))
    assert result.deadline == date(2028, 2, 29)
    assert result.latest_request == date(2028, 1, 31)
    assert result.in_time is False
    assert result.service_ok is True

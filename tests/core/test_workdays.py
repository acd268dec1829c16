"""Due dates fall on Dutch working days."""

from datetime import date

from core import workdays


def test_weekends_and_dutch_public_holidays_are_not_working_days():
    assert workdays.is_working_day(date(2026, 4, 24))  # a Friday
    assert not workdays.is_working_day(date(2026, 4, 25))  # Saturday
    assert not workdays.is_working_day(date(2026, 4, 27))  # King's Day, a Monday
    assert not workdays.is_working_day(date(2026, 12, 25))  # Christmas
    assert not workdays.is_working_day(date(2026, 5, 14))  # Ascension Day


def test_a_task_after_the_start_moves_forward_past_weekend_and_holiday():
    # Start on Thursday 23 April 2026; +2 is Saturday, then Sunday and King's Day: Tuesday 28 April.
    assert workdays.due_date(date(2026, 4, 23), 2) == date(2026, 4, 28)


def test_a_task_before_day_one_moves_backward_and_stays_before_it():
    # Start Tuesday 28 April 2026; -1 is King's Day, -2 and -3 the weekend: Friday 24 April.
    assert workdays.due_date(date(2026, 4, 28), -1) == date(2026, 4, 24)


def test_a_due_date_is_never_before_the_journey_began():
    assert workdays.due_date(date(2026, 6, 15), -10, not_before=date(2026, 6, 11)) == date(2026, 6, 11)
    # ... and when that day is a Saturday, the next working day.
    assert workdays.due_date(date(2026, 6, 15), -10, not_before=date(2026, 6, 13)) == date(2026, 6, 15)


def test_counting_working_days_skips_weekends_and_holidays():
    assert workdays.working_days_before(date(2026, 4, 28), 2) == date(2026, 4, 23)  # over King's Day and a weekend
    assert workdays.working_days_before(date(2026, 12, 28), 1) == date(2026, 12, 24)  # over Christmas

"""Every Arbeidstijdenwet rule at its boundary: exactly at the limit is fine, a minute over warns."""
from __future__ import annotations

import pytest

from plugins.flexwork.labour import LabourRules, check_pattern, check_weeks
from plugins.flexwork.pattern import Block, parse_time

ATW = LabourRules()
OFFICE_WEEK = [Block(d, 8 * 60, 17 * 60) for d in range(5)]


def b(day, start, end, overnight=False):
    return Block(day, parse_time(start), parse_time(end), "office", overnight)


def rules_broken(findings, rule):
    return [f for f in findings if f.rule == rule]


def test_defaults_are_the_arbeidstijdenwet():
    assert ATW == LabourRules(12, 60, 55, 48, 11, 36)


def test_settings_override_the_defaults_and_blanks_keep_them():
    rules = LabourRules.from_settings({"max_shift_hours": 10, "min_daily_rest_hours": "", "other": 1})
    assert rules.max_shift_hours == 10 and rules.min_daily_rest_hours == 11


def test_an_ordinary_office_week_breaks_nothing():
    assert check_pattern(OFFICE_WEEK, ATW) == []


def test_an_empty_pattern_breaks_nothing():
    assert check_pattern([], ATW) == []


# -- at most 12 hours per shift -------------------------------------------------------------

def test_shift_of_exactly_twelve_hours_is_fine():
    assert rules_broken(check_pattern([b(0, "06:00", "18:00")], ATW), "shift") == []


def test_shift_a_minute_over_twelve_hours_warns():
    [finding] = rules_broken(check_pattern([b(0, "06:00", "18:01")], ATW), "shift")
    assert (finding.value, finding.limit, finding.day) == (12 * 60 + 1, 720, 0)


def test_a_shift_counts_its_blocks_not_its_breaks():
    pattern = [b(0, "06:00", "12:00"), b(0, "12:30", "18:30")]
    assert rules_broken(check_pattern(pattern, ATW), "shift") == []
    pattern = [b(0, "06:00", "12:00"), b(0, "12:30", "18:31")]
    assert len(rules_broken(check_pattern(pattern, ATW), "shift")) == 1


def test_a_night_shift_over_midnight_is_one_shift():
    assert rules_broken(check_pattern([b(4, "19:00", "07:00", True)], ATW), "shift") == []
    assert len(rules_broken(check_pattern([b(4, "19:00", "07:01", True)], ATW), "shift")) == 1


# -- at most 60 hours per week ------------------------------------------------------------------

def _light_weeks(heavy_week, count=16):
    return [heavy_week] + [OFFICE_WEEK[:1]] * (count - 1)


def test_sixty_hours_in_a_week_is_fine():
    week = [b(d, "07:00", "19:00") for d in range(5)]  # 5 x 12 h
    assert rules_broken(check_weeks(_light_weeks(week), ATW), "week") == []


def test_a_minute_over_sixty_hours_warns():
    week = [b(d, "07:00", "19:00") for d in range(4)] + [b(4, "07:00", "19:00"), b(5, "08:00", "08:01")]
    [finding] = rules_broken(check_weeks(_light_weeks(week), ATW), "week")
    assert (finding.value, finding.limit, finding.week) == (60 * 60 + 1, 3600, 0)


def test_hours_of_a_night_are_counted_in_the_week_they_fall_in():
    # Sunday 20:00 to Monday 08:00: 4 hours in this week, 8 in the next.
    week = [b(d, "07:00", "19:00") for d in range(4)] + [b(4, "07:00", "15:00"), b(6, "20:00", "08:00", True)]
    assert rules_broken(check_weeks([week, []], LabourRules(max_week_hours=60)), "week") == []
    heavier = [b(d, "07:00", "19:00") for d in range(4)] + [b(4, "07:00", "15:01"), b(6, "20:00", "08:00", True)]
    [finding] = rules_broken(check_weeks([heavier, []], ATW), "week")
    assert finding.week == 0


# -- at most 55 hours a week on average over 4 weeks ------------------------------------------

def _weeks_of(hours_per_week: list[int]) -> list[list[Block]]:
    """Weeks of whole hours spread over five days of at most 12 hours (and rest between them)."""
    weeks = []
    for hours in hours_per_week:
        minutes, week = hours * 60, []
        for day in range(5):
            today = min(minutes, 12 * 60)
            if today:
                week.append(Block(day, 7 * 60, 7 * 60 + today))
            minutes -= today
        weeks.append(week)
    return weeks


def test_an_average_of_55_hours_over_4_weeks_is_fine():
    weeks = _weeks_of([55, 55, 55, 55] + [0] * 12)
    assert rules_broken(check_weeks(weeks, ATW), "average_4") == []


def test_an_average_a_minute_over_55_hours_over_4_weeks_warns():
    weeks = _weeks_of([55, 55, 55, 55] + [0] * 12)
    weeks[2].append(b(5, "08:00", "08:01"))
    [finding] = rules_broken(check_weeks(weeks, ATW), "average_4")
    assert finding.limit == 55 * 60 and finding.value == 55 * 60 + 1 and finding.week == 0


# -- at most 48 hours a week on average over 16 weeks -------------------------------------------

def test_48_hours_every_week_for_16_weeks_is_fine():
    assert rules_broken(check_weeks(_weeks_of([48] * 16), ATW), "average_16") == []


def test_a_minute_more_over_16_weeks_warns():
    weeks = _weeks_of([48] * 16)
    weeks[9].append(b(5, "08:00", "08:01"))
    [finding] = rules_broken(check_weeks(weeks, ATW), "average_16")
    assert finding.limit == 48 * 60


def test_a_repeated_pattern_of_49_hours_breaks_the_16_week_average_once():
    findings = check_pattern(_weeks_of([49])[0], ATW)
    assert [f.rule for f in findings] == ["average_16"]


# -- at least 11 hours rest between working days -------------------------------------------------

def test_eleven_hours_rest_between_working_days_is_fine():
    pattern = [b(0, "10:00", "21:00"), b(1, "08:00", "16:00")]
    assert rules_broken(check_pattern(pattern, ATW), "daily_rest") == []


def test_a_minute_less_than_eleven_hours_rest_warns():
    pattern = [b(0, "10:00", "21:00"), b(1, "07:59", "16:00")]
    [finding] = rules_broken(check_pattern(pattern, ATW), "daily_rest")
    assert (finding.value, finding.limit, finding.day) == (11 * 60 - 1, 660, 1)


def test_rest_after_a_night_shift_counts_from_its_end_the_next_morning():
    pattern = [b(0, "22:00", "06:00", True), b(1, "17:00", "23:00")]
    assert rules_broken(check_pattern(pattern, ATW), "daily_rest") == []
    pattern = [b(0, "22:00", "06:00", True), b(1, "16:59", "23:00")]
    assert len(rules_broken(check_pattern(pattern, ATW), "daily_rest")) == 1


def test_rest_from_sunday_to_monday_wraps_around_the_week():
    pattern = [b(0, "07:59", "12:00"), b(6, "12:00", "21:00")]
    [finding] = rules_broken(check_pattern(pattern, ATW), "daily_rest")
    assert finding.day == 0


# -- at least 36 hours of uninterrupted weekly rest ----------------------------------------------

def _six_days(saturday_end: str, monday_start: str) -> list[Block]:
    return [b(0, monday_start, "16:00")] + [b(d, "08:00", "16:00") for d in range(1, 5)] + [b(5, "08:00", saturday_end)]


def test_36_hours_weekly_rest_is_fine():
    """The rest straddles Monday 00:00; the periods of 7 x 24 hours may begin when it begins."""
    assert rules_broken(check_pattern(_six_days("20:00", "08:00"), ATW), "weekly_rest") == []


def test_a_minute_less_than_36_hours_weekly_rest_warns():
    [finding] = rules_broken(check_pattern(_six_days("20:01", "08:00"), ATW), "weekly_rest")
    assert (finding.value, finding.limit) == (36 * 60 - 1, 36 * 60)


def test_working_every_day_leaves_no_weekly_rest():
    findings = check_pattern([b(d, "09:00", "15:00") for d in range(7)], ATW)
    assert [f.rule for f in findings] == ["weekly_rest"]


def test_a_swapped_week_is_checked_on_its_own():
    """Working the weekend of week 7 makes twelve days in a row: no period around it has its rest."""
    base = [b(d, "09:00", "17:00") for d in range(5)]
    swapped = base + [b(5, "09:00", "17:00"), b(6, "09:00", "17:00")]
    assert check_weeks([base] * 16, ATW) == []
    findings = check_weeks([base] * 7 + [swapped] + [base] * 8, ATW)
    assert [(f.rule, f.week) for f in findings] == [("weekly_rest", 7)]


@pytest.mark.parametrize("rule", ["shift", "week", "average_4", "average_16", "daily_rest", "weekly_rest"])
def test_stricter_rules_are_data(rule):
    """A foundation's own limits apply: tighten each one and the ordinary week breaks it."""
    strict = LabourRules(max_shift_hours=8, max_week_hours=44, max_average_4_weeks=44, max_average_16_weeks=44,
                         min_daily_rest_hours=16, min_weekly_rest_hours=72)
    assert rules_broken(check_pattern(OFFICE_WEEK, strict), rule)

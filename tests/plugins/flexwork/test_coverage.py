"""Team coverage: the grid, rule gaps, and before/after a change."""
from __future__ import annotations

from plugins.flexwork.coverage import Member, Rule, gap_cells, gaps, grid, new_gaps, replace_member
from plugins.flexwork.pattern import Block, parse_time

WEEKDAYS = frozenset(range(5))
PHONE = Rule(1, "Phone", WEEKDAYS, parse_time("08:30"), parse_time("17:00"), 1, place="office")


def b(day, start, end, place="office", overnight=False):
    return Block(day, parse_time(start), parse_time(end), place, overnight)


def days(days_, start="08:30", end="17:00", place="office"):
    return tuple(b(d, start, end, place) for d in days_)


def test_two_secretaries_cover_the_phone_all_week():
    team = [Member(1, "Secretaresse", days([0, 1, 2])), Member(2, "Secretaresse", days([3, 4]))]
    assert gaps(team, [PHONE]) == []


def test_a_day_nobody_is_there_is_a_gap_with_its_hours():
    team = [Member(1, None, days([0, 1, 2])), Member(2, None, days([3]))]
    [gap] = gaps(team, [PHONE])
    assert (gap.day, gap.start, gap.end, gap.present, gap.needed) == (4, 510, 1020, 0, 1)


def test_working_from_home_does_not_count_for_an_office_rule():
    team = [Member(1, None, days([0, 1, 2, 3])), Member(2, None, days([4], place="home"))]
    assert [g.day for g in gaps(team, [PHONE])] == [4]


def test_a_partial_gap_over_lunch():
    team = [Member(1, None, (b(0, "08:30", "12:00"), b(0, "12:30", "17:00")))]
    rule = Rule(2, "Mon", frozenset({0}), parse_time("08:30"), parse_time("17:00"), 1)
    [gap] = gaps(team, [rule])
    assert (gap.start, gap.end) == (720, 750)
    assert gap_cells([gap]) == {(0, "afternoon")}


def test_two_people_needed_and_consecutive_short_gaps_merge():
    team = [Member(1, None, (b(0, "08:00", "12:00"),)), Member(2, None, (b(0, "10:00", "16:00"),))]
    rule = Rule(3, "Two", frozenset({0}), parse_time("08:00"), parse_time("16:00"), 2)
    found = gaps(team, [rule])
    assert [(g.start, g.end, g.present) for g in found] == [(480, 600, 1), (720, 960, 1)]


def test_job_title_rule_counts_only_that_title():
    rule = Rule(4, "Nurse", frozenset({0}), parse_time("09:00"), parse_time("10:00"), 1, job_title="verpleegkundige")
    assert gaps([Member(1, "Verpleegkundige ", days([0]))], [rule]) == []
    assert len(gaps([Member(1, "Psychiater", days([0]))], [rule])) == 1


def test_a_night_block_counts_on_the_next_morning():
    rule = Rule(5, "Early", frozenset({1}), parse_time("05:00"), parse_time("07:00"), 1)
    assert gaps([Member(1, None, (b(0, "22:00", "07:00", overnight=True),))], [rule]) == []
    assert grid([Member(1, None, (b(0, "22:00", "07:00", overnight=True),))])[(1, "night")] == 1


def test_grid_counts_people_per_part_of_day():
    team = [Member(1, None, days([0], "08:00", "12:00")), Member(2, None, days([0], "11:00", "19:00"))]
    cells = grid(team)
    assert cells[(0, "morning")] == 2 and cells[(0, "afternoon")] == 1 and cells[(0, "evening")] == 1
    assert cells[(1, "morning")] == 0


def test_before_and_after_a_change_of_pattern():
    """The secretaries' overlapping day: the one moving off Friday leaves the phone alone."""
    team = [Member(1, None, days([0, 1, 2])), Member(2, None, days([3, 4]))]
    assert gaps(team, [PHONE]) == []
    after = replace_member(team, 2, days([2, 3]))
    after_gaps = gaps(after, [PHONE])
    assert [g.day for g in new_gaps([], after_gaps)] == [4]
    assert grid(after)[(2, "morning")] == 2

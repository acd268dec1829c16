"""Patterns: bad blocks are found, blocks survive the JSON round trip."""
from __future__ import annotations

import pytest

from plugins.flexwork.pattern import (
    Block,
    blocks_from_json,
    blocks_to_json,
    changed_days,
    parse_time,
    problems,
    swap_day,
    weekly_minutes,
)


def b(day, start, end, place="office", overnight=False):
    return Block(day, parse_time(start), parse_time(end), place, overnight)


def codes(blocks):
    return [(p.index, p.field, p.code) for p in problems(blocks)]


def test_a_sound_pattern_has_no_problems():
    assert codes([b(0, "08:30", "12:30"), b(0, "13:00", "17:00", "home"), b(2, "22:00", "06:00", overnight=True)]) == []


def test_end_before_start_without_saying_it_continues_after_midnight():
    assert codes([b(1, "22:00", "06:00")]) == [(0, "end", "end_before_start")]
    assert codes([b(1, "22:00", "06:00", overnight=True)]) == []


def test_a_block_of_no_time_is_refused():
    assert codes([b(1, "09:00", "09:00")]) == [(0, "end", "empty")]


def test_an_overnight_block_longer_than_a_day_is_refused():
    assert codes([b(1, "08:00", "09:00", overnight=True)]) == [(0, "end", "over_24h")]
    assert codes([b(1, "08:00", "08:00", overnight=True)]) == []  # exactly 24 hours


def test_overlapping_blocks_are_refused():
    assert codes([b(0, "08:00", "12:00"), b(0, "11:59", "15:00")]) == [(1, "start", "overlap")]
    assert codes([b(0, "08:00", "12:00"), b(0, "12:00", "15:00")]) == []  # touching is fine


def test_an_overnight_block_overlapping_the_next_morning_is_refused():
    assert codes([b(2, "22:00", "07:00", overnight=True), b(3, "06:30", "12:00")]) == [(1, "start", "overlap")]


def test_sunday_night_runs_into_monday():
    assert codes([b(0, "05:00", "09:00"), b(6, "22:00", "06:00", overnight=True)]) == [(1, "start", "overlap")]


def test_more_than_24_hours_on_one_day():
    blocks = [b(0, "00:00", "23:00"), b(0, "23:00", "06:00", overnight=True)]
    assert codes(blocks) == [(1, "end", "day_over_24h")]


def test_json_round_trip_and_totals():
    blocks = (b(0, "08:30", "17:00"), b(4, "22:00", "06:30", "road", True))
    assert blocks_from_json(blocks_to_json(blocks)) == blocks
    assert weekly_minutes(blocks) == 8.5 * 60 + 8.5 * 60


@pytest.mark.parametrize("text", ["24:00", "12:60", "7"])
def test_parse_time_refuses_what_is_not_a_time_of_day(text):
    with pytest.raises(ValueError):
        parse_time(text)


def test_swap_day_gives_one_day_and_takes_the_others():
    anna = [b(0, "08:30", "17:00"), b(1, "08:30", "17:00")]
    bert = [b(2, "09:00", "13:00"), b(3, "09:00", "17:00")]
    assert swap_day(anna, 1, bert, 2) == [b(0, "08:30", "17:00"), b(2, "09:00", "13:00")]
    assert swap_day(bert, 2, anna, 1) == [b(1, "08:30", "17:00"), b(3, "09:00", "17:00")]
    assert changed_days(anna, swap_day(anna, 1, bert, 2)) == {1, 2}

"""Working-time rules (by default those of the Arbeidstijdenwet) checked against schedules.
Pure functions, no database.

The rules are data (a foundation may set its collective agreement's numbers); the checks warn and
the manager decides. A schedule is a run of weeks, each a list of blocks; the run is treated as a
cycle that repeats, so Sunday night meets Monday morning of the first week again.

Definitions used:
- a *working day* is the blocks that start on one day; its hours are the shift's hours;
- *daily rest* is the time from the end of one working day to the start of the next;
- *weekly rest*: each of the consecutive periods of 7 x 24 hours holds an uninterrupted rest of at
  least the minimum; the periods may begin at any moment (the employer's choice), the most
  favourable beginning counts;
- the average rules look at every run of 4 (or 16) consecutive weeks of the cycle.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from itertools import pairwise

from plugins.flexwork.pattern import WEEK, Block

RULES = ("shift", "week", "average_4", "average_16", "daily_rest", "weekly_rest")
HORIZON_WEEKS = 16


@dataclass(frozen=True)
class LabourRules:
    """Limits in hours; the defaults are the Arbeidstijdenwet's."""

    max_shift_hours: float = 12
    max_week_hours: float = 60
    max_average_4_weeks: float = 55
    max_average_16_weeks: float = 48
    min_daily_rest_hours: float = 11
    min_weekly_rest_hours: float = 36

    @classmethod
    def from_settings(cls, settings: dict) -> LabourRules:
        """Saved plugin settings override the defaults; anything missing or empty keeps them."""
        values = {f.name: float(settings[f.name]) for f in fields(cls) if settings.get(f.name) not in (None, "")}
        return cls(**values)


@dataclass(frozen=True)
class Finding:
    """One rule broken: ``value`` against ``limit``, in minutes. ``week`` is the week of the run
    (None when every week of a repeated pattern is the same), ``day`` the weekday if it applies."""

    rule: str
    value: int
    limit: int
    week: int | None = None
    day: int | None = None


@dataclass(frozen=True)
class _Interval:
    start: int  # minutes from Monday 00:00 of the run's first week
    end: int
    workday: tuple[int, int]  # (week, weekday the block starts on)


def check_pattern(blocks: Sequence[Block], rules: LabourRules) -> list[Finding]:
    """A weekly pattern repeated over 16 weeks; each broken rule is reported once."""
    findings = check_weeks([blocks] * HORIZON_WEEKS, rules)
    unique: dict[tuple, Finding] = {}
    for finding in findings:
        unique.setdefault((finding.rule, finding.day, finding.value), Finding(finding.rule, finding.value, finding.limit, None, finding.day))
    return sorted(unique.values(), key=lambda f: (RULES.index(f.rule), f.day if f.day is not None else -1))


def check_weeks(weeks: Sequence[Sequence[Block]], rules: LabourRules) -> list[Finding]:
    """Every rule against a run of weeks (a pattern with its exceptions, such as a swap)."""
    intervals = _intervals(weeks)
    if not intervals:
        return []
    span = len(weeks) * WEEK
    return (
        _shifts(intervals, rules)
        + _week_totals(intervals, len(weeks), span, rules)
        + _daily_rests(intervals, span, rules)
        + _weekly_rests(intervals, len(weeks), span, rules)
    )


def _intervals(weeks: Sequence[Sequence[Block]]) -> list[_Interval]:
    found = [
        _Interval(week * WEEK + block.week_start, week * WEEK + block.week_end, (week, block.day))
        for week, blocks in enumerate(weeks)
        for block in blocks
    ]
    return sorted(found, key=lambda i: (i.start, i.end))


def _minutes(hours: float) -> int:
    return round(hours * 60)


def _shifts(intervals: list[_Interval], rules: LabourRules) -> list[Finding]:
    totals: dict[tuple[int, int], int] = {}
    for interval in intervals:
        totals[interval.workday] = totals.get(interval.workday, 0) + interval.end - interval.start
    limit = _minutes(rules.max_shift_hours)
    return [Finding("shift", total, limit, week, day) for (week, day), total in sorted(totals.items()) if total > limit]


def _week_totals(intervals: list[_Interval], weeks: int, span: int, rules: LabourRules) -> list[Finding]:
    totals = [0] * weeks
    for interval in intervals:
        for week in range(weeks):
            totals[week] += _overlap_cyclic(interval.start, interval.end, week * WEEK, (week + 1) * WEEK, span)
    findings = [Finding("week", total, _minutes(rules.max_week_hours), week) for week, total in enumerate(totals)
                if total > _minutes(rules.max_week_hours)]
    for rule, length, limit in (("average_4", 4, rules.max_average_4_weeks), ("average_16", 16, rules.max_average_16_weeks)):
        worst = _heaviest_run(totals, length)
        if worst is not None and worst[1] > _minutes(limit) * length:  # totals: no rounding at the boundary
            findings.append(Finding(rule, math.ceil(worst[1] / length), _minutes(limit), worst[0]))
    return findings


def _heaviest_run(totals: list[int], length: int) -> tuple[int, int] | None:
    """(first week, total minutes) of the heaviest run of ``length`` consecutive weeks of the cycle."""
    if len(totals) < length:
        return None
    runs = [(start, sum(totals[(start + i) % len(totals)] for i in range(length))) for start in range(len(totals))]
    return max(runs, key=lambda run: (run[1], -run[0]))


def _overlap_cyclic(start: int, end: int, low: int, high: int, span: int) -> int:
    """Overlap of [start, end) with [low, high) where time wraps around after ``span``."""
    return sum(max(0, min(end, high + shift) - max(start, low + shift)) for shift in (-span, 0, span))


def _daily_rests(intervals: list[_Interval], span: int, rules: LabourRules) -> list[Finding]:
    days: dict[tuple[int, int], list[int]] = {}
    for interval in intervals:
        first_last = days.setdefault(interval.workday, [interval.start, interval.end])
        first_last[0], first_last[1] = min(first_last[0], interval.start), max(first_last[1], interval.end)
    ordered = sorted(days.items(), key=lambda item: item[1][0])
    limit = _minutes(rules.min_daily_rest_hours)
    findings = []
    for position, (workday, (first, _last)) in enumerate(ordered):
        _previous_day, (_first, previous_end) = ordered[position - 1]
        rest = first - previous_end if position else first + span - previous_end
        if len(ordered) > 1 and rest < limit:
            findings.append(Finding("daily_rest", rest, limit, workday[0], workday[1]))
    return findings


def _weekly_rests(intervals: list[_Interval], weeks: int, span: int, rules: LabourRules) -> list[Finding]:
    """Each period of 7 x 24 hours needs an uninterrupted rest of the minimum inside it. The periods
    follow each other; where they begin is the employer's choice, so every rest's start is tried as
    the beginning and the most favourable choice is reported (for a pattern that repeats weekly this
    is exactly "some rest of the week is long enough")."""
    rests = _rests(intervals, span)
    limit = _minutes(rules.min_weekly_rest_hours)
    best: list[Finding] | None = None
    for offset in sorted({start % WEEK for start, _end in rests}) or [0]:
        failing = []
        for period in range(weeks):
            low = offset + period * WEEK
            longest = max((_overlap_cyclic(start, end, low, low + WEEK, span) for start, end in rests), default=0)
            if longest < limit:
                failing.append(Finding("weekly_rest", longest, limit, ((low + WEEK // 2) // WEEK) % weeks))
        if best is None or len(failing) < len(best):
            best = failing
        if not best:
            break
    return best or []


def _rests(intervals: list[_Interval], span: int) -> list[tuple[int, int]]:
    """The uninterrupted rests between work, around the cycle."""
    merged: list[list[int]] = []
    for interval in intervals:
        if merged and interval.start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], interval.end)
        else:
            merged.append([interval.start, interval.end])
    rests = [(a[1], b[0]) for a, b in pairwise(merged)]
    wrap_end = merged[0][0] + span
    if wrap_end > merged[-1][1]:
        rests.append((merged[-1][1], wrap_end))
    return rests

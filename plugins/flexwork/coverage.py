"""Team coverage: who is present per weekday and part of day, and where a team's coverage rules
are not met. Pure functions, no database.

A rule asks for at least ``min_people`` present on some weekdays between two times, optionally at
one place (office, home, on the road) or with one job title. A member counts once however many of
their blocks cover a moment; a block that continues after midnight counts on the next day too.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from plugins.flexwork.pattern import DAY, Block

# (key, from, to) in minutes after midnight; the grid's rows.
PARTS = (("morning", 7 * 60, 12 * 60), ("afternoon", 12 * 60, 18 * 60), ("evening", 18 * 60, DAY), ("night", 0, 7 * 60))


@dataclass(frozen=True)
class Member:
    person_id: int
    job_title: str | None
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Rule:
    id: int
    label: str
    weekdays: frozenset[int]
    start: int
    end: int
    min_people: int
    place: str | None = None
    job_title: str | None = None

    def counts(self, member: Member, place: str) -> bool:
        if self.place and place != self.place:
            return False
        return not self.job_title or (member.job_title or "").strip().casefold() == self.job_title.strip().casefold()


@dataclass(frozen=True)
class Gap:
    """Between ``start`` and ``end`` on ``day`` only ``present`` people count for the rule."""

    rule_id: int
    day: int
    start: int
    end: int
    present: int
    needed: int


def day_spans(blocks: Iterable[Block], day: int) -> list[tuple[int, int, str]]:
    """(start, end, place) of the work on ``day``, in minutes of that day: blocks starting that day
    (cut at midnight) and the part after midnight of blocks from the day before."""
    spans = []
    for block in blocks:
        if block.day == day:
            spans.append((block.start, DAY if block.overnight else block.end, block.place))
        elif block.overnight and (block.day + 1) % 7 == day and block.end > 0:
            spans.append((0, block.end, block.place))
    return spans


def grid(members: Sequence[Member]) -> dict[tuple[int, str], int]:
    """{(weekday, part): people working some of that part}."""
    cells = {}
    for day in range(7):
        spans_by_member = [day_spans(m.blocks, day) for m in members]
        for part, low, high in PARTS:
            cells[(day, part)] = sum(1 for spans in spans_by_member if any(s < high and low < e for s, e, _ in spans))
    return cells


def gaps(members: Sequence[Member], rules: Sequence[Rule]) -> list[Gap]:
    found = []
    for rule in rules:
        for day in sorted(rule.weekdays):
            found += _rule_gaps(rule, day, members)
    return found


def _rule_gaps(rule: Rule, day: int, members: Sequence[Member]) -> list[Gap]:
    per_member = []
    for member in members:
        spans = [(max(s, rule.start), min(e, rule.end)) for s, e, place in day_spans(member.blocks, day) if rule.counts(member, place)]
        per_member.append(_union([(s, e) for s, e in spans if s < e]))
    points = sorted({rule.start, rule.end} | {t for spans in per_member for span in spans for t in span})
    found: list[Gap] = []
    for low, high in pairwise(points):
        present = sum(1 for spans in per_member if any(s <= low and high <= e for s, e in spans))
        if present >= rule.min_people:
            continue
        if found and found[-1].end == low:
            last = found.pop()
            found.append(Gap(rule.id, day, last.start, high, min(last.present, present), rule.min_people))
        else:
            found.append(Gap(rule.id, day, low, high, present, rule.min_people))
    return found


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def gap_cells(found: Iterable[Gap]) -> set[tuple[int, str]]:
    """The grid cells a gap falls in, to mark them."""
    return {(gap.day, part) for gap in found for part, low, high in PARTS if gap.start < high and low < gap.end}


def replace_member(members: Sequence[Member], person_id: int, blocks: Sequence[Block]) -> list[Member]:
    """The team as it would be with one member's pattern changed."""
    return [Member(m.person_id, m.job_title, tuple(blocks)) if m.person_id == person_id else m for m in members]


def new_gaps(before: Sequence[Gap], after: Sequence[Gap]) -> list[Gap]:
    """Gaps after a change that were not there before."""
    known = {(g.rule_id, g.day, g.start, g.end, g.present) for g in before}
    return [g for g in after if (g.rule_id, g.day, g.start, g.end, g.present) not in known]

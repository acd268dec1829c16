"""Weekly work patterns: time blocks per weekday, each at a place. Pure functions, no database.

A block starts on a weekday (0 = Monday) and ends later that day, or — when it says it
``overnight`` ("continues after midnight") — on the next day. Patterns are stored as JSON lists of
``Block.to_dict()``; times are "HH:MM" there and minutes after midnight here.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PLACES = ("office", "home", "road")
DAY = 24 * 60
WEEK = 7 * DAY


def parse_time(text: str) -> int:
    """ "08:30" -> 510 minutes after midnight; "24:00" is not a time of day."""
    hours, minutes = text.split(":")
    value = int(hours) * 60 + int(minutes)
    if not (0 <= int(hours) < 24 and 0 <= int(minutes) < 60):
        raise ValueError(f"not a time of day: {text!r}")
    return value


def format_time(minutes: int) -> str:
    minutes %= DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, order=True)
class Block:
    day: int
    start: int
    end: int
    place: str = "office"
    overnight: bool = False

    @property
    def minutes(self) -> int:
        return self.end + (DAY if self.overnight else 0) - self.start

    @property
    def week_start(self) -> int:
        """Minutes since Monday 00:00."""
        return self.day * DAY + self.start

    @property
    def week_end(self) -> int:
        return self.week_start + self.minutes

    def on_day(self, day: int) -> Block:
        return Block(day, self.start, self.end, self.place, self.overnight)

    def to_dict(self) -> dict:
        return {"day": self.day, "start": format_time(self.start), "end": format_time(self.end),
                "place": self.place, "overnight": self.overnight}

    @classmethod
    def from_dict(cls, data: dict) -> Block:
        return cls(int(data["day"]), parse_time(data["start"]), parse_time(data["end"]),
                   data.get("place") or "office", bool(data.get("overnight")))


def blocks_from_json(data: Iterable[dict] | None) -> tuple[Block, ...]:
    return tuple(sorted(Block.from_dict(item) for item in data or ()))


def blocks_to_json(blocks: Iterable[Block]) -> list[dict]:
    return [block.to_dict() for block in sorted(blocks)]


@dataclass(frozen=True)
class Problem:
    """What is wrong with block number ``index`` (its position in the list checked)."""

    index: int
    field: str  # the block's field to mark: "start", "end" or "overnight"
    code: str  # "empty", "end_before_start", "over_24h", "day_over_24h", "overlap"
    other: int | None = None  # the block it overlaps


def problems(blocks: Sequence[Block]) -> list[Problem]:
    """Everything that makes a pattern impossible; an empty list means it is sound."""
    found: list[Problem] = []
    sound: list[int] = []
    for index, block in enumerate(blocks):
        if block.start == block.end and not block.overnight:
            found.append(Problem(index, "end", "empty"))
        elif block.end < block.start and not block.overnight:
            found.append(Problem(index, "end", "end_before_start"))
        elif block.overnight and block.end > block.start:
            found.append(Problem(index, "end", "over_24h"))
        else:
            sound.append(index)
    found += _days_over_24h(blocks, sound)
    found += _overlaps(blocks, sound)
    return found


def _days_over_24h(blocks: Sequence[Block], indexes: list[int]) -> list[Problem]:
    """A day's blocks (counted on the day they start) cannot add up to more than 24 hours."""
    totals: dict[int, int] = {}
    found = []
    for index in indexes:
        day = blocks[index].day
        totals[day] = totals.get(day, 0) + blocks[index].minutes
        if totals[day] > DAY:
            found.append(Problem(index, "end", "day_over_24h"))
    return found


def _overlaps(blocks: Sequence[Block], indexes: list[int]) -> list[Problem]:
    """Blocks overlapping in the week, a Sunday night block running into Monday included."""
    found = []
    for position, index in enumerate(indexes):
        for other in indexes[:position]:
            if intervals_overlap(blocks[index], blocks[other]):
                found.append(Problem(index, "start", "overlap", other))
                break
    return found


def intervals_overlap(a: Block, b: Block) -> bool:
    for shift in (-WEEK, 0, WEEK):
        if a.week_start < b.week_end + shift and b.week_start + shift < a.week_end:
            return True
    return False


def weekly_minutes(blocks: Iterable[Block]) -> int:
    return sum(block.minutes for block in blocks)


def blocks_on(blocks: Iterable[Block], day: int) -> list[Block]:
    return [block for block in blocks if block.day == day]


def swap_day(own: Sequence[Block], give_day: int, other: Sequence[Block], take_day: int) -> list[Block]:
    """One's blocks for a week in which one gives ``give_day`` away and works the other's
    ``take_day`` instead."""
    kept = [block for block in own if block.day != give_day]
    return sorted(kept + [block.on_day(take_day) for block in other if block.day == take_day])


def changed_days(before: Sequence[Block], after: Sequence[Block]) -> set[int]:
    return {day for day in range(7) if sorted(blocks_on(before, day)) != sorted(blocks_on(after, day))}

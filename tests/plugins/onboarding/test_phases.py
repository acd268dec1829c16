"""Phases of a journey follow a task's offset from day one."""
from __future__ import annotations

from plugins.onboarding.vocabulary import phase_of


def test_phases_follow_the_offset():
    assert [phase_of(o) for o in (-3, 0, 1, 7, 8, 31, 32, 90)] == [
        "before",
        "day_one",
        "week",
        "week",
        "month",
        "month",
        "quarter",
        "quarter",
    ]

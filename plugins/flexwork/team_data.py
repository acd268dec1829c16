"""What the team pages show, loaded in a fixed number of queries whatever the team's size:
members, their agreements, approved swaps, coverage rules."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from core.api import Person, Team, db
from plugins.flexwork import coverage
from plugins.flexwork.agreements import agreements_between, agreements_on, week_blocks
from plugins.flexwork.models import Agreement, CoverageRule, Swap, TeamSetting
from plugins.flexwork.pattern import Block, parse_time, swap_day

WORKING_STATUSES = ("active", "leaving")


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def member_ids(team_id: int):
    """A subquery of the team's working members, for IN clauses."""
    return select(Person.id).where(Person.team_id == team_id, Person.status.in_(WORKING_STATUSES)).scalar_subquery()


def members_of(team_id: int) -> list[Person]:
    return list(db.session.scalars(
        select(Person).where(Person.team_id == team_id, Person.status.in_(WORKING_STATUSES))
        .order_by(Person.last_name, Person.first_name, Person.id)
    ))


def rules_of(team_id: int) -> list[CoverageRule]:
    return list(db.session.scalars(select(CoverageRule).where(CoverageRule.team_id == team_id).order_by(CoverageRule.id)))


def as_rules(rows: Iterable[CoverageRule]) -> list[coverage.Rule]:
    return [
        coverage.Rule(row.id, row.label, frozenset(row.weekday_list), parse_time(row.start_time), parse_time(row.end_time),
                      row.min_people, row.place or None, row.job_title or None)
        for row in rows
    ]


def as_members(people: Sequence[Person], blocks: dict[int, Sequence[Block]]) -> list[coverage.Member]:
    return [coverage.Member(p.id, p.job_title, tuple(blocks.get(p.id, ()))) for p in people]


def team_setting(team_id: int) -> TeamSetting | None:
    return db.session.scalar(select(TeamSetting).where(TeamSetting.team_id == team_id))


def apply_swaps(blocks: dict[int, list[Block]], swaps: Iterable[Swap]) -> dict[int, list[Block]]:
    """The week's blocks once approved swaps are made (each from the agreed patterns)."""
    result = dict(blocks)
    for swap in swaps:
        own, other = blocks.get(swap.requester_id, []), blocks.get(swap.partner_id, [])
        result[swap.requester_id] = swap_day(own, swap.requester_day, other, swap.partner_day)
        result[swap.partner_id] = swap_day(other, swap.partner_day, own, swap.requester_day)
    return result


@dataclass
class TeamWeek:
    team: Team
    monday: date
    members: list[Person]
    blocks: dict[int, list[Block]]  # per person, approved swaps applied
    rules: list[CoverageRule]
    swaps: list[Swap]
    gaps: list[coverage.Gap] = field(default_factory=list)

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=d) for d in range(7)]


def team_week(team: Team, monday: date) -> TeamWeek:
    members = members_of(team.id)
    agreements = agreements_between(member_ids(team.id), monday, monday + timedelta(days=6))
    planned = {p.id: week_blocks(agreements.get(p.id, ()), monday) for p in members}
    swaps = list(db.session.scalars(
        select(Swap).where(Swap.team_id == team.id, Swap.week_start == monday, Swap.state == "approved").order_by(Swap.id)
    ))
    blocks = apply_swaps(planned, swaps)
    rules = rules_of(team.id)
    week = TeamWeek(team, monday, members, blocks, rules, swaps)
    week.gaps = coverage.gaps(as_members(members, blocks), as_rules(rules))
    return week


@dataclass
class Impact:
    """A team's coverage before and after one member's change."""

    before_grid: dict
    after_grid: dict
    before_gaps: list[coverage.Gap]
    after_gaps: list[coverage.Gap]
    rules: list[CoverageRule]

    @property
    def rules_by_id(self) -> dict[int, CoverageRule]:
        return {rule.id: rule for rule in self.rules}

    @property
    def new_gaps(self) -> list[coverage.Gap]:
        return coverage.new_gaps(self.before_gaps, self.after_gaps)

    @property
    def after_cells(self) -> set:
        return coverage.gap_cells(self.after_gaps)

    @property
    def before_cells(self) -> set:
        return coverage.gap_cells(self.before_gaps)


def impact(members: list[coverage.Member], changed: dict[int, Sequence[Block]], rules: list[CoverageRule]) -> Impact:
    after = members
    for person_id, blocks in changed.items():
        after = coverage.replace_member(after, person_id, blocks)
    checked = as_rules(rules)
    return Impact(coverage.grid(members), coverage.grid(after), coverage.gaps(members, checked),
                  coverage.gaps(after, checked), rules)


def team_on(team_id: int | None, day: date) -> tuple[list[Person], dict[int, Agreement], list[CoverageRule]]:
    """Members, their agreements in force on ``day`` and the coverage rules: three queries."""
    if team_id is None:
        return [], {}, []
    return members_of(team_id), agreements_on(member_ids(team_id), day), rules_of(team_id)

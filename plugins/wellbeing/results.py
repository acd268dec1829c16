"""Reading results: counters summed per team or division, then cut by the suppression rules.

Only closed periods are shown, so nobody can watch a result move as colleagues check in, and
closed periods are frozen (``freeze.py``): every page reads the same division membership and
check-ins. Whether a team is shown in a period is decided for its whole division at once
(``suppression.publish``), the same way on every page, export and API, so no view shows what
another hides. There is no foundation-wide total: a division total is the largest sum shown, and
hidden divisions cannot be recovered by subtraction.

Every function here runs a fixed number of queries, however many periods and teams there are.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from random import SystemRandom

from sqlalchemy import select
from sqlalchemy.orm import aliased

from core.api import Team, db
from plugins.wellbeing.checkin import division_of
from plugins.wellbeing.freeze import freeze_closed_periods
from plugins.wellbeing.models import AnswerCount, Campaign, Comment, DivisionCount, Period, PeriodTeam, campaign_team
from plugins.wellbeing.questions import SCALE, known
from plugins.wellbeing.settings import Settings
from plugins.wellbeing.suppression import Publication, publish

TREND_PERIODS = 12
_shuffler = SystemRandom()


@dataclass(frozen=True)
class Stats:
    """One question's answers in one group and period."""

    distribution: tuple[int, ...]  # how many chose each value of SCALE

    @property
    def n(self) -> int:
        return sum(self.distribution)

    @property
    def average(self) -> float | None:
        if not self.n:
            return None
        return sum(value * count for value, count in zip(SCALE, self.distribution, strict=True)) / self.n


@dataclass(frozen=True)
class GroupResult:
    checkins: int
    stats: dict[str, Stats]


@dataclass
class Row:
    """A period, with the group's result, or None when it is not shown."""

    period: Period
    result: GroupResult | None


@dataclass
class TeamResults:
    campaign: Campaign
    team: Team
    questions: list[str]
    rows: list[Row]

    @property
    def latest(self) -> Row | None:
        shown = [row for row in self.rows if row.result is not None]
        return shown[-1] if shown else None


@dataclass
class TeamLine:
    team: Team
    result: GroupResult | None


@dataclass
class DivisionResults:
    campaign: Campaign
    division: str
    questions: list[str]
    periods: list[Period]
    period: Period | None
    total_rows: list[Row]  # the division total per period
    teams: list[TeamLine]  # the selected period, one line per team (of the page asked for)
    teams_total: int  # teams of the division in the campaign, on all pages
    comments: list[str] = field(default_factory=list)

    @property
    def selected(self) -> Row | None:
        for row in self.total_rows:
            if self.period is not None and row.period.id == self.period.id:
                return row
        return None


@dataclass
class DivisionLine:
    division: str
    result: GroupResult | None


@dataclass
class Overview:
    campaign: Campaign
    questions: list[str]
    periods: list[Period]
    period: Period | None
    divisions: list[str]
    trend: dict[str, list[Row]]  # division -> its total per period
    lines: list[DivisionLine]  # the selected period
    comments: list[str] = field(default_factory=list)


# -- building blocks --------------------------------------------------------------------------------

def closed_periods(campaign: Campaign, limit: int = TREND_PERIODS) -> list[Period]:
    """The latest ``limit`` closed periods (frozen first, if they were not yet), oldest first."""
    freeze_closed_periods(campaign.id)
    rows = db.session.scalars(
        select(Period).where(Period.campaign_id == campaign.id, Period.frozen.is_(True))
        .order_by(Period.starts_on.desc()).limit(limit)
    ).all()
    return list(reversed(rows))


def pick_period(periods: list[Period], period_id: int | None) -> Period | None:
    """The asked period among ``periods`` (others are ignored), else the latest."""
    for period in periods:
        if period.id == period_id:
            return period
    return periods[-1] if periods else None


def _region_is(division: str):
    return Team.region == division if division else Team.region.is_(None)


def campaign_teams(campaign: Campaign, division: str | None = None) -> list[Team]:
    """The campaign's teams now (a closed period uses its frozen teams instead)."""
    query = (select(Team).join(campaign_team, campaign_team.c.team_id == Team.id)
             .where(campaign_team.c.campaign_id == campaign.id).order_by(Team.name, Team.id))
    if division is not None:
        query = query.where(_region_is(division))
    return list(db.session.scalars(query))


def _results(keyed_counts, keyed_checkins, questions) -> dict:
    """GroupResults from ``{key: {(question, value): count}}`` and ``{key: check-ins}``."""
    return {
        key: GroupResult(
            checkins=checkins,
            stats={q: Stats(tuple(keyed_counts.get(key, {}).get((q, v), 0) for v in SCALE)) for q in questions},
        )
        for key, checkins in keyed_checkins.items()
    }


def _by_period(rows) -> dict[int, dict[int, int]]:
    """``{period id: {team id: check-ins}}`` from (period id, team id, check-ins) rows."""
    tallies: dict[int, dict[int, int]] = defaultdict(dict)
    for period_id, team_id, checkins in rows:
        tallies[period_id][team_id] = checkins
    return tallies


def _shuffled(texts) -> list[str]:
    texts = list(texts)
    _shuffler.shuffle(texts)
    return texts


# -- a team -----------------------------------------------------------------------------------------

def team_results(campaign: Campaign, team: Team, settings: Settings) -> TeamResults:
    questions = known(campaign.questions)
    periods = closed_periods(campaign)
    mine = aliased(PeriodTeam)
    tallies = _by_period(db.session.execute(
        select(PeriodTeam.period_id, PeriodTeam.team_id, PeriodTeam.checkins)
        .join(mine, (mine.period_id == PeriodTeam.period_id) & (mine.division == PeriodTeam.division))
        .where(mine.team_id == team.id, mine.period_id.in_([p.id for p in periods]))
    ))
    shown = [pid for pid, siblings in tallies.items() if team.id in publish(siblings, settings.min_group).shown]
    counts: dict[int, dict] = defaultdict(dict)
    if shown:
        for period_id, question, value, count in db.session.execute(
            select(AnswerCount.period_id, AnswerCount.question, AnswerCount.value, AnswerCount.count)
            .where(AnswerCount.team_id == team.id, AnswerCount.period_id.in_(shown))
        ):
            counts[period_id][(question, value)] = count
    results = _results(counts, {pid: tallies[pid][team.id] for pid in shown}, questions)
    return TeamResults(campaign, team, questions, [Row(p, results.get(p.id)) for p in periods])


# -- a division -------------------------------------------------------------------------------------

def division_results(campaign: Campaign, division: str, settings: Settings, period_id: int | None = None,
                     with_comments: bool = True, page: tuple[int, int] | None = None) -> DivisionResults:
    """The division's total per period, and its teams in the chosen period. Suppression is decided over
    all teams of the division; ``page`` (number, size) only limits the team lines returned."""
    questions = known(campaign.questions)
    periods = closed_periods(campaign)
    period = pick_period(periods, period_id)
    if period is None:
        teams = campaign_teams(campaign, division)
        return DivisionResults(campaign, division, questions, periods, None, [], [], len(teams))

    tallies = _by_period(db.session.execute(
        select(PeriodTeam.period_id, PeriodTeam.team_id, PeriodTeam.checkins)
        .where(PeriodTeam.division == division, PeriodTeam.period_id.in_([p.id for p in periods]))
    ))
    publications: dict[int, Publication] = {pid: publish(siblings, settings.min_group) for pid, siblings in tallies.items()}
    shown_totals = [pid for pid, publication in publications.items() if publication.total_shown]
    summed: dict[int, dict] = defaultdict(dict)
    if shown_totals:
        for pid, question, value, count in db.session.execute(
            select(DivisionCount.period_id, DivisionCount.question, DivisionCount.value, DivisionCount.count)
            .where(DivisionCount.division == division, DivisionCount.period_id.in_(shown_totals))
        ):
            summed[pid][(question, value)] = count
    total_results = _results(summed, {pid: sum(tallies[pid].values()) for pid in shown_totals}, questions)
    total_rows = [Row(p, total_results.get(p.id)) for p in periods]

    in_period = tallies.get(period.id, {})
    query = select(Team).where(Team.id.in_(list(in_period))).order_by(Team.name, Team.id)
    if page:
        query = query.limit(page[1]).offset((page[0] - 1) * page[1])
    listed = list(db.session.scalars(query)) if in_period else []
    shown_teams = publications[period.id].shown & {team.id for team in listed} if in_period else set()
    counts: dict[int, dict] = defaultdict(dict)
    if shown_teams:
        for team_id, question, value, count in db.session.execute(
            select(AnswerCount.team_id, AnswerCount.question, AnswerCount.value, AnswerCount.count)
            .where(AnswerCount.period_id == period.id, AnswerCount.team_id.in_(shown_teams))
        ):
            counts[team_id][(question, value)] = count
    team_results_ = _results(counts, {t: in_period[t] for t in shown_teams}, questions)
    lines = [TeamLine(team, team_results_.get(team.id)) for team in listed]

    comments: list[str] = []
    if with_comments and campaign.comment_scope == "division" and sum(in_period.values()) >= settings.min_comment_group:
        comments = _shuffled(db.session.scalars(
            select(Comment.text).where(Comment.period_id == period.id, Comment.division == division)))
    return DivisionResults(campaign, division, questions, periods, period, total_rows, lines, len(in_period), comments)


# -- the foundation overview ------------------------------------------------------------------------

def overview(campaign: Campaign, settings: Settings, period_id: int | None = None) -> Overview:
    """Per division: its total per period, shown when it has enough check-ins (which is exactly
    when ``publish`` shows a division total, as a property test checks)."""
    questions = known(campaign.questions)
    periods = closed_periods(campaign)
    period = pick_period(periods, period_id)
    if period is None:
        divisions = sorted({division_of(team) for team in campaign_teams(campaign)})
        return Overview(campaign, questions, periods, None, divisions, {d: [] for d in divisions}, [])
    period_ids = [p.id for p in periods]
    divisions = sorted(db.session.scalars(
        select(PeriodTeam.division).where(PeriodTeam.period_id == period.id).distinct()))

    summed: dict[tuple[int, str], dict] = defaultdict(dict)
    for pid, division, question, value, count in db.session.execute(
        select(DivisionCount.period_id, DivisionCount.division, DivisionCount.question, DivisionCount.value,
               DivisionCount.count)
        .where(DivisionCount.period_id.in_(period_ids))
    ):
        summed[(pid, division)][(question, value)] = count
    # Every check-in answers every question, so one question's answers count the check-ins.
    checkins = {key: sum(n for (q, _v), n in answered.items() if q == questions[0]) for key, answered in summed.items()}
    shown = {key: n for key, n in checkins.items() if n >= settings.min_group}
    results = _results(summed, shown, questions)
    trend = {d: [Row(p, results.get((p.id, d))) for p in periods] for d in divisions}
    lines = [DivisionLine(d, results.get((period.id, d))) for d in divisions]

    comments: list[str] = []
    everyone = sum(n for (pid, _d), n in checkins.items() if pid == period.id)
    if campaign.comment_scope == "foundation" and everyone >= settings.min_comment_group:
        comments = _shuffled(db.session.scalars(
            select(Comment.text).where(Comment.period_id == period.id, Comment.division.is_(None))))
    return Overview(campaign, questions, periods, period, divisions, trend, lines, comments)

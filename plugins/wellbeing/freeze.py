"""Freezing closed periods: results are only ever shown for closed periods, and a closed period
never changes again. When it closes, the answers and comments still waiting are folded in
(``fold.fold_periods``), and then we write down, once, which division each team counted in and its
check-ins (``PeriodTeam``) and the counters summed per division (``DivisionCount``).

Why: every page then reads the same frozen division membership, so a team that moves division
later cannot make the division page and the overview disagree (a disagreement would be a
subtraction); and the foundation overview reads a few hundred summed rows instead of every team's
counters, which keeps it fast at 100,000 people.

The claim on the period rows (``frozen = true``) is made first, in the same transaction as the
copies. A check-in still writing to the period holds that row, so the claim waits for it; a later
check-in finds the period frozen and is refused (see ``checkin.check_in``).
"""
from __future__ import annotations

from sqlalchemy import func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite

from core.api import Team, clock, db
from plugins.wellbeing.fold import fold_periods
from plugins.wellbeing.models import (
    AnswerCount,
    Campaign,
    CheckinCount,
    DivisionCount,
    Period,
    PeriodTeam,
    campaign_team,
)
from plugins.wellbeing.questions import known

_DIALECT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _insert_from(model, columns: list[str], query):
    dialect = db.session.get_bind().dialect.name
    return _DIALECT_INSERTS[dialect](model.__table__).from_select(columns, query).on_conflict_do_nothing()


def freeze_closed_periods(campaign_id: int) -> list[int]:
    """Freeze the campaign's closed periods that are not frozen yet; returns their ids. Commits
    when there was something to freeze."""
    waiting = list(db.session.scalars(select(Period.id).where(
        Period.campaign_id == campaign_id, Period.ends_on < clock.today(), Period.frozen.is_(False))))
    if not waiting:
        return []
    claimed = list(db.session.scalars(
        update(Period).where(Period.id.in_(waiting), Period.frozen.is_(False)).values(frozen=True).returning(Period.id),
        execution_options={"synchronize_session": False},
    ))
    if claimed:
        campaign = db.session.execute(select(Campaign.foundation_id, Campaign.questions)
                                      .where(Campaign.id == campaign_id)).one()
        fold_periods(claimed, campaign.foundation_id, known(campaign.questions))
        _copy_teams(claimed)
        _sum_divisions(claimed)
    db.session.commit()
    return claimed


def _copy_teams(period_ids: list[int]) -> None:
    teams = (
        select(Period.foundation_id, Period.id, Team.id, func.coalesce(Team.region, literal("")),
               func.coalesce(CheckinCount.checkins, literal(0)))
        .select_from(Period)
        .join(campaign_team, campaign_team.c.campaign_id == Period.campaign_id)
        .join(Team, Team.id == campaign_team.c.team_id)
        .outerjoin(CheckinCount, (CheckinCount.period_id == Period.id) & (CheckinCount.team_id == Team.id))
        .where(Period.id.in_(period_ids))
    )
    db.session.execute(_insert_from(PeriodTeam, ["foundation_id", "period_id", "team_id", "division", "checkins"], teams))


def _sum_divisions(period_ids: list[int]) -> None:
    sums = (
        select(PeriodTeam.foundation_id, AnswerCount.period_id, PeriodTeam.division, AnswerCount.question,
               AnswerCount.value, func.sum(AnswerCount.count))
        .join(PeriodTeam, (PeriodTeam.period_id == AnswerCount.period_id) & (PeriodTeam.team_id == AnswerCount.team_id))
        .where(AnswerCount.period_id.in_(period_ids))
        .group_by(PeriodTeam.foundation_id, AnswerCount.period_id, PeriodTeam.division, AnswerCount.question,
                  AnswerCount.value)
    )
    db.session.execute(_insert_from(DivisionCount, ["foundation_id", "period_id", "division", "question", "value", "count"], sums))

"""Checking in: mark the ledger, add to the counters, keep a comment in its group. One transaction.

How a check-in is written, and why:
- The period row is held first, so a period being frozen after it closed cannot change.
- The ledger row (period, person) goes in next with INSERT ... ON CONFLICT DO NOTHING; when it
  was there already, nothing else is written: one check-in per person per period, race-safe.
- The counters of the (period, team) are created if missing (same race-safe insert, value 0) and
  then raised with ONE atomic UPDATE over all of them: ``count = count + 1`` for the values given
  and ``+ 0`` for the others. Every counter row of the team is rewritten, so not even the
  database's own row bookkeeping shows which values the last check-in touched.
- A comment is stored for its group (the division, or the whole campaign) only if that group has
  enough people for comments at all, with a random key and no time.
"""
from __future__ import annotations

from sqlalchemy import and_, case, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from core.api import Person, Team, clock, db
from plugins.wellbeing.models import AnswerCount, Campaign, CheckinCount, Comment, Participation, Period, campaign_team
from plugins.wellbeing.periods import period_containing
from plugins.wellbeing.questions import COMMENT_MAX_LENGTH, SCALE, known
from plugins.wellbeing.settings import Settings

ELIGIBLE_STATUSES = ("active", "leaving")
_DIALECT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class CheckinRefused(Exception):
    """The check-in cannot be taken; ``reason`` says why (already, closed, not_eligible)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def insert_if_missing(model):
    """INSERT that skips rows whose key exists (PostgreSQL and SQLite)."""
    dialect = db.session.get_bind().dialect.name
    return _DIALECT_INSERTS[dialect](model.__table__).on_conflict_do_nothing()


def division_of(team) -> str:
    """A team's division is its region; teams without one form the group ``""``."""
    return team.region or ""


# -- periods ----------------------------------------------------------------------------------------

def ensure_period(campaign: Campaign, day=None) -> Period | None:
    """The campaign's period holding ``day`` (default today), created if missing; None when the
    campaign does not run that day or has not been started."""
    day = day or clock.today()
    if not campaign.started:
        return None
    bounds = period_containing(campaign.cadence, campaign.starts_on, campaign.ends_on, day)
    if bounds is None:
        return None
    existing = select(Period).where(Period.campaign_id == campaign.id, Period.starts_on == bounds[0])
    period = db.session.scalar(existing)
    if period is None:
        db.session.execute(insert_if_missing(Period).values(
            foundation_id=campaign.foundation_id, campaign_id=campaign.id, starts_on=bounds[0], ends_on=bounds[1],
            opening_sent=False, reminder_sent=False, frozen=False,
        ))
        period = db.session.scalar(existing)
    return period


# -- who may check in -------------------------------------------------------------------------------

def in_campaign(person, campaign: Campaign) -> bool:
    if person.team_id is None or person.status not in ELIGIBLE_STATUSES or person.foundation_id != campaign.foundation_id:
        return False
    return bool(db.session.scalar(select(exists().where(
        campaign_team.c.campaign_id == campaign.id, campaign_team.c.team_id == person.team_id))))


def open_campaigns_for(person) -> list[Campaign]:
    """Started, running campaigns that include the person's team."""
    if person.team_id is None or person.status not in ELIGIBLE_STATUSES:
        return []
    today = clock.today()
    campaigns = db.session.scalars(
        select(Campaign)
        .join(campaign_team, campaign_team.c.campaign_id == Campaign.id)
        .where(campaign_team.c.team_id == person.team_id, Campaign.foundation_id == person.foundation_id,
               Campaign.confirmed_at.is_not(None), Campaign.starts_on <= today,
               or_(Campaign.ends_on.is_(None), Campaign.ends_on >= today))
        .order_by(Campaign.starts_on, Campaign.id)
    ).all()
    return list(campaigns)


def has_checked_in(person, period: Period) -> bool:
    return bool(db.session.scalar(select(exists().where(
        Participation.period_id == period.id, Participation.person_id == person.id))))


def comment_group(campaign: Campaign, team: Team, settings: Settings) -> tuple[bool, str | None]:
    """Whether the campaign takes a comment from ``team``'s members, and the group it is kept in
    (a division, or None for the whole campaign): only a group with at least the comment
    threshold of people who could check in."""
    if not campaign.comments_enabled:
        return False, None
    division = division_of(team) if campaign.comment_scope == "division" else None
    query = (
        select(func.count(Person.id))
        .join(Team, Team.id == Person.team_id)
        .join(campaign_team, campaign_team.c.team_id == Team.id)
        .where(campaign_team.c.campaign_id == campaign.id, Person.status.in_(ELIGIBLE_STATUSES))
    )
    if division is not None:
        query = query.where(Team.region == team.region) if team.region else query.where(Team.region.is_(None))
    return db.session.scalar(query) >= settings.min_comment_group, division


# -- the check-in -----------------------------------------------------------------------------------

def check_in(person, period: Period, answers: dict[str, int], comment: str | None, settings: Settings) -> None:
    """Count ``person``'s answers for ``period``; raises ``CheckinRefused`` (nothing written) or
    ``ValueError`` for answers that do not fit the campaign. Commits."""
    campaign = period.campaign
    today = clock.today()
    if not period.is_open(today):
        raise CheckinRefused("closed")
    if not in_campaign(person, campaign):
        raise CheckinRefused("not_eligible")
    questions = known(campaign.questions)
    if set(answers) != set(questions) or any(answers[key] not in SCALE for key in questions):
        raise ValueError("every question of the campaign needs one answer on the scale")
    team = db.session.get(Team, person.team_id)
    scope = dict(period_id=period.id, team_id=team.id)

    # Hold the period row: freezing a closed period waits for this check-in, and once a period is
    # frozen nothing more is counted in it (see plugins/wellbeing/freeze.py).
    held = db.session.execute(
        update(Period).where(Period.id == period.id, Period.frozen.is_(False)).values(frozen=False),
        execution_options={"synchronize_session": False},
    ).rowcount
    if not held:
        db.session.rollback()
        raise CheckinRefused("closed")
    marked = db.session.scalar(insert_if_missing(Participation).values(
        foundation_id=campaign.foundation_id, period_id=period.id, person_id=person.id,
    ).returning(Participation.__table__.c.person_id))
    if marked is None:
        db.session.rollback()
        raise CheckinRefused("already")

    db.session.execute(insert_if_missing(AnswerCount), [
        {"foundation_id": campaign.foundation_id, **scope, "question": key, "value": value, "count": 0}
        for key in questions for value in SCALE
    ])
    given = or_(*(and_(AnswerCount.question == key, AnswerCount.value == answers[key]) for key in questions))
    db.session.execute(
        update(AnswerCount)
        .where(AnswerCount.period_id == period.id, AnswerCount.team_id == team.id)
        .values(count=AnswerCount.count + case((given, 1), else_=0)),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(insert_if_missing(CheckinCount).values(foundation_id=campaign.foundation_id, checkins=0, **scope))
    db.session.execute(
        update(CheckinCount)
        .where(CheckinCount.period_id == period.id, CheckinCount.team_id == team.id)
        .values(checkins=CheckinCount.checkins + 1),
        execution_options={"synchronize_session": False},
    )
    text = (comment or "").strip()[:COMMENT_MAX_LENGTH]
    if text:
        accepted, division = comment_group(campaign, team, settings)
        if accepted:
            db.session.add(Comment(foundation_id=campaign.foundation_id, period_id=period.id, division=division, text=text))
    db.session.commit()

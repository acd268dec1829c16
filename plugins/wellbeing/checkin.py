"""Checking in: mark the ledger, then leave the answers and the comment to be counted in a batch.

How a check-in is written, and why (see ``fold.py`` for the batches):
- First transaction, the ledger alone. The period row is held, so a period being frozen after it
  closed cannot change; the ledger row (period, person) goes in with INSERT ... ON CONFLICT DO
  NOTHING, and when it was there already nothing else is written: one check-in per person per
  period, race-safe.
- Second transaction: the answers go to the pending table (one row per question under a random
  check-in key) and a comment, if its group (the division, or the whole campaign) has enough people
  for comments at all, to the pending comments. No person, no time, no serial key; and as this
  transaction is not the ledger's, none of these rows carries the ledger row's transaction id.
- Then, in a third transaction, the team's waiting answers are added to the counters if a full
  batch (the minimum group) waits; otherwise a later check-in or the period's close does it.
The ledger comes first so that a check-in interrupted between the two can lose its answers but
never count them twice.
"""
from __future__ import annotations

import uuid

from sqlalchemy import exists, func, insert, or_, select

from core.api import Person, Team, clock, db
from plugins.wellbeing.fold import fold_team, hold_period, insert_if_missing
from plugins.wellbeing.models import Campaign, Participation, PendingAnswer, PendingComment, Period, campaign_team
from plugins.wellbeing.periods import period_containing
from plugins.wellbeing.questions import COMMENT_MAX_LENGTH, SCALE, known
from plugins.wellbeing.settings import Settings

ELIGIBLE_STATUSES = ("active", "leaving")


class CheckinRefused(Exception):
    """The check-in cannot be taken; ``reason`` says why (already, closed, not_eligible)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


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
    """Take ``person``'s check-in for ``period``; raises ``CheckinRefused`` or ``ValueError`` (answers
    that do not fit the campaign) with nothing written, except when the period is frozen between
    the ledger row and the answers: then only the ledger row stays. Commits, in separate transactions."""
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
    text = (comment or "").strip()[:COMMENT_MAX_LENGTH]
    accepted, division = comment_group(campaign, team, settings) if text else (False, None)

    _mark_ledger(campaign, period, person)
    _leave_answers(campaign, period, team, answers, text if accepted else None, division)
    fold_team(period, team.id, questions, settings.min_group)


def _mark_ledger(campaign: Campaign, period: Period, person) -> None:
    if not hold_period(period.id):
        db.session.rollback()
        raise CheckinRefused("closed")
    marked = db.session.scalar(insert_if_missing(Participation).values(
        foundation_id=campaign.foundation_id, period_id=period.id, person_id=person.id,
    ).returning(Participation.__table__.c.person_id))
    if marked is None:
        db.session.rollback()
        raise CheckinRefused("already")
    db.session.commit()


def _leave_answers(campaign: Campaign, period: Period, team: Team, answers: dict[str, int], comment: str | None,
                   division: str | None) -> None:
    """The answers and comment, waiting to be counted. Should the period have been frozen in the
    moment since the ledger row was written, they are refused: the period is closed."""
    if not hold_period(period.id):
        db.session.rollback()
        raise CheckinRefused("closed")
    checkin = uuid.uuid4()
    scope = {"foundation_id": campaign.foundation_id, "period_id": period.id}
    db.session.execute(insert(PendingAnswer.__table__), [
        {**scope, "team_id": team.id, "checkin": checkin, "question": key, "value": value}
        for key, value in answers.items()
    ])
    if comment:
        db.session.execute(insert(PendingComment.__table__).values(id=uuid.uuid4(), division=division, text=comment,
                                                                   **scope))
    db.session.commit()

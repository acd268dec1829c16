"""Scheduled work, per foundation: freeze closed periods (folding in what still waits), open new
ones and remind, delete old comments; and for the whole group, clear the database's old row
versions of waiting answers (``fold.vacuum_pending``).

The reminder goes only to people who have not checked in. They are found by one set-based query
(members of the campaign's teams with no ledger row for the period), read in batches by id and
handed straight to the notifications service; the job neither logs nor returns who they are.
Every notification carries a dedupe key per period, so a job that runs twice notifies once.
"""
from __future__ import annotations

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from flask_babel import LazyString, format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, or_, select

from core.api import Draft, JobSpec, Person, clock, db, notify_many
from plugins.wellbeing.checkin import ELIGIBLE_STATUSES, ensure_period
from plugins.wellbeing.fold import vacuum_pending
from plugins.wellbeing.freeze import freeze_closed_periods
from plugins.wellbeing.models import Campaign, Comment, Participation, PendingComment, Period, campaign_team
from plugins.wellbeing.notices import OPEN_KIND, REMINDER_KIND
from plugins.wellbeing.settings import settings_for

BATCH_SIZE = 500


def running_campaigns(foundation_id: int, today) -> list[Campaign]:
    return list(db.session.scalars(
        select(Campaign).where(
            Campaign.foundation_id == foundation_id, Campaign.confirmed_at.is_not(None), Campaign.starts_on <= today,
            or_(Campaign.ends_on.is_(None), Campaign.ends_on >= today),
        ).order_by(Campaign.id)
    ))


def run_checkins(foundation) -> None:
    """Freeze periods that closed, open today's period of every running campaign, tell its members,
    and remind those who have not checked in when the period nears its end."""
    foundation_id = foundation.id
    today = clock.today()
    settings = settings_for(foundation_id)
    for campaign_id in db.session.scalars(select(Campaign.id).where(
            Campaign.foundation_id == foundation_id, Campaign.confirmed_at.is_not(None))).all():
        freeze_closed_periods(campaign_id)
    for campaign in running_campaigns(foundation_id, today):
        period = ensure_period(campaign, today)
        db.session.commit()
        if period is None:
            continue
        if not period.opening_sent:
            _notify_members(campaign, period, OPEN_KIND, only_missing=False)
            period.opening_sent = True
            db.session.commit()
        reminder_day = period.ends_on - timedelta(days=settings.reminder_days_before_close)
        if not period.reminder_sent and today > period.starts_on and today >= reminder_day:
            _notify_members(campaign, period, REMINDER_KIND, only_missing=True)
            period.reminder_sent = True
            db.session.commit()


def _notify_members(campaign: Campaign, period: Period, kind: str, only_missing: bool) -> None:
    campaign_id, period_id, ends_on = campaign.id, period.id, period.ends_on
    members = (
        select(Person)
        .join(campaign_team, campaign_team.c.team_id == Person.team_id)
        .where(campaign_team.c.campaign_id == campaign_id, Person.foundation_id == campaign.foundation_id,
               Person.status.in_(ELIGIBLE_STATUSES))
    )
    if only_missing:
        members = members.where(~exists().where(Participation.period_id == period_id,
                                                 Participation.person_id == Person.id))
        subject = _l("Your team check-in is still open until %(date)s", date=LazyString(format_date, ends_on))
    else:
        subject = _l("Your team check-in is open until %(date)s", date=LazyString(format_date, ends_on))
    body = _l("How did work go? Checking in takes half a minute. Your answers are only counted, never kept with your name.")
    url = f"/wellbeing/checkin/{campaign_id}"
    dedupe_key = f"{kind}:{period_id}"
    last_id = 0
    while True:
        batch = db.session.scalars(members.where(Person.id > last_id).order_by(Person.id).limit(BATCH_SIZE)).all()
        if not batch:
            break
        notify_many(Draft(person, kind, subject, body, url, dedupe_key) for person in batch)
        last_id = batch[-1].id
        db.session.commit()


def purge_comments(foundation) -> int:
    """Delete comments of periods that ended more than the retention (months) ago, published or still
    waiting (a period nobody froze); counters stay."""
    months = settings_for(foundation.id).comment_retention_months
    cutoff = clock.today() - relativedelta(months=months)
    old_periods = select(Period.id).where(Period.foundation_id == foundation.id, Period.ends_on < cutoff)
    deleted = sum(
        db.session.execute(delete(model).where(model.period_id.in_(old_periods)),
                           execution_options={"synchronize_session": False}).rowcount
        for model in (Comment, PendingComment)
    )
    db.session.commit()
    return deleted


JOBS = [
    JobSpec(
        id="wellbeing.checkins", func=run_checkins, trigger={"cron": {"hour": 7, "minute": 30}}, per_foundation=True,
        description=_l("Freeze closed check-in periods, open new ones, tell team members, remind those who have "
                       "not checked in."),
    ),
    JobSpec(
        id="wellbeing.comment_retention", func=purge_comments, trigger={"cron": {"hour": 3, "minute": 45}},
        per_foundation=True, description=_l("Delete wellbeing comments older than the retention period."),
    ),
    JobSpec(
        # After wellbeing.checkins has frozen the day's closed periods.
        id="wellbeing.vacuum", func=vacuum_pending, trigger={"cron": {"hour": 7, "minute": 50}},
        description=_l("Remove the database's old copies of wellbeing answers that were waiting to be counted."),
    ),
]

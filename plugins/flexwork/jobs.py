"""Daily per-foundation jobs: requests deemed granted, deadline alerts to HR, trial evaluations.
Each is idempotent: state-guarded updates and notification dedupe keys."""
from __future__ import annotations

import logging
from datetime import date, timedelta

from flask_babel import LazyString, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.api import DateReminder, Draft, JobSpec, Person, Team, clock, db, notify_many, run_date_reminders
from plugins.flexwork import notices, request_flow
from plugins.flexwork.models import OPEN_STATES, FlexRequest
from plugins.flexwork.settings import hr_alert_days

log = logging.getLogger(__name__)


def grant_overdue(foundation_id: int, today: date) -> list[int]:
    """Grant hours and times requests made in time and still undecided after their deadline.
    Commits each one on its own, so a manager deciding meanwhile loses nothing."""
    ids = list(db.session.scalars(
        select(FlexRequest.id).where(
            FlexRequest.foundation_id == foundation_id, FlexRequest.state.in_(OPEN_STATES),
            FlexRequest.hours_or_times.is_(True), FlexRequest.in_time.is_(True), FlexRequest.decision_deadline < today,
        ).order_by(FlexRequest.id)
    ))
    granted = []
    for request_id in ids:
        request = db.session.get(FlexRequest, request_id)
        try:
            request_flow.deem_granted(request)
        except request_flow.AlreadyDecided:
            log.info("flexwork request %s was decided meanwhile", request_id)
            continue
        db.session.commit()
        granted.append(request_id)
    return granted


def alert_deadlines(foundation_id: int, today: date, days: int) -> int:
    """Tell HR about every undecided request whose deadline is at most ``days`` away (once each)."""
    due = db.session.scalars(
        select(FlexRequest).options(selectinload(FlexRequest.person))
        .where(FlexRequest.foundation_id == foundation_id, FlexRequest.state.in_(OPEN_STATES),
               FlexRequest.decision_deadline.between(today, today + timedelta(days=days)))
        .order_by(FlexRequest.decision_deadline, FlexRequest.id)
    ).all()
    people = notices.overseers(foundation_id)
    drafts = [
        Draft(person, notices.DEADLINE_NEAR,
              _l("Undecided flexible-work request of %(name)s", name=request.person.full_name),
              _deadline_text(request.decision_deadline),
              notices.link("flexwork.request_page", request_id=request.id),
              f"flexwork.deadline:{request.id}:{request.decision_deadline.isoformat()}")
        for request in due for person in people
    ]
    return len(notify_many(drafts))


def _deadline_text(deadline: date) -> LazyString:
    """Evaluated in each recipient's language, with the date in their format."""
    return LazyString(lambda: _("The decision is due on %(date)s. Without a decision by then, the law grants it as asked.",
                                date=format_date(deadline)))


def _trial_recipients(request: FlexRequest) -> list:
    team = request.person.team
    manager = team.manager if team is not None and team.manager_id != request.person_id else None
    return [request.person, manager]


TRIAL_ENDS = DateReminder(
    key="flexwork.trial_ends",
    kind=notices.TRIAL_ENDS,
    query=lambda foundation: select(FlexRequest).where(FlexRequest.state == "approved").options(
        selectinload(FlexRequest.person).selectinload(Person.team).selectinload(Team.manager)
    ),
    date=FlexRequest.trial_end,
    offsets_days=(0,),
    recipients=_trial_recipients,
    render=lambda request, offset: (
        _("The trial period of %(name)s's work arrangement ends on %(date)s", name=request.person.full_name,
          date=format_date(request.trial_end)),
        _("Evaluate together how the arrangement works and record what you agree."),
        notices.link("flexwork.request_page", request_id=request.id),
    ),
)


def run_deemed_granted(foundation) -> None:
    grant_overdue(foundation.id, clock.today())


def run_deadline_alerts(foundation) -> None:
    alert_deadlines(foundation.id, clock.today(), hr_alert_days(foundation.id))


def run_trial_reminders(foundation) -> None:
    run_date_reminders(foundation, [TRIAL_ENDS])


JOBS = [
    JobSpec("flexwork.deemed_granted", run_deemed_granted, {"cron": {"hour": 0, "minute": 30}}, per_foundation=True,
            description=_l("Grant hours and times requests left undecided past their deadline (Wet flexibel werken).")),
    JobSpec("flexwork.deadline_alerts", run_deadline_alerts, {"cron": {"hour": 7, "minute": 0}}, per_foundation=True,
            description=_l("Alert HR about undecided requests whose decision deadline is near.")),
    JobSpec("flexwork.trial_reminders", run_trial_reminders, {"cron": {"hour": 7, "minute": 15}}, per_foundation=True,
            description=_l("Remind employee and manager to evaluate when a trial period ends.")),
]

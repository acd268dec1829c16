"""Scheduled work, per foundation: reminders, the managers' weekly digest, and the retention purge.

Reminders are rules for core's date reminders (``run_date_reminders``): the assignee two working
days before a task is due (the task's ``remind_on``) and the day after it became overdue; HR three
days before the start when a required pre-boarding upload is missing; the newcomer at day 30 and
day 90 for feedback.
Every notification has a dedupe key, so a job run twice sends once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask_babel import format_date, lazy_ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from core.api import (
    DateReminder,
    Draft,
    JobSpec,
    Person,
    RoleAssignment,
    Team,
    clock,
    db,
    notify_many,
    plugin_settings,
    run_date_reminders,
)
from plugins.onboarding import journeys, notices
from plugins.onboarding.feedback import CHECKPOINTS
from plugins.onboarding.models import OnboardingJourney, OnboardingJourneyTask
from plugins.onboarding.vocabulary import INVITED_KINDS

DEFAULT_RETENTION_DAYS = 730
PURGE_BATCH = 500
DOCUMENT_WARNING_DAYS = 3


def hr_admins(foundation_id: int) -> list[Person]:
    return list(
        db.session.scalars(
            select(Person)
            .join(RoleAssignment, RoleAssignment.person_id == Person.id)
            .where(RoleAssignment.role == "hr_admin", RoleAssignment.foundation_id == foundation_id)
            .order_by(Person.id)
        )
    )


# -- date reminders ---------------------------------------------------------------------------------


def _open_tasks(foundation):
    return (
        select(OnboardingJourneyTask)
        .join(OnboardingJourneyTask.journey)
        .join(OnboardingJourney.person)
        .where(OnboardingJourneyTask.status == "open", OnboardingJourney.status == "open")
        .options(
            joinedload(OnboardingJourneyTask.assignee),
            contains_eager(OnboardingJourneyTask.journey).contains_eager(OnboardingJourney.person),
        )
    )


def _task_url(task: OnboardingJourneyTask) -> str:
    if task.assignee_id is None:
        return f"/onboarding/journeys/{task.journey_id}"
    return "/onboarding/"


def _task_due_text(task: OnboardingJourneyTask, _offset: int):
    return (
        _l("Due on %(date)s: %(task)s", date=format_date(task.due_date), task=task.title),
        _l("An onboarding task of %(name)s's journey.", name=task.journey.person.full_name),
        _task_url(task),
    )


def _task_overdue_text(task: OnboardingJourneyTask, _offset: int):
    return (
        _l("Overdue since %(date)s: %(task)s", date=format_date(task.due_date), task=task.title),
        _l("An onboarding task of %(name)s's journey.", name=task.journey.person.full_name),
        _task_url(task),
    )


def _missing_documents(journey: OnboardingJourney) -> list[OnboardingJourneyTask]:
    return [
        t for t in journey.tasks if t.task_type == "upload" and t.required and t.offset_days < 0 and t.status == "open"
    ]


def _document_text(journey: OnboardingJourney, _offset: int):
    return (
        _l(
            "Documents missing for %(name)s, who starts on %(date)s",
            name=journey.person.full_name,
            date=format_date(journey.start_date),
        ),
        ", ".join(task.title for task in _missing_documents(journey)),
        f"/onboarding/journeys/{journey.id}",
    )


def _feedback_text(journey: OnboardingJourney, offset: int):
    return (
        _l("How is your start going? (day %(day)d)", day=offset),
        _l("Three short questions about your first days. Your answers help us welcome the next newcomers."),
        "/onboarding/",
    )


def date_reminders(foundation_id: int) -> list[DateReminder]:
    hr = hr_admins(foundation_id)
    task_recipients = lambda task: [task.assignee] if task.assignee is not None else hr  # noqa: E731
    missing_upload = exists().where(
        OnboardingJourneyTask.journey_id == OnboardingJourney.id,
        OnboardingJourneyTask.task_type == "upload",
        OnboardingJourneyTask.required.is_(True),
        OnboardingJourneyTask.offset_days < 0,
        OnboardingJourneyTask.status == "open",
    )
    return [
        DateReminder(
            key=notices.TASK_DUE,
            kind=notices.TASK_DUE,
            query=_open_tasks,
            date=OnboardingJourneyTask.remind_on,
            offsets_days=(0,),
            recipients=task_recipients,
            render=_task_due_text,
        ),
        DateReminder(
            key=notices.TASK_OVERDUE,
            kind=notices.TASK_OVERDUE,
            query=_open_tasks,
            date=OnboardingJourneyTask.due_date,
            offsets_days=(1,),
            recipients=task_recipients,
            render=_task_overdue_text,
        ),
        DateReminder(
            key=notices.DOCUMENT_MISSING,
            kind=notices.DOCUMENT_MISSING,
            query=lambda foundation: (
                select(OnboardingJourney)
                .where(
                    OnboardingJourney.status == "open",
                    OnboardingJourney.kind.in_(INVITED_KINDS),
                    missing_upload,
                )
                .options(joinedload(OnboardingJourney.person), selectinload(OnboardingJourney.tasks))
            ),
            date=OnboardingJourney.start_date,
            offsets_days=(-DOCUMENT_WARNING_DAYS,),
            recipients=lambda journey: hr,
            render=_document_text,
        ),
        DateReminder(
            key=notices.FEEDBACK,
            kind=notices.FEEDBACK,
            query=lambda foundation: (
                select(OnboardingJourney)
                .where(
                    OnboardingJourney.status != "cancelled",
                    OnboardingJourney.kind.in_(INVITED_KINDS),
                )
                .options(joinedload(OnboardingJourney.person))
            ),
            date=OnboardingJourney.start_date,
            offsets_days=CHECKPOINTS,
            recipients=lambda journey: [journey.person],
            render=_feedback_text,
        ),
    ]


def send_reminders(foundation, today: date | None = None):
    return run_date_reminders(foundation, date_reminders(foundation.id), today=today)


# -- the managers' weekly digest --------------------------------------------------------------------


def send_manager_digest(foundation, today: date | None = None) -> int:
    """One notification per manager with open items: their own open tasks and their teams'
    newcomers' overdue tasks. Returns how many were made."""
    today = today or clock.today()
    foundation_id = foundation.id
    task, journey = OnboardingJourneyTask, OnboardingJourney
    own = dict(
        db.session.execute(
            select(task.assignee_id, func.count())
            .join(task.journey)
            .where(
                task.foundation_id == foundation_id,
                task.status == "open",
                journey.status == "open",
                task.assignee_id.in_(select(Team.manager_id).where(Team.foundation_id == foundation_id)),
            )
            .group_by(task.assignee_id)
        ).all()
    )
    overdue = dict(
        db.session.execute(
            select(Team.manager_id, func.count())
            .select_from(task)
            .join(task.journey)
            .join(journey.person)
            .join(Team, Team.id == Person.team_id)
            .where(
                task.foundation_id == foundation_id,
                task.status == "open",
                journey.status == "open",
                task.due_date < today,
                Team.manager_id.is_not(None),
            )
            .group_by(Team.manager_id)
        ).all()
    )
    manager_ids = sorted(set(own) | set(overdue))
    if not manager_ids:
        return 0
    managers = db.session.scalars(select(Person).where(Person.id.in_(manager_ids))).all()
    year, week, _day = today.isocalendar()
    drafts = [
        Draft(
            manager,
            notices.MANAGER_DIGEST,
            lazy_ngettext(
                "Onboarding: %(num)d overdue task in your teams",
                "Onboarding: %(num)d overdue tasks in your teams",
                overdue.get(manager.id, 0),
            ),
            lazy_ngettext(
                "You have %(num)d open onboarding task yourself.",
                "You have %(num)d open onboarding tasks yourself.",
                own.get(manager.id, 0),
            ),
            "/onboarding/team",
            f"{notices.MANAGER_DIGEST}:{year}-W{week:02d}",
        )
        for manager in managers
    ]
    made = len(notify_many(drafts))
    db.session.commit()
    return made


# -- retention --------------------------------------------------------------------------------------


def purge_finished(foundation, today: date | None = None) -> int:
    """Delete journeys finished longer ago than the foundation's retention, with their files."""
    today = today or clock.today()
    days = plugin_settings("onboarding", foundation.id).get("retention_days", DEFAULT_RETENTION_DAYS)
    cutoff = datetime.combine(today - timedelta(days=days), time.min)
    closed_at = case(
        (OnboardingJourney.status == "completed", OnboardingJourney.completed_at), else_=OnboardingJourney.cancelled_at
    )
    query = (
        select(OnboardingJourney.id)
        .where(
            OnboardingJourney.foundation_id == foundation.id,
            OnboardingJourney.status.in_(("completed", "cancelled")),
            and_(closed_at.is_not(None), closed_at < cutoff),
        )
        .order_by(OnboardingJourney.id)
        .limit(PURGE_BATCH)
    )
    deleted = 0
    while ids := list(db.session.scalars(query)):
        deleted += journeys.delete_journeys(ids)
        db.session.commit()
    return deleted


JOBS = [
    JobSpec(
        id="onboarding.reminders",
        func=send_reminders,
        trigger={"cron": {"hour": 6, "minute": 45}},
        per_foundation=True,
        description=_l("Remind assignees of due and overdue tasks, HR of missing documents, newcomers of feedback."),
    ),
    JobSpec(
        id="onboarding.manager_digest",
        func=send_manager_digest,
        trigger={"cron": {"day_of_week": "mon", "hour": 7, "minute": 30}},
        per_foundation=True,
        description=_l("Weekly overview of open onboarding items for managers."),
    ),
    JobSpec(
        id="onboarding.purge",
        func=purge_finished,
        trigger={"cron": {"hour": 3, "minute": 45}},
        per_foundation=True,
        description=_l("Delete finished journeys and their files after the retention period."),
    ),
]

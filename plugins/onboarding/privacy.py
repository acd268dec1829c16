"""A person's onboarding data: exported in readable form, or erased with the files on disk."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from core.api import db
from plugins.onboarding import journeys
from plugins.onboarding.models import (
    OnboardingFeedback,
    OnboardingFile,
    OnboardingJourney,
    OnboardingJourneyTask,
    OnboardingTemplateTask,
)


def export(person) -> dict:
    own = db.session.scalars(
        select(OnboardingJourney)
        .where(OnboardingJourney.person_id == person.id)
        .options(selectinload(OnboardingJourney.tasks))
        .order_by(OnboardingJourney.id)
    ).all()
    ids = [journey.id for journey in own]
    files: dict[int, list[str]] = {}
    for task_id, name in db.session.execute(
        select(OnboardingFile.journey_task_id, OnboardingFile.original_name).where(OnboardingFile.journey_id.in_(ids))
    ):
        files.setdefault(task_id, []).append(name)
    answers = db.session.scalars(select(OnboardingFeedback).where(OnboardingFeedback.journey_id.in_(ids))).all()
    for_others = db.session.scalars(
        select(OnboardingJourneyTask).where(
            OnboardingJourneyTask.assignee_id == person.id, OnboardingJourneyTask.journey_id.not_in(ids)
        )
    ).all()
    return {
        "journeys": [
            {
                "name": journey.name,
                "kind": journey.kind,
                "status": journey.status,
                "start_date": journey.start_date.isoformat(),
                "completed_at": journey.completed_at.isoformat() if journey.completed_at else None,
                "tasks": [
                    {
                        "title": task.title,
                        "status": task.status,
                        "due_date": task.due_date.isoformat(),
                        "done_at": task.done_at.isoformat() if task.done_at else None,
                        "response": task.response or {},
                        "files": files.get(task.id, []),
                    }
                    for task in journey.tasks
                ],
            }
            for journey in own
        ],
        "feedback": [
            {
                "day": row.checkpoint,
                "welcome": row.welcome,
                "clarity": row.clarity,
                "support": row.support,
                "comment": row.comment,
                "answered_at": row.answered_at.isoformat(),
            }
            for row in answers
        ],
        "tasks_for_others": [
            {"title": task.title, "status": task.status, "due_date": task.due_date.isoformat()} for task in for_others
        ],
    }


def erase(person) -> None:
    """Delete the person's journeys and files; where they helped others (buddy, assignee, named in
    a template) their name is taken off, the tasks stay for HR to give to someone else."""
    ids = list(db.session.scalars(select(OnboardingJourney.id).where(OnboardingJourney.person_id == person.id)))
    journeys.delete_journeys(ids)
    for column in (OnboardingJourneyTask.assignee_id, OnboardingJourneyTask.done_by_id):
        db.session.execute(
            update(OnboardingJourneyTask).where(column == person.id).values({column.key: None}),
            execution_options={"synchronize_session": False},
        )
    db.session.execute(
        update(OnboardingJourney).where(OnboardingJourney.buddy_id == person.id).values(buddy_id=None),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        update(OnboardingJourney).where(OnboardingJourney.started_by_id == person.id).values(started_by_id=None),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        update(OnboardingTemplateTask)
        .where(OnboardingTemplateTask.assignee_person_id == person.id)
        .values(assignee_person_id=None, assignee_role="hr"),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        update(OnboardingFile).where(OnboardingFile.uploaded_by_id == person.id).values(uploaded_by_id=None),
        execution_options={"synchronize_session": False},
    )

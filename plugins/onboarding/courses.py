"""Course tasks complete when the ``learning`` plugin reports a completed course.

Onboarding never imports Learning: it listens to Learning's ``training_completed`` hook and reads
only plain attributes of what it is given (``course.code``, ``course.id``). A task names its
course by code (or id) in its ``course_code``.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.api import db
from plugins.onboarding import journeys
from plugins.onboarding.models import OnboardingJourney, OnboardingJourneyTask


def course_keys(course) -> set[str]:
    keys = {str(getattr(course, "code", "") or "").strip().lower(), str(getattr(course, "id", "") or "").strip()}
    return {key for key in keys if key}


def complete_course_tasks(person, course) -> int:
    """Mark the person's open course tasks for ``course`` done; returns how many."""
    keys = course_keys(course)
    if not keys:
        return 0
    open_journeys = db.session.scalars(
        select(OnboardingJourney)
        .where(
            OnboardingJourney.person_id == person.id,
            OnboardingJourney.status == "open",
            OnboardingJourney.tasks.any(
                (OnboardingJourneyTask.task_type == "course") & (OnboardingJourneyTask.status == "open")
            ),
        )
        .options(selectinload(OnboardingJourney.tasks))
    ).all()
    completed = 0
    for journey in open_journeys:
        for task in journey.tasks:
            code = str((task.config or {}).get("course_code", "")).strip().lower()
            if task.task_type == "course" and task.status == "open" and code in keys:
                journeys.complete_task(task, None, {"course": code}, in_order=False)
                completed += 1
    return completed

"""Who may see and do what in onboarding. Anything a person may not reach answers 404, the same as
something that does not exist, so ids cannot be probed.

- A task is done by its assignee; a task without one (HR's tasks, a buddy's before the buddy is
  chosen) by HR.
- A journey is seen by its newcomer, its buddy, whoever has a task in it, the manager of the
  newcomer's team and HR. Its detail page with the buttons is for the manager and HR.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from core.api import Team, acting_foundation_id, db, get_or_404, has_permission
from plugins.onboarding.models import OnboardingJourney, OnboardingJourneyTask

MANAGE = "onboarding.manage"
TEAM = "onboarding.team"
COPY = "onboarding.copy_templates"


def is_hr(user, foundation_id: int) -> bool:
    return has_permission(user, MANAGE, foundation_id)


def manages(user, person) -> bool:
    if person.team_id is None:
        return False
    return db.session.scalar(select(Team.manager_id).where(Team.id == person.team_id)) == user.id


def may_oversee(user, journey: OnboardingJourney) -> bool:
    return is_hr(user, journey.foundation_id) or (
        has_permission(user, TEAM, journey.foundation_id) and manages(user, journey.person)
    )


def may_view(user, journey: OnboardingJourney) -> bool:
    if user.id in (journey.person_id, journey.buddy_id):
        return True
    if any(task.assignee_id == user.id for task in journey.tasks):
        return True
    return may_oversee(user, journey)


def may_do(user, task: OnboardingJourneyTask) -> bool:
    if task.assignee_id is not None:
        return task.assignee_id == user.id
    return is_hr(user, task.foundation_id)


def _in_acting_foundation(obj):
    if obj.foundation_id != acting_foundation_id():
        abort(404)
    return obj


def journey_or_404(journey_id: int) -> OnboardingJourney:
    return _in_acting_foundation(get_or_404(OnboardingJourney, journey_id))


def task_or_404(task_id: int) -> OnboardingJourneyTask:
    return _in_acting_foundation(get_or_404(OnboardingJourneyTask, task_id))


def task_to_do_or_404(user, task_id: int) -> OnboardingJourneyTask:
    """A task the user may work on; anyone else's is not found."""
    task = task_or_404(task_id)
    if not may_do(user, task):
        abort(404)
    return task


def viewable_journey_or_404(user, journey_id: int) -> OnboardingJourney:
    journey = journey_or_404(journey_id)
    if not may_view(user, journey):
        abort(404)
    return journey


def overseen_journey_or_404(user, journey_id: int) -> OnboardingJourney:
    journey = journey_or_404(journey_id)
    if not may_oversee(user, journey):
        abort(404)
    return journey

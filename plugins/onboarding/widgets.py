"""What onboarding adds to core's pages: the menu item, dashboard cards and a section on a
person's page."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.api import NavItem, PersonSection, Widget, clock, db, has_permission, managed_team_ids
from plugins.onboarding import access, journeys, queries
from plugins.onboarding.models import OnboardingJourney
from plugins.onboarding.vocabulary import JOURNEY_STATUSES


def nav(user, foundation) -> list[NavItem]:
    return [NavItem(label=str(_l("Onboarding")), url=url_for("onboarding.index"), order=20)]


def dashboard(user, foundation) -> list[Widget]:
    today = clock.today()
    widgets = []
    journey = queries.open_journey(user.id, foundation.id)
    if journey is not None:
        tasks = queries.journey_tasks(journey)
        done, total = journeys.progress(tasks)
        locked = journeys.locked_ids(tasks)
        next_task = next(
            (t for t in tasks if t.status == "open" and t.assignee_id == user.id and t.id not in locked), None
        )
        widgets.append(
            Widget(
                title=str(_l("Your onboarding")),
                template="onboarding/widget_newcomer.html",
                context={"done": done, "total": total, "next": next_task},
                order=10,
            )
        )
    if has_permission(user, access.TEAM, foundation.id):
        team_ids = managed_team_ids(user, foundation.id)
        first, last = queries.week_of(today)
        widgets.append(
            Widget(
                title=str(_l("Newcomers in your teams")),
                template="onboarding/widget_manager.html",
                context={"starting": queries.starting_between(team_ids, first, last)},
                order=20,
            )
        )
    if has_permission(user, access.MANAGE, foundation.id):
        widgets.append(
            Widget(
                title=str(_l("Onboarding in the foundation")),
                template="onboarding/widget_hr.html",
                context={"overdue": queries.overdue_count(foundation.id, today)},
                order=20,
            )
        )
    return widgets


def person_section(person, viewer) -> list[PersonSection]:
    if not (
        access.is_hr(viewer, person.foundation_id)
        or (has_permission(viewer, access.TEAM, person.foundation_id) and access.manages(viewer, person))
    ):
        return []
    rows = db.session.scalars(
        select(OnboardingJourney)
        .where(OnboardingJourney.person_id == person.id)
        .order_by(OnboardingJourney.start_date.desc(), OnboardingJourney.id.desc())
    ).all()
    return [
        PersonSection(
            key="onboarding",
            title=str(_l("Onboarding")),
            template="onboarding/person_section.html",
            context={
                "journeys": rows,
                "figures": queries.figures([j.id for j in rows], clock.today()),
                "statuses": JOURNEY_STATUSES,
                "person": person,
            },
            order=30,
        )
    ]

"""Fixtures for the onboarding tests: a small organisation with the plugin on, and templates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from core.models import Foundation, Person, Team
from core.plugins import plugin_manager
from plugins.onboarding import journeys
from plugins.onboarding.models import OnboardingTemplate, OnboardingTemplateTask

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0a3cbf00000000049454e44ae426082"
)


@dataclass
class Org:
    foundation: Foundation
    team: Team
    manager: Person
    newcomer: Person
    buddy: Person
    hr: Person
    other_team: Team
    other_manager: Person
    other: Foundation
    other_hr: Person


@pytest.fixture
def org(make, enable_plugin, clock) -> Org:
    """Everyone reads English, so tests can check the source strings whatever the Dutch catalogue says."""
    ggz, welzijn = make.foundation("ggz", "GGZ"), make.foundation("welzijn", "Welzijn")
    enable_plugin("onboarding", ggz)
    enable_plugin("onboarding", welzijn)
    team = make.team(ggz, "Behandelteam")
    manager = make.manager(ggz, team)
    buddy = make.person(ggz, team, first_name="Bea", last_name="Buddy", locale="en")
    newcomer = make.person(
        ggz,
        team,
        first_name="Noor",
        last_name="Nieuw",
        status="preboarding",
        start_date=clock.today() + timedelta(days=7),
        locale="en",
    )
    hr = make.person(ggz, role="hr_admin", locale="en")
    other_team = make.team(ggz, "Secretariaat")
    other_manager = make.manager(ggz, other_team)
    other_hr = make.person(welzijn, role="hr_admin", locale="en")
    for person in (manager, other_manager):
        person.locale = "en"
    make.db.session.commit()
    return Org(ggz, team, manager, newcomer, buddy, hr, other_team, other_manager, welzijn, other_hr)


def task(
    title: str, offset: int = 0, task_type: str = "checkbox", role: str = "newcomer", required: bool = True, **config
):
    return {
        "title": title,
        "offset_days": offset,
        "task_type": task_type,
        "assignee_role": role,
        "required": required,
        "config": config,
    }


def make_template(
    db, foundation, tasks, name="Inwerken", kind="onboarding", after=None, **criteria
) -> OnboardingTemplate:
    """A template with ``tasks`` (dicts from ``task``); ``after`` maps a task index to the indexes it waits for."""
    template = OnboardingTemplate(foundation_id=foundation.id, name=name, kind=kind, **criteria)
    db.session.add(template)
    made = []
    for position, spec in enumerate(tasks, 1):
        made.append(OnboardingTemplateTask(foundation_id=foundation.id, template=template, position=position, **spec))
    for index, waits_for in (after or {}).items():
        made[index].depends_on = [made[i] for i in waits_for]
    db.session.add_all(made)
    db.session.commit()
    return template


ALL_TYPES = [
    task("Kopie ID", -5, "upload", allowed_types=["pdf", "png"], max_size_mb=1),
    task("Gedragscode", -3, "confirm", document_text="Wees **aardig**."),
    task("Gegevens", -2, "form", questions=["Welke dagen werk je?", "Dieetwensen?"]),
    task("Welkomstgesprek", 0, "meeting", role="manager", time="09:30", minutes=60),
    task("Koffie", 2, "meeting", role="buddy", time="10:00", minutes=30),
    task("Rondleiding", 5),
    task("Evaluatie", 30, role="hr"),
]


@pytest.fixture
def template(db, org) -> OnboardingTemplate:
    return make_template(db, org.foundation, ALL_TYPES, after={5: [3]})


@pytest.fixture
def journey(db, org, template):
    """The newcomer's journey, with Bea as buddy."""
    started = journeys.start_journey(org.newcomer, template, org.newcomer.start_date)
    journeys.set_buddy(started, org.buddy, None)
    db.session.commit()
    return started


def task_named(journey, title):
    return next(t for t in journey.tasks if t.title == title)


@pytest.fixture
def learning_on(app, enable_plugin, monkeypatch):
    """``learning_on(foundation)``: Learning switched on (the real plugin when it is installed)."""
    manager = plugin_manager(app)

    def _on(foundation):
        if "learning" in manager.plugins:
            enable_plugin("learning", foundation)
            return
        original = manager.is_enabled
        monkeypatch.setattr(
            manager, "is_enabled", lambda key, fid: (key == "learning" and fid == foundation.id) or original(key, fid)
        )

    return _on

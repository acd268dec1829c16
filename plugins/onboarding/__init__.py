"""Journey plugin ``onboarding``: journeys of tasks that newcomers, their manager, buddy and HR
complete in the browser, from the invitation to the end of the third month; also for transfers,
leavers and volunteers. See docs/onboarding.md.

This module only wires the plugin into Journey; the work is in the modules it names.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.contributions import Permission
from core.hookspecs import hookimpl
from plugins.onboarding import courses, demo, jobs, journeys, notices, privacy, widgets  # noqa: F401  (notices registers kinds)
from plugins.onboarding.access import COPY, MANAGE, TEAM
from plugins.onboarding.forms import SettingsForm

KEY = "onboarding"
TITLE = {"nl": "Onboarding", "en": "Onboarding"}
DESCRIPTION = {
    "nl": "Inwerktrajecten met taken voor nieuwe medewerkers, hun leidinggevende, buddy en HR; ook voor "
    "overstap, uitdienst en vrijwilligers.",
    "en": "Onboarding journeys of tasks for newcomers, their manager, buddy and HR; also for transfers, "
    "leavers and volunteers.",
}
REQUIRES: tuple[str, ...] = ()


@hookimpl
def register_blueprints():
    from plugins.onboarding import views_hr, views_newcomer, views_team, views_templates  # noqa: F401  (routes)
    from plugins.onboarding.blueprint import bp

    return [bp]


@hookimpl
def register_permissions():
    return [
        Permission(MANAGE, _l("Manage onboarding: journeys, templates and figures"), ("hr_admin",)),
        Permission(TEAM, _l("Follow the newcomers of one's teams and choose their buddies"), ("manager",)),
        Permission(COPY, _l("Copy onboarding templates from another foundation"), ()),
    ]


@hookimpl
def register_jobs():
    return jobs.JOBS


@hookimpl
def plugin_settings_form():
    return SettingsForm


@hookimpl
def nav_items(user, foundation):
    return widgets.nav(user, foundation)


@hookimpl
def dashboard_widgets(user, foundation):
    return widgets.dashboard(user, foundation)


@hookimpl
def person_sections(person, viewer):
    return widgets.person_section(person, viewer)


@hookimpl
def person_hired(person):
    journeys.on_hired(person)


@hookimpl
def person_transferred(person, from_team, to_team):
    journeys.on_transferred(person, from_team, to_team)


@hookimpl
def person_leaving(person):
    journeys.on_leaving(person)


@hookimpl
def person_changed(person, changes):
    journeys.on_dates_changed(person, changes)


@hookimpl(optionalhook=True)
def training_completed(person, course):
    """From the ``learning`` plugin (its own hook): complete the person's matching course tasks."""
    courses.complete_course_tasks(person, course)


@hookimpl
def privacy_export(person):
    return privacy.export(person)


@hookimpl
def privacy_erase(person):
    privacy.erase(person)


@hookimpl
def seed_demo(foundation, people, rng, scale):
    demo.seed(foundation, people, rng, scale)

"""Journey plugin ``onboarding``: journeys of tasks that newcomers, their manager, buddy and HR
complete in the browser, from the invitation to the end of the third month; also for transfers,
leavers and volunteers. See docs/onboarding.md.

This module only wires the plugin into Journey; the work is in the modules it names.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import Permission, hookimpl

KEY = "onboarding"
TITLE = {"nl": "Inwerken", "en": "Onboarding"}
DESCRIPTION = {
    "nl": "Inwerktrajecten met taken voor nieuwe medewerkers, hun leidinggevende, buddy en HR; ook voor "
    "overstap, uitdienst en vrijwilligers.",
    "en": "Onboarding journeys of tasks for newcomers, their manager, buddy and HR; also for transfers, "
    "leavers and volunteers.",
}
REQUIRES: tuple[str, ...] = ()


@hookimpl
def register_blueprints():
    from plugins.onboarding.views import bp

    return [bp]


@hookimpl
def register_permissions():
    from plugins.onboarding.access import COPY, MANAGE, TEAM

    return [
        Permission(MANAGE, _l("Manage onboarding: journeys, templates and figures"), ("hr_admin",)),
        Permission(TEAM, _l("Follow the newcomers of one's teams and choose their buddies"), ("manager",)),
        Permission(COPY, _l("Copy onboarding templates from another foundation"), ()),
    ]


@hookimpl
def register_notification_kinds():
    from plugins.onboarding.notices import NOTIFICATION_KINDS

    return NOTIFICATION_KINDS


@hookimpl
def register_jobs():
    from plugins.onboarding.jobs import JOBS

    return JOBS


@hookimpl
def plugin_settings_form():
    from plugins.onboarding.forms import SettingsForm

    return SettingsForm


@hookimpl
def nav_items(user, foundation):
    from plugins.onboarding import widgets

    return widgets.nav(user, foundation)


@hookimpl
def dashboard_widgets(user, foundation):
    from plugins.onboarding import widgets

    return widgets.dashboard(user, foundation)


@hookimpl
def person_sections(person, viewer):
    from plugins.onboarding import widgets

    return widgets.person_section(person, viewer)


@hookimpl
def person_hired(person):
    from plugins.onboarding import journeys

    journeys.on_hired(person)


@hookimpl
def person_transferred(person, from_team, to_team):
    from plugins.onboarding import journeys

    journeys.on_transferred(person, from_team, to_team)


@hookimpl
def person_leaving(person):
    from plugins.onboarding import journeys

    journeys.on_leaving(person)


@hookimpl
def person_changed(person, changes):
    from plugins.onboarding import journeys

    journeys.on_dates_changed(person, changes)


@hookimpl(optionalhook=True)
def training_completed(person, course):
    """From the ``learning`` plugin (its own hook): complete the person's matching course tasks."""
    from plugins.onboarding import courses

    courses.complete_course_tasks(person, course)


@hookimpl
def privacy_export(person):
    from plugins.onboarding import privacy

    return privacy.export(person)


@hookimpl
def privacy_erase(person):
    from plugins.onboarding import privacy

    privacy.erase(person)


@hookimpl
def seed_demo(foundation, people, rng, scale):
    from plugins.onboarding import demo

    demo.seed(foundation, people, rng, scale)

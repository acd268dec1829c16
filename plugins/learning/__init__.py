"""Journey plugin ``learning``: catalogue, sessions and enrolment, training records with
certificates that expire, recertification, mandatory-training compliance, registrations and xAPI.

This module wires the plugin into Journey; the work is done in the modules beside it, loaded
when a hook first needs them. It declares one hook for other plugins,
``training_completed(person, course, record)`` (see ``hookspecs``).

Documentation: docs/learning.md.
"""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from core.api import NavItem, Permission, hookimpl
from plugins.learning import hookspecs

KEY = "learning"
HOOKSPECS = hookspecs  # the hooks learning declares for other plugins
TITLE = {"nl": "Leren", "en": "Learning"}
DESCRIPTION = {
    "nl": "Opleidingscatalogus, trainingen en inschrijvingen, certificaten met verloopdatum, verplichte scholing en "
          "registraties (BIG, Kwaliteitsregister V&V).",
    "en": "Course catalogue, sessions and enrolment, certificates that expire, mandatory training and professional "
          "registrations (BIG, Kwaliteitsregister V&V).",
}
REQUIRES: tuple[str, ...] = ()


@hookimpl
def register_blueprints():
    from plugins.learning.views import bp  # the routes register as the view modules load

    return [bp]


@hookimpl
def register_permissions():
    return [
        Permission("learning.enrol", _l("Enrol in training and keep one's own records and registrations"), ("employee",)),
        Permission("learning.approve", _l("Approve enrolments of one's team"), ("manager", "hr_admin")),
        Permission("learning.view_team", _l("See the training compliance of one's teams"), ("manager", "hr_admin")),
        Permission("learning.manage", _l("Manage the catalogue, sessions, requirements and records of the foundation"),
                   ("hr_admin",)),
        Permission("learning.manage_group", _l("Manage the group-wide catalogue and registers"), ()),
    ]


@hookimpl
def register_notification_kinds():
    from plugins.learning.notices import NOTIFICATION_KINDS

    return NOTIFICATION_KINDS


@hookimpl
def register_jobs():
    from plugins.learning.jobs import JOBS

    return JOBS


@hookimpl
def plugin_settings_form():
    from plugins.learning.forms import LearningSettingsForm

    return LearningSettingsForm


@hookimpl
def nav_items(user, foundation):
    return [NavItem(label=str(_l("Learning")), url=url_for("learning.index"), order=20)]


@hookimpl
def dashboard_widgets(user, foundation):
    from plugins.learning.widgets import dashboard

    return dashboard(user, foundation)


@hookimpl
def person_sections(person, viewer):
    from plugins.learning.widgets import person_section

    return person_section(person, viewer)


@hookimpl
def person_hired(person):
    from plugins.learning import snapshot

    snapshot.forget(person.foundation_id)  # requirements now apply to one more person


@hookimpl
def person_transferred(person):
    from plugins.learning import snapshot

    snapshot.forget(person.foundation_id)  # team requirements may apply differently


@hookimpl
def person_leaving(person):
    from plugins.learning import snapshot

    snapshot.forget(person.foundation_id)


@hookimpl
def privacy_export(person):
    from plugins.learning.privacy import export

    return export(person)


@hookimpl
def privacy_erase(person):
    from plugins.learning.privacy import erase

    erase(person)


@hookimpl
def seed_demo(foundation, people, rng, scale):
    from plugins.learning.demo import seed_bench_data, seed_demo_data

    if scale == "bench":
        seed_bench_data(foundation, people, rng)
    else:
        seed_demo_data(foundation, people, rng)

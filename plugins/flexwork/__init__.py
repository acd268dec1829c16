"""Journey plugin ``flexwork``: work agreements, flexible-hours and remote-work requests under the
Wet flexibel werken, manager approval with team coverage and Arbeidstijdenwet checks, day swaps.

Documentation: docs/flexwork.md.
"""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from core.api import NavItem, Permission, PersonSection, clock, has_permission, hookimpl

KEY = "flexwork"
TITLE = {"nl": "Flexibel werken", "en": "Flexible work"}
DESCRIPTION = {
    "nl": "Werkafspraken, verzoeken om andere uren, tijden of thuiswerken (Wet flexibel werken), "
          "goedkeuring met teambezetting en Arbeidstijdenwet-controles, dagen ruilen.",
    "en": "Work agreements, requests for other hours, times or home working (Wet flexibel werken), "
          "approval with team coverage and Arbeidstijdenwet checks, swapping days.",
}
REQUIRES: tuple[str, ...] = ()


@hookimpl
def register_blueprints():
    from plugins.flexwork.views import bp

    return [bp]


@hookimpl
def register_permissions():
    return [
        Permission("flexwork.request", _l("Ask for changes to one's own work agreement and swap days"), ("employee",)),
        Permission("flexwork.approve", _l("Decide on requests and swaps of the teams one manages"), ("manager",)),
        Permission("flexwork.view_team", _l("See the week view of one's own or managed teams"), ("employee", "manager", "hr_admin")),
        Permission("flexwork.manage_coverage", _l("Edit coverage rules and settings of teams"), ("manager", "hr_admin")),
        Permission("flexwork.oversee", _l("See every request of the foundation and hear of near deadlines"), ("hr_admin",)),
        Permission("flexwork.manage_agreements", _l("Record people's work agreements"), ("hr_admin",)),
    ]


@hookimpl
def register_notification_kinds():
    from plugins.flexwork.notices import NOTIFICATION_KINDS

    return NOTIFICATION_KINDS


@hookimpl
def register_jobs():
    from plugins.flexwork.jobs import JOBS

    return JOBS


@hookimpl
def plugin_settings_form():
    from plugins.flexwork.settings import FlexworkSettingsForm

    return FlexworkSettingsForm


@hookimpl
def nav_items(user, foundation):
    return [NavItem(label=str(_l("Flexible work")), url=url_for("flexwork.index"), order=40)]


@hookimpl
def dashboard_widgets(user, foundation):
    from plugins.flexwork import widgets

    return widgets.for_dashboard(user, foundation)


@hookimpl
def person_sections(person, viewer):
    from plugins.flexwork.access import managed_team_ids
    from plugins.flexwork.agreements import history, in_force_of, upcoming_of

    if not (has_permission(viewer, "flexwork.manage_agreements", person.foundation_id)
            or (person.team_id is not None and person.team_id in managed_team_ids(viewer))):
        return []
    agreements, today = history(person.id), clock.today()
    upcoming = upcoming_of(agreements, today)
    return [PersonSection(key="flexwork", title=str(_l("Work agreement")), template="flexwork/person_section.html",
                          context={"person": person, "agreements": agreements, "current": in_force_of(agreements, today),
                                   "upcoming": upcoming[0] if upcoming else None,
                                   "can_record": has_permission(viewer, "flexwork.manage_agreements", person.foundation_id)},
                          order=40)]


@hookimpl
def privacy_export(person):
    from plugins.flexwork.privacy import export

    return export(person)


@hookimpl
def privacy_erase(person):
    from plugins.flexwork.privacy import erase

    erase(person)


@hookimpl
def seed_demo(foundation, people, rng, scale):
    from plugins.flexwork.demo import seed

    seed(foundation, people, rng, scale)

"""Journey plugin ``wellbeing``: anonymous team check-ins about work, with privacy-safe results.

Answers are counted per team and period, never kept with a person; nothing is shown below the
minimum group, with complementary suppression for division totals. See docs/wellbeing.md.
"""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from core.api import NavItem, Permission, has_permission, hookimpl

KEY = "wellbeing"
TITLE = {"nl": "Welzijn", "en": "Wellbeing"}
DESCRIPTION = {
    "nl": "Anonieme team-check-ins over het werk, met teamresultaten die niemand terug kan voeren op een persoon.",
    "en": "Anonymous team check-ins about work, with team results that cannot be traced back to anyone.",
}
REQUIRES: tuple[str, ...] = ()


@hookimpl
def register_blueprints():
    from plugins.wellbeing.views import bp

    return [bp]


@hookimpl
def register_permissions():
    return [
        Permission("wellbeing.check_in", _l("Check in, and find support"), ("employee",)),
        Permission("wellbeing.view_team_results", _l("See the results of one's own team or the teams one manages"),
                   ("employee", "manager")),
        Permission("wellbeing.view_all_results", _l("See wellbeing results of every team and division"), ("hr_admin",)),
        Permission("wellbeing.manage", _l("Run wellbeing campaigns and set up support contacts"), ("hr_admin",)),
        Permission("wellbeing.team_actions", _l("Record the actions a team takes after its results"),
                   ("employee", "manager", "hr_admin")),
    ]


@hookimpl
def register_notification_kinds():
    from plugins.wellbeing.notices import NOTIFICATION_KINDS

    return NOTIFICATION_KINDS


@hookimpl
def register_jobs():
    from plugins.wellbeing.jobs import JOBS

    return JOBS


@hookimpl
def plugin_settings_form():
    from plugins.wellbeing.settings import SettingsForm

    return SettingsForm


@hookimpl
def nav_items(user, foundation):
    names = ("wellbeing.check_in", "wellbeing.view_team_results", "wellbeing.view_all_results", "wellbeing.manage")
    if any(has_permission(user, name, foundation.id) for name in names):
        return [NavItem(label=str(_l("Wellbeing")), url=url_for("wellbeing.index"), order=40)]
    return []


@hookimpl
def dashboard_widgets(user, foundation):
    from plugins.wellbeing import widgets

    return widgets.for_dashboard(user, foundation)


@hookimpl
def privacy_export(person):
    from plugins.wellbeing import privacy

    return privacy.export(person)


@hookimpl
def privacy_erase(person):
    from plugins.wellbeing import privacy

    privacy.erase(person)


@hookimpl
def seed_demo(foundation, people, rng, scale):
    from plugins.wellbeing import demo

    demo.seed(foundation, people, rng, scale)

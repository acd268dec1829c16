"""Journey plugin ``wellbeing``: anonymous team check-ins about work, with privacy-safe results.

Answers are counted per team and period, never kept with a person; nothing is shown below the
minimum group, with complementary suppression for division totals. See docs/wellbeing.md.
"""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.contributions import NavItem, Permission, Widget
from core.extensions import db
from core.hookspecs import hookimpl
from core.permissions import has_permission, managed_teams
from plugins.wellbeing import clock, demo, privacy
from plugins.wellbeing.checkin import has_checked_in, open_campaigns_for
from plugins.wellbeing.jobs import JOBS
from plugins.wellbeing.models import Period
from plugins.wellbeing.settings import SettingsForm
from plugins.wellbeing.views import bp

KEY = "wellbeing"
TITLE = {"nl": "Welzijn", "en": "Wellbeing"}
DESCRIPTION = {
    "nl": "Anonieme team-check-ins over het werk, met teamresultaten die niemand terug kan voeren op een persoon.",
    "en": "Anonymous team check-ins about work, with team results that cannot be traced back to anyone.",
}
REQUIRES: tuple[str, ...] = ()


@hookimpl
def register_blueprints():
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
def register_jobs():
    return JOBS


@hookimpl
def plugin_settings_form():
    return SettingsForm


@hookimpl
def nav_items(user, foundation):
    names = ("wellbeing.check_in", "wellbeing.view_team_results", "wellbeing.view_all_results", "wellbeing.manage")
    if any(has_permission(user, name, foundation.id) for name in names):
        return [NavItem(label=str(_l("Wellbeing")), url=url_for("wellbeing.index"), order=40)]
    return []


@hookimpl
def dashboard_widgets(user, foundation):
    if user.foundation_id != foundation.id or not has_permission(user, "wellbeing.check_in", foundation.id):
        return []
    today = clock.today()
    open_now = []
    for campaign in open_campaigns_for(user):
        period = db.session.scalar(select(Period).where(
            Period.campaign_id == campaign.id, Period.starts_on <= today, Period.ends_on >= today))
        open_now.append({"campaign": campaign, "period": period,
                         "done": period is not None and has_checked_in(user, period)})
    managed = managed_teams(user, foundation.id)
    if not open_now and not managed:
        return []
    return [Widget(title=str(_l("Team check-in")), template="wellbeing/widget.html",
                   context={"open": open_now, "managed": managed}, order=40)]


@hookimpl
def privacy_export(person):
    return privacy.export(person)


@hookimpl
def privacy_erase(person):
    privacy.erase(person)


@hookimpl
def seed_demo(foundation, people, rng, scale):
    demo.seed(foundation, people, rng, scale)

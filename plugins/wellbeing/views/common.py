"""What the wellbeing views share: permission checks, foundation ownership, team scope, and the
campaign and team a results page is about."""
from __future__ import annotations

from functools import wraps

from flask import abort, request
from flask_login import current_user, login_required
from sqlalchemy import select

from core.api import Team, acting_foundation_id, db, get_or_404, has_permission
from plugins.wellbeing import results
from plugins.wellbeing.models import Campaign, campaign_team
from plugins.wellbeing.settings import Settings, settings_for

CHECK_IN = "wellbeing.check_in"
VIEW_TEAM = "wellbeing.view_team_results"
VIEW_ALL = "wellbeing.view_all_results"
MANAGE = "wellbeing.manage"
TEAM_ACTIONS = "wellbeing.team_actions"

NO_DIVISION = "-"  # the division of teams without a region, in URLs


def any_permission(*names: str):
    """View decorator: signed in, and at least one of ``names`` in the acting foundation, else 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if not any(has_permission(current_user, name) for name in names):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def owned_or_404(model, ident):
    """A row of the acting foundation; another foundation's row is simply not found."""
    obj = get_or_404(model, ident)
    if obj.foundation_id != acting_foundation_id():
        abort(404)
    return obj


def may_see_team(team) -> bool:
    """HR sees every team; members see their own team, managers the teams they manage."""
    if has_permission(current_user, VIEW_ALL):
        return True
    if not has_permission(current_user, VIEW_TEAM):
        return False
    return team.manager_id == current_user.id or current_user.team_id == team.id


def current_settings() -> Settings:
    return settings_for(acting_foundation_id())


# -- what a results page is about ---------------------------------------------------------------------

def division_arg() -> str:
    value = request.args.get("division", NO_DIVISION)
    return "" if value == NO_DIVISION else value


def started_campaigns(team: Team | None = None) -> list[Campaign]:
    query = select(Campaign).where(Campaign.foundation_id == acting_foundation_id(), Campaign.confirmed_at.is_not(None))
    if team is not None:
        query = query.join(campaign_team, campaign_team.c.campaign_id == Campaign.id).where(campaign_team.c.team_id == team.id)
    return list(db.session.scalars(query.order_by(Campaign.starts_on.desc(), Campaign.id.desc())))


def chosen_campaign(campaigns: list[Campaign]) -> Campaign | None:
    """The campaign asked for in ``?campaign=`` (404 if it is not among ``campaigns``), else the latest."""
    wanted = request.args.get("campaign", type=int)
    if wanted is None:
        return campaigns[0] if campaigns else None
    for campaign in campaigns:
        if campaign.id == wanted:
            return campaign
    abort(404)


def visible_team_or_404(team_id: int) -> Team:
    team = owned_or_404(Team, team_id)
    if not may_see_team(team):
        abort(403)
    return team


def team_context(team_id: int):
    """The team (if the viewer may see it), its started campaigns, the chosen one and its results."""
    team = visible_team_or_404(team_id)
    campaigns = started_campaigns(team)
    campaign = chosen_campaign(campaigns)
    view = results.team_results(campaign, team, current_settings()) if campaign else None
    return team, campaigns, campaign, view

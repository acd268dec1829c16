"""The blueprint and what its views share: permission checks, foundation ownership, team scope."""
from __future__ import annotations

from functools import wraps
from pathlib import Path

from flask import Blueprint, abort
from flask_login import current_user, login_required

from core.permissions import acting_foundation_id, has_permission
from core.tenancy import get_or_404
from plugins.wellbeing.settings import Settings, settings_for

HERE = Path(__file__).resolve().parent.parent
bp = Blueprint("wellbeing", __name__, template_folder=str(HERE / "templates"), static_folder=str(HERE / "static"))

CHECK_IN = "wellbeing.check_in"
VIEW_TEAM = "wellbeing.view_team_results"
VIEW_ALL = "wellbeing.view_all_results"
MANAGE = "wellbeing.manage"
TEAM_ACTIONS = "wellbeing.team_actions"


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

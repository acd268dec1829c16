"""Who may see and decide what. Anything a person may not reach is simply not found (404)."""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.api import Person, Team, acting_foundation_id, db, get_or_404, has_permission, managed_teams
from plugins.flexwork.models import FlexRequest, Swap


def managed_team_ids(person=None) -> list[int]:
    return [team.id for team in managed_teams(person or current_user, acting_foundation_id())]


def oversees() -> bool:
    return has_permission(current_user, "flexwork.oversee")


def _in_foundation(obj) -> None:
    if obj.foundation_id != acting_foundation_id():
        abort(404)


def team_or_404(team_id: int, for_editing: bool = False) -> Team:
    """A team of the acting foundation that the viewer manages, oversees (HR) or — only to look at
    — belongs to."""
    team = get_or_404(Team, team_id)
    _in_foundation(team)
    if team.manager_id == current_user.id:
        return team
    if for_editing:
        if not has_permission(current_user, "flexwork.oversee"):
            abort(404)
    elif not (oversees() or current_user.team_id == team.id):
        abort(404)
    return team


def _request(request_id: int) -> FlexRequest:
    found = db.session.scalar(
        select(FlexRequest).where(FlexRequest.id == request_id)
        .options(joinedload(FlexRequest.person).joinedload(Person.team))
    )
    if found is None:
        abort(404)
    _in_foundation(found)
    return found


def request_to_view(request_id: int) -> FlexRequest:
    """The requester, the manager of their team and HR see a request."""
    found = _request(request_id)
    team = found.person.team
    if found.person_id == current_user.id or (team is not None and team.manager_id == current_user.id) or oversees():
        return found
    abort(404)


def request_to_decide(request_id: int) -> FlexRequest:
    """Only the manager of the requester's team decides, and never on their own request."""
    found = _request(request_id)
    team = found.person.team
    if found.person_id == current_user.id or team is None or team.manager_id != current_user.id:
        abort(404)
    return found


def _swap(swap_id: int) -> Swap:
    found = db.session.scalar(
        select(Swap).where(Swap.id == swap_id).options(joinedload(Swap.requester), joinedload(Swap.partner))
    )
    if found is None:
        abort(404)
    _in_foundation(found)
    return found


def swap_to_view(swap_id: int) -> Swap:
    found = _swap(swap_id)
    if current_user.id in (found.requester_id, found.partner_id) or is_swap_manager(found) or oversees():
        return found
    abort(404)


def is_swap_manager(swap: Swap) -> bool:
    team = db.session.get(Team, swap.team_id)
    return team is not None and team.manager_id == current_user.id and current_user.id not in (swap.requester_id, swap.partner_id)


def swap_to_decide(swap_id: int) -> Swap:
    found = _swap(swap_id)
    if not is_swap_manager(found):
        abort(404)
    return found

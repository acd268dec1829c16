"""The plugin's kinds of notification, and who receives them."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.extensions import db
from core.models import ROLES, Person, RoleAssignment, Team
from core.notifications import register_kind
from core.permissions import all_permissions

REQUEST_SUBMITTED = register_kind("flexwork.request_submitted", _l("A flexible-work request awaits your decision"), "email").key
REQUEST_DECIDED = register_kind("flexwork.request_decided", _l("A decision on your flexible-work request"), "email").key
DEEMED_GRANTED = register_kind("flexwork.deemed_granted", _l("A flexible-work request was granted by law"), "email").key
DEADLINE_NEAR = register_kind("flexwork.deadline_near", _l("A flexible-work decision deadline is a week away"), "email").key
TRIAL_ENDS = register_kind("flexwork.trial_ends", _l("A trial period of a work arrangement ends: time to evaluate"), "email").key
SWAP = register_kind("flexwork.swap", _l("Swapping a working day with a colleague"), "in_app").key


def manager_of(person: Person) -> Person | None:
    """The manager of the person's team; nobody when they manage it themselves or it has none."""
    team = db.session.get(Team, person.team_id) if person.team_id else None
    if team is None or team.manager_id in (None, person.id):
        return None
    return db.session.get(Person, team.manager_id)


def overseers(foundation_id: int) -> list[Person]:
    """Those holding ``flexwork.oversee`` by a role granted for the foundation (its HR
    administrators; group administrators are not alerted for every foundation)."""
    roles = [role for role in all_permissions()["flexwork.oversee"].default_roles if role in ROLES]
    return list(db.session.scalars(
        select(Person)
        .join(RoleAssignment, RoleAssignment.person_id == Person.id)
        .where(RoleAssignment.role.in_(roles), RoleAssignment.foundation_id == foundation_id, Person.status != "left")
        .order_by(Person.id)
        .execution_options(all_tenants=True)
    ))


def link(endpoint: str, **values) -> str:
    """The path of a page, also from a scheduled job (``url_for`` needs a request there)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)

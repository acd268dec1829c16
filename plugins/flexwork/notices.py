"""The plugin's kinds of notification, and who receives them."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.api import ROLES, NotificationKind, Person, RoleAssignment, Team, all_permissions, db

REQUEST_SUBMITTED = "flexwork.request_submitted"
REQUEST_DECIDED = "flexwork.request_decided"
DEEMED_GRANTED = "flexwork.deemed_granted"
DEADLINE_NEAR = "flexwork.deadline_near"
TRIAL_ENDS = "flexwork.trial_ends"
SWAP = "flexwork.swap"
NOTIFICATION_KINDS = [
    NotificationKind(REQUEST_SUBMITTED, _l("A flexible-work request awaits your decision"), "email"),
    NotificationKind(REQUEST_DECIDED, _l("A decision on your flexible-work request"), "email"),
    NotificationKind(DEEMED_GRANTED, _l("A flexible-work request was granted by law"), "email"),
    NotificationKind(DEADLINE_NEAR, _l("A flexible-work decision deadline is a week away"), "email"),
    NotificationKind(TRIAL_ENDS, _l("A trial period of a work arrangement ends: time to evaluate"), "email"),
    NotificationKind(SWAP, _l("Swapping a working day with a colleague"), "in_app"),
]


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

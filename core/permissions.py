"""Roles map to permissions; views ask for permissions, never for role names.

A person's roles in a foundation: ``employee`` (a member of it), ``manager`` (manages a team in
it), ``hr_admin`` (assigned for it) and ``group_admin`` (assigned group-wide: every permission in
every foundation).
"""
from __future__ import annotations

from functools import wraps

from flask import abort, current_app, g
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from core import request_cache
from core.contributions import Permission
from core.extensions import db

CORE_PERMISSIONS = [
    Permission("core.view_people", _l("View people and teams"), ("hr_admin", "manager")),
    # Without it, core.view_people shows only the teams one manages.
    Permission("core.view_all_people", _l("View everyone of the foundation, not only one's own teams"), ("hr_admin",)),
    Permission("core.manage_people", _l("Create and edit people and teams"), ("hr_admin",)),
    Permission("core.import_people", _l("Import people from CSV"), ("hr_admin",)),
    Permission("core.manage_plugins", _l("Switch plugins on and off"), ("hr_admin",)),
    Permission("core.issue_invitations", _l("Send invitation and password-reset links"), ("hr_admin",)),
    Permission("core.manage_roles", _l("Grant and revoke roles"), ()),
    Permission("core.privacy", _l("Export and erase a person's data"), ("hr_admin",)),
    Permission("core.view_audit", _l("View the audit log of the foundation"), ("hr_admin",)),
    Permission("core.view_outbox", _l("View the e-mail outbox and resend failed messages"), ()),
    Permission("core.view_jobs", _l("View scheduled jobs and their runs"), ()),
]


def register_permissions(app, permissions) -> None:
    registry = app.extensions.setdefault("journey.permissions", {})
    for perm in permissions:
        if perm.name in registry:
            raise RuntimeError(f"permission {perm.name!r} is declared twice")
        registry[perm.name] = perm


def all_permissions() -> dict[str, Permission]:
    return current_app.extensions["journey.permissions"]


def _assignments(person) -> list[tuple[str, int | None]]:
    """(role, foundation id) of every role assignment of ``person``."""
    from core.models import RoleAssignment

    return request_cache.remember("assignments", person.id, lambda: db.session.execute(
        select(RoleAssignment.role, RoleAssignment.foundation_id).where(RoleAssignment.person_id == person.id)
    ).all())


def managed_teams(person, foundation_id: int) -> list:
    """The teams of ``foundation_id`` that ``person`` manages, by name."""
    from core.models import Team

    return request_cache.remember("managed_teams", (person.id, foundation_id), lambda: list(db.session.scalars(
        select(Team).where(Team.manager_id == person.id, Team.foundation_id == foundation_id)
        .order_by(Team.name, Team.id).execution_options(all_tenants=True)  # asked before the request's scope is set
    )))


def managed_team_ids(person, foundation_id: int) -> frozenset[int]:
    return frozenset(team.id for team in managed_teams(person, foundation_id))


def roles_of(person, foundation_id: int) -> frozenset[str]:
    """The roles ``person`` holds in ``foundation_id``."""
    roles = {role for role, fid in _assignments(person) if role == "group_admin" or fid == foundation_id}
    if person.foundation_id == foundation_id:
        roles.add("employee")
        if managed_teams(person, foundation_id):
            roles.add("manager")
    return frozenset(roles)


def is_group_admin(person) -> bool:
    return any(role == "group_admin" for role, _fid in _assignments(person))


def admin_foundation_ids(person) -> frozenset[int] | None:
    """Foundations ``person`` administers as HR; ``None`` for a group admin (all of them)."""
    if is_group_admin(person):
        return None
    return frozenset(fid for role, fid in _assignments(person) if role == "hr_admin" and fid is not None)


def has_permission(person, name: str, foundation_id: int | None = None) -> bool:
    if person is None or not getattr(person, "is_authenticated", False):
        return False
    perm = all_permissions().get(name)
    if perm is None:
        raise KeyError(f"unknown permission {name!r}")
    fid = foundation_id if foundation_id is not None else acting_foundation_id()
    roles = roles_of(person, fid)
    return "group_admin" in roles or bool(roles & set(perm.default_roles))


def acting_foundation_id() -> int:
    """The foundation the signed-in person works in now (group admins may switch)."""
    return g.get("acting_foundation_id") or current_user.foundation_id


def permission_required(name: str):
    """View decorator: sign-in required, then ``name`` in the acting foundation, else 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if not has_permission(current_user, name):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator

"""What the view modules of ``learning`` share: the acting foundation, paging, who may do what,
and looking up teams, people and sessions."""
from __future__ import annotations

from flask import abort, request
from flask_login import current_user
from sqlalchemy import func, or_, select

from core.api import Person, Team, acting_foundation_id, db, get_or_404, has_permission, managed_team_ids
from plugins.learning.models import CourseSession


def foundation_id() -> int:
    return acting_foundation_id()


def form_status(form) -> int:
    """400 for a form sent back with errors, as everywhere in Journey; 200 for a fresh one. Field
    errors are read directly: checks added after ``validate`` do not reach ``form.errors``."""
    return 400 if any(field.errors for field in form) or getattr(form, "form_errors", None) else 200


def page_number() -> int:
    return max(1, request.args.get("page", 1, type=int) or 1)


def is_admin(fid: int | None = None) -> bool:
    return has_permission(current_user, "learning.manage", fid)


def may_edit(row) -> bool:
    """HR edits its foundation's catalogue rows; group-wide rows need the group permission."""
    if row is not None and row.foundation_id is None:
        return has_permission(current_user, "learning.manage_group")
    return is_admin()


def visible_team_ids(fid: int) -> frozenset[int] | None:
    """Teams whose compliance the viewer sees: ``None`` (all of them) for HR, else the teams
    they manage; 403 for anyone else."""
    if has_permission(current_user, "learning.manage", fid):
        return None
    if not has_permission(current_user, "learning.view_team", fid):
        abort(403)
    return managed_team_ids(current_user, fid)


def teams_of(fid: int, team_ids: frozenset[int] | None = None) -> list[tuple[int, str]]:
    """``(id, name)`` of the foundation's teams. Read through the table, not the ORM: a large
    foundation has thousands of teams and this runs on every matrix page (the foundation is in
    the WHERE clause, so the tenancy scope is kept by hand)."""
    table = Team.__table__
    query = select(table.c.id, table.c.name).where(table.c.foundation_id == fid).order_by(table.c.name)
    if team_ids is not None:
        query = query.where(table.c.id.in_(team_ids))
    return [tuple(row) for row in db.session.connection().execute(query)]


def person_by_reference(fid: int, reference: str) -> Person | None:
    """A person of the foundation by e-mail address or employee number."""
    reference = (reference or "").strip()
    if not reference:
        return None
    return db.session.scalar(
        select(Person).where(Person.foundation_id == fid, Person.status != "left",
                             or_(func.lower(Person.email) == reference.lower(), Person.employee_number == reference))
    )


def session_or_404(session_id: int) -> CourseSession:
    session = get_or_404(CourseSession, session_id)
    if session.foundation_id != foundation_id():
        abort(404)
    return session


def may_register_attendance(session: CourseSession) -> bool:
    """The session's trainer or HR."""
    return session.trainer_id == current_user.id or is_admin()

"""The ``learning`` blueprint and what its views share."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, request
from flask_babel import format_datetime
from flask_login import current_user
from sqlalchemy import func, or_, select

from core.extensions import db
from core.models import Person, Team
from core.permissions import acting_foundation_id, has_permission, managed_team_ids
from plugins.learning.clock import zone
from plugins.learning.compliance import NEVER
from plugins.learning.vocabulary import (ATTENDANCE, ENROLMENT_STATUSES, FORMATS, KEY, RECORD_STATUSES, RESULTS, SOURCES,
                                         STATUSES, UNITS)

bp = Blueprint(KEY, __name__, template_folder="templates")


@bp.app_template_filter("learning_datetime")
def learning_datetime(value: datetime | None, fmt: str = "EEE d MMM yyyy, HH:mm") -> str:
    """Session times are naive local times; Flask-Babel would take a naive time for UTC."""
    return format_datetime(value.replace(tzinfo=zone()), fmt) if value else ""


@bp.context_processor
def _labels() -> dict:
    """The vocabulary's labels, for every page of the blueprint."""
    return {
        "status_labels": STATUSES, "enrolment_labels": ENROLMENT_STATUSES, "record_labels": RECORD_STATUSES,
        "source_labels": SOURCES, "attendance_labels": ATTENDANCE, "result_labels": RESULTS, "units": UNITS,
        "formats": FORMATS, "never": NEVER,
    }


def foundation_id() -> int:
    return acting_foundation_id()


def page_number() -> int:
    return max(1, request.args.get("page", 1, type=int) or 1)


def is_admin(fid: int | None = None) -> bool:
    return has_permission(current_user, "learning.manage", fid)


def visible_team_ids(fid: int) -> frozenset[int] | None:
    """Teams whose compliance the viewer sees: ``None`` (all of them) for HR, else the teams
    they manage; 404 for anyone else."""
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

"""The catalogue: what a foundation sees (group-wide rows and its own), search and filters.

Courses, paths and registers are not ``TenantScoped`` (group-wide rows have no foundation), so
every query here says explicitly which foundation it is for.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from core.api import db
from plugins.learning.models import Course, CourseSession, LearningPath, PathStep, Register


def visible_to(model, foundation_id: int):
    """The WHERE clause for rows of ``model`` a foundation sees: group-wide or its own."""
    return or_(model.foundation_id.is_(None), model.foundation_id == foundation_id)


def get_visible_or_404(model, ident: int, foundation_id: int):
    row = db.session.get(model, ident)
    if row is None or row.foundation_id not in (None, foundation_id):
        abort(404)
    return row


@dataclass
class CourseFilter:
    q: str = ""
    category: str = ""
    format: str = ""
    register_id: int | None = None


def course_select(foundation_id: int, wanted: CourseFilter) -> Select:
    """Active courses the foundation sees, filtered, by title."""
    query = (
        select(Course)
        .where(visible_to(Course, foundation_id), Course.active.is_(True))
        .options(selectinload(Course.register))
        .order_by(func.lower(Course.title), Course.id)
    )
    for word in wanted.q.split():
        query = query.where(or_(
            Course.title.icontains(word, autoescape=True),
            Course.code.icontains(word, autoescape=True),
            Course.description.icontains(word, autoescape=True),
            Course.provider.icontains(word, autoescape=True),
        ))
    if wanted.category:
        query = query.where(Course.category == wanted.category)
    if wanted.format:
        query = query.where(Course.format == wanted.format)
    if wanted.register_id:
        query = query.where(Course.register_id == wanted.register_id)
    return query


def categories(foundation_id: int) -> list[str]:
    return list(db.session.scalars(
        select(Course.category).where(visible_to(Course, foundation_id), Course.active.is_(True), Course.category != "")
        .distinct().order_by(Course.category)
    ))


def registers(foundation_id: int) -> list[Register]:
    return list(db.session.scalars(select(Register).where(visible_to(Register, foundation_id)).order_by(Register.name)))


def course_choices(foundation_id: int, active_only: bool = True) -> list[tuple[int, str]]:
    query = select(Course.id, Course.code, Course.title).where(visible_to(Course, foundation_id))
    if active_only:
        query = query.where(Course.active.is_(True))
    return [(cid, f"{title} ({code})") for cid, code, title in db.session.execute(query.order_by(func.lower(Course.title)))]


def next_sessions(course_ids: list[int], foundation_id: int, after) -> dict[int, CourseSession]:
    """The first upcoming session per course (of this foundation), in one query."""
    if not course_ids:
        return {}
    first = (
        select(CourseSession.course_id, func.min(CourseSession.starts_at).label("starts_at"))
        .where(CourseSession.course_id.in_(course_ids), CourseSession.foundation_id == foundation_id,
               CourseSession.cancelled.is_(False), CourseSession.starts_at > after)
        .group_by(CourseSession.course_id)
        .subquery()
    )
    rows = db.session.scalars(
        select(CourseSession).join(first, (first.c.course_id == CourseSession.course_id) & (first.c.starts_at == CourseSession.starts_at))
        .where(CourseSession.foundation_id == foundation_id, CourseSession.cancelled.is_(False))
    )
    return {row.course_id: row for row in rows}


def paths_select(foundation_id: int) -> Select:
    return (
        select(LearningPath).where(visible_to(LearningPath, foundation_id))
        .options(selectinload(LearningPath.steps).selectinload(PathStep.course))
        .order_by(func.lower(LearningPath.title))
    )

"""The catalogue as everyone sees it: search, a course with its sessions, learning paths."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from core.api import choices, clock, db, render_markdown
from plugins.learning import catalogue
from plugins.learning.forms import CatalogueFilterForm
from plugins.learning.learner import completed_course_ids
from plugins.learning.models import Course, CourseSession, Enrolment, LearningPath, TrainingRecord
from plugins.learning.views import bp
from plugins.learning.views.common import foundation_id, is_admin, may_edit, page_number
from plugins.learning.vocabulary import FORMATS, OPEN_ENROLMENT


@bp.route("/catalogue")
@login_required
def catalogue_index():
    fid = foundation_id()
    form = CatalogueFilterForm(request.args)
    form.category.choices = choices(((c, c) for c in catalogue.categories(fid)), _("Any category"))
    form.register.choices = choices(((r.id, r.name) for r in catalogue.registers(fid)), _("Any or none"))
    wanted = catalogue.CourseFilter(q=form.q.data or "", category=form.category.data or "",
                                    format=form.format.data or "", register_id=form.register.data)
    page = db.paginate(catalogue.course_select(fid, wanted), page=page_number(), per_page=25, error_out=False)
    upcoming = catalogue.next_sessions([c.id for c in page.items], fid, clock.local_now())
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("learning/catalogue.html", form=form, page=page, upcoming=upcoming, args=args,
                           formats=FORMATS, may_create=is_admin())


def _seats_taken(session_ids: list[int]) -> dict[int, dict[str, int]]:
    if not session_ids:
        return {}
    rows = db.session.execute(
        select(Enrolment.session_id, Enrolment.status, func.count())
        .where(Enrolment.session_id.in_(session_ids), Enrolment.status.in_(("enrolled", "waitlisted")))
        .group_by(Enrolment.session_id, Enrolment.status)
    )
    result: dict[int, dict[str, int]] = {sid: {"enrolled": 0, "waitlisted": 0} for sid in session_ids}
    for session_id, status, n in rows:
        result[session_id][status] = n
    return result


@bp.route("/courses/<int:course_id>")
@login_required
def course(course_id: int):
    fid = foundation_id()
    course = catalogue.get_visible_or_404(Course, course_id, fid)
    now = clock.local_now()
    sessions = list(db.session.scalars(
        select(CourseSession).where(CourseSession.course_id == course.id, CourseSession.foundation_id == fid,
                                    CourseSession.starts_at > now, CourseSession.cancelled.is_(False))
        .order_by(CourseSession.starts_at).limit(50)
    ))
    past = list(db.session.scalars(
        select(CourseSession).where(CourseSession.course_id == course.id, CourseSession.foundation_id == fid,
                                    CourseSession.starts_at <= now)
        .order_by(CourseSession.starts_at.desc()).limit(10)
    )) if is_admin() else []
    mine = {e.session_id: e for e in db.session.scalars(
        select(Enrolment).where(Enrolment.person_id == current_user.id, Enrolment.status.in_(OPEN_ENROLMENT),
                                Enrolment.session_id.in_([s.id for s in sessions]))
    )} if sessions else {}
    last_record = db.session.scalar(
        select(TrainingRecord).where(TrainingRecord.person_id == current_user.id, TrainingRecord.course_id == course.id)
        .order_by(TrainingRecord.completed_on.desc()).limit(1)
    )
    return render_template("learning/course.html", course=course, description=render_markdown(course.description),
                           sessions=sessions, past=past, seats=_seats_taken([s.id for s in sessions]), mine=mine,
                           last_record=last_record, may_edit=may_edit(course), formats=FORMATS)


# -- learning paths -------------------------------------------------------------------------------

@bp.route("/paths")
@login_required
def paths():
    done = completed_course_ids(current_user)
    rows = db.session.scalars(catalogue.paths_select(foundation_id())).all()
    return render_template("learning/paths.html", paths=rows, done=done, may_create=is_admin())


@bp.route("/paths/<int:path_id>")
@login_required
def path(path_id: int):
    fid = foundation_id()
    row = catalogue.get_visible_or_404(LearningPath, path_id, fid)
    done = completed_course_ids(current_user)
    return render_template("learning/path.html", path=row, description=render_markdown(row.description), done=done,
                           may_edit=may_edit(row))

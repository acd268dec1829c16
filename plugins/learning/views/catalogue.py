"""The catalogue: search, a course with its sessions, and (for HR) courses and paths."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from core import audit
from core.extensions import db
from core.people.forms import choices
from core.permissions import has_permission, permission_required
from plugins.learning import catalogue
from plugins.learning.blueprint import bp, foundation_id, is_admin, page_number
from plugins.learning.clock import local_now
from plugins.learning.forms import CatalogueFilterForm, CourseForm, PathForm
from plugins.learning.markup import render_markdown
from plugins.learning.models import Course, CourseSession, Enrolment, LearningPath, PathStep, TrainingRecord
from plugins.learning.overview import completed_course_ids
from plugins.learning.vocabulary import FORMATS, OPEN_ENROLMENT


def _may_edit(row) -> bool:
    """HR edits its foundation's rows; group-wide rows need the group permission."""
    if row is not None and row.foundation_id is None:
        return has_permission(current_user, "learning.manage_group")
    return is_admin()


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
    upcoming = catalogue.next_sessions([c.id for c in page.items], fid, local_now())
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
    now = local_now()
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
                           last_record=last_record, may_edit=_may_edit(course), formats=FORMATS)


def _course_form(course: Course | None) -> CourseForm:
    form = CourseForm(obj=course)
    form.register_id.choices = choices(((r.id, r.name) for r in catalogue.registers(foundation_id())), _("Not accredited"))
    if course is not None and request.method == "GET":
        form.group_wide.data = course.group_wide
    if not has_permission(current_user, "learning.manage_group"):
        del form.group_wide
    return form


def _unique_course_problems(form: CourseForm, course: Course | None, owner: int | None) -> bool:
    fid = foundation_id()
    same_code = select(Course.id).where(func.lower(Course.code) == form.code.data.strip().lower(),
                                        Course.foundation_id.is_(None) if owner is None else Course.foundation_id == owner)
    if course is not None:
        same_code = same_code.where(Course.id != course.id)
    ok = True
    if db.session.scalar(same_code.limit(1)) is not None:
        form.code.errors.append(_("Another course has this code."))
        ok = False
    if form.xapi_activity_id.data:
        same_activity = select(Course.id).where(catalogue.visible_to(Course, fid),
                                                Course.xapi_activity_id == form.xapi_activity_id.data.strip())
        if course is not None:
            same_activity = same_activity.where(Course.id != course.id)
        if db.session.scalar(same_activity.limit(1)) is not None:
            form.xapi_activity_id.errors.append(_("Another course has this activity id."))
            ok = False
    return ok


def _save_course(course: Course | None):
    if course is not None and not _may_edit(course):
        abort(403)
    form = _course_form(course)
    if form.validate_on_submit():
        group_wide = bool(form.group_wide.data) if "group_wide" in form else (course is not None and course.group_wide)
        owner = None if group_wide else foundation_id()
        if _unique_course_problems(form, course, owner):
            created = course is None
            course = course or Course()
            form.populate_obj(course)
            course.foundation_id = owner
            course.code = course.code.strip()
            course.xapi_activity_id = (course.xapi_activity_id or "").strip() or None
            course.grace_days = course.grace_days or 0
            if created:
                db.session.add(course)
            db.session.flush()
            audit.record("learning.course_created" if created else "learning.course_changed", course,
                         foundation_id=foundation_id(), details={"code": course.code, "group_wide": group_wide})
            db.session.commit()
            flash(_("The course is saved."), "success")
            return redirect(url_for("learning.course", course_id=course.id))
    title = _("New course") if course is None else _("Edit %(title)s", title=course.title)
    return render_template("learning/form.html", form=form, title=title, multipart=False,
                           back=url_for("learning.course", course_id=course.id) if course else url_for("learning.catalogue_index"))


@bp.route("/courses/new", methods=["GET", "POST"])
@permission_required("learning.manage")
def new_course():
    return _save_course(None)


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
@permission_required("learning.manage")
def edit_course(course_id: int):
    return _save_course(catalogue.get_visible_or_404(Course, course_id, foundation_id()))


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
                           may_edit=_may_edit(row))


def _courses_by_codes(text: str) -> tuple[list[Course], list[str]]:
    fid = foundation_id()
    codes = [line.strip() for line in text.splitlines() if line.strip()]
    found = {c.code.lower(): c for c in db.session.scalars(
        select(Course).where(catalogue.visible_to(Course, fid), func.lower(Course.code).in_([c.lower() for c in codes])))}
    unknown = [code for code in codes if code.lower() not in found]
    ordered, seen = [], set()
    for code in codes:
        course = found.get(code.lower())
        if course is not None and course.id not in seen:
            ordered.append(course)
            seen.add(course.id)
    return ordered, unknown


def _save_path(row: LearningPath | None):
    if row is not None and not _may_edit(row):
        abort(403)
    form = PathForm(obj=row)
    if row is not None and request.method == "GET":
        form.course_codes.data = "\n".join(step.course.code for step in row.steps)
        form.group_wide.data = row.foundation_id is None
    if not has_permission(current_user, "learning.manage_group"):
        del form.group_wide
    if form.validate_on_submit():
        courses, unknown = _courses_by_codes(form.course_codes.data)
        if unknown:
            form.course_codes.errors.append(_("Unknown course codes: %(codes)s.", codes=", ".join(unknown)))
        else:
            created = row is None
            row = row or LearningPath()
            row.title, row.description = form.title.data, form.description.data or ""
            group_wide = bool(form.group_wide.data) if "group_wide" in form else (not created and row.foundation_id is None)
            row.foundation_id = None if group_wide else foundation_id()
            if created:
                db.session.add(row)
            else:
                row.steps.clear()
                db.session.flush()  # old steps go first: (path, course) is unique
            row.steps = [PathStep(course=course, position=n) for n, course in enumerate(courses, start=1)]
            db.session.flush()
            audit.record("learning.path_saved", row, foundation_id=foundation_id(), details={"title": row.title})
            db.session.commit()
            flash(_("The learning path is saved."), "success")
            return redirect(url_for("learning.path", path_id=row.id))
    title = _("New learning path") if row is None else _("Edit %(title)s", title=row.title)
    return render_template("learning/form.html", form=form, title=title, multipart=False,
                           back=url_for("learning.paths"))


@bp.route("/paths/new", methods=["GET", "POST"])
@permission_required("learning.manage")
def new_path():
    return _save_path(None)


@bp.route("/paths/<int:path_id>/edit", methods=["GET", "POST"])
@permission_required("learning.manage")
def edit_path(path_id: int):
    return _save_path(catalogue.get_visible_or_404(LearningPath, path_id, foundation_id()))

"""HR's side of the catalogue: making and editing courses and learning paths."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from core.api import choices, db, has_permission, permission_required, record_audit
from plugins.learning import catalogue
from plugins.learning.forms import CourseForm, PathForm
from plugins.learning.models import Course, LearningPath, PathStep
from plugins.learning.views import bp
from plugins.learning.views.common import form_status, foundation_id, may_edit

# The form's fields that are the course's own columns. ``group_wide`` is not one of them: it
# decides ``foundation_id`` (and is a read-only property of the course).
COURSE_FIELDS = ("code", "title", "description", "category", "format", "duration_hours", "provider", "cost", "register_id",
                 "accreditation_points", "validity_months", "grace_days", "needs_approval", "xapi_activity_id", "active")


def _course_form(course: Course | None) -> CourseForm:
    form = CourseForm(obj=course)
    form.register_id.choices = choices(((r.id, r.name) for r in catalogue.registers(foundation_id())), _("Not accredited"))
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


def _fill_course(course: Course, form: CourseForm, owner: int | None) -> None:
    for name in COURSE_FIELDS:
        setattr(course, name, form[name].data)
    course.foundation_id = owner
    course.code = course.code.strip()
    for name in ("description", "category", "provider"):  # a field left out of the post is empty text, not NULL
        setattr(course, name, getattr(course, name) or "")
    course.xapi_activity_id = (course.xapi_activity_id or "").strip() or None
    course.grace_days = course.grace_days or 0


def _save_course(course: Course | None):
    if course is not None and not may_edit(course):
        abort(403)
    form = _course_form(course)
    if form.validate_on_submit():
        group_wide = bool(form.group_wide.data) if "group_wide" in form else (course is not None and course.group_wide)
        owner = None if group_wide else foundation_id()
        if _unique_course_problems(form, course, owner):
            created = course is None
            course = course or Course()
            _fill_course(course, form, owner)
            if created:
                db.session.add(course)
            db.session.flush()
            record_audit("learning.course_created" if created else "learning.course_changed", course,
                         foundation_id=foundation_id(), details={"code": course.code, "group_wide": group_wide})
            db.session.commit()
            flash(_("The course is saved."), "success")
            return redirect(url_for("learning.course", course_id=course.id))
    title = _("New course") if course is None else _("Edit %(title)s", title=course.title)
    return render_template("learning/form.html", form=form, title=title, multipart=False,
                           back=url_for("learning.course", course_id=course.id) if course else url_for("learning.catalogue_index")), \
        form_status(form)


@bp.route("/courses/new", methods=["GET", "POST"])
@permission_required("learning.manage")
def new_course():
    return _save_course(None)


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
@permission_required("learning.manage")
def edit_course(course_id: int):
    return _save_course(catalogue.get_visible_or_404(Course, course_id, foundation_id()))


# -- learning paths -------------------------------------------------------------------------------

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
    if row is not None and not may_edit(row):
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
            record_audit("learning.path_saved", row, foundation_id=foundation_id(), details={"title": row.title})
            db.session.commit()
            flash(_("The learning path is saved."), "success")
            return redirect(url_for("learning.path", path_id=row.id))
    title = _("New learning path") if row is None else _("Edit %(title)s", title=row.title)
    return render_template("learning/form.html", form=form, title=title, multipart=False,
                           back=url_for("learning.paths")), form_status(form)


@bp.route("/paths/new", methods=["GET", "POST"])
@permission_required("learning.manage")
def new_path():
    return _save_path(None)


@bp.route("/paths/<int:path_id>/edit", methods=["GET", "POST"])
@permission_required("learning.manage")
def edit_path(path_id: int):
    return _save_path(catalogue.get_visible_or_404(LearningPath, path_id, foundation_id()))

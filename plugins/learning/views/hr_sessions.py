"""HR plans sessions and enrols groups in them."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from core.api import Person, choices, db, permission_required, record_audit
from plugins.learning import catalogue
from plugins.learning import enrolment as enrolments
from plugins.learning.forms import GroupEnrolForm, SessionForm
from plugins.learning.models import Course, CourseSession
from plugins.learning.views import bp
from plugins.learning.views.common import form_status, foundation_id, person_by_reference, session_or_404, teams_of

GROUP_LIMIT = 500  # people per group enrolment


def _session_data(session: CourseSession | None) -> dict | None:
    """The form's starting values. Not ``obj=session``: the session's ``trainer`` is a person, the
    form's is the text that names one, and a post without the field would pass the person on."""
    if session is None:
        return None
    return {"starts_at": session.starts_at, "ends_at": session.ends_at, "location": session.location,
            "online_url": session.online_url, "capacity": session.capacity, "cancelled": session.cancelled,
            "trainer": session.trainer.email if session.trainer is not None else ""}


def _save_session(course: Course, session: CourseSession | None):
    form = SessionForm(data=_session_data(session))
    if form.validate_on_submit():
        trainer = person_by_reference(foundation_id(), form.trainer.data)
        if form.trainer.data and trainer is None:
            form.trainer.errors.append(_("No person of this foundation has this e-mail address or employee number."))
        else:
            created = session is None
            session = session or CourseSession(foundation_id=foundation_id(), course_id=course.id, capacity=form.capacity.data)
            capacity = form.capacity.data
            session.starts_at, session.ends_at = form.starts_at.data, form.ends_at.data
            session.location, session.online_url = form.location.data or "", form.online_url.data or ""
            session.cancelled = form.cancelled.data
            session.trainer_id = trainer.id if trainer else None
            if created:
                db.session.add(session)
                db.session.flush()
            promoted = enrolments.resize(session, capacity)
            record_audit("learning.session_saved", session, foundation_id=session.foundation_id,
                         details={"course": course.code, "created": created, "promoted": len(promoted)})
            db.session.commit()
            flash(_("The session is saved."), "success")
            return redirect(url_for("learning.session", session_id=session.id))
    title = _("New session of %(title)s", title=course.title) if session is None else _("Edit session")
    return render_template("learning/form.html", form=form, title=title, multipart=False,
                           back=url_for("learning.course", course_id=course.id)), form_status(form)


@bp.route("/courses/<int:course_id>/sessions/new", methods=["GET", "POST"])
@permission_required("learning.manage")
def new_session(course_id: int):
    return _save_session(catalogue.get_visible_or_404(Course, course_id, foundation_id()), None)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@permission_required("learning.manage")
def edit_session(session_id: int):
    session = session_or_404(session_id)
    return _save_session(session.course, session)


@bp.route("/sessions/<int:session_id>/enrol-group", methods=["GET", "POST"])
@permission_required("learning.manage")
def enrol_group(session_id: int):
    session = session_or_404(session_id)
    fid = foundation_id()
    form = GroupEnrolForm()
    form.team_id.choices = choices(teams_of(fid), _("Any team"))
    if form.validate_on_submit():
        query = select(Person).where(Person.foundation_id == fid, Person.status.in_(("preboarding", "active")))
        if form.team_id.data:
            query = query.where(Person.team_id == form.team_id.data)
        if form.job_title.data:
            query = query.where(func.lower(Person.job_title) == form.job_title.data.strip().lower())
        if form.person_type.data:
            query = query.where(Person.person_type == form.person_type.data)
        people = db.session.scalars(query.options(joinedload(Person.team)).order_by(Person.id).limit(GROUP_LIMIT + 1)).all()
        if not people:
            form.team_id.errors.append(_("Nobody matches these filters."))
        elif len(people) > GROUP_LIMIT:
            form.team_id.errors.append(_("More than %(n)d people match; narrow the filters.", n=GROUP_LIMIT))
        else:
            try:
                counts = enrolments.enrol_group(session, people, current_user)
            except enrolments.EnrolmentRefused as refused:
                flash(str(refused), "error")
            else:
                record_audit("learning.group_enrolled", session, details=counts)
                db.session.commit()
                flash(_("Enrolled: %(enrolled)d, waiting list: %(waitlisted)d, already enrolled for this course: %(skipped)d.", **counts), "success")
                return redirect(url_for("learning.session", session_id=session.id))
    return render_template("learning/form.html", form=form, multipart=False,
                           title=_("Enrol a group in %(title)s", title=session.course.title),
                           back=url_for("learning.session", session_id=session.id)), form_status(form)

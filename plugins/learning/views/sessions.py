"""Sessions: planning (HR), enrolment and cancellation, approvals, attendance, iCalendar."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import delete, func, select
from sqlalchemy.orm import joinedload

from core import audit, events, tenancy
from core.extensions import db
from core.models import Person, Team
from core.people.forms import choices
from core.permissions import permission_required
from plugins.learning import catalogue, snapshot
from plugins.learning import enrolment as enrolments
from plugins.learning.blueprint import bp, foundation_id, is_admin, person_by_reference, teams_of
from plugins.learning.calendar_ics import session_ics
from plugins.learning.clock import local_now
from plugins.learning.forms import ActionForm, AttendanceForm, GroupEnrolForm, SessionForm
from plugins.learning.models import Course, CourseSession, Enrolment, TrainingRecord
from plugins.learning.records import create_record
from plugins.learning.vocabulary import ATTENDANCE, ENROLMENT_STATUSES, OPEN_ENROLMENT, RESULTS

GROUP_LIMIT = 500  # people per group enrolment


def session_or_404(session_id: int) -> CourseSession:
    session = tenancy.get_or_404(CourseSession, session_id)
    if session.foundation_id != foundation_id():
        abort(404)
    return session


def _may_register_attendance(session: CourseSession) -> bool:
    return session.trainer_id == current_user.id or is_admin()


# -- planning -------------------------------------------------------------------------------------

def _save_session(course: Course, session: CourseSession | None):
    form = SessionForm(obj=session)
    if session is not None and request.method == "GET" and session.trainer is not None:
        form.trainer.data = session.trainer.email
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
            audit.record("learning.session_saved", session, foundation_id=session.foundation_id,
                         details={"course": course.code, "created": created, "promoted": len(promoted)})
            db.session.commit()
            flash(_("The session is saved."), "success")
            return redirect(url_for("learning.session", session_id=session.id))
    title = _("New session of %(title)s", title=course.title) if session is None else _("Edit session")
    return render_template("learning/form.html", form=form, title=title, multipart=False,
                           back=url_for("learning.course", course_id=course.id))


@bp.route("/courses/<int:course_id>/sessions/new", methods=["GET", "POST"])
@permission_required("learning.manage")
def new_session(course_id: int):
    return _save_session(catalogue.get_visible_or_404(Course, course_id, foundation_id()), None)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@permission_required("learning.manage")
def edit_session(session_id: int):
    session = session_or_404(session_id)
    return _save_session(session.course, session)


# -- a session and enrolling ----------------------------------------------------------------------

@bp.route("/sessions/<int:session_id>")
@login_required
def session(session_id: int):
    session = session_or_404(session_id)
    now = local_now()
    mine = db.session.scalar(select(Enrolment).where(Enrolment.session_id == session.id, Enrolment.person_id == current_user.id))
    staff = _may_register_attendance(session)
    roster = list(db.session.scalars(
        select(Enrolment).join(Person, Person.id == Enrolment.person_id).where(Enrolment.session_id == session.id)
        .options(joinedload(Enrolment.person)).order_by(Enrolment.status, Enrolment.queued_at, Enrolment.id)
    )) if staff else []
    counts = dict(db.session.execute(
        select(Enrolment.status, func.count()).where(Enrolment.session_id == session.id).group_by(Enrolment.status)
    ).all())
    return render_template(
        "learning/session.html", session=session, course=session.course, mine=mine, roster=roster, staff=staff,
        counts=counts, started=session.starts_at <= now, admin=is_admin(), form=ActionForm(),
        statuses=ENROLMENT_STATUSES, attendance=ATTENDANCE, results=RESULTS, open_statuses=OPEN_ENROLMENT,
        cancel_hours=enrolments.cancel_deadline_hours(session.foundation_id),
    )


@bp.route("/sessions/<int:session_id>/enrol", methods=["POST"])
@permission_required("learning.enrol")
def enrol(session_id: int):
    session = session_or_404(session_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        enrolment = enrolments.enrol(session, current_user, current_user, approval=session.course.needs_approval)
    except enrolments.EnrolmentRefused as refused:
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash(ENROLMENT_STATUSES[enrolment.status], "success")
    return redirect(url_for("learning.session", session_id=session.id))


@bp.route("/enrolments/<int:enrolment_id>/cancel", methods=["POST"])
@login_required
def cancel_enrolment(enrolment_id: int):
    enrolment = tenancy.get_or_404(Enrolment, enrolment_id)
    by_admin = enrolment.person_id != current_user.id
    if enrolment.foundation_id != foundation_id() or (by_admin and not is_admin()):
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        promoted = enrolments.cancel(enrolment, current_user, by_admin=by_admin)
    except enrolments.EnrolmentRefused as refused:
        flash(str(refused), "error")
    else:
        if by_admin:
            audit.record("learning.enrolment_cancelled", enrolment, details={"person_id": enrolment.person_id,
                                                                           "promoted": promoted.person_id if promoted else None})
        db.session.commit()
        flash(_("The enrolment is cancelled."), "success")
    return redirect(url_for("learning.session", session_id=enrolment.session_id))


@bp.route("/sessions/<int:session_id>.ics")
@login_required
def session_calendar(session_id: int):
    session = session_or_404(session_id)
    return Response(session_ics(session), mimetype="text/calendar",
                    headers={"Content-Disposition": f"attachment; filename=session-{session.id}.ics"})


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
                audit.record("learning.group_enrolled", session, details=counts)
                db.session.commit()
                flash(_("Enrolled: %(enrolled)d, waiting list: %(waitlisted)d, already on it: %(skipped)d.", **counts), "success")
                return redirect(url_for("learning.session", session_id=session.id))
    return render_template("learning/form.html", form=form, multipart=False,
                           title=_("Enrol a group in %(title)s", title=session.course.title),
                           back=url_for("learning.session", session_id=session.id))


# -- approvals ------------------------------------------------------------------------------------

def _requests_query():
    fid = foundation_id()
    query = (
        select(Enrolment).join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.foundation_id == fid, Enrolment.status == "requested")
        .options(joinedload(Enrolment.person), joinedload(Enrolment.session).joinedload(CourseSession.course))
        .order_by(Enrolment.queued_at)
    )
    if not is_admin():
        query = query.join(Team, Team.id == Person.team_id).where(Team.manager_id == current_user.id)
    return query


@bp.route("/approvals")
@permission_required("learning.approve")
def approvals():
    page = db.paginate(_requests_query(), page=max(1, request.args.get("page", 1, type=int)), per_page=50, error_out=False)
    return render_template("learning/approvals.html", page=page, form=ActionForm())


@bp.route("/enrolments/<int:enrolment_id>/decide", methods=["POST"])
@permission_required("learning.approve")
def decide(enrolment_id: int):
    enrolment = db.session.scalar(_requests_query().where(Enrolment.id == enrolment_id))
    if enrolment is None:
        abort(404)
    if not ActionForm().validate_on_submit() or request.form.get("decision") not in ("approve", "reject"):
        abort(400)
    approve = request.form["decision"] == "approve"
    try:
        enrolments.decide(enrolment, current_user, approve)
    except enrolments.EnrolmentRefused as refused:
        flash(str(refused), "error")
    else:
        audit.record("learning.enrolment_approved" if approve else "learning.enrolment_rejected", enrolment,
                     details={"person_id": enrolment.person_id, "session_id": enrolment.session_id})
        db.session.commit()
        flash(_("Approved.") if approve else _("Not approved."), "success")
    return redirect(url_for("learning.approvals"))


# -- attendance -----------------------------------------------------------------------------------

@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(session_id: int):
    """The trainer (or HR) registers who was there and the result; present and not failed makes
    a training record."""
    session = session_or_404(session_id)
    if not _may_register_attendance(session):
        abort(404)
    roster = list(db.session.scalars(
        select(Enrolment).join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.session_id == session.id, Enrolment.status == "enrolled")
        .options(joinedload(Enrolment.person)).order_by(Person.last_name, Person.first_name, Enrolment.id)
    ))
    started = session.starts_at <= local_now()
    form = AttendanceForm()
    if request.method == "GET":
        for enrolment in roster:
            form.rows.append_entry({"enrolment_id": enrolment.id, "attendance": enrolment.attendance or "",
                                    "result": enrolment.result or "", "score": enrolment.score})
    elif not started:
        flash(_("Attendance can be registered once the session has started."), "error")
    elif form.validate_on_submit():
        by_id = {e.id: e for e in roster}
        rows = [(by_id.get(int(row.enrolment_id.data or 0)), row) for row in form.rows]
        if any(enrolment is None for enrolment, _row in rows):
            abort(400)
        for enrolment, row in rows:
            _register(session, enrolment, row.attendance.data or None, row.result.data or None, row.score.data)
        audit.record("learning.attendance_registered", session, foundation_id=session.foundation_id,
                     details={"rows": len(rows)})
        events.commit()
        flash(_("Attendance is saved."), "success")
        return redirect(url_for("learning.attendance", session_id=session.id))
    entries = list(zip(form.rows, roster)) if len(form.rows) == len(roster) else []
    return render_template("learning/attendance.html", session=session, form=form, entries=entries, started=started)


def _register(session: CourseSession, enrolment: Enrolment, attendance: str | None, result: str | None, score) -> None:
    enrolment.attendance, enrolment.result, enrolment.score = attendance, result, score
    completed = attendance == "present" and result != "failed"
    if completed and enrolment.record_id is None:
        record = create_record(enrolment.person, session.course, session.ends_at.date(), "session", score=score,
                               session_id=session.id, created_by=current_user)
        enrolment.record_id = record.id
    elif completed:
        record = db.session.get(TrainingRecord, enrolment.record_id)
        record.score = score
    elif enrolment.record_id is not None:  # corrected: not present after all, or failed
        record_id, enrolment.record_id = enrolment.record_id, None
        db.session.flush()
        db.session.execute(delete(TrainingRecord).where(TrainingRecord.id == record_id))
        snapshot.forget(session.foundation_id)

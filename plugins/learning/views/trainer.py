"""The trainer (or HR) registers attendance and results; who was there and did not fail gets a
training record."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from core.api import Person, clock, commit_and_fire, db, record_audit
from plugins.learning import snapshot
from plugins.learning.forms import AttendanceForm
from plugins.learning.models import CourseSession, Enrolment, TrainingRecord
from plugins.learning.records import create_record
from plugins.learning.views import bp
from plugins.learning.views.common import may_register_attendance, session_or_404


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(session_id: int):
    """The trainer (or HR) registers who was there and the result; present and not failed makes
    a training record."""
    session = session_or_404(session_id)
    if not may_register_attendance(session):
        abort(404)
    roster = list(db.session.scalars(
        select(Enrolment).join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.session_id == session.id, Enrolment.status == "enrolled")
        .options(joinedload(Enrolment.person)).order_by(Person.last_name, Person.first_name, Enrolment.id)
    ))
    started = session.starts_at <= clock.local_now()
    if request.method == "GET":
        return _attendance_page(session, _roster_form(roster), roster, started)
    form = AttendanceForm()
    if not started:
        flash(_("Attendance can be registered once the session has started."), "error")
        return _attendance_page(session, form, roster, started)
    enrolments = _posted_enrolments(form, roster)
    if enrolments is None:
        flash(_("The list of participants has changed since this page was opened; nothing is saved. "
                "Check the list and save again."), "error")
        return _attendance_page(session, _roster_form(roster), roster, started, 400)
    if not form.validate_on_submit():
        return _attendance_page(session, form, roster, started)
    for enrolment, row in zip(enrolments, form.rows, strict=True):
        _register(session, enrolment, row.attendance.data or None, row.result.data or None, row.score.data)
    record_audit("learning.attendance_registered", session, foundation_id=session.foundation_id,
                 details={"rows": len(enrolments)})
    commit_and_fire()
    flash(_("Attendance is saved."), "success")
    return redirect(url_for("learning.attendance", session_id=session.id))


def _attendance_page(session: CourseSession, form: AttendanceForm, roster: list[Enrolment], started: bool,
                     status: int = 200):
    entries = list(zip(form.rows, roster, strict=True)) if len(form.rows) == len(roster) else []
    return render_template("learning/attendance.html", session=session, form=form, entries=entries,
                           started=started), status


def _roster_form(roster: list[Enrolment]) -> AttendanceForm:
    """The form as the roster stands, one row per enrolled person."""
    form = AttendanceForm(formdata=None)
    for enrolment in roster:
        form.rows.append_entry({"enrolment_id": enrolment.id, "attendance": enrolment.attendance or "",
                                "result": enrolment.result or "", "score": enrolment.score})
    return form


def _posted_enrolments(form: AttendanceForm, roster: list[Enrolment]) -> list[Enrolment] | None:
    """The enrolments the posted rows are about, in their order; None when a row names nobody on
    the roster (someone cancelled meanwhile, or the form was tampered with) or names someone twice."""
    by_id = {str(enrolment.id): enrolment for enrolment in roster}
    found = [by_id.get((row.enrolment_id.data or "").strip()) for row in form.rows]
    if None in found or len({enrolment.id for enrolment in found}) != len(found):
        return None
    return found


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

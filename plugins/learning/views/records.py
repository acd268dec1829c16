"""Training records: entering one by hand, HR's verification, the certificate (generated or
uploaded), and the public verification page."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core import audit, events
from core.extensions import db
from core.models import Foundation, Person
from core.people.forms import choices
from core.permissions import permission_required
from core.plugins import plugin_manager, public_view
from core.uploads import UploadRefused
from plugins.learning import catalogue, uploads
from plugins.learning.blueprint import bp, foundation_id, is_admin, page_number, person_by_reference
from plugins.learning.certificates import certificate_pdf
from plugins.learning.clock import local_today
from plugins.learning.forms import ActionForm, RecordForm
from plugins.learning.models import Course, TrainingRecord
from plugins.learning.records import create_record, record_or_404, verify
from plugins.learning.vocabulary import KEY, RECORD_STATUSES, SOURCES


@bp.route("/records/<int:record_id>")
@login_required
def record(record_id: int):
    row = record_or_404(record_id, foundation_id())
    return render_template("learning/record.html", record=row, sources=SOURCES, statuses=RECORD_STATUSES,
                           admin=is_admin(), form=ActionForm())


@bp.route("/records/new", methods=["GET", "POST"])
@permission_required("learning.enrol")
def new_record():
    """An employee's record of an (external) course waits for HR; HR's own entry is verified."""
    fid = foundation_id()
    admin = is_admin()
    form = RecordForm()
    form.course_id.choices = choices(catalogue.course_choices(fid), _("Choose a course"))
    if not admin:
        del form.person
    if form.validate_on_submit():
        person = current_user
        if admin and form.person.data:
            person = person_by_reference(fid, form.person.data)
            if person is None:
                form.person.errors.append(_("No person of this foundation has this e-mail address or employee number."))
        course = catalogue.get_visible_or_404(Course, form.course_id.data, fid)
        if form.completed_on.data > local_today():
            form.completed_on.errors.append(_("The completion date lies in the future."))
        evidence = None
        if form.evidence.data and form.evidence.data.filename:
            try:
                evidence = uploads.read_checked(form.evidence.data)
            except UploadRefused as refused:
                form.evidence.errors.append(str(refused))
        if not any(field.errors for field in form):
            return _store_record(person, course, form, evidence, verified=admin)
    return render_template("learning/form.html", form=form, title=_("Add a training record"), multipart=True,
                           back=url_for("learning.index"),
                           intro=None if admin else _("HR checks the record before it counts."))


def _store_record(person: Person, course: Course, form: RecordForm, evidence, verified: bool):
    row = create_record(person, course, form.completed_on.data, "manual", verified=verified, score=form.score.data,
                        created_by=current_user, note=form.note.data or "")
    if evidence:
        uploads.attach(row, *evidence)  # the file goes again should the commit fail
    if verified:
        audit.record("learning.record_added", row, details={"person_id": person.id, "course": course.code})
    events.commit()
    flash(_("The record is saved.") if verified else _("The record is saved and waits for HR's check."), "success")
    return redirect(url_for("learning.record", record_id=row.id))


@bp.route("/records/pending")
@permission_required("learning.manage")
def pending_records():
    query = (
        select(TrainingRecord).where(TrainingRecord.foundation_id == foundation_id(), TrainingRecord.status == "pending")
        .options(joinedload(TrainingRecord.person), joinedload(TrainingRecord.course))
        .order_by(TrainingRecord.created_at)
    )
    page = db.paginate(query, page=page_number(), per_page=50, error_out=False)
    return render_template("learning/records_pending.html", page=page, form=ActionForm())


@bp.route("/records/<int:record_id>/decide", methods=["POST"])
@permission_required("learning.manage")
def decide_record(record_id: int):
    row = record_or_404(record_id, foundation_id())
    decision = request.form.get("decision")
    if not ActionForm().validate_on_submit() or decision not in ("verify", "reject"):
        abort(400)
    if row.status != "pending":
        flash(_("This record was already checked."), "error")
        return redirect(url_for("learning.record", record_id=row.id))
    if decision == "verify":
        verify(row, current_user)
    else:
        row.status = "rejected"
    audit.record(f"learning.record_{'verified' if decision == 'verify' else 'rejected'}", row,
                 details={"person_id": row.person_id, "course": row.course.code})
    events.commit()
    flash(_("The record is verified.") if decision == "verify" else _("The record is rejected."), "success")
    return redirect(url_for("learning.pending_records"))


@bp.route("/records/<int:record_id>/certificate.pdf")
@login_required
def certificate(record_id: int):
    row = record_or_404(record_id, foundation_id())
    if row.status != "verified":
        abort(404)
    foundation = db.session.get(Foundation, row.foundation_id)
    return Response(certificate_pdf(row, foundation.name), mimetype="application/pdf",
                    headers={"Content-Disposition": f"attachment; filename=certificate-{row.verification_code}.pdf"})


@bp.route("/records/<int:record_id>/evidence")
@login_required
def evidence(record_id: int):
    row = record_or_404(record_id, foundation_id())
    if not row.evidence_stored:
        abort(404)
    return send_file(uploads.path_of(row), mimetype=row.evidence_type, as_attachment=True,
                     download_name=row.evidence_name or "certificate")


@bp.route("/verify/<code>")
@public_view
def verify_certificate(code: str):
    """Public: anyone holding a certificate's code may check it, signed in or not. Only the
    name, the course, the dates and whether it is valid are shown. Anonymous requests see no
    foundation's rows, so this look-up crosses foundations on purpose; the record's foundation
    must have learning on."""
    found = db.session.execute(
        select(TrainingRecord, Person.first_name, Person.last_name, Course.title)
        .join(Person, Person.id == TrainingRecord.person_id).join(Course, Course.id == TrainingRecord.course_id)
        .where(TrainingRecord.verification_code == code.strip().upper(), TrainingRecord.status == "verified")
        .execution_options(all_tenants=True)
    ).first()
    if found is None or not plugin_manager().is_enabled(KEY, found.TrainingRecord.foundation_id):
        abort(404)
    row = found.TrainingRecord
    today = local_today()
    valid = row.expires_on is None or row.expires_on >= today
    return render_template("learning/verify.html", name=f"{found.first_name} {found.last_name}", course=found.title,
                           completed_on=row.completed_on, expires_on=row.expires_on, valid=valid, code=row.verification_code)

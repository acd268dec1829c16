"""Training records of one's own (HR sees everyone's): a record, entering one by hand, and its
certificate, generated or uploaded."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.api import (
    Foundation,
    Person,
    UploadRefused,
    accepts_files,
    choices,
    clock,
    commit_and_fire,
    db,
    permission_required,
    record_audit,
)
from plugins.learning import catalogue, uploads
from plugins.learning.certificates import certificate_pdf
from plugins.learning.forms import ActionForm, RecordForm
from plugins.learning.models import Course
from plugins.learning.records import create_record, record_or_404
from plugins.learning.views import bp
from plugins.learning.views.common import form_status, foundation_id, is_admin, person_by_reference
from plugins.learning.vocabulary import EVIDENCE_MAX_MB, RECORD_STATUSES, SOURCES


@bp.route("/records/<int:record_id>")
@login_required
def record(record_id: int):
    row = record_or_404(record_id, foundation_id())
    return render_template("learning/record.html", record=row, sources=SOURCES, statuses=RECORD_STATUSES,
                           admin=is_admin(), form=ActionForm())


@bp.route("/records/new", methods=["GET", "POST"])
@permission_required("learning.enrol")
@accepts_files(EVIDENCE_MAX_MB)
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
        if form.completed_on.data > clock.today():
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
                           intro=None if admin else _("HR checks the record before it counts.")), form_status(form)


def _store_record(person: Person, course: Course, form: RecordForm, evidence, verified: bool):
    row = create_record(person, course, form.completed_on.data, "manual", verified=verified, score=form.score.data,
                        created_by=current_user, note=form.note.data or "")
    if evidence:
        uploads.attach(row, *evidence)  # the file goes again should the commit fail
    if verified:
        record_audit("learning.record_added", row, details={"person_id": person.id, "course": course.code})
    commit_and_fire()
    flash(_("The record is saved.") if verified else _("The record is saved and waits for HR's check."), "success")
    return redirect(url_for("learning.record", record_id=row.id))


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

"""HR's check of the records people enter themselves."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.api import commit_and_fire, db, permission_required, record_audit
from plugins.learning.forms import ActionForm
from plugins.learning.models import TrainingRecord
from plugins.learning.records import record_or_404, verify
from plugins.learning.views import bp
from plugins.learning.views.common import foundation_id, page_number


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
    record_audit(f"learning.record_{'verified' if decision == 'verify' else 'rejected'}", row,
                 details={"person_id": row.person_id, "course": row.course.code})
    commit_and_fire()
    flash(_("The record is verified.") if decision == "verify" else _("The record is rejected."), "success")
    return redirect(url_for("learning.pending_records"))

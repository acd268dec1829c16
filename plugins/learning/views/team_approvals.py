"""Managers approve their team's enrolments in courses that need approval (HR sees every
request of the foundation)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.api import Person, Team, db, permission_required, record_audit
from plugins.learning import enrolment as enrolments
from plugins.learning.forms import ActionForm
from plugins.learning.models import CourseSession, Enrolment
from plugins.learning.views import bp
from plugins.learning.views.common import foundation_id, is_admin


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
    return render_template("learning/approvals.html", page=page, form=ActionForm(),
                           clashes=enrolments.clashes(list(page.items)), describe=enrolments.describe)


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
        record_audit("learning.enrolment_approved" if approve else "learning.enrolment_rejected", enrolment,
                     details={"person_id": enrolment.person_id, "session_id": enrolment.session_id})
        db.session.commit()
        flash(_("Approved.") if approve else _("Not approved."), "success")
    return redirect(url_for("learning.approvals"))

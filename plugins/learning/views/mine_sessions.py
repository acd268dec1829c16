"""A session as a participant sees it: enrolling, cancelling and its iCalendar file. HR and
the trainer see its roster on the same page."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from core.api import Person, clock, db, get_or_404, permission_required, record_audit
from plugins.learning import enrolment as enrolments
from plugins.learning.calendar_ics import session_ics
from plugins.learning.forms import ActionForm
from plugins.learning.models import Enrolment
from plugins.learning.views import bp
from plugins.learning.views.common import foundation_id, is_admin, may_register_attendance, session_or_404
from plugins.learning.vocabulary import ATTENDANCE, ENROLMENT_STATUSES, OPEN_ENROLMENT, RESULTS


@bp.route("/sessions/<int:session_id>")
@login_required
def session(session_id: int):
    session = session_or_404(session_id)
    now = clock.local_now()
    mine = db.session.scalar(select(Enrolment).where(Enrolment.session_id == session.id, Enrolment.person_id == current_user.id))
    staff = may_register_attendance(session)
    roster = list(db.session.scalars(
        select(Enrolment).join(Person, Person.id == Enrolment.person_id).where(Enrolment.session_id == session.id)
        .options(joinedload(Enrolment.person)).order_by(Enrolment.status, Enrolment.queued_at, Enrolment.id)
    )) if staff else []
    open_mine = mine is not None and mine.status in OPEN_ENROLMENT
    elsewhere = None if open_mine else enrolments.other_session_of_course(session, current_user.id)
    clashes = enrolments.clashes_with(session, current_user.id) if not session.cancelled else []
    counts = dict(db.session.execute(
        select(Enrolment.status, func.count()).where(Enrolment.session_id == session.id).group_by(Enrolment.status)
    ).all())
    return render_template(
        "learning/session.html", session=session, course=session.course, mine=mine, roster=roster, staff=staff,
        counts=counts, elsewhere=elsewhere, clashes=clashes, started=session.starts_at <= now, admin=is_admin(), form=ActionForm(),
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
        clashes = enrolments.clashes_with(session, current_user.id)
        db.session.commit()
        flash(ENROLMENT_STATUSES[enrolment.status], "success")
        if clashes:
            flash(_("Mind the overlap with %(sessions)s.", sessions=enrolments.describe(clashes)), "warning")
    return redirect(url_for("learning.session", session_id=session.id))


@bp.route("/enrolments/<int:enrolment_id>/cancel", methods=["POST"])
@login_required
def cancel_enrolment(enrolment_id: int):
    enrolment = get_or_404(Enrolment, enrolment_id)
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
            record_audit("learning.enrolment_cancelled", enrolment, details={"person_id": enrolment.person_id,
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

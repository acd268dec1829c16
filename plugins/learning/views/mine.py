"""My learning: the landing page, the personal calendar feed's address and my professional
registrations."""
from __future__ import annotations

from dateutil.relativedelta import relativedelta
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from core.api import choices, clock, db, get_or_404, permission_required
from plugins.learning import catalogue, learner, registrations
from plugins.learning.calendar_ics import new_feed_token
from plugins.learning.forms import ActionForm, RegistrationForm
from plugins.learning.models import FeedToken, Registration
from plugins.learning.views import bp
from plugins.learning.views.common import form_status, foundation_id, is_admin


@bp.route("/")
@login_required
def index():
    now, today = clock.local_now(), clock.today()
    done = learner.completed_course_ids(current_user)
    return render_template(
        "learning/index.html",
        lines=learner.requirement_lines(current_user, today),
        enrolments=learner.upcoming_enrolments(current_user, now),
        training=learner.trainer_sessions(current_user, now),
        records=learner.records_of(current_user),
        registrations=registrations.of_person(current_user.id),
        paths=[p for p in learner.path_progress(current_user, done) if p.completed],
        percent=registrations.percent,
    )


@bp.route("/calendar", methods=["GET", "POST"])
@permission_required("learning.enrol")
def calendar():
    """The feed address is shown once, when it is made; making a new one ends the old one."""
    form = ActionForm()
    feed_url = None
    if form.validate_on_submit():
        token = new_feed_token(current_user)
        db.session.commit()
        feed_url = url_for("learning.calendar_feed", token=token, _external=True)
    has_feed = db.session.scalar(select(FeedToken.id).where(FeedToken.person_id == current_user.id)) is not None
    return render_template("learning/calendar.html", form=form, feed_url=feed_url, has_feed=has_feed), form_status(form)


# -- my registrations -----------------------------------------------------------------------------

def _registration_or_404(registration_id: int) -> Registration:
    row = get_or_404(Registration, registration_id)
    if row.foundation_id != foundation_id() or (row.person_id != current_user.id and not is_admin()):
        abort(404)
    return row


def _save_registration(row: Registration | None):
    fid = foundation_id()
    form = RegistrationForm(obj=row)
    available = catalogue.registers(fid)
    form.register_id.choices = choices(((r.id, r.name) for r in available), _("Choose a register"))
    if form.validate_on_submit():
        register = next(r for r in available if r.id == form.register_id.data)
        created = row is None
        row = row or Registration(foundation_id=fid, person_id=current_user.id)
        row.register_id, row.number = register.id, form.number.data or ""
        row.cycle_start = form.cycle_start.data
        row.cycle_end = form.cycle_end.data or form.cycle_start.data + relativedelta(months=register.cycle_months, days=-1)
        row.points_required = form.points_required.data if form.points_required.data is not None else register.points_required
        if created:
            db.session.add(row)
        db.session.commit()
        flash(_("The registration is saved."), "success")
        return redirect(url_for("learning.index"))
    return render_template("learning/form.html", form=form, multipart=False, back=url_for("learning.index"),
                           title=_("Professional registration")), form_status(form)


@bp.route("/registrations/new", methods=["GET", "POST"])
@permission_required("learning.enrol")
def new_registration():
    return _save_registration(None)


@bp.route("/registrations/<int:registration_id>/edit", methods=["GET", "POST"])
@permission_required("learning.enrol")
def edit_registration(registration_id: int):
    return _save_registration(_registration_or_404(registration_id))

"""HR's mandatory-training requirements: which courses whom must have done, within how many days
of starting."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.api import PERSON_TYPES, choices, db, get_or_404, permission_required, record_audit
from plugins.learning import catalogue, snapshot
from plugins.learning.forms import RequirementForm
from plugins.learning.models import Course, Requirement
from plugins.learning.views import bp
from plugins.learning.views.common import form_status, foundation_id, teams_of


@bp.route("/requirements")
@permission_required("learning.manage")
def requirements():
    rows = db.session.scalars(
        select(Requirement).where(Requirement.foundation_id == foundation_id())
        .options(joinedload(Requirement.team), joinedload(Requirement.courses)).order_by(Requirement.title)
    ).unique().all()
    return render_template("learning/requirements.html", requirements=rows, person_types=PERSON_TYPES)


def _save_requirement(row: Requirement | None):
    fid = foundation_id()
    form = RequirementForm(obj=row)
    form.course_ids.choices = choices(catalogue.course_choices(fid, active_only=False))
    form.team_id.choices = choices(teams_of(fid), _("Every team"))
    if row is not None and request.method == "GET":
        form.course_ids.data = [c.id for c in row.courses]
    if form.validate_on_submit():
        created = row is None
        row = row or Requirement(foundation_id=fid)
        row.title, row.team_id = form.title.data, form.team_id.data
        row.job_title = (form.job_title.data or "").strip() or None
        row.person_type = form.person_type.data or None
        row.within_days, row.active = form.within_days.data or 0, form.active.data
        row.courses = list(db.session.scalars(
            select(Course).where(catalogue.visible_to(Course, fid), Course.id.in_(form.course_ids.data))))
        if created:
            db.session.add(row)
        db.session.flush()
        snapshot.forget(fid)
        record_audit("learning.requirement_saved", row, foundation_id=fid,
                     details={"title": row.title, "courses": [c.code for c in row.courses], "created": created})
        db.session.commit()
        flash(_("The requirement is saved."), "success")
        return redirect(url_for("learning.requirements"))
    return render_template("learning/form.html", form=form, multipart=False, back=url_for("learning.requirements"),
                           title=_("New requirement") if row is None else _("Edit %(title)s", title=row.title)), \
        form_status(form)


@bp.route("/requirements/new", methods=["GET", "POST"])
@permission_required("learning.manage")
def new_requirement():
    return _save_requirement(None)


@bp.route("/requirements/<int:requirement_id>/edit", methods=["GET", "POST"])
@permission_required("learning.manage")
def edit_requirement(requirement_id: int):
    row = get_or_404(Requirement, requirement_id)
    if row.foundation_id != foundation_id():
        abort(404)
    return _save_requirement(row)

"""Mandatory training: requirements (HR), the compliance matrix with its exports, the forecast."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from core import audit, tenancy
from core.extensions import db
from core.models import PERSON_TYPES, Person
from core.people.forms import choices
from core.permissions import permission_required
from plugins.learning import catalogue, compliance, exports, snapshot
from plugins.learning.blueprint import bp, foundation_id, page_number, teams_of, visible_team_ids
from plugins.learning.clock import local_today
from plugins.learning.forms import MatrixFilterForm, RequirementForm
from plugins.learning.models import Course, Requirement
from plugins.learning.vocabulary import FORECAST_HORIZONS, STATUSES

PER_PAGE = 50


# -- requirements ---------------------------------------------------------------------------------

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
        audit.record("learning.requirement_saved", row, foundation_id=fid,
                     details={"title": row.title, "courses": [c.code for c in row.courses], "created": created})
        db.session.commit()
        flash(_("The requirement is saved."), "success")
        return redirect(url_for("learning.requirements"))
    return render_template("learning/form.html", form=form, multipart=False, back=url_for("learning.requirements"),
                           title=_("New requirement") if row is None else _("Edit %(title)s", title=row.title))


@bp.route("/requirements/new", methods=["GET", "POST"])
@permission_required("learning.manage")
def new_requirement():
    return _save_requirement(None)


@bp.route("/requirements/<int:requirement_id>/edit", methods=["GET", "POST"])
@permission_required("learning.manage")
def edit_requirement(requirement_id: int):
    row = tenancy.get_or_404(Requirement, requirement_id)
    if row.foundation_id != foundation_id():
        abort(404)
    return _save_requirement(row)


# -- the matrix -----------------------------------------------------------------------------------

@dataclass
class Filters:
    scope: compliance.Scope
    form: MatrixFilterForm
    teams: list[tuple[int, str]]
    all_label: str

    @property
    def team_options(self) -> Markup:
        """The options of the team select, built in one go: thousands of teams through a
        template loop would cost more than the rest of the page."""
        selected = self.scope.team_id
        return Markup("".join(
            f'<option value="{team_id}"{" selected" if team_id == selected else ""}>{escape(name)}</option>'
            for team_id, name in self.teams
        ))


def _filters() -> Filters:
    """The viewer's scope (HR: the foundation; a manager: their teams), narrowed by the filters."""
    fid = foundation_id()
    team_ids = visible_team_ids(fid)
    form = MatrixFilterForm(request.args)
    teams = teams_of(fid, team_ids)
    wanted = request.args.get("team", type=int)
    wanted_team = wanted if wanted in {t for t, _name in teams} else None
    scope = compliance.Scope(fid, team_ids=team_ids, team_id=wanted_team, q=form.q.data or "")
    return Filters(scope, form, teams, _("All teams") if team_ids is None else _("All my teams"))


@bp.route("/compliance")
@login_required
def matrix():
    filters = _filters()
    scope, form = filters.scope, filters.form
    today = local_today()
    reqs = compliance.requirements_of(scope.foundation_id)
    people_query = scope.filter(
        select(Person).where(Person.foundation_id == scope.foundation_id,
                             Person.status.in_(compliance.COUNTED_PERSON_STATUSES))
        .options(joinedload(Person.team))
        .order_by(func.lower(Person.last_name), func.lower(Person.first_name), Person.id)
    )
    wanted = form.status.data if form.status.data in STATUSES else ""
    if wanted and reqs:
        people_query = people_query.where(Person.id.in_(compliance.people_with_status(scope, reqs, wanted, today)))
    page = db.paginate(people_query, page=page_number(), per_page=PER_PAGE, error_out=False)
    cells = compliance.cells_for(scope, [p.id for p in page.items], today) if reqs else {}
    whole = scope.team_ids is None and scope.team_id is None and not scope.q
    per_requirement, as_of = snapshot.foundation_counts(scope.foundation_id, reqs, today) if whole else (
        compliance.counts(scope, reqs, today), None)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("learning/matrix.html", form=form, filters=filters, page=page, requirements=reqs, cells=cells,
                           counts=per_requirement, as_of=as_of, totals=compliance.total_counts(per_requirement),
                           statuses=STATUSES, args=args, today=today, never=compliance.NEVER)


@bp.route("/compliance/export.csv")
@login_required
def matrix_csv():
    scope = _filters().scope
    reqs = compliance.requirements_of(scope.foundation_id)
    today = local_today()
    lines = stream_with_context(exports.csv_lines(scope, reqs, today))
    return Response(lines, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename=compliance-{today.isoformat()}.csv"})


@bp.route("/compliance/export.xlsx")
@login_required
def matrix_xlsx():
    scope = _filters().scope
    reqs = compliance.requirements_of(scope.foundation_id)
    today = local_today()
    path = exports.write_xlsx(scope, reqs, today)
    return Response(exports.stream_file(path),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename=compliance-{today.isoformat()}.xlsx"})


@bp.route("/compliance/forecast")
@login_required
def forecast():
    filters = _filters()
    scope, form = filters.scope, filters.form
    reqs = compliance.requirements_of(scope.foundation_id)
    result = compliance.forecast(scope, reqs, local_today(), page_number(), PER_PAGE)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("learning/forecast.html", form=form, filters=filters, forecast=result, requirements={r.id: r for r in reqs},
                           statuses=STATUSES, horizons=FORECAST_HORIZONS, args=args, never=compliance.NEVER)

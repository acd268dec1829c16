"""The compliance matrix with its exports and the forecast: managers see their teams, HR the
whole foundation."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from core.api import Person, clock, csv_response, db, xlsx_response
from plugins.learning import compliance, compliance_export, snapshot
from plugins.learning.forms import MatrixFilterForm
from plugins.learning.models import Requirement
from plugins.learning.views import bp
from plugins.learning.views.common import foundation_id, page_number, teams_of, visible_team_ids
from plugins.learning.vocabulary import FORECAST_HORIZONS, STATUSES

PER_PAGE = 50


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
    today = clock.today()
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


def _export_scope() -> tuple[compliance.Scope, list[Requirement], date]:
    scope = _filters().scope
    return scope, compliance.requirements_of(scope.foundation_id), clock.today()


@bp.route("/compliance/export.csv")
@login_required
def matrix_csv():
    scope, reqs, today = _export_scope()
    header, rows = compliance_export.header(reqs), compliance_export.rows(scope, reqs, today)
    return csv_response(f"compliance-{today.isoformat()}.csv", header, rows)


@bp.route("/compliance/export.xlsx")
@login_required
def matrix_xlsx():
    scope, reqs, today = _export_scope()
    return xlsx_response(f"compliance-{today.isoformat()}.xlsx", _("Compliance"),
                         lambda sheet: compliance_export.fill_sheet(sheet, scope, reqs, today))


@bp.route("/compliance/forecast")
@login_required
def forecast():
    filters = _filters()
    scope, form = filters.scope, filters.form
    reqs = compliance.requirements_of(scope.foundation_id)
    result = compliance.forecast(scope, reqs, clock.today(), page_number(), PER_PAGE)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("learning/forecast.html", form=form, filters=filters, forecast=result, requirements={r.id: r for r in reqs},
                           statuses=STATUSES, horizons=FORECAST_HORIZONS, args=args, never=compliance.NEVER)

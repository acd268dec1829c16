"""Team pages: the teams one may look at and a team's week with its coverage. The coverage rules
editor is in team_coverage.py."""
from __future__ import annotations

from datetime import date, timedelta

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import or_, select

from core.api import Team, acting_foundation_id, clock, db, has_permission, permission_required
from plugins.flexwork import access
from plugins.flexwork.coverage import gap_cells
from plugins.flexwork.team_data import monday_of, team_week
from plugins.flexwork.views import bp

# The weeks one may page to: within these years the week and its neighbours stay in the calendar.
FIRST_WEEK, LAST_WEEK = date(1900, 1, 1), date(2199, 12, 31)


@bp.route("/teams")
@permission_required("flexwork.view_team")
def teams():
    query = select(Team).where(Team.foundation_id == acting_foundation_id()).order_by(Team.name)
    if not access.oversees():
        query = query.where(or_(Team.manager_id == current_user.id, Team.id == current_user.team_id))
    return render_template("flexwork/teams.html", teams=db.session.scalars(query).all())


def _week_start(text: str | None) -> date:
    """``?week=2026-W48`` (an ISO week) or any date in the week, within the years one can page
    through; this week otherwise."""
    try:
        monday = _monday_named(text) if text else None
    except ValueError:
        monday = None
    return monday if monday is not None and FIRST_WEEK <= monday <= LAST_WEEK else monday_of(clock.today())


def _monday_named(text: str) -> date:
    if "-W" in text:
        year, week = text.split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    return monday_of(date.fromisoformat(text))


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@bp.route("/teams/<int:team_id>/week")
@permission_required("flexwork.view_team")
def team_week_view(team_id: int):
    team = access.team_or_404(team_id)
    week = team_week(team, _week_start(request.args.get("week")))
    return render_template("flexwork/team_week.html", week=week, gap_cells=gap_cells(week.gaps),
                           gap_days={g.day for g in week.gaps}, rules={r.id: r for r in week.rules},
                           previous=iso_week(week.monday - timedelta(days=7)), next=iso_week(week.monday + timedelta(days=7)),
                           this_week=iso_week(week.monday), can_edit=_may_edit(team))


def _may_edit(team: Team) -> bool:
    return has_permission(current_user, "flexwork.manage_coverage") and (team.manager_id == current_user.id or access.oversees())

"""Results: a team (its members, its manager, HR), a division and the foundation overview (HR), the
CSV export and the JSON API. All of them read through ``plugins.wellbeing.results``, so the same
suppression applies everywhere."""
from __future__ import annotations

import csv
import io
import math

from flask import Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from core import audit
from core.extensions import db
from core.models import Team
from core.permissions import acting_foundation_id, has_permission, permission_required
from plugins.wellbeing import clock, results
from plugins.wellbeing.forms import ActionForm
from plugins.wellbeing.models import Campaign, TeamAction, campaign_team
from plugins.wellbeing.questions import QUESTIONS, SCALE, starter
from plugins.wellbeing.views.common import (TEAM_ACTIONS, VIEW_ALL, VIEW_TEAM, any_permission, bp, current_settings,
                                            may_see_team, owned_or_404)

NO_DIVISION = "-"  # the division of teams without a region, in URLs


def division_param(division: str) -> str:
    return division or NO_DIVISION


def _division_arg() -> str:
    value = request.args.get("division", NO_DIVISION)
    return "" if value == NO_DIVISION else value


def _started_campaigns(team: Team | None = None) -> list[Campaign]:
    query = select(Campaign).where(Campaign.foundation_id == acting_foundation_id(), Campaign.confirmed_at.is_not(None))
    if team is not None:
        query = query.join(campaign_team, campaign_team.c.campaign_id == Campaign.id).where(campaign_team.c.team_id == team.id)
    return list(db.session.scalars(query.order_by(Campaign.starts_on.desc(), Campaign.id.desc())))


def _chosen_campaign(campaigns: list[Campaign]) -> Campaign | None:
    """The campaign asked for in ``?campaign=`` (404 if it is not among ``campaigns``), else the latest."""
    wanted = request.args.get("campaign", type=int)
    if wanted is None:
        return campaigns[0] if campaigns else None
    for campaign in campaigns:
        if campaign.id == wanted:
            return campaign
    abort(404)


def _visible_team_or_404(team_id: int) -> Team:
    team = owned_or_404(Team, team_id)
    if not may_see_team(team):
        abort(403)
    return team


# -- a team -----------------------------------------------------------------------------------------

def _team_context(team_id: int):
    team = _visible_team_or_404(team_id)
    campaigns = _started_campaigns(team)
    campaign = _chosen_campaign(campaigns)
    view = results.team_results(campaign, team, current_settings()) if campaign else None
    return team, campaigns, campaign, view


@bp.route("/results/team/<int:team_id>")
@any_permission(VIEW_TEAM, VIEW_ALL)
def team_page(team_id: int):
    team, campaigns, campaign, view = _team_context(team_id)
    actions = db.session.scalars(
        select(TeamAction).where(TeamAction.team_id == team.id).order_by(TeamAction.status, TeamAction.created_on.desc(), TeamAction.id.desc())
    ).all()
    can_act = has_permission(current_user, TEAM_ACTIONS)
    starters = {}
    if view is not None and view.latest is not None:
        starters = {q: starter(q, view.latest.result.stats[q].average) for q in view.questions
                    if view.latest.result.stats[q].average is not None}
    return render_template(
        "wellbeing/team_results.html", team=team, campaigns=campaigns, campaign=campaign, view=view,
        questions=QUESTIONS, scale=SCALE, settings=current_settings(), actions=actions, starters=starters,
        action_form=ActionForm() if can_act else None,
    )


@bp.route("/results/team/<int:team_id>/actions", methods=["POST"])
@permission_required(TEAM_ACTIONS)
def add_action(team_id: int):
    team = _visible_team_or_404(team_id)
    form = ActionForm()
    if form.validate_on_submit():
        campaign_id = request.form.get("campaign_id", type=int)
        campaign = db.session.get(Campaign, campaign_id) if campaign_id else None
        action = TeamAction(foundation_id=team.foundation_id, team_id=team.id, text=form.text.data.strip(),
                            campaign_id=campaign.id if campaign and campaign.foundation_id == team.foundation_id else None,
                            created_on=clock.today())
        db.session.add(action)
        db.session.flush()
        audit.record("wellbeing.action_added", action, team.foundation_id, {"team": team.id})
        db.session.commit()
        flash(_("The action is added for the team."), "success")
    else:
        flash(" ".join(form.text.errors) or _("The action could not be added."), "error")
    return redirect(url_for("wellbeing.team_page", team_id=team.id))


@bp.route("/actions/<int:action_id>/done", methods=["POST"])
@permission_required(TEAM_ACTIONS)
def action_done(action_id: int):
    action = owned_or_404(TeamAction, action_id)
    team = _visible_team_or_404(action.team_id)
    action.status = "planned" if action.status == "done" else "done"
    audit.record("wellbeing.action_changed", action, team.foundation_id, {"status": action.status})
    db.session.commit()
    return redirect(url_for("wellbeing.team_page", team_id=team.id))


# -- a division and the overview (HR) ----------------------------------------------------------------

@bp.route("/results")
@permission_required(VIEW_ALL)
def overview():
    campaigns = _started_campaigns()
    campaign = _chosen_campaign(campaigns)
    view = results.overview(campaign, current_settings(), request.args.get("period", type=int)) if campaign else None
    question = request.args.get("question")
    if view is not None and question not in view.questions:
        question = view.questions[0] if view.questions else None
    return render_template("wellbeing/overview.html", campaigns=campaigns, campaign=campaign, view=view,
                           question=question, questions=QUESTIONS, settings=current_settings())


@bp.route("/results/division")
@permission_required(VIEW_ALL)
def division_page():
    campaigns = _started_campaigns()
    campaign = _chosen_campaign(campaigns)
    if campaign is None:
        abort(404)
    division = _division_arg()
    page_size = current_app.config["PAGE_SIZE"]
    page = max(request.args.get("page", 1, type=int), 1)
    view = results.division_results(campaign, division, current_settings(), request.args.get("period", type=int),
                                    page=(page, page_size))
    if not view.teams_total:
        abort(404)
    pages = max(math.ceil(view.teams_total / page_size), 1)
    return render_template("wellbeing/division_results.html", campaigns=campaigns, campaign=campaign, view=view,
                           questions=QUESTIONS, scale=SCALE, settings=current_settings(), page=page, pages=pages,
                           division_param=division_param(division))


@bp.route("/results/export.csv")
@permission_required(VIEW_ALL)
def export_csv():
    campaigns = _started_campaigns()
    campaign = _chosen_campaign(campaigns)
    if campaign is None:
        abort(404)
    settings = current_settings()
    view = results.overview(campaign, settings, request.args.get("period", type=int))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["period_start", "period_end", "division", "team", "shown", "checkins", "question", "average",
                     *(f"count_{value}" for value in SCALE)])
    if view.period is not None:
        for line in view.lines:
            _write_group(writer, view.period, line.division, "", line.result, view.questions)
            division = results.division_results(campaign, line.division, settings, view.period.id, with_comments=False)
            for team_line in division.teams:
                _write_group(writer, view.period, line.division, team_line.team.name, team_line.result, view.questions)
    filename = f"wellbeing-{campaign.id}-{view.period.starts_on.isoformat() if view.period else 'none'}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _write_group(writer, period, division: str, team: str, result, questions) -> None:
    dates = [period.starts_on.isoformat(), period.ends_on.isoformat()]
    if result is None:
        writer.writerow([*dates, division, team, "no", "", "", "", *("" for _ in SCALE)])
        return
    for key in questions:
        stats = result.stats[key]
        average = f"{stats.average:.2f}" if stats.average is not None else ""
        writer.writerow([*dates, division, team, "yes", result.checkins, key, average, *stats.distribution])


# -- JSON API ---------------------------------------------------------------------------------------

def _result_json(result) -> dict:
    if result is None:
        return {"shown": False}
    return {
        "shown": True,
        "checkins": result.checkins,
        "questions": {
            key: {"distribution": list(stats.distribution),
                  "average": round(stats.average, 2) if stats.average is not None else None}
            for key, stats in result.stats.items()
        },
    }


def _period_json(period) -> dict:
    return {"id": period.id, "starts_on": period.starts_on.isoformat(), "ends_on": period.ends_on.isoformat()}


@bp.route("/api/teams/<int:team_id>/results")
@any_permission(VIEW_TEAM, VIEW_ALL)
def api_team(team_id: int):
    team, _campaigns, campaign, view = _team_context(team_id)
    if view is None:
        return jsonify({"team": {"id": team.id, "name": team.name}, "campaign": None, "periods": []})
    return jsonify({
        "team": {"id": team.id, "name": team.name},
        "campaign": {"id": campaign.id, "name": campaign.name},
        "threshold": current_settings().min_group,
        "periods": [{**_period_json(row.period), **_result_json(row.result)} for row in view.rows],
    })


@bp.route("/api/divisions/results")
@permission_required(VIEW_ALL)
def api_division():
    campaigns = _started_campaigns()
    campaign = _chosen_campaign(campaigns)
    if campaign is None:
        abort(404)
    division = _division_arg()
    view = results.division_results(campaign, division, current_settings(), request.args.get("period", type=int),
                                     with_comments=False)
    if not view.teams_total:
        abort(404)
    return jsonify({
        "campaign": {"id": campaign.id, "name": campaign.name},
        "division": division,
        "threshold": current_settings().min_group,
        "totals": [{**_period_json(row.period), **_result_json(row.result)} for row in view.total_rows],
        "period": _period_json(view.period) if view.period else None,
        "teams": [{"id": line.team.id, "name": line.team.name, **_result_json(line.result)} for line in view.teams],
    })

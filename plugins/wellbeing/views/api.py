"""The JSON API: a team's results and a division's, under the same permissions and suppression as
the pages."""
from __future__ import annotations

from flask import abort, jsonify, request

from core.api import permission_required
from plugins.wellbeing import results
from plugins.wellbeing.views import bp
from plugins.wellbeing.views.common import (
    VIEW_ALL,
    VIEW_TEAM,
    any_permission,
    chosen_campaign,
    current_settings,
    division_arg,
    started_campaigns,
    team_context,
)


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
    team, _campaigns, campaign, view = team_context(team_id)
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
    campaigns = started_campaigns()
    campaign = chosen_campaign(campaigns)
    if campaign is None:
        abort(404)
    division = division_arg()
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

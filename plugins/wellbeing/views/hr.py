"""HR's results: the foundation overview per division, a division's teams, and the CSV export. All of
them read through ``plugins.wellbeing.results``, so the same suppression applies everywhere."""
from __future__ import annotations

import math
from decimal import Decimal

from flask import abort, current_app, render_template, request

from core.api import csv_response, permission_required
from plugins.wellbeing import results
from plugins.wellbeing.questions import QUESTIONS, SCALE
from plugins.wellbeing.views import bp
from plugins.wellbeing.views.common import (
    NO_DIVISION,
    VIEW_ALL,
    chosen_campaign,
    current_settings,
    division_arg,
    started_campaigns,
)

EXPORT_HEADER = ["period_start", "period_end", "division", "team", "shown", "checkins", "question", "average",
                 *(f"count_{value}" for value in SCALE)]


def division_param(division: str) -> str:
    return division or NO_DIVISION


@bp.route("/results")
@permission_required(VIEW_ALL)
def overview():
    campaigns = started_campaigns()
    campaign = chosen_campaign(campaigns)
    view = results.overview(campaign, current_settings(), request.args.get("period", type=int)) if campaign else None
    question = request.args.get("question")
    if view is not None and question not in view.questions:
        question = view.questions[0] if view.questions else None
    return render_template("wellbeing/overview.html", campaigns=campaigns, campaign=campaign, view=view,
                           question=question, questions=QUESTIONS, settings=current_settings())


@bp.route("/results/division")
@permission_required(VIEW_ALL)
def division_page():
    campaigns = started_campaigns()
    campaign = chosen_campaign(campaigns)
    if campaign is None:
        abort(404)
    division = division_arg()
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
    campaigns = started_campaigns()
    campaign = chosen_campaign(campaigns)
    if campaign is None:
        abort(404)
    settings = current_settings()
    view = results.overview(campaign, settings, request.args.get("period", type=int))
    filename = f"wellbeing-{campaign.id}-{view.period.starts_on.isoformat() if view.period else 'none'}.csv"
    return csv_response(filename, EXPORT_HEADER, _export_rows(campaign, settings, view))


def _export_rows(campaign, settings, view):
    """Each division of the period, followed by its teams: a row per question, or one row saying
    the group is not shown."""
    if view.period is None:
        return
    for line in view.lines:
        yield from _group_rows(view.period, line.division, "", line.result, view.questions)
        division = results.division_results(campaign, line.division, settings, view.period.id, with_comments=False)
        for team_line in division.teams:
            yield from _group_rows(view.period, line.division, team_line.team.name, team_line.result, view.questions)


def _group_rows(period, division: str, team: str, result, questions):
    dates = [period.starts_on, period.ends_on]
    if result is None:
        yield [*dates, division, team, "no", None, None, None, *(None for _ in SCALE)]
        return
    for key in questions:
        stats = result.stats[key]
        average = Decimal(f"{stats.average:.2f}") if stats.average is not None else None
        yield [*dates, division, team, "yes", result.checkins, key, average, *stats.distribution]

"""A team's results, for its members, its manager and HR, and the actions the team takes after them."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from core.api import clock, db, has_permission, permission_required, record_audit
from plugins.wellbeing.forms import ActionForm
from plugins.wellbeing.models import Campaign, TeamAction
from plugins.wellbeing.questions import QUESTIONS, SCALE, starter
from plugins.wellbeing.views import bp
from plugins.wellbeing.views.common import (
    TEAM_ACTIONS,
    VIEW_ALL,
    VIEW_TEAM,
    any_permission,
    current_settings,
    owned_or_404,
    team_context,
    visible_team_or_404,
)


@bp.route("/results/team/<int:team_id>")
@any_permission(VIEW_TEAM, VIEW_ALL)
def team_page(team_id: int):
    team, campaigns, campaign, view = team_context(team_id)
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
    team = visible_team_or_404(team_id)
    form = ActionForm()
    if form.validate_on_submit():
        campaign_id = request.form.get("campaign_id", type=int)
        campaign = db.session.get(Campaign, campaign_id) if campaign_id else None
        action = TeamAction(foundation_id=team.foundation_id, team_id=team.id, text=form.text.data.strip(),
                            campaign_id=campaign.id if campaign and campaign.foundation_id == team.foundation_id else None,
                            created_on=clock.today())
        db.session.add(action)
        db.session.flush()
        record_audit("wellbeing.action_added", action, team.foundation_id, {"team": team.id})
        db.session.commit()
        flash(_("The action is added for the team."), "success")
    else:
        flash(" ".join(form.text.errors) or _("The action could not be added."), "error")
    return redirect(url_for("wellbeing.team_page", team_id=team.id))


@bp.route("/actions/<int:action_id>/done", methods=["POST"])
@permission_required(TEAM_ACTIONS)
def action_done(action_id: int):
    action = owned_or_404(TeamAction, action_id)
    team = visible_team_or_404(action.team_id)
    action.status = "planned" if action.status == "done" else "done"
    record_audit("wellbeing.action_changed", action, team.foundation_id, {"status": action.status})
    db.session.commit()
    return redirect(url_for("wellbeing.team_page", team_id=team.id))

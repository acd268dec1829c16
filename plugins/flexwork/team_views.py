"""Team pages: the teams one may look at, the team week view, and the coverage rules editor."""
from __future__ import annotations

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete, or_, select

from core import audit
from core.extensions import db
from core.models import Team
from core.permissions import acting_foundation_id, has_permission, permission_required
from core.reminders import local_today
from plugins.flexwork import access
from plugins.flexwork.blueprint import bp
from plugins.flexwork.coverage import gap_cells
from plugins.flexwork.forms import CoverageRuleForm, TeamSettingForm
from plugins.flexwork.models import CoverageRule, TeamSetting
from plugins.flexwork.team_data import monday_of, rules_of, team_setting, team_week


@bp.route("/teams")
@permission_required("flexwork.view_team")
def teams():
    query = select(Team).where(Team.foundation_id == acting_foundation_id()).order_by(Team.name)
    if not access.oversees():
        query = query.where(or_(Team.manager_id == current_user.id, Team.id == current_user.team_id))
    return render_template("flexwork/teams.html", teams=db.session.scalars(query).all())


def _week_start(text: str | None) -> date:
    """``?week=2026-W48`` (an ISO week) or any date in the week; this week otherwise."""
    if text:
        try:
            if "-W" in text:
                year, week = text.split("-W")
                return date.fromisocalendar(int(year), int(week), 1)
            return monday_of(date.fromisoformat(text))
        except ValueError:
            pass
    return monday_of(local_today())


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


def _rules_page(team: Team, form: CoverageRuleForm, setting_form: TeamSettingForm, status: int = 200):
    return render_template("flexwork/rules.html", team=team, rules=rules_of(team.id), form=form,
                           setting_form=setting_form), status


@bp.route("/teams/<int:team_id>/rules", methods=["GET", "POST"])
@permission_required("flexwork.manage_coverage")
def coverage_rules(team_id: int):
    team = access.team_or_404(team_id, for_editing=True)
    setting = team_setting(team.id)
    setting_form = TeamSettingForm(formdata=None, auto_approve_swaps=bool(setting and setting.auto_approve_swaps))
    form = CoverageRuleForm()
    if not form.validate_on_submit():
        return _rules_page(team, form, setting_form, 400 if request.method == "POST" else 200)
    rule = CoverageRule(
        foundation_id=team.foundation_id, team_id=team.id, label=form.label.data.strip(),
        weekdays="".join(sorted(set(form.weekdays.data))), start_time=form.start_time.data.strftime("%H:%M"),
        end_time=form.end_time.data.strftime("%H:%M"), min_people=form.min_people.data, place=form.place.data or None,
        job_title=(form.job_title.data or "").strip() or None,
    )
    db.session.add(rule)
    db.session.flush()
    audit.record("flexwork.coverage_rule_added", team, team.foundation_id, {"rule_id": rule.id, "label": rule.label})
    db.session.commit()
    flash(_("The coverage rule is added."), "success")
    return redirect(url_for("flexwork.coverage_rules", team_id=team.id))


@bp.route("/teams/<int:team_id>/rules/<int:rule_id>/delete", methods=["POST"])
@permission_required("flexwork.manage_coverage")
def delete_rule(team_id: int, rule_id: int):
    team = access.team_or_404(team_id, for_editing=True)
    removed = db.session.execute(delete(CoverageRule).where(CoverageRule.id == rule_id, CoverageRule.team_id == team.id))
    if removed.rowcount:
        audit.record("flexwork.coverage_rule_removed", team, team.foundation_id, {"rule_id": rule_id})
        db.session.commit()
        flash(_("The coverage rule is removed."), "success")
    return redirect(url_for("flexwork.coverage_rules", team_id=team.id))


@bp.route("/teams/<int:team_id>/settings", methods=["POST"])
@permission_required("flexwork.manage_coverage")
def team_settings(team_id: int):
    team = access.team_or_404(team_id, for_editing=True)
    form = TeamSettingForm()
    if form.validate_on_submit():
        setting = team_setting(team.id) or TeamSetting(foundation_id=team.foundation_id, team_id=team.id)
        setting.auto_approve_swaps = bool(form.auto_approve_swaps.data)
        db.session.add(setting)
        audit.record("flexwork.team_settings_changed", team, team.foundation_id,
                     {"auto_approve_swaps": setting.auto_approve_swaps})
        db.session.commit()
        flash(_("The team's settings are saved."), "success")
    return redirect(url_for("flexwork.coverage_rules", team_id=team.id))

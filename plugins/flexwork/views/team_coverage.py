"""The coverage rules editor of a team (its manager and HR): adding and removing rules, and the
team's settings."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import delete

from core.api import Team, db, permission_required, record_audit
from plugins.flexwork import access
from plugins.flexwork.forms import CoverageRuleForm, TeamSettingForm
from plugins.flexwork.models import CoverageRule, TeamSetting
from plugins.flexwork.team_data import rules_of, team_setting
from plugins.flexwork.views import bp


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
    record_audit("flexwork.coverage_rule_added", team, team.foundation_id, {"rule_id": rule.id, "label": rule.label})
    db.session.commit()
    flash(_("The coverage rule is added."), "success")
    return redirect(url_for("flexwork.coverage_rules", team_id=team.id))


@bp.route("/teams/<int:team_id>/rules/<int:rule_id>/delete", methods=["POST"])
@permission_required("flexwork.manage_coverage")
def delete_rule(team_id: int, rule_id: int):
    team = access.team_or_404(team_id, for_editing=True)
    removed = db.session.execute(delete(CoverageRule).where(CoverageRule.id == rule_id, CoverageRule.team_id == team.id))
    if removed.rowcount:
        record_audit("flexwork.coverage_rule_removed", team, team.foundation_id, {"rule_id": rule_id})
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
        record_audit("flexwork.team_settings_changed", team, team.foundation_id,
                     {"auto_approve_swaps": setting.auto_approve_swaps})
        db.session.commit()
        flash(_("The team's settings are saved."), "success")
    return redirect(url_for("flexwork.coverage_rules", team_id=team.id))

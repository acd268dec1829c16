"""The manager's approval pages: the queue, and one request with its coverage impact, the
working-time warnings and the decision forms. A fixed number of queries whatever the team size."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from core.extensions import db
from core.permissions import acting_foundation_id, permission_required
from core.reminders import local_today
from plugins.flexwork import access, queues, request_flow, wfw
from plugins.flexwork.agreements import terms_of
from plugins.flexwork.blueprint import bp
from plugins.flexwork.forms import ApproveForm, RejectForm
from plugins.flexwork.labour import check_pattern
from plugins.flexwork.models import FlexRequest
from plugins.flexwork.settings import labour_rules
from plugins.flexwork.team_data import as_members, impact, team_on

HR_LIST_LIMIT = 100


@bp.route("/approvals")
@permission_required("flexwork.approve")
def approvals():
    teams = access.managed_team_ids()
    today = local_today()
    return render_template("flexwork/approvals.html", requests=queues.queue(teams, current_user.id) if teams else [],
                           swaps=queues.swaps_awaiting(teams, current_user.id) if teams else [], today=today)


@bp.route("/overview")
@permission_required("flexwork.oversee")
def overview():
    """HR: every undecided request of the foundation, nearest deadline first."""
    return render_template("flexwork/overview.html", requests=queues.foundation_open(acting_foundation_id(), HR_LIST_LIMIT),
                           today=local_today())


def _decision_page(found: FlexRequest, approve_form: ApproveForm, reject_form: RejectForm, status: int = 200):
    today = local_today()
    members, agreements, rules = team_on(found.person.team_id, found.start_date)
    blocks = {person_id: agreement.blocks for person_id, agreement in agreements.items()}
    effect = impact(as_members(members, blocks), {found.person_id: found.blocks}, rules)
    current = terms_of(agreements.get(found.person_id))
    findings = check_pattern(found.blocks, labour_rules(found.foundation_id))
    return render_template(
        "flexwork/decide.html", req=found, current=current, effect=effect, findings=findings, today=today,
        days_left=wfw.days_left(found.decision_deadline, today), approve_form=approve_form, reject_form=reject_form,
        team_size=len(members),
    ), status


@bp.route("/approvals/<int:request_id>")
@permission_required("flexwork.approve")
def decide_page(request_id: int):
    found = access.request_to_decide(request_id)
    return _decision_page(found, ApproveForm(trial_weeks=found.trial_weeks), RejectForm(needs_category=found.hours_or_times))


def _refused(request_id: int):
    flash(_("This request was already decided or withdrawn; nothing changed."), "error")
    return redirect(url_for("flexwork.request_page", request_id=request_id))


@bp.route("/approvals/<int:request_id>/review", methods=["POST"])
@permission_required("flexwork.approve")
def review(request_id: int):
    found = access.request_to_decide(request_id)
    try:
        request_flow.start_review(found)
    except request_flow.AlreadyDecided:
        return _refused(request_id)
    db.session.commit()
    flash(_("The request is marked as in review."), "success")
    return redirect(url_for("flexwork.decide_page", request_id=request_id))


@bp.route("/approvals/<int:request_id>/approve", methods=["POST"])
@permission_required("flexwork.approve")
def approve(request_id: int):
    found = access.request_to_decide(request_id)
    with_trial = request.form.get("action") == "trial"
    form = ApproveForm(with_trial=with_trial)
    if not form.validate_on_submit():
        return _decision_page(found, form, RejectForm(needs_category=found.hours_or_times, formdata=None), 400)
    try:
        request_flow.approve(found, current_user, form.conditions.data or "", form.trial_weeks.data if with_trial else None)
    except request_flow.AlreadyDecided:
        return _refused(request_id)
    db.session.commit()
    flash(_("Approved. The new agreement applies from %(date)s.", date=format_date(found.start_date)), "success")
    return redirect(url_for("flexwork.approvals"))


@bp.route("/approvals/<int:request_id>/reject", methods=["POST"])
@permission_required("flexwork.approve")
def reject(request_id: int):
    found = access.request_to_decide(request_id)
    form = RejectForm(needs_category=found.hours_or_times)
    if not form.validate_on_submit():
        return _decision_page(found, ApproveForm(trial_weeks=found.trial_weeks, formdata=None), form, 400)
    try:
        request_flow.reject(found, current_user, form.reason.data, form.category.data or None)
    except request_flow.AlreadyDecided:
        return _refused(request_id)
    db.session.commit()
    flash(_("The request is rejected; the employee is told why."), "success")
    return redirect(url_for("flexwork.approvals"))

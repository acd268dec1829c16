"""The manager's decisions: the queue, one request with its coverage impact, the working-time
warnings and the decision forms (a fixed number of queries whatever the team size), and deciding
on a swap the colleagues agreed on."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from core.api import clock, db, permission_required
from plugins.flexwork import access, queues, request_flow, swaps, wfw
from plugins.flexwork.agreements import terms_of
from plugins.flexwork.forms import ApproveForm, RejectForm, SwapRejectForm
from plugins.flexwork.labour import check_pattern
from plugins.flexwork.models import FlexRequest
from plugins.flexwork.settings import labour_rules
from plugins.flexwork.team_data import as_members, impact, team_on
from plugins.flexwork.views import bp
from plugins.flexwork.views.common import swap_moved_on, swap_page_response


@bp.route("/approvals")
@permission_required("flexwork.approve")
def approvals():
    teams = access.managed_team_ids()
    today = clock.today()
    return render_template("flexwork/approvals.html", requests=queues.queue(teams, current_user.id) if teams else [],
                           swaps=queues.swaps_awaiting(teams, current_user.id) if teams else [], today=today)


def _decision_page(found: FlexRequest, approve_form: ApproveForm, reject_form: RejectForm, status: int = 200):
    today = clock.today()
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


@bp.route("/swaps/<int:swap_id>/approve", methods=["POST"])
@permission_required("flexwork.approve")
def swap_approve(swap_id: int):
    swap = access.swap_to_decide(swap_id)
    try:
        swaps.approve(swap, current_user)
    except swaps.SwapConflict:
        return swap_moved_on(swap_id)
    db.session.commit()
    flash(_("The swap is approved."), "success")
    return redirect(url_for("flexwork.approvals"))


@bp.route("/swaps/<int:swap_id>/reject", methods=["POST"])
@permission_required("flexwork.approve")
def swap_reject(swap_id: int):
    swap = access.swap_to_decide(swap_id)
    form = SwapRejectForm()
    if not form.validate_on_submit():
        return swap_page_response(swap, swap.state == "agreed", form, 400)
    try:
        swaps.reject(swap, current_user, form.reason.data)
    except swaps.SwapConflict:
        return swap_moved_on(swap_id)
    db.session.commit()
    flash(_("The swap is rejected."), "success")
    return redirect(url_for("flexwork.approvals"))

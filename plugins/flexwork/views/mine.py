"""The employee's pages: my agreement, asking for a change, my requests (which their manager opens too)."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from core.api import clock, db, has_permission, permission_required
from plugins.flexwork import access, queues, request_flow, wfw
from plugins.flexwork.agreements import Terms, agreement_on, history, in_force_of, terms_of, upcoming_of
from plugins.flexwork.calendar_feed import has_feed_key
from plugins.flexwork.forms import ADD_ROW, RequestForm
from plugins.flexwork.labour import check_pattern
from plugins.flexwork.models import WEIGHTY_INTEREST_TITLES, FlexRequest, Swap
from plugins.flexwork.settings import labour_rules
from plugins.flexwork.views import bp

LIST_LIMIT = 25


@bp.route("/")
@login_required
def index():
    today = clock.today()
    mine = has_permission(current_user, "flexwork.request")
    agreements = history(current_user.id) if mine else []
    current = in_force_of(agreements, today)
    upcoming = upcoming_of(agreements, today)
    requests = db.session.scalars(
        select(FlexRequest).where(FlexRequest.person_id == current_user.id).order_by(FlexRequest.id.desc()).limit(LIST_LIMIT)
    ).all() if mine else []
    swaps = db.session.scalars(
        select(Swap).where(or_(Swap.requester_id == current_user.id, Swap.partner_id == current_user.id))
        .order_by(Swap.week_start.desc(), Swap.id.desc()).limit(LIST_LIMIT)
    ).all() if mine else []
    teams = access.managed_team_ids()
    waiting = queues.waiting_count(teams, current_user.id) if teams and has_permission(current_user, "flexwork.approve") else 0
    return render_template("flexwork/index.html", current=current, upcoming=upcoming, requests=requests, swaps=swaps,
                           today=today, mine=mine, managed=teams, waiting=waiting,
                           has_feed=mine and has_feed_key(current_user.id))


def _rules_note(form: RequestForm, today):
    if form.start_date.data is None:
        return None
    return wfw.assess(form.start_date.data, today, current_user.start_date)


def _proposed_terms(form: RequestForm) -> Terms:
    return Terms(form.contract_hours.data, form.flex_hours.data or Decimal(0), form.pattern_blocks())


@bp.route("/requests/new", methods=["GET", "POST"])
@permission_required("flexwork.request")
def request_new():
    today = clock.today()
    form = RequestForm(today=today)
    current = terms_of(agreement_on(current_user.id, today))
    sum_terms = None
    if request.method == "GET":
        hours = current.contract_hours if current.blocks or current.contract_hours else Decimal(current_user.contract_hours or 0)
        form.fill_pattern(hours, current.flex_hours, current.blocks)
        sum_terms = Terms(hours, current.flex_hours, current.blocks)
    adding_row = request.method == "POST" and request.form.get("action") == ADD_ROW
    if adding_row:
        form.add_rows()
    valid = not adding_row and form.validate_on_submit()
    findings = None
    if valid:
        valid = form.require_changes(request_flow.what_changes(
            terms_of(agreement_on(current_user.id, form.start_date.data)), _proposed_terms(form)))
    if valid:
        proposal = request_flow.Proposal(
            changes=tuple(form.changes.data),
            terms=_proposed_terms(form),
            start=form.start_date.data, end=form.end_date.data, trial_weeks=form.trial_weeks.data,
            motivation=form.motivation.data or "",
        )
        if request.form.get("action") == "submit":
            created = request_flow.submit(current_user, proposal, today)
            db.session.commit()
            flash(_("Your request is sent to your manager."), "success")
            return redirect(url_for("flexwork.request_page", request_id=created.id))
        findings = check_pattern(proposal.terms.blocks, labour_rules(current_user.foundation_id))
        sum_terms = proposal.terms
    status = 400 if request.method == "POST" and not valid and not adding_row else 200
    return render_template("flexwork/request_form.html", form=form, note=_rules_note(form, today), findings=findings,
                           current=current, checked=valid, sum_terms=sum_terms), status


@bp.route("/requests/<int:request_id>")
@login_required
def request_page(request_id: int):
    found = access.request_to_view(request_id)
    before = terms_of(agreement_on(found.person_id, found.start_date - timedelta(days=1)))
    can_decide = found.is_open and found.person.team is not None and found.person.team.manager_id == current_user.id \
        and found.person_id != current_user.id
    return render_template("flexwork/request.html", req=found, before=before, today=clock.today(), can_decide=can_decide,
                           weighty_titles=WEIGHTY_INTEREST_TITLES,
                           findings=check_pattern(found.blocks, labour_rules(found.foundation_id)))


@bp.route("/requests/<int:request_id>/withdraw", methods=["POST"])
@login_required
def request_withdraw(request_id: int):
    found = access.request_to_view(request_id)
    if found.person_id != current_user.id:
        abort(404)
    try:
        request_flow.withdraw(found)
    except request_flow.AlreadyDecided:
        flash(_("This request was already decided; nothing changed."), "error")
    else:
        db.session.commit()
        flash(_("Your request is withdrawn."), "success")
    return redirect(url_for("flexwork.request_page", request_id=request_id))

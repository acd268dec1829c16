"""Swapping a working day: propose, the colleague's answer, the manager's decision."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from core.extensions import db
from core.models import Person
from core.people.forms import choices
from core.permissions import permission_required
from core.reminders import local_today
from plugins.flexwork import access, swaps
from plugins.flexwork.blueprint import bp
from plugins.flexwork.forms import SwapForm, SwapRejectForm
from plugins.flexwork.labour import HORIZON_WEEKS, check_weeks
from plugins.flexwork.settings import labour_rules
from plugins.flexwork.team_data import WORKING_STATUSES


def _colleagues() -> list[Person]:
    if current_user.team_id is None:
        return []
    return list(db.session.scalars(
        select(Person).where(Person.team_id == current_user.team_id, Person.id != current_user.id,
                             Person.status.in_(WORKING_STATUSES)).order_by(Person.last_name, Person.first_name)
    ))


@bp.route("/swaps/new", methods=["GET", "POST"])
@permission_required("flexwork.request")
def swap_new():
    colleagues = _colleagues()
    form = SwapForm()
    form.partner.choices = choices(((p.id, p.full_name) for p in colleagues), "—")
    if form.validate_on_submit():
        partner = next((p for p in colleagues if p.id == form.partner.data), None)
        problems = swaps.swap_problems(current_user, partner, form.give_date.data, form.take_date.data, local_today())
        for name, message in problems.items():
            form[name].errors.append(message)
        if not problems:
            swap = swaps.propose(current_user, partner, form.give_date.data, form.take_date.data, form.note.data or "")
            db.session.commit()
            flash(_("Your colleague is asked to agree."), "success")
            return redirect(url_for("flexwork.swap_page", swap_id=swap.id))
    status = 400 if form.is_submitted() else 200
    return render_template("flexwork/swap_form.html", form=form, has_colleagues=bool(colleagues)), status


def _warnings(swap, before, after):
    """Working-time warnings for both people with the swap made in one week of a 16-week run."""
    rules = labour_rules(swap.foundation_id)
    found = {}
    for person_id in (swap.requester_id, swap.partner_id):
        weeks = [before.get(person_id, [])] * HORIZON_WEEKS
        weeks[HORIZON_WEEKS // 2] = after.get(person_id, [])
        found[person_id] = [f for f in check_weeks(weeks, rules) if f.week == HORIZON_WEEKS // 2]
    return found


@bp.route("/swaps/<int:swap_id>")
@login_required
def swap_page(swap_id: int):
    swap = access.swap_to_view(swap_id)
    effect, before, after = swaps.swap_impact(swap)
    return render_template("flexwork/swap.html", swap=swap, effect=effect, before=before, after=after,
                           warnings=_warnings(swap, before, after), can_decide=access.is_swap_manager(swap) and swap.state == "agreed",
                           reject_form=SwapRejectForm(formdata=None))


def _conflict(swap_id: int):
    flash(_("This swap has already moved on; nothing changed."), "error")
    return redirect(url_for("flexwork.swap_page", swap_id=swap_id))


@bp.route("/swaps/<int:swap_id>/<any(accept, decline):answer>", methods=["POST"])
@login_required
def swap_answer(swap_id: int, answer: str):
    swap = access.swap_to_view(swap_id)
    if swap.partner_id != current_user.id:
        abort(404)
    try:
        if answer == "decline":
            swaps.decline(swap)
            message = _("You declined the swap.")
        elif swaps.accept(swap):
            message = _("You agreed; the team's coverage stays met, so the swap is approved.")
        else:
            message = _("You agreed; the manager decides now.")
    except swaps.SwapConflict:
        return _conflict(swap_id)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("flexwork.swap_page", swap_id=swap_id))


@bp.route("/swaps/<int:swap_id>/withdraw", methods=["POST"])
@login_required
def swap_withdraw(swap_id: int):
    swap = access.swap_to_view(swap_id)
    if swap.requester_id != current_user.id:
        abort(404)
    try:
        swaps.withdraw(swap)
    except swaps.SwapConflict:
        return _conflict(swap_id)
    db.session.commit()
    flash(_("The swap is withdrawn."), "success")
    return redirect(url_for("flexwork.swap_page", swap_id=swap_id))


@bp.route("/swaps/<int:swap_id>/approve", methods=["POST"])
@permission_required("flexwork.approve")
def swap_approve(swap_id: int):
    swap = access.swap_to_decide(swap_id)
    try:
        swaps.approve(swap, current_user)
    except swaps.SwapConflict:
        return _conflict(swap_id)
    db.session.commit()
    flash(_("The swap is approved."), "success")
    return redirect(url_for("flexwork.approvals"))


@bp.route("/swaps/<int:swap_id>/reject", methods=["POST"])
@permission_required("flexwork.approve")
def swap_reject(swap_id: int):
    swap = access.swap_to_decide(swap_id)
    form = SwapRejectForm()
    if not form.validate_on_submit():
        effect, before, after = swaps.swap_impact(swap)
        return render_template("flexwork/swap.html", swap=swap, effect=effect, before=before, after=after,
                               warnings=_warnings(swap, before, after), can_decide=swap.state == "agreed",
                               reject_form=form), 400
    try:
        swaps.reject(swap, current_user, form.reason.data)
    except swaps.SwapConflict:
        return _conflict(swap_id)
    db.session.commit()
    flash(_("The swap is rejected."), "success")
    return redirect(url_for("flexwork.approvals"))

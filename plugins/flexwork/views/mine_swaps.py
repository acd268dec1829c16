"""Swapping a working day: proposing one, the colleague's answer, withdrawing it. The manager's
decision is in team_approvals.py."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from core.api import Person, choices, clock, db, permission_required
from plugins.flexwork import access, swaps
from plugins.flexwork.forms import SwapForm, SwapRejectForm
from plugins.flexwork.team_data import WORKING_STATUSES
from plugins.flexwork.views import bp
from plugins.flexwork.views.common import swap_moved_on, swap_page_response


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
        problems = swaps.swap_problems(current_user, partner, form.give_date.data, form.take_date.data, clock.today())
        for name, message in problems.items():
            form[name].errors.append(message)
        if not problems:
            swap = swaps.propose(current_user, partner, form.give_date.data, form.take_date.data, form.note.data or "")
            db.session.commit()
            flash(_("Your colleague is asked to agree."), "success")
            return redirect(url_for("flexwork.swap_page", swap_id=swap.id))
    status = 400 if form.is_submitted() else 200
    return render_template("flexwork/swap_form.html", form=form, has_colleagues=bool(colleagues)), status


@bp.route("/swaps/<int:swap_id>")
@login_required
def swap_page(swap_id: int):
    swap = access.swap_to_view(swap_id)
    return swap_page_response(swap, access.is_swap_manager(swap) and swap.state == "agreed", SwapRejectForm(formdata=None))


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
        return swap_moved_on(swap_id)
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
        return swap_moved_on(swap_id)
    db.session.commit()
    flash(_("The swap is withdrawn."), "success")
    return redirect(url_for("flexwork.swap_page", swap_id=swap_id))

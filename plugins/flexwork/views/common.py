"""What the swap pages of the employee and of the manager share (no routes)."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from plugins.flexwork import swaps
from plugins.flexwork.forms import SwapRejectForm
from plugins.flexwork.labour import HORIZON_WEEKS, check_weeks
from plugins.flexwork.models import Swap
from plugins.flexwork.settings import labour_rules


def _warnings(swap: Swap, before, after):
    """Working-time warnings for both people with the swap made in one week of a 16-week run."""
    rules = labour_rules(swap.foundation_id)
    found = {}
    for person_id in (swap.requester_id, swap.partner_id):
        weeks = [before.get(person_id, [])] * HORIZON_WEEKS
        weeks[HORIZON_WEEKS // 2] = after.get(person_id, [])
        found[person_id] = [f for f in check_weeks(weeks, rules) if f.week == HORIZON_WEEKS // 2]
    return found


def swap_page_response(swap: Swap, can_decide: bool, reject_form: SwapRejectForm, status: int = 200):
    """The swap with its coverage effect and working-time warnings, and the manager's forms."""
    effect, before, after = swaps.swap_impact(swap)
    return render_template("flexwork/swap.html", swap=swap, effect=effect, before=before, after=after,
                           warnings=_warnings(swap, before, after), can_decide=can_decide,
                           reject_form=reject_form), status


def swap_moved_on(swap_id: int):
    """Someone else (or another tab) took the swap on first."""
    flash(_("This swap has already moved on; nothing changed."), "error")
    return redirect(url_for("flexwork.swap_page", swap_id=swap_id))

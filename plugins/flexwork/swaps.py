"""Swapping a working day between two colleagues in one week: proposed, agreed by the colleague,
approved by the manager — or at once, when the team allows it and coverage stays met.

Functions change the current transaction; the caller commits.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import LazyString, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from core.api import Person, clock, db, notify, record_audit
from plugins.flexwork import notices
from plugins.flexwork.agreements import agreements_between, week_blocks
from plugins.flexwork.models import SWAP_OPEN_STATES, Swap
from plugins.flexwork.pattern import Block, problems, swap_day
from plugins.flexwork.team_data import (
    WORKING_STATUSES,
    apply_swaps,
    as_members,
    impact,
    member_ids,
    members_of,
    monday_of,
    rules_of,
    team_setting,
)


class SwapConflict(RuntimeError):
    """The swap left the state this step needs before the step could be taken."""


def planned_week(person_ids, monday: date) -> dict[int, list[Block]]:
    agreements = agreements_between(person_ids, monday, monday + timedelta(days=6))
    return {person_id: week_blocks(rows, monday) for person_id, rows in agreements.items()}


def swap_problems(requester: Person, partner: Person | None, give: date | None, take: date | None, today: date) -> dict[str, str]:
    """Field errors for a proposed swap; empty when it can be proposed."""
    errors: dict[str, str] = {}
    if partner is None or partner.id == requester.id or partner.team_id != requester.team_id \
            or partner.status not in WORKING_STATUSES or requester.team_id is None:
        errors["partner"] = _("Choose a colleague of your own team.")
    if give is None or take is None:
        return errors
    if give < today or take < today:
        errors["give_date" if give < today else "take_date"] = _("This date has passed.")
    elif monday_of(give) != monday_of(take):
        errors["take_date"] = _("Both days must be in the same week (Monday to Sunday).")
    if errors:
        return errors
    monday = monday_of(give)
    weeks = planned_week([requester.id, partner.id], monday)
    own, other = weeks.get(requester.id, []), weeks.get(partner.id, [])
    if not [b for b in own if b.day == give.weekday()]:
        errors["give_date"] = _("You do not work on this day.")
    if not [b for b in other if b.day == take.weekday()]:
        errors["take_date"] = _("Your colleague does not work on this day.")
    if errors:
        return errors
    if problems(swap_day(own, give.weekday(), other, take.weekday())) or problems(swap_day(other, take.weekday(), own, give.weekday())):
        errors["take_date"] = _("After this swap one of you would work overlapping times.")
    elif _busy(monday, [requester.id, partner.id]):
        errors["give_date"] = _("One of you already has a swap in this week.")
    return errors


def _busy(monday: date, person_ids: list[int]) -> bool:
    return db.session.scalar(
        select(Swap.id).where(
            Swap.week_start == monday, Swap.state.in_(SWAP_OPEN_STATES + ("approved",)),
            or_(Swap.requester_id.in_(person_ids), Swap.partner_id.in_(person_ids)),
        ).limit(1)
    ) is not None


def propose(requester: Person, partner: Person, give: date, take: date, note: str = "") -> Swap:
    monday = monday_of(give)
    swap = Swap(foundation_id=requester.foundation_id, team_id=requester.team_id, requester_id=requester.id,
                partner_id=partner.id, week_start=monday, requester_day=give.weekday(), partner_day=take.weekday(),
                note=note or "", state="proposed")
    db.session.add(swap)
    db.session.flush()
    notify(partner, notices.SWAP,
           LazyString(lambda: _("%(name)s asks to swap a working day with you", name=requester.full_name)),
           LazyString(lambda: _("You would work %(take)s instead of them; they would work %(give)s instead of you.",
                                give=format_date(swap.partner_date), take=format_date(swap.requester_date))),
           url=notices.link("flexwork.swap_page", swap_id=swap.id), dedupe_key=f"flexwork.swap.asked:{swap.id}")
    return swap


def _move(swap: Swap, from_states: tuple[str, ...], **values) -> None:
    result = db.session.execute(
        update(Swap).where(Swap.id == swap.id, Swap.state.in_(from_states)).values(**values),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise SwapConflict(swap.id)
    db.session.expire(swap)


def swap_impact(swap: Swap):
    """Coverage of the swap's week before and after it (other approved swaps already made)."""
    monday = swap.week_start
    members = members_of(swap.team_id)
    planned = planned_week(member_ids(swap.team_id), monday)
    approved = db.session.scalars(
        select(Swap).where(Swap.team_id == swap.team_id, Swap.week_start == monday, Swap.state == "approved", Swap.id != swap.id)
    )
    before = apply_swaps(planned, approved)
    after = apply_swaps(before, [swap])
    rules = rules_of(swap.team_id)
    changed = {pid: after[pid] for pid in (swap.requester_id, swap.partner_id)}
    return impact(as_members(members, before), changed, rules), before, after


def accept(swap: Swap) -> bool:
    """The colleague agrees; returns True when the team's setting approved it at once."""
    setting = team_setting(swap.team_id)
    auto = bool(setting and setting.auto_approve_swaps) and not swap_impact(swap)[0].after_gaps
    now = clock.utcnow()
    if auto:
        _move(swap, ("proposed",), state="approved", partner_answered_at=now, decided_at=now, auto_approved=True)
        record_audit("flexwork.swap_auto_approved", swap, swap.foundation_id,
                     {"requester_id": swap.requester_id, "partner_id": swap.partner_id}, actor=None)
        _tell_both(swap)
        return True
    _move(swap, ("proposed",), state="agreed", partner_answered_at=now)
    manager = notices.manager_of(swap.requester)
    if manager is not None and manager.id != swap.partner_id:
        notify(manager, notices.SWAP, _l("A swap of working days awaits your decision"),
               LazyString(lambda: _("%(a)s and %(b)s want to swap days in the week of %(week)s.", a=swap.requester.full_name,
                                    b=swap.partner.full_name, week=format_date(swap.week_start))),
               url=notices.link("flexwork.swap_page", swap_id=swap.id), dedupe_key=f"flexwork.swap.agreed:{swap.id}")
    return False


def decline(swap: Swap) -> None:
    _move(swap, ("proposed",), state="declined", partner_answered_at=clock.utcnow())
    notify(swap.requester, notices.SWAP, _l("Your colleague declined the swap"), "",
           url=notices.link("flexwork.swap_page", swap_id=swap.id), dedupe_key=f"flexwork.swap.declined:{swap.id}")


def withdraw(swap: Swap) -> None:
    _move(swap, SWAP_OPEN_STATES, state="withdrawn", decided_at=clock.utcnow())


def approve(swap: Swap, manager: Person) -> None:
    _move(swap, ("agreed",), state="approved", decided_at=clock.utcnow(), decided_by_id=manager.id)
    record_audit("flexwork.swap_approved", swap, swap.foundation_id,
                 {"requester_id": swap.requester_id, "partner_id": swap.partner_id})
    _tell_both(swap)


def reject(swap: Swap, manager: Person, reason: str) -> None:
    if not reason.strip():
        raise ValueError("a rejection needs a reason")
    _move(swap, ("agreed",), state="rejected", decided_at=clock.utcnow(), decided_by_id=manager.id, reject_reason=reason.strip())
    record_audit("flexwork.swap_rejected", swap, swap.foundation_id,
                 {"requester_id": swap.requester_id, "partner_id": swap.partner_id})
    _tell_both(swap)


def _tell_both(swap: Swap) -> None:
    approved = swap.state == "approved"
    subject = _l("Your swap of working days is approved") if approved else _l("Your swap of working days is not approved")
    for person in (swap.requester, swap.partner):
        notify(person, notices.SWAP, subject, swap.reject_reason or "", url=notices.link("flexwork.swap_page", swap_id=swap.id),
               dedupe_key=f"flexwork.swap.decided:{swap.id}")

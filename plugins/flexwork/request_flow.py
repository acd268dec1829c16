"""Requests from submission to decision. Every decision is one UPDATE whose WHERE clause names the
states it may leave, so two managers' tabs (or a manager and the deemed-granted job) cannot both
decide: the second finds nothing to update and changes nothing.

Functions change the current transaction; the caller commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import LazyString, format_date
from flask_babel import gettext as _
from sqlalchemy import update

from core.api import clock, db, notify, record_audit
from plugins.flexwork import notices, wfw
from plugins.flexwork.agreements import Terms, agreement_on, change_from, terms_of
from plugins.flexwork.models import CHANGE_TITLES, OPEN_STATES, TEMPORARY, FlexRequest
from plugins.flexwork.pattern import blocks_to_json

LAW_CHANGES = ("hours", "times")


class AlreadyDecided(RuntimeError):
    """The request left the open states before this decision could be made."""


@dataclass(frozen=True)
class Proposal:
    """``changes`` is what the person says it changes; an ``end`` makes it a temporary arrangement."""

    changes: tuple[str, ...]
    terms: Terms
    start: date
    end: date | None = None
    trial_weeks: int | None = None
    motivation: str = ""


def _times(terms: Terms) -> set[tuple[int, int, int, bool]]:
    return {(b.day, b.start, b.end, b.overnight) for b in terms.blocks}


def _places(terms: Terms, day: int) -> set[str]:
    return {b.place for b in terms.blocks if b.day == day}


def what_changes(current: Terms, proposed: Terms) -> set[str]:
    """What the proposal changes: the contract hours, the working times (any block's day or times),
    the place (on a day worked before and after, another place)."""
    found = set()
    if current.contract_hours != proposed.contract_hours:
        found.add("hours")
    if _times(current) != _times(proposed):
        found.add("times")
    if any(_places(current, day) != _places(proposed, day)
           for day in {b.day for b in current.blocks} & {b.day for b in proposed.blocks}):
        found.add("place")
    return found


def filed_changes(chosen, current: Terms, proposed: Terms) -> tuple[str, ...]:
    """What the request is filed as: what the person chose plus what the proposal changes, so that a
    change of times and place is never filed as a change of place only (and loses the act's rules
    for working times)."""
    changes = set(chosen) | what_changes(current, proposed)
    return tuple(change for change in CHANGE_TITLES if change in changes)


def submit(person, proposal: Proposal, today: date) -> FlexRequest:
    current = terms_of(agreement_on(person.id, proposal.start))
    assessment = wfw.assess(proposal.start, today, person.start_date)
    changes = filed_changes(proposal.changes, current, proposal.terms)
    request = FlexRequest(
        foundation_id=person.foundation_id, person_id=person.id,
        kind=",".join(changes + ((TEMPORARY,) if proposal.end else ())), state="submitted",
        contract_hours=proposal.terms.contract_hours, flex_hours=proposal.terms.flex_hours,
        pattern=blocks_to_json(proposal.terms.blocks), start_date=proposal.start, end_date=proposal.end,
        trial_weeks=proposal.trial_weeks, motivation=proposal.motivation, submitted_on=today,
        decision_deadline=assessment.deadline, in_time=assessment.in_time, service_ok=assessment.service_ok,
        hours_or_times=any(change in LAW_CHANGES for change in changes),
    )
    db.session.add(request)
    db.session.flush()
    manager = notices.manager_of(person)
    if manager is not None:
        notify(manager, notices.REQUEST_SUBMITTED,
               LazyString(lambda: _("%(name)s asks to change their work agreement", name=person.full_name)),
               LazyString(lambda: _("From %(start)s. Decide by %(deadline)s.", start=format_date(request.start_date),
                                    deadline=format_date(request.decision_deadline))),
               url=notices.link("flexwork.decide_page", request_id=request.id), dedupe_key=f"flexwork.submitted:{request.id}")
    return request


def _move(request: FlexRequest, from_states: tuple[str, ...], **values) -> None:
    """The guarded state change; raises AlreadyDecided when another decision came first."""
    result = db.session.execute(
        update(FlexRequest).where(FlexRequest.id == request.id, FlexRequest.state.in_(from_states)).values(**values),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise AlreadyDecided(request.id)
    db.session.expire(request)


def withdraw(request: FlexRequest) -> None:
    _move(request, OPEN_STATES, state="withdrawn", decided_at=clock.utcnow())


def start_review(request: FlexRequest) -> None:
    _move(request, ("submitted",), state="in_review")


def approve(request: FlexRequest, manager, conditions: str = "", trial_weeks: int | None = None) -> None:
    trial_end = request.start_date + timedelta(weeks=trial_weeks) if trial_weeks else None
    _move(request, OPEN_STATES, state="approved", decided_at=clock.utcnow(), decided_by_id=manager.id,
          conditions=conditions or "", trial_end=trial_end)
    _put_in_force(request, manager.id)
    record_audit("flexwork.request_approved", request, request.foundation_id,
                 {"person_id": request.person_id, "start": request.start_date.isoformat(),
                  "trial_end": trial_end.isoformat() if trial_end else None})
    _tell_employee(request)


def reject(request: FlexRequest, manager, reason: str, category: str | None = None) -> None:
    if not reason.strip():
        raise ValueError("a rejection needs a reason")
    if request.hours_or_times and not category:
        raise ValueError("rejecting a change of hours or times needs a weighty-interest ground")
    _move(request, OPEN_STATES, state="rejected", decided_at=clock.utcnow(), decided_by_id=manager.id,
          reject_reason=reason.strip(), reject_category=category or None)
    record_audit("flexwork.request_rejected", request, request.foundation_id,
                 {"person_id": request.person_id, "category": category})
    _tell_employee(request)


def deem_granted(request: FlexRequest) -> None:
    """The act grants an hours or times request left undecided past its deadline, as asked."""
    _move(request, OPEN_STATES, state="deemed_granted", decided_at=clock.utcnow())
    _put_in_force(request, None)
    record_audit("flexwork.request_deemed_granted", request, request.foundation_id,
                 {"person_id": request.person_id, "deadline": request.decision_deadline.isoformat()}, actor=None)
    person = request.person
    subject = LazyString(lambda: _("A flexible-work request is granted by law"))
    body = LazyString(lambda: _(
        "The request of %(name)s to change their work agreement from %(start)s was not decided by %(deadline)s. "
        "The Wet flexibel werken grants it as asked.",
        name=person.full_name, start=format_date(request.start_date), deadline=format_date(request.decision_deadline),
    ))
    recipients = [person] + [m for m in [notices.manager_of(person)] if m is not None]
    for recipient in recipients:
        notify(recipient, notices.DEEMED_GRANTED, subject, body, url=notices.link("flexwork.request_page", request_id=request.id),
               dedupe_key=f"flexwork.deemed:{request.id}")


def _put_in_force(request: FlexRequest, decided_by_id: int | None) -> None:
    terms = Terms(Decimal(request.contract_hours), Decimal(request.flex_hours or 0), request.blocks)
    change_from(request.person, terms, request.start_date, request.end_date, request_id=request.id,
                created_by_id=decided_by_id)


def _tell_employee(request: FlexRequest) -> None:
    approved = request.state == "approved"
    subject = (LazyString(lambda: _("Your flexible-work request is approved")) if approved
               else LazyString(lambda: _("Your flexible-work request is not approved")))
    body = (LazyString(lambda: _("Your new work agreement applies from %(start)s.", start=format_date(request.start_date)))
            if approved else LazyString(lambda: _("Reason: %(reason)s", reason=request.reject_reason)))
    notify(request.person, notices.REQUEST_DECIDED, subject, body,
           url=notices.link("flexwork.request_page", request_id=request.id), dedupe_key=f"flexwork.decided:{request.id}")

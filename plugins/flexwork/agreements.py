"""Work agreements in force, and changing them from a date while keeping history."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import or_, select

from core.api import db
from plugins.flexwork.models import Agreement
from plugins.flexwork.pattern import Block, blocks_to_json


@dataclass(frozen=True)
class Terms:
    """What an agreement says, apart from its dates."""

    contract_hours: Decimal
    flex_hours: Decimal
    blocks: tuple[Block, ...]


def in_force(day: date):
    return (Agreement.valid_from <= day, or_(Agreement.valid_to.is_(None), Agreement.valid_to >= day))


def agreement_on(person_id: int, day: date) -> Agreement | None:
    return db.session.scalar(
        select(Agreement).where(Agreement.person_id == person_id, *in_force(day)).order_by(Agreement.valid_from.desc()).limit(1)
    )


def agreements_on(person_ids, day: date) -> dict[int, Agreement]:
    """{person id: agreement in force on ``day``} in one query; ``person_ids`` may be a subquery."""
    rows = db.session.scalars(
        select(Agreement).where(Agreement.person_id.in_(person_ids), *in_force(day)).order_by(Agreement.valid_from)
    )
    return {row.person_id: row for row in rows}


def agreements_between(person_ids, first: date, last: date) -> dict[int, list[Agreement]]:
    """{person id: agreements in force some day from ``first`` to ``last``}, in one query."""
    rows = db.session.scalars(
        select(Agreement)
        .where(Agreement.person_id.in_(person_ids), Agreement.valid_from <= last,
               or_(Agreement.valid_to.is_(None), Agreement.valid_to >= first))
        .order_by(Agreement.person_id, Agreement.valid_from)
    )
    found: dict[int, list[Agreement]] = {}
    for row in rows:
        found.setdefault(row.person_id, []).append(row)
    return found


def history(person_id: int) -> list[Agreement]:
    return list(db.session.scalars(
        select(Agreement).where(Agreement.person_id == person_id).order_by(Agreement.valid_from.desc(), Agreement.id.desc())
    ))


def in_force_of(agreements: Iterable[Agreement], day: date) -> Agreement | None:
    return next((a for a in agreements if a.in_force_on(day)), None)


def upcoming_of(agreements: Iterable[Agreement], day: date) -> list[Agreement]:
    """The agreements beginning after ``day``, soonest first; one replaced before it began is left out."""
    return sorted((a for a in agreements if a.valid_from > day and (a.valid_to is None or a.valid_to >= a.valid_from)),
                  key=lambda a: a.valid_from)


def terms_of(agreement: Agreement | None) -> Terms:
    if agreement is None:
        return Terms(Decimal(0), Decimal(0), ())
    return Terms(Decimal(agreement.contract_hours), Decimal(agreement.flex_hours or 0), agreement.blocks)


def change_from(person, terms: Terms, start: date, end: date | None = None, request_id: int | None = None,
                created_by_id: int | None = None) -> Agreement:
    """Put ``terms`` in force for ``person`` from ``start`` (until ``end`` for a temporary change),
    in the current transaction.

    The agreement in force on ``start`` ends the day before; an agreement already planned to begin
    later still begins then. After a temporary change the earlier terms resume.
    """
    current = agreement_on(person.id, start)
    following = db.session.scalar(
        select(Agreement).where(Agreement.person_id == person.id, Agreement.valid_from > start)
        .order_by(Agreement.valid_from).limit(1)
    )
    limit = following.valid_from - timedelta(days=1) if following else None
    resume_until = None
    if current is not None:
        resume_until = current.valid_to
        current.valid_to = start - timedelta(days=1)  # an agreement replaced before it began keeps an empty period
    new = _add(person, terms, start, _earliest(end, limit), request_id, created_by_id)
    if end is not None and current is not None and (limit is None or end < limit) and (resume_until is None or end < resume_until):
        _add(person, terms_of(current), end + timedelta(days=1), _earliest(resume_until, limit), current.request_id,
             current.created_by_id)
    return new


def _add(person, terms: Terms, start: date, end: date | None, request_id, created_by_id) -> Agreement:
    agreement = Agreement(
        foundation_id=person.foundation_id, person_id=person.id, contract_hours=terms.contract_hours,
        flex_hours=terms.flex_hours, pattern=blocks_to_json(terms.blocks), valid_from=start, valid_to=end,
        request_id=request_id, created_by_id=created_by_id,
    )
    db.session.add(agreement)
    return agreement


def _earliest(*days: date | None) -> date | None:
    known = [day for day in days if day is not None]
    return min(known) if known else None


def week_blocks(agreements: Iterable[Agreement], monday: date) -> list[Block]:
    """A person's blocks in the week of ``monday``: each weekday from the agreement in force that day."""
    agreements = list(agreements)
    found = []
    for day in range(7):
        when = monday + timedelta(days=day)
        for agreement in agreements:
            if agreement.in_force_on(when):
                found += [block for block in agreement.blocks if block.day == day]
                break
    return sorted(found)

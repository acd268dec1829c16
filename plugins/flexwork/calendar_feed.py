"""iCalendar feed of one's own work pattern: one weekly-repeating event per block of each current
or coming agreement, with approved swaps as exceptions. Downloadable when signed in, or subscribed
to through a secret address (calendar apps cannot sign in); the routes are in views/mine_calendar.py
and views/public.py."""
from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, date, datetime, time, timedelta

from flask import Response, current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy import delete, or_, select

from core.api import Person, clock, db
from plugins.flexwork.agreements import history
from plugins.flexwork.models import PLACE_TITLES, Agreement, FeedKey, Swap
from plugins.flexwork.pattern import Block
from plugins.flexwork.swaps import planned_week

MAX_SWAPS = 50


def _local(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=clock.ZONE)


def _first_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _event(uid: str, day: date, block: Block) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", clock.now().astimezone(UTC))
    event.add("summary", _("Work (%(place)s)", place=PLACE_TITLES[block.place]))
    event.add("location", str(PLACE_TITLES[block.place]))
    start = _local(day, block.start)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=block.minutes))
    return event


def build_calendar(person: Person, agreements: list[Agreement], swaps: list[tuple[Swap, list[Block]]], today: date) -> bytes:
    """``swaps`` pairs each approved swap of the person with the blocks they take over that week."""
    calendar = Calendar()
    calendar.add("prodid", "-//Journey//flexwork//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Work pattern of %(name)s", name=person.full_name))
    given = {}
    for swap, _taken in swaps:
        day = swap.requester_date if swap.requester_id == person.id else swap.partner_date
        given.setdefault(day.weekday(), []).append(day)
    for agreement in agreements:
        if agreement.valid_to is not None and (agreement.valid_to < today or agreement.valid_to < agreement.valid_from):
            continue
        for index, block in enumerate(agreement.blocks):
            first = _first_on_or_after(agreement.valid_from, block.day)
            if agreement.valid_to is not None and first > agreement.valid_to:
                continue
            event = _event(f"flexwork-agreement-{agreement.id}-{index}@journey", first, block)
            rule = {"freq": "weekly"}
            if agreement.valid_to is not None:
                rule["until"] = _local(agreement.valid_to, 23 * 60 + 59).astimezone(UTC)
            event.add("rrule", rule)
            for day in given.get(block.day, []):
                if agreement.in_force_on(day):
                    event.add("exdate", _local(day, block.start))
            calendar.add_component(event)
    for swap, taken in swaps:
        day = swap.partner_date if swap.requester_id == person.id else swap.requester_date
        for index, block in enumerate(taken):
            calendar.add_component(_event(f"flexwork-swap-{swap.id}-{person.id}-{index}@journey", day, block))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _swaps_of(person: Person, today: date) -> list[tuple[Swap, list[Block]]]:
    rows = db.session.scalars(
        select(Swap).where(or_(Swap.requester_id == person.id, Swap.partner_id == person.id), Swap.state == "approved",
                           Swap.week_start >= today - timedelta(days=today.weekday()))
        .order_by(Swap.week_start).limit(MAX_SWAPS)
    ).all()
    found = []
    for swap in rows:
        mine = swap.requester_id == person.id
        other_id, other_day = (swap.partner_id, swap.partner_day) if mine else (swap.requester_id, swap.requester_day)
        other_blocks = planned_week([other_id], swap.week_start).get(other_id, [])
        found.append((swap, [b.on_day(other_day) for b in other_blocks if b.day == other_day]))
    return found


def feed_response(person: Person) -> Response:
    """The person's calendar as a download, in their own language (a calendar app sends none)."""
    today = clock.today()
    with force_locale(person.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = build_calendar(person, history(person.id), _swaps_of(person, today), today)
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": 'attachment; filename="work-pattern.ics"'})


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def has_feed_key(person_id: int) -> bool:
    return db.session.scalar(select(FeedKey.id).where(FeedKey.person_id == person_id)) is not None


def renew_feed_key(person: Person) -> str:
    """A new secret subscription address for the person; an earlier address stops working. Returns
    the secret, to show once: only its hash is kept."""
    key = secrets.token_urlsafe(32)
    db.session.execute(delete(FeedKey).where(FeedKey.person_id == person.id))
    db.session.add(FeedKey(foundation_id=person.foundation_id, person_id=person.id, key_hash=key_hash(key),
                           created_at=clock.utcnow()))
    return key


def owner_of_key(key: str) -> Person | None:
    """Whose feed the secret address opens, whatever foundation: the visitor is not signed in."""
    row = db.session.scalar(select(FeedKey).where(FeedKey.key_hash == key_hash(key)).execution_options(all_tenants=True))
    return db.session.get(Person, row.person_id, execution_options={"all_tenants": True}) if row else None

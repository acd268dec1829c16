"""iCalendar files (icalendar library): one session, or a person's feed of their sessions."""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import UTC, timedelta

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from core.api import clock, db
from plugins.learning.models import CourseSession, Enrolment, FeedToken
from plugins.learning.vocabulary import ENROLMENT_STATUSES

FEED_PAST_DAYS = 90


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Journey//learning//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(session: CourseSession, status: str | None = None) -> Event:
    """``status`` is the person's enrolment status (None for the trainer)."""
    event = Event()
    host = current_app.config["PUBLIC_URL"].split("//")[-1].split("/")[0].split(":")[0] or "journey"
    event.add("uid", f"learning-session-{session.id}@{host}")
    event.add("dtstamp", clock.utcnow().replace(tzinfo=UTC))
    event.add("dtstart", session.starts_at.replace(tzinfo=clock.ZONE))
    event.add("dtend", session.ends_at.replace(tzinfo=clock.ZONE))
    waiting = f" ({ENROLMENT_STATUSES['waitlisted']})" if status == "waitlisted" else ""
    event.add("summary", session.course.title + waiting)
    if session.location:
        event.add("location", session.location)
    description = [session.course.code]
    if session.online_url:
        event.add("url", session.online_url)
        description.append(session.online_url)
    event.add("description", "\n".join(description))
    event.add("status", "CANCELLED" if session.cancelled else "CONFIRMED")
    return event


def _bytes(calendar: Calendar) -> bytes:
    calendar.add_missing_timezones()
    return calendar.to_ical()


def session_ics(session: CourseSession) -> bytes:
    calendar = _calendar(session.course.title)
    calendar.add_component(_event(session))
    return _bytes(calendar)


def feed_ics(person, sessions: Iterable[tuple[CourseSession, str | None]]) -> bytes:
    calendar = _calendar(_("Training of %(name)s", name=person.full_name))
    for session, status in sessions:
        calendar.add_component(_event(session, status))
    return _bytes(calendar)


def feed_sessions(person_id: int) -> list[tuple[CourseSession, str | None]]:
    """The person's sessions from the last 90 days on, as participant (enrolled or waiting) or
    trainer. Runs outside the tenancy scope on purpose: the feed is read without a sign-in."""
    since = clock.local_now() - timedelta(days=FEED_PAST_DAYS)
    rows = db.session.execute(
        select(CourseSession, Enrolment.status)
        .outerjoin(Enrolment, (Enrolment.session_id == CourseSession.id) & (Enrolment.person_id == person_id))
        .where(CourseSession.starts_at >= since,
               or_(Enrolment.status.in_(("enrolled", "waitlisted")), CourseSession.trainer_id == person_id))
        .options(joinedload(CourseSession.course))
        .order_by(CourseSession.starts_at)
        .execution_options(all_tenants=True)
    ).all()
    return [(session, status) for session, status in rows]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed_token(person) -> str:
    """Replace the person's feed secret; returns the new one (shown once, stored as a hash)."""
    token = secrets.token_urlsafe(32)
    row = db.session.scalar(select(FeedToken).where(FeedToken.person_id == person.id))
    if row is None:
        row = FeedToken(foundation_id=person.foundation_id, person_id=person.id, token_hash="")
        db.session.add(row)
    row.token_hash, row.created_at = token_hash(token), clock.utcnow()
    return token

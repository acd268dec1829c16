"""A meeting task as an iCalendar file (the ``icalendar`` library), for any calendar program."""

from __future__ import annotations

from datetime import UTC, timedelta

from icalendar import Calendar, Event

from core.api import clock
from plugins.onboarding.models import OnboardingJourneyTask

DEFAULT_MINUTES = 30


def meeting_ics(task: OnboardingJourneyTask, host: str, people: list) -> bytes:
    """One VEVENT at the proposed time (local Dutch time, with its VTIMEZONE)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Journey//onboarding//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"onboarding-task-{task.id}@{host}")
    event.add("dtstamp", clock.now().astimezone(UTC))  # iCalendar wants UTC here
    event.add("dtstart", task.meeting_at.replace(tzinfo=clock.ZONE))
    event.add("duration", timedelta(minutes=int((task.config or {}).get("minutes") or DEFAULT_MINUTES)))
    event.add("summary", task.title)
    names = ", ".join(person.full_name for person in people if person is not None)
    if names:
        event.add("description", names)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()

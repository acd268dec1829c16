"""The dates of the Wet flexibel werken (Flexible Working Act). Pure functions, no database.

- The employee has worked for the employer at least 26 weeks on the desired start date.
- The request is made at least two months before the desired start date.
- The employer decides at the latest one month before the start date; a request to change the
  hours or working times left undecided by then is granted as asked ("deemed granted").

Months are calendar months as ``dateutil.relativedelta`` counts them: from the 31st back one
month lands on the last day of the shorter month (31 March 2028 -> 29 February 2028).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

SERVICE_WEEKS = 26
NOTICE_MONTHS = 2
DECISION_MONTHS = 1


def decision_deadline(start: date) -> date:
    """The last day on which the employer may decide."""
    return start - relativedelta(months=DECISION_MONTHS)


def latest_request_date(start: date) -> date:
    """The last day on which a request for ``start`` is in time."""
    return start - relativedelta(months=NOTICE_MONTHS)


def requested_in_time(submitted_on: date, start: date) -> bool:
    return submitted_on <= latest_request_date(start)


def service_start_needed(start: date) -> date:
    """Employment must have begun on or before this day to have 26 weeks of service on ``start``."""
    return start - timedelta(weeks=SERVICE_WEEKS)


def has_service(employment_start: date | None, start: date) -> bool:
    return employment_start is not None and employment_start <= service_start_needed(start)


def is_past_deadline(deadline: date, today: date) -> bool:
    """Deciding on the deadline itself is in time; from the day after, the request is granted."""
    return today > deadline


def days_left(deadline: date, today: date) -> int:
    """Days until the deadline (0 on the day itself, negative once it has passed)."""
    return (deadline - today).days


@dataclass(frozen=True)
class Assessment:
    """How the act applies to one request, for the form and the approval page."""

    start: date
    deadline: date
    latest_request: date
    in_time: bool
    service_ok: bool
    service_needed_from: date


def assess(start: date, submitted_on: date, employment_start: date | None) -> Assessment:
    return Assessment(
        start=start,
        deadline=decision_deadline(start),
        latest_request=latest_request_date(start),
        in_time=requested_in_time(submitted_on, start),
        service_ok=has_service(employment_start, start),
        service_needed_from=service_start_needed(start),
    )

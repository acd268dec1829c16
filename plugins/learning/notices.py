"""The notification kinds of learning, and the messages about enrolments."""
from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from core.api import NotificationKind, notify
from plugins.learning.dates import local_datetime

NOTIFICATION_KINDS = [
    NotificationKind("learning.enrolment", _l("Enrolments, the waiting list and approvals of training"), "email"),
    NotificationKind("learning.approval", _l("Training enrolments awaiting your approval"), "email"),
    NotificationKind("learning.expiry", _l("A certificate of yours is about to expire"), "email"),
    NotificationKind("learning.expired_team", _l("A certificate in your team has expired"), "email"),
    NotificationKind("learning.registration", _l("Points still missing for a professional registration"), "email"),
]


def _when(session) -> LazyString:
    """Formatted when the message is, in the language of whoever receives it."""
    return LazyString(local_datetime, session.starts_at)


def session_url(session) -> str:
    return f"/learning/sessions/{session.id}"  # a path: also used outside requests


def enrolment_changed(enrolment) -> None:
    """Tell the person where they stand now (enrolled, waiting, approved, refused, cancelled)."""
    session, course = enrolment.session, enrolment.session.course
    texts = {
        "enrolled": _l("You are enrolled for %(course)s on %(when)s.", course=course.title, when=_when(session)),
        "waitlisted": _l("You are on the waiting list for %(course)s on %(when)s.", course=course.title, when=_when(session)),
        "requested": _l("Your enrolment for %(course)s on %(when)s awaits your manager's approval.",
                        course=course.title, when=_when(session)),
        "rejected": _l("Your enrolment for %(course)s on %(when)s was not approved.", course=course.title, when=_when(session)),
        "cancelled": _l("Your enrolment for %(course)s on %(when)s is cancelled.", course=course.title, when=_when(session)),
    }
    notify(enrolment.person, "learning.enrolment", texts[enrolment.status], url=session_url(session))


def approval_requested(enrolment, manager) -> None:
    session = enrolment.session
    notify(manager, "learning.approval",
           _l("%(name)s asks to join %(course)s on %(when)s", name=enrolment.person.full_name,
              course=session.course.title, when=_when(session)),
           url="/learning/approvals")

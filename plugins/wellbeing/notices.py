"""The kinds of notification wellbeing sends (people choose their delivery per kind)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import NotificationKind

OPEN_KIND = "wellbeing.checkin_open"
REMINDER_KIND = "wellbeing.checkin_reminder"
TALK_REQUEST_KIND = "wellbeing.talk_request"

NOTIFICATION_KINDS = [
    NotificationKind(OPEN_KIND, _l("A team check-in is open"), "email"),
    # In the app by default: an e-mail outbox would otherwise hold a list of who had not checked in.
    NotificationKind(REMINDER_KIND, _l("Reminder of a team check-in that is still open"), "in_app"),
    NotificationKind(TALK_REQUEST_KIND, _l("Someone would like to talk to you (wellbeing support)"), "email"),
]

"""The kinds of notification onboarding sends (people choose their delivery per kind)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import NotificationKind

JOURNEY_STARTED = "onboarding.journey_started"
BUDDY_CHOSEN = "onboarding.buddy_chosen"
TASK_DUE = "onboarding.task_due"
TASK_OVERDUE = "onboarding.task_overdue"
DOCUMENT_MISSING = "onboarding.document_missing"
MANAGER_DIGEST = "onboarding.manager_digest"
FEEDBACK = "onboarding.feedback"

NOTIFICATION_KINDS = [
    NotificationKind(JOURNEY_STARTED, _l("A newcomer in your team has an onboarding journey"), "email"),
    NotificationKind(BUDDY_CHOSEN, _l("You are someone's onboarding buddy"), "email"),
    NotificationKind(TASK_DUE, _l("An onboarding task is due in two working days"), "email"),
    NotificationKind(TASK_OVERDUE, _l("An onboarding task is overdue"), "email"),
    NotificationKind(DOCUMENT_MISSING, _l("A newcomer's document is missing shortly before the start"), "email"),
    NotificationKind(MANAGER_DIGEST, _l("Weekly overview of your newcomers"), "email"),
    NotificationKind(FEEDBACK, _l("How is your start going? (day 30 and day 90)"), "email"),
]

"""Notifications: the in-app list, delivery preferences, and the e-mail outbox.

Public API (import from here):

- ``notify(person, kind, subject, body, url=None, dedupe_key=None)`` and ``notify_many(drafts)``
- kinds of notification come from the ``register_notification_kinds`` hook (``kinds.py``)
- ``queue_mail(person, subject, template, **context)`` for e-mails that are not notifications
- the jobs ``send_outbox()`` (every minute) and ``send_digests()`` (daily)
"""
from core.notifications.digest import send_digests
from core.notifications.kinds import CHANNEL_TITLES, all_kinds, get_kind
from core.notifications.mail import queue_mail
from core.notifications.outbox import resend, send_outbox
from core.notifications.service import Draft, notify, notify_many, unread_count

__all__ = [
    "CHANNEL_TITLES", "Draft", "all_kinds", "get_kind", "notify", "notify_many", "queue_mail", "resend", "send_digests", "send_outbox", "unread_count",
]

"""What notifications hold about a person, for core's privacy export and erasure."""
from __future__ import annotations

from sqlalchemy import delete, select

from core.extensions import db
from core.models.notifications import Notification, NotificationPreference, OutboxMessage


def export_person(person) -> dict:
    """A JSON-ready dict of the person's notifications, preferences and e-mails."""
    notifications = db.session.scalars(
        select(Notification).where(Notification.person_id == person.id).order_by(Notification.id)
        .execution_options(all_tenants=True)
    )
    preferences = db.session.execute(
        select(NotificationPreference.kind, NotificationPreference.channel)
        .where(NotificationPreference.person_id == person.id).execution_options(all_tenants=True)
    )
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.person_id == person.id).order_by(OutboxMessage.id)
        .execution_options(all_tenants=True)
    )
    return {
        "notifications": [
            {"kind": n.kind, "subject": n.subject, "body": n.body, "url": n.url, "created_at": _iso(n.created_at),
             "read_at": _iso(n.read_at)}
            for n in notifications
        ],
        "preferences": {kind: channel for kind, channel in preferences},
        "emails": [
            {"to": m.to_address, "subject": m.subject, "state": m.state, "created_at": _iso(m.created_at),
             "sent_at": _iso(m.sent_at)}
            for m in mails
        ],
    }


def erase_person(person) -> None:
    """Delete the person's notifications, preferences and e-mails (no commit)."""
    for model in (OutboxMessage, Notification, NotificationPreference):
        db.session.execute(delete(model).where(model.person_id == person.id), execution_options={"synchronize_session": False})


def _iso(value):
    return value.isoformat() if value is not None else None

"""``notify``: the one way to tell a person something.

A notification always lands in the person's in-app list. Their preference for its kind decides
the e-mail: queued at once (``email``), bundled by the daily digest (``digest``) or none
(``in_app``). Everything joins the caller's transaction; the caller commits.

A ``dedupe_key`` names what the message is about and when it is due
(``"learning.expiry:record:42:2026-12-01"``). It is unique per person in the database and the
INSERT skips duplicates (``ON CONFLICT DO NOTHING``), so a job that runs twice, or two processes
racing, notify once and send one e-mail.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from core.extensions import db
from core.models import utcnow
from core.models.notifications import Notification, NotificationPreference
from core.notifications import mail
from core.notifications.kinds import get_kind

_UPSERT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@dataclass(frozen=True)
class Draft:
    """One notification to make. ``subject`` and ``body`` may be lazy strings: they are evaluated
    in the recipient's language."""

    person: Any
    kind: str
    subject: Any
    body: Any = ""
    url: str | None = None
    dedupe_key: str | None = None


def notify(person, kind: str, subject, body="", url: str | None = None, dedupe_key: str | None = None) -> Notification | None:
    """Notify ``person``; returns the new notification, or None when ``dedupe_key`` was used before."""
    ids = notify_many([Draft(person, kind, subject, body, url, dedupe_key)])
    return db.session.get(Notification, ids[0], execution_options={"all_tenants": True}) if ids else None


def notify_many(drafts: Iterable[Draft]) -> list[int]:
    """Make many notifications with one INSERT (and one for their e-mails); returns the new ids.

    Drafts whose ``(person, dedupe_key)`` already exists are skipped, with their e-mail.
    """
    drafts = list(drafts)
    if not drafts:
        return []
    now = utcnow()
    channels = channels_for((d.person.id, d.kind) for d in drafts)
    rows = [_row(draft, channels[(draft.person.id, draft.kind)], now) for draft in drafts]
    table = Notification.__table__
    statement = (
        _insert_skipping_duplicates(table, ("foundation_id", "person_id", "dedupe_key"))
        .returning(table.c.id, table.c.person_id, table.c.channel, table.c.subject, table.c.body, table.c.url, table.c.created_at)
    )
    inserted = db.session.execute(statement, rows).all()
    people = {draft.person.id: draft.person for draft in drafts}
    mail.queue_notification_mails([(people[row.person_id], row) for row in inserted if row.channel == "email"])
    return [row.id for row in inserted]


def _row(draft: Draft, channel: str, now) -> dict:
    get_kind(draft.kind)  # unknown kinds fail loudly
    subject, body = _in_language(draft.person, draft.subject, draft.body or "")
    return {
        "foundation_id": draft.person.foundation_id,
        "person_id": draft.person.id,
        "kind": draft.kind,
        "subject": subject[:300],
        "body": body,
        "url": draft.url,
        "dedupe_key": draft.dedupe_key,
        "channel": channel,
        "created_at": now,
        "read_at": None,
        "mailed_at": now if channel == "email" else None,
    }


def _in_language(person, *texts) -> list[str]:
    if all(isinstance(text, str) for text in texts):
        return list(texts)
    with force_locale(mail.locale_of(person)):
        return [str(text) for text in texts]


def _insert_skipping_duplicates(table, unique_columns: tuple[str, ...]):
    dialect = db.session.get_bind().dialect.name
    try:
        dialect_insert = _UPSERT_INSERTS[dialect]
    except KeyError:
        raise RuntimeError(f"notifications need PostgreSQL or SQLite, not {dialect}") from None
    return dialect_insert(table).on_conflict_do_nothing(index_elements=list(unique_columns))


# -- preferences --------------------------------------------------------------------------------

def channels_for(pairs: Iterable[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """The delivery channel for each ``(person id, kind)``: saved preference, else the kind's default."""
    pairs = set(pairs)
    person_ids = {person_id for person_id, _ in pairs}
    kinds = {kind for _, kind in pairs}
    saved = db.session.execute(
        select(NotificationPreference.person_id, NotificationPreference.kind, NotificationPreference.channel)
        .where(NotificationPreference.person_id.in_(person_ids), NotificationPreference.kind.in_(kinds))
        .execution_options(all_tenants=True)  # recipients may be of any foundation
    )
    chosen = {(person_id, kind): channel for person_id, kind, channel in saved}
    return {pair: chosen.get(pair) or get_kind(pair[1]).default_channel for pair in pairs}


def set_preferences(person, channels: dict[str, str]) -> None:
    """Save ``{kind: channel}`` for ``person``."""
    existing = {
        pref.kind: pref
        for pref in db.session.scalars(select(NotificationPreference).where(NotificationPreference.person_id == person.id))
    }
    for kind, channel in channels.items():
        get_kind(kind)
        if kind in existing:
            existing[kind].channel = channel
        else:
            db.session.add(NotificationPreference(foundation_id=person.foundation_id, person_id=person.id, kind=kind, channel=channel))


# -- reading ------------------------------------------------------------------------------------

def unread_count(person) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(Notification.person_id == person.id, Notification.read_at.is_(None))
    )


def mark_read(person, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the person's notifications read (all unread ones when no ids are given)."""
    statement = update(Notification).where(Notification.person_id == person.id, Notification.read_at.is_(None))
    if notification_ids is not None:
        statement = statement.where(Notification.id.in_(list(notification_ids)))
    return db.session.execute(statement.values(read_at=utcnow()), execution_options={"synchronize_session": False}).rowcount

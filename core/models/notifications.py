"""Notifications, their per-person delivery preferences, and the e-mail outbox."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import TenantScoped, db, utcnow

CHANNELS = ("in_app", "email", "digest")
OUTBOX_STATES = ("queued", "sent", "failed")


class Notification(TenantScoped, db.Model):
    """One message in a person's in-app list.

    ``dedupe_key`` names the subject and due date ("learning.expiry:record:42:2026-12-01"); it is
    unique per person, so a job that runs twice notifies once. ``channel`` is the delivery the
    person's preference chose when it was made; ``mailed_at`` is set once an e-mail for it is
    queued, or once the digest passed it by because it was already read.
    """

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("foundation_id", "person_id", "dedupe_key"),
        Index("ix_notification_person_unread", "person_id", "read_at"),
        Index("ix_notification_digest", "channel", "mailed_at", "person_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(80))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(500))
    dedupe_key: Mapped[str | None] = mapped_column(String(250))
    channel: Mapped[str] = mapped_column(String(10), default="in_app")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    mailed_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def link(self) -> str | None:
        """The URL when it is safe to link to: a local path or an http(s) address."""
        url = self.url or ""
        if (url.startswith("/") and not url.startswith("//")) or url.startswith(("https://", "http://")):
            return url
        return None


class NotificationPreference(TenantScoped, db.Model):
    """How a person wants one kind of notification delivered; absent means the kind's default."""

    __tablename__ = "notification_preference"
    __table_args__ = (UniqueConstraint("person_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(80))
    channel: Mapped[str] = mapped_column(String(10))


class OutboxMessage(TenantScoped, db.Model):
    """An e-mail waiting to be sent, sent, or given up on. Sent by the ``send_outbox`` job."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "state", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notification.id", ondelete="SET NULL"))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)

"""The daily digest: one e-mail per person bundling their unread ``digest`` notifications."""
from __future__ import annotations

from datetime import datetime
from itertools import groupby

from flask_babel import force_locale, ngettext
from sqlalchemy import select, update

from core.extensions import db
from core.models import Person, utcnow
from core.models.notifications import Notification
from core.notifications import mail

BATCH_SIZE = 500
MAX_ITEMS = 50  # a longer digest only says how many more wait in the app


def send_digests(now: datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Queue the digest e-mails; returns how many. Notifications read in the app meanwhile are
    passed by. Runs in batches of people, committing each, so a second run sends nothing again."""
    now = now or utcnow()
    queued = 0
    after_id = 0
    while person_ids := _people_waiting(now, after_id, batch_size):
        notifications = db.session.scalars(
            _pending(now).where(Notification.person_id.in_(person_ids)).order_by(Notification.person_id, Notification.created_at, Notification.id)
        ).all()
        people = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(person_ids)))}
        for person_id, group in groupby(notifications, key=lambda n: n.person_id):
            unread = [n for n in group if n.read_at is None]
            if unread and mail.can_receive(people[person_id]):
                _queue_digest(people[person_id], unread)
                queued += 1
        db.session.execute(
            update(Notification).where(Notification.id.in_([n.id for n in notifications])).values(mailed_at=now),
            execution_options={"synchronize_session": False},
        )
        db.session.commit()
        after_id = person_ids[-1]
    return queued


def _pending(now: datetime):
    return select(Notification).where(
        Notification.channel == "digest", Notification.mailed_at.is_(None), Notification.created_at <= now
    )


def _people_waiting(now: datetime, after_id: int, limit: int) -> list[int]:
    waiting = _pending(now).with_only_columns(Notification.person_id).where(Notification.person_id > after_id)
    return db.session.scalars(waiting.group_by(Notification.person_id).order_by(Notification.person_id).limit(limit)).all()


def _queue_digest(person: Person, unread: list[Notification]) -> None:
    with force_locale(mail.locale_of(person)):
        subject = ngettext("Journey: %(num)d new notification", "Journey: %(num)d new notifications", len(unread))
    items = [{"notification": n, "url": mail.absolute_url(n.url)} for n in unread[:MAX_ITEMS]]
    mail.queue_mail(person, subject, "digest", items=items, more=len(unread) - len(items),
                    notifications_url=mail.absolute_url("/notifications/"))

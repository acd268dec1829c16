"""Date reminders: "N days before or after a date, tell these people" as a rule, not a loop.

A plugin declares a ``DateReminder`` and calls ``run_date_reminders`` from one of its own
per-foundation daily jobs (a ``JobSpec`` with ``per_foundation=True`` from ``register_jobs``), so
the reminder only runs where the plugin is switched on::

    from sqlalchemy import select
    from sqlalchemy.orm import selectinload
    from flask_babel import lazy_gettext as _l, format_date, gettext as _

    from core.api import DateReminder, JobSpec, Person, Team, run_date_reminders

    # the kind "learning.expiry" is declared by the plugin's register_notification_kinds hook

    CERTIFICATE_EXPIRY = DateReminder(
        key="learning.expiry",
        kind="learning.expiry",
        # Rows of the foundation to consider; load what ``recipients`` and ``render`` touch.
        query=lambda foundation: select(TrainingRecord).options(
            selectinload(TrainingRecord.person).selectinload(Person.team).selectinload(Team.manager)
        ),
        date=TrainingRecord.expires_on,
        offsets_days=(-90, -30, -7),          # negative: before the date; positive: after it
        recipients=lambda record: [record.person, record.person.team and record.person.team.manager],
        render=lambda record, offset: (
            _("Your certificate %(course)s expires on %(date)s", course=record.course.title,
              date=format_date(record.expires_on)),
            _("Plan a refresher in time."),
            f"/learning/records/{record.id}",  # a path: jobs run outside requests
        ),
    )

    def remind_expiring_certificates(foundation):
        run_date_reminders(foundation, [CERTIFICATE_EXPIRY])

    @hookimpl
    def register_jobs():
        return [JobSpec("learning.expiry_reminders", remind_expiring_certificates,
                        {"cron": {"hour": 6, "minute": 30}}, per_foundation=True)]

How it runs: one set-based query per reminder selects the rows whose date is due today
(``date == today - offset``), in batches by primary key so memory stays flat however large the
organisation. Each batch becomes one INSERT of notifications (and one of e-mails). ``render`` is
called in each recipient's language, once per row and language. Every notification carries the
dedupe key ``"<reminder key>:<row id>:<offset>:<date>"``, unique per person in the database, so a
run repeated on the same day notifies nobody twice.

A ledger (``ReminderSweep``) remembers the last day each reminder ran for a foundation. After the
scheduler was down, the next run also evaluates the missed days (at most ``MAX_CATCH_UP_DAYS``),
sending each row only its latest due reminder; so phrase texts with the date itself ("expires on
1 December"), not with a count of days that may be a day late.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import force_locale
from sqlalchemy import Select, inspect, or_, select

from core import clock
from core.extensions import db
from core.models import ReminderSweep
from core.notifications.kinds import get_kind
from core.notifications.mail import locale_of
from core.notifications.service import Draft, notify_many

BATCH_SIZE = 500
MAX_CATCH_UP_DAYS = 7


@dataclass(frozen=True)
class DateReminder:
    """A rule: ``offsets_days`` around ``date`` of the rows ``query(foundation)`` selects, notify
    ``recipients(row)`` with the ``(subject, body, url)`` that ``render(row, offset)`` returns."""

    key: str
    kind: str
    query: Callable[[Any], Select]
    date: Any  # the mapped Date attribute, e.g. TrainingRecord.expires_on
    offsets_days: Sequence[int]
    recipients: Callable[[Any], Iterable[Any]]
    render: Callable[[Any, int], tuple[Any, Any, str | None]]


@dataclass
class ReminderRun:
    rows: int = 0
    notifications: int = 0


def local_today() -> date:
    return clock.today()


def run_date_reminders(foundation, reminders: Iterable[DateReminder], today: date | None = None,
                       batch_size: int = BATCH_SIZE) -> ReminderRun:
    """Evaluate ``reminders`` for ``foundation`` on ``today`` (default: today in Amsterdam).
    Commits after each batch; safe to run again."""
    today = today or local_today()
    reminders = list(reminders)
    for reminder in reminders:
        get_kind(reminder.kind)  # an unknown kind fails before anything is sent
    run = ReminderRun()
    for reminder in reminders:
        if reminder.offsets_days:
            _run(foundation, reminder, today, batch_size, run)
    return run


def _run(foundation, reminder: DateReminder, today: date, batch_size: int, run: ReminderRun) -> None:
    foundation_id = foundation.id  # read once: commits below expire the object
    sweep = db.session.scalar(
        select(ReminderSweep).where(ReminderSweep.foundation_id == foundation_id, ReminderSweep.reminder_key == reminder.key)
    )
    first_day = _first_day(sweep, today)
    entity = reminder.date.class_
    id_attr = getattr(entity, inspect(entity).primary_key[0].key)
    statement = _due_rows(reminder, reminder.query(foundation), entity, foundation_id, first_day, today)
    last_id = None
    while True:
        batch = statement.order_by(id_attr).limit(batch_size)
        if last_id is not None:
            batch = batch.where(id_attr > last_id)
        rows = db.session.scalars(batch).unique().all()
        if not rows:
            break
        drafts = [draft for row in rows for draft in _drafts(reminder, row, first_day, today)]
        run.rows += len(rows)
        run.notifications += len(notify_many(drafts))
        db.session.commit()
        last_id = getattr(rows[-1], id_attr.key)
    _remember(foundation_id, reminder.key, today)


def _first_day(sweep: ReminderSweep | None, today: date) -> date:
    """Today, or the day after the last run when days were missed (never further back than
    ``MAX_CATCH_UP_DAYS``, and never before the first run: history is not replayed)."""
    if sweep is None or sweep.last_day >= today:
        return today
    return max(sweep.last_day + timedelta(days=1), today - timedelta(days=MAX_CATCH_UP_DAYS))


def _due_rows(reminder: DateReminder, statement: Select, entity, foundation_id: int, first_day: date, today: date) -> Select:
    """Rows with a reminder moment (date + offset) between ``first_day`` and ``today``."""
    windows = [
        reminder.date.between(first_day - timedelta(days=offset), today - timedelta(days=offset))
        for offset in reminder.offsets_days
    ]
    if hasattr(entity, "foundation_id"):
        statement = statement.where(entity.foundation_id == foundation_id)
    return statement.where(or_(*windows))


def _drafts(reminder: DateReminder, row, first_day: date, today: date) -> list[Draft]:
    row_date = getattr(row, reminder.date.key)
    # The latest moment that is due; more than one only when catching up missed days.
    offset = max(
        (o for o in reminder.offsets_days if first_day <= row_date + timedelta(days=o) <= today),
        key=lambda o: row_date + timedelta(days=o),
    )
    dedupe_key = f"{reminder.key}:{inspect(row).identity[0]}:{offset}:{row_date.isoformat()}"
    texts: dict[str, tuple] = {}
    drafts = []
    for person in _unique_people(reminder.recipients(row)):
        locale = locale_of(person)
        if locale not in texts:
            with force_locale(locale):
                subject, body, url = reminder.render(row, offset)
                texts[locale] = (str(subject), str(body or ""), url)
        subject, body, url = texts[locale]
        drafts.append(Draft(person, reminder.kind, subject, body, url, dedupe_key))
    return drafts


def _unique_people(people: Iterable[Any]) -> list[Any]:
    seen: dict[int, Any] = {}
    for person in people:
        if person is not None and person.id not in seen:
            seen[person.id] = person
    return list(seen.values())


def _remember(foundation_id: int, key: str, today: date) -> None:
    sweep = db.session.scalar(
        select(ReminderSweep).where(ReminderSweep.foundation_id == foundation_id, ReminderSweep.reminder_key == key)
    )
    if sweep is None:
        db.session.add(ReminderSweep(foundation_id=foundation_id, reminder_key=key, last_day=today))
    elif sweep.last_day < today:
        sweep.last_day = today
    db.session.commit()

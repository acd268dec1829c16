"""Date reminders: due rows by offset, dedupe on a second run, batches, language, catching up."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_babel import get_locale
from sqlalchemy import event, func, select
from sqlalchemy.orm import selectinload

from core.models import Notification, OutboxMessage, Person, ReminderSweep, Team
from core.notifications import send_outbox
from core.reminders import MAX_CATCH_UP_DAYS, DateReminder, run_date_reminders

TODAY = date(2026, 3, 2)


def contract_end(offsets=(-30, -7, 1), renders=None) -> DateReminder:
    def render(person, offset):
        if renders is not None:
            renders.append((person.id, str(get_locale())))
        return (f"Contract of {person.full_name} ends on {person.end_date} [{offset}] [{get_locale()}]",
                "Plan the goodbye.", f"/people/{person.id}")

    return DateReminder(
        key="spy.contract_end",
        kind="spy.contract_end",
        query=lambda foundation: select(Person).options(selectinload(Person.team).selectinload(Team.manager)),
        date=Person.end_date,
        offsets_days=offsets,
        recipients=lambda person: [person, person.team.manager if person.team else None],
        render=render,
    )


@pytest.fixture
def org(make):
    """A team with a manager (English) and people (Dutch) whose contracts end around TODAY."""
    foundation = make.foundation()
    team = make.team(foundation)
    manager = make.person(foundation, team, locale="en", first_name="Maria")
    team.manager_id = manager.id
    make.db.session.commit()
    people = {
        label: make.person(foundation, team, locale="nl", first_name=label, end_date=TODAY + timedelta(days=days))
        for label, days in {"in30": 30, "in7": 7, "yesterday": -1, "in10": 10, "in29": 29}.items()
    }
    people["no_end"] = make.person(foundation, team, first_name="no_end")
    other = make.foundation()
    people["elsewhere"] = make.person(other, first_name="elsewhere", end_date=TODAY + timedelta(days=30))
    return foundation, manager, people


def _notified(db) -> set[tuple[int, str]]:
    return {(n.person_id, n.dedupe_key) for n in db.session.scalars(select(Notification))}


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_rows_due_today_notify_the_person_and_their_manager(db, org):
    foundation, manager, people = org
    run = run_date_reminders(foundation, [contract_end()], today=TODAY)
    due = {"in30": -30, "in7": -7, "yesterday": 1}
    expected = set()
    for label, offset in due.items():
        person = people[label]
        key = f"spy.contract_end:{person.id}:{offset}:{person.end_date.isoformat()}"
        expected |= {(person.id, key), (manager.id, key)}
    assert _notified(db) == expected
    assert (run.rows, run.notifications) == (3, 6)
    subjects = {n.subject for n in db.session.scalars(select(Notification).where(Notification.person_id == people["in7"].id))}
    assert subjects == {f"Contract of in7 {people['in7'].last_name} ends on {TODAY + timedelta(days=7)} [-7] [nl]"}


def test_the_same_run_twice_on_one_day_notifies_once_and_sends_one_email(app, db, org, tmp_path, monkeypatch):
    foundation, _, _ = org
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "file")
    monkeypatch.setitem(app.config, "MAIL_FILE_DIR", str(tmp_path))
    first = run_date_reminders(foundation, [contract_end()], today=TODAY)
    send_outbox()
    second = run_date_reminders(foundation, [contract_end()], today=TODAY)
    send_outbox()
    assert first.notifications == 6 and second.notifications == 0
    assert _count(db, Notification) == 6
    assert _count(db, OutboxMessage) == 6
    assert len(list(tmp_path.glob("*.eml"))) == 6


def test_render_runs_in_each_recipients_language_once_per_row_and_language(db, org):
    foundation, manager, people = org
    renders = []
    run_date_reminders(foundation, [contract_end(renders=renders)], today=TODAY)
    assert sorted(renders) == sorted((people[label].id, locale) for label in ("in30", "in7", "yesterday") for locale in ("nl", "en"))
    manager_subjects = db.session.scalars(select(Notification.subject).where(Notification.person_id == manager.id)).all()
    assert manager_subjects and all(s.endswith("[en]") for s in manager_subjects)


def test_batches_give_the_same_result_with_one_insert_per_batch(app, db, org):
    foundation, _, _ = org
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO NOTIFICATION "):
            statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        run = run_date_reminders(foundation, [contract_end()], today=TODAY, batch_size=2)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert run.rows == 3 and run.notifications == 6
    assert len(statements) == 2  # rows 1-2 in one INSERT, row 3 in the next


def test_a_person_who_is_their_own_manager_is_notified_once(db, make):
    foundation = make.foundation()
    team = make.team(foundation)
    boss = make.person(foundation, team, end_date=TODAY + timedelta(days=7))
    team.manager_id = boss.id
    db.session.commit()
    assert run_date_reminders(foundation, [contract_end()], today=TODAY).notifications == 1


def test_first_run_does_not_replay_history(db, org):
    foundation, _, people = org
    run_date_reminders(foundation, [contract_end()], today=TODAY)
    # "in29" had its 30-day moment yesterday, before the reminder ever ran: not sent late.
    assert all(person_id != people["in29"].id for person_id, _ in _notified(db))
    sweep = db.session.scalar(select(ReminderSweep))
    assert (sweep.foundation_id, sweep.reminder_key, sweep.last_day) == (foundation.id, "spy.contract_end", TODAY)


def test_after_missed_days_the_next_run_catches_up_with_the_latest_moment_only(db, make):
    foundation = make.foundation()
    reminder = contract_end(offsets=(-7, -6))

    def person(days):
        return make.person(foundation, end_date=TODAY + timedelta(days=days))

    def key(p, offset):
        return f"spy.contract_end:{p.id}:{offset}:{p.end_date.isoformat()}"

    early = person(7)  # -7 falls on TODAY, -6 on TODAY+1
    past = person(5)  # both moments lie before TODAY
    run_date_reminders(foundation, [reminder], today=TODAY)  # the last run before the outage
    both = person(9)  # -7 on TODAY+2 and -6 on TODAY+3: both missed, only the latest is sent
    future = person(11)  # first moment on TODAY+4, still to come

    run_date_reminders(foundation, [reminder], today=TODAY + timedelta(days=3))
    assert _notified(db) == {(early.id, key(early, -7)), (early.id, key(early, -6)), (both.id, key(both, -6))}
    assert past.id not in {person_id for person_id, _ in _notified(db)}
    assert future.id not in {person_id for person_id, _ in _notified(db)}
    assert db.session.scalar(select(ReminderSweep.last_day)) == TODAY + timedelta(days=3)


def test_catching_up_goes_back_at_most_the_maximum(db, make):
    foundation = make.foundation()
    reminder = contract_end(offsets=(0,))
    run_date_reminders(foundation, [reminder], today=TODAY)
    make.person(foundation, end_date=TODAY + timedelta(days=1))  # its moment lies beyond the window
    resumed = TODAY + timedelta(days=MAX_CATCH_UP_DAYS + 5)
    oldest_caught = make.person(foundation, end_date=resumed - timedelta(days=MAX_CATCH_UP_DAYS))
    run_date_reminders(foundation, [reminder], today=resumed)
    assert {person_id for person_id, _ in _notified(db)} == {oldest_caught.id}


def test_an_unknown_kind_fails_before_anything_is_sent(db, org):
    foundation, _, _ = org
    broken = DateReminder(key="x.y", kind="x.unknown", query=lambda f: select(Person), date=Person.end_date,
                          offsets_days=(0,), recipients=lambda p: [p], render=lambda p, o: ("s", "b", None))
    with pytest.raises(KeyError):
        run_date_reminders(foundation, [contract_end(), broken], today=TODAY)
    assert _count(db, Notification) == 0

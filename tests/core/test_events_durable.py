"""Durable lifecycle events: written with their transaction, dispatched once per implementation,
resumed after a crash, claimed so that two processes never dispatch the same one.

The process tests run real workers (``WORKER``) against the suite's database: a SQLite file, or
PostgreSQL when JOURNEY_TEST_DATABASE_URL is set.
"""
from __future__ import annotations

import subprocess
import sys
from collections import Counter
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete, select, update

from core import PROJECT_ROOT, background, claims, events
from core.background import run_background_work
from core.clock import machine_utcnow
from core.hookspecs import hookimpl
from core.models import EventDelivery, LifecycleEvent, Person
from core.plugin_switch import enable
from core.plugins import plugin_manager
from tests.core.test_scheduler_lease import wait_for


class Recorder:
    """Records ``person_hired`` and ``person_changed``; ``crash_on`` a person's id it raises
    KeyboardInterrupt instead, once, as a process that dies there."""

    def __init__(self, crash_on: int | None = None, fire_leaving: bool = False):
        self.hired: list[int] = []
        self.changed: list[tuple] = []
        self.leaving: list[int] = []
        self.crash_on = crash_on
        self.fire_leaving = fire_leaving

    @hookimpl
    def person_hired(self, person):
        if person.id == self.crash_on:
            self.crash_on = None
            raise KeyboardInterrupt
        self.hired.append(person.id)
        if self.fire_leaving:
            events.fire("person_leaving", person.foundation_id, person=person)

    @hookimpl
    def person_changed(self, person, changes):
        self.changed.append((person, changes))

    @hookimpl
    def person_leaving(self, person):
        self.leaving.append(person.id)


@contextmanager
def recorders(app, *recorders_):
    """Registered as plain pluggy plugins (not Journey plugins, so never gated), in this order."""
    pm = plugin_manager(app).pm
    names = [f"recorder-{n}" for n in range(len(recorders_))]
    for name, recorder in zip(names, recorders_, strict=True):
        pm.register(recorder, name=name)
    try:
        yield recorders_
    finally:
        for name in names:
            pm.unregister(name=name)


def _events(db) -> list[LifecycleEvent]:
    db.session.expire_all()
    return db.session.scalars(select(LifecycleEvent).order_by(LifecycleEvent.id)).all()


def _deliveries(db) -> dict[tuple[int, str], EventDelivery]:
    return {(d.event_id, d.plugin): d for d in db.session.scalars(select(EventDelivery))}


def _expire_claims(db) -> None:
    """The claims of a dead process run out."""
    db.session.execute(update(LifecycleEvent).where(LifecycleEvent.claimed_by.is_not(None))
                       .values(claimed_until=machine_utcnow() - timedelta(seconds=1)))
    db.session.commit()


def _hire(db, foundation, people) -> None:
    for person in people:
        events.fire("person_hired", foundation.id, person=person)


def _left_to_a_task(db, foundation, people) -> int:
    """Events written unclaimed, as a large import leaves them."""
    task = background.start_event_dispatch(foundation.id, len(people))
    _hire(db, foundation, people)
    events.commit()
    return task.id


# -- the outbox follows the transaction -----------------------------------------------------------

def test_events_are_written_with_their_transaction_and_only_then(app, db, make):
    a = make.foundation()
    person = make.person(a)
    with recorders(app, Recorder()) as (recorder,):
        events.fire("person_hired", a.id, person=person)
        db.session.rollback()
        events.commit()
        assert _events(db) == [] and recorder.hired == []

        events.fire("person_hired", a.id, person=person)
        events.commit()
    [event] = _events(db)
    assert recorder.hired == [person.id]
    assert (event.name, event.foundation_id, event.state, event.attempts) == ("person_hired", a.id, "done", 1)
    assert event.claimed_by is None and event.arguments is None  # references and values are not kept
    assert _deliveries(db)[event.id, "recorder-0"].outcome == "ok"


def test_arguments_are_references_and_plain_values_that_come_back_as_they_were(app, db, make):
    a = make.foundation()
    team = make.team(a)
    person = make.person(a, team)
    changes = {"start_date": (date(2027, 1, 4), date(2027, 2, 1)), "contract_hours": (Decimal("28.50"), None),
               "team_id": (None, team.id), "seen": (datetime(2026, 3, 4, 9, 30), ["a", 1, True])}
    with recorders(app, Recorder()) as (recorder,):
        events.fire("person_changed", a.id, person=person, changes=changes)
        db.session.commit()  # written, not yet dispatched
        [event] = _events(db)
        assert event.arguments["person"] == {"$ref": ["person", [person.id]]}
        events.dispatch_ready()
    [(received, received_changes)] = recorder.changed
    assert isinstance(received, Person) and received.id == person.id
    assert received_changes == changes
    assert type(received_changes["contract_hours"][0]) is Decimal and type(received_changes["start_date"]) is tuple


def test_what_cannot_be_recorded_is_refused_where_it_is_fired(db, make):
    a = make.foundation()
    with pytest.raises(TypeError, match="cannot record object"):
        events.fire("person_hired", a.id, person=object())


def test_events_fired_by_listeners_are_dispatched_in_turn(app, db, make):
    a = make.foundation()
    person = make.person(a)
    with recorders(app, Recorder(fire_leaving=True)) as (recorder,):
        events.fire("person_hired", a.id, person=person)
        events.commit()
    assert recorder.hired == [person.id] and recorder.leaving == [person.id]
    assert [(e.name, e.state) for e in _events(db)] == [("person_hired", "done"), ("person_leaving", "done")]


# -- failures ---------------------------------------------------------------------------------------

def test_a_failing_implementation_is_recorded_and_not_run_again(app, db, make, spy):
    a = make.foundation()
    enable(plugin_manager(app), a, "spy")
    person = make.person(a)
    spy.FAIL_ON.add("person_hired")
    with recorders(app, Recorder()) as (recorder,):
        events.fire("person_hired", a.id, person=person)
        events.commit()
        _expire_claims(db)
        run_background_work(budget_seconds=None)
    [event] = [e for e in _events(db) if e.name == "person_hired"]
    assert event.state == "failed"
    deliveries = _deliveries(db)
    assert deliveries[event.id, "spy"].outcome == "failed" and "spy fails on person_hired" in deliveries[event.id, "spy"].error
    assert deliveries[event.id, "recorder-0"].outcome == "ok"
    assert spy.calls("person_hired") == [{"person": person.id}] and recorder.hired == [person.id]


def test_an_event_whose_object_is_gone_fails_with_the_reason(app, db, make):
    a = make.foundation()
    person = make.person(a)
    with recorders(app, Recorder()) as (recorder,):
        events.fire("person_hired", a.id, person=person)
        db.session.commit()
        db.session.execute(delete(Person).where(Person.id == person.id))
        db.session.commit()
        events.dispatch_ready()
    [event] = _events(db)
    assert recorder.hired == []
    assert event.state == "failed" and event.error == f"Person [{person.id}] no longer exists"


def test_a_dispatch_that_never_finishes_is_given_up(app, db, make):
    a = make.foundation()
    person = make.person(a)
    with recorders(app, Recorder()) as (recorder,):
        events.fire("person_hired", a.id, person=person)
        db.session.commit()
        db.session.execute(update(LifecycleEvent).values(attempts=events.MAX_ATTEMPTS))  # each one died
        db.session.commit()
        _expire_claims(db)
        run_background_work(budget_seconds=None)
    [event] = _events(db)
    assert recorder.hired == []
    assert event.state == "failed" and event.error.startswith("given up")


# -- crashes and claims ---------------------------------------------------------------------------

def test_a_dispatch_cut_off_by_a_crash_resumes_without_running_anything_twice(app, db, make):
    a = make.foundation()
    people = [make.person(a) for _ in range(6)]
    ids = [p.id for p in people]
    first, crashing = Recorder(), Recorder(crash_on=ids[3])
    with recorders(app, first, crashing):
        _hire(db, a, people)
        with pytest.raises(KeyboardInterrupt):
            events.commit()
        # the process is gone, and with it its session and the events it was about to dispatch
        db.session.rollback()
        db.session.remove()
        assert first.hired == ids[:4] and crashing.hired == ids[:3]

        run_background_work(budget_seconds=None)
        assert first.hired == ids[:4]  # the dead process's claims still run: nothing is taken over yet

        _expire_claims(db)
        run_background_work(budget_seconds=None)
    assert first.hired == ids and crashing.hired == ids  # each implementation once for each person
    assert [(e.state, e.attempts) for e in _events(db)] == [("done", 1)] * 3 + [("done", 2)] + [("done", 1)] * 2


def test_the_job_leaves_alone_the_events_a_live_process_is_about_to_dispatch(app, db, make):
    a = make.foundation()
    person = make.person(a)
    with recorders(app, Recorder()) as (recorder,):
        events.fire("person_hired", a.id, person=person)
        db.session.commit()  # written and claimed by this process; dispatched by it right after
        run_background_work(budget_seconds=None)
        assert recorder.hired == []
        events.dispatch_ready()
    assert recorder.hired == [person.id]


def test_claimers_get_disjoint_rows_and_take_over_only_expired_claims(db, make):
    a = make.foundation()
    _left_to_a_task(db, a, [make.person(a) for _ in range(5)])
    pending = LifecycleEvent.__table__.c.state == "pending"
    first = claims.claim(LifecycleEvent, "first", 3, pending)
    second = claims.claim(LifecycleEvent, "second", 3, pending)
    assert len(first) == 3 and len(second) == 2 and not set(first) & set(second)
    assert claims.claim(LifecycleEvent, "third", 3, pending) == []
    db.session.execute(update(LifecycleEvent).where(LifecycleEvent.claimed_by == "first")
                       .values(claimed_until=machine_utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert claims.claim(LifecycleEvent, "third", 3, pending) == first


# -- real processes -------------------------------------------------------------------------------

# Dispatches every event it can claim, as the background job does, in small batches so that two
# workers share the work; two implementations log each call to a file; ``crash_on`` a person's id
# the second one kills its process (no clean-up at all).
WORKER = """
import os, sys, time
from pathlib import Path
from core import background, create_app
from core.hookspecs import hookimpl
from core.plugins import plugin_manager
from core.testing.fixtures import make_config

url, instance, log_path, ready_path, go_path, crash_on = sys.argv[1:7]
background.BATCH = 5

class Log:
    def __init__(self, name):
        self.name = name

    @hookimpl
    def person_hired(self, person):
        if self.name == "second" and person.id == int(crash_on):
            os._exit(3)
        with open(log_path, "a") as log:
            log.write(f"{self.name} {person.id}\\n")
        time.sleep(0.01)  # widens the window in which two workers overlap

app = create_app(make_config(url, instance))
for name in ("first", "second"):
    plugin_manager(app).pm.register(Log(name), name=name)
with app.app_context():
    Path(ready_path).touch()
    while not os.path.exists(go_path):
        time.sleep(0.005)
    background.run_background_work(budget_seconds=None)
"""


def _workers(app, tmp_path, count: int, crash_on: int = 0) -> list[subprocess.Popen]:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    go, ready = tmp_path / "go", [tmp_path / f"ready{n}" for n in range(count)]
    go.unlink(missing_ok=True)
    started = [
        subprocess.Popen([sys.executable, "-c", WORKER, url, str(tmp_path / f"instance{n}"), str(tmp_path / "calls.log"),
                          str(ready[n]), str(go), str(crash_on)], cwd=PROJECT_ROOT)
        for n in range(count)
    ]
    wait_for(lambda: all(path.exists() for path in ready), 60, "the workers to start", started)
    go.touch()  # all of them start claiming at the same moment
    for process in started:
        try:
            process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    return started


def _calls(tmp_path) -> Counter:
    path = tmp_path / "calls.log"
    return Counter(tuple(line.split()) for line in path.read_text().splitlines()) if path.exists() else Counter()


def test_two_processes_never_dispatch_the_same_event(app, db, make, tmp_path):
    a = make.foundation()
    people = [make.person(a) for _ in range(40)]
    _left_to_a_task(db, a, people)
    workers = _workers(app, tmp_path, 2)
    assert [w.returncode for w in workers] == [0, 0]
    expected = {(name, str(p.id)) for p in people for name in ("first", "second")}
    calls = _calls(tmp_path)
    assert set(calls) == expected and set(calls.values()) == {1}
    assert {e.state for e in _events(db)} == {"done"}


def test_a_killed_process_is_resumed_where_it_stopped(app, db, make, tmp_path):
    a = make.foundation()
    people = [make.person(a) for _ in range(8)]
    _left_to_a_task(db, a, people)
    [killed] = _workers(app, tmp_path, 1, crash_on=people[4].id)
    assert killed.returncode == 3
    calls = _calls(tmp_path)
    assert calls[("first", str(people[4].id))] == 1 and ("second", str(people[4].id)) not in calls

    _expire_claims(db)
    [resumed] = _workers(app, tmp_path, 1)
    assert resumed.returncode == 0
    calls = _calls(tmp_path)
    assert set(calls) == {(name, str(p.id)) for p in people for name in ("first", "second")}
    assert set(calls.values()) == {1}  # nothing ran twice, nothing was lost
    assert {e.state for e in _events(db)} == {"done"}

"""Lifecycle events: recorded with the transaction that fires them, dispatched after it commits.

``fire(...)`` queues an event on the session. When the transaction commits, its events are
written to ``lifecycle_event`` in that same transaction (a transactional outbox): a change and its
events commit together or not at all, and a rolled-back change never announces itself.

``commit()`` commits and then dispatches the events at once, in this process, so a small change
reaches the plugins before the request answers. They are written claimed by this process, so no
other process touches them meanwhile. Each plugin implementation runs on its own: its changes
commit together with a delivery row saying that it ran; one that raises is rolled back, logged and
recorded as failed (not retried), and the others still run.

When a process dies part-way, its claim runs out and the ``core.background_work`` job resumes the
dispatch: implementations with a delivery row are skipped, the others run. A dispatch started
``MAX_ATTEMPTS`` times without finishing (an implementation that kills its process) is given up.

A large change leaves its events to a background task instead (``leave_to_task``): they are
written unclaimed, and the task dispatches them and reports its progress.

Arguments are stored as references: an ORM object as its table and primary key, loaded again at
dispatch; dates, times, decimals, tuples, lists and dicts as tagged JSON.
"""
from __future__ import annotations

import logging
import time
import traceback
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, event, func, insert, inspect, null, select, update
from sqlalchemy.orm import InstanceState, Session

from core import claims
from core.clock import machine_utcnow
from core.extensions import db
from core.models.background import EventDelivery, LifecycleEvent
from core.models.jobs import insert_if_absent
from core.plugins import plugin_manager

log = logging.getLogger(__name__)
_PENDING = "journey_pending_events"  # fired, not yet written
_TASK = "journey_events_task"  # the background task this transaction leaves its events to
_WRITTEN = "journey_written_events"  # written in the transaction now committing
_READY = "journey_ready_events"  # committed, to dispatch in this process: (event id, claim holder)
MAX_ATTEMPTS = 5
MAX_ERROR_CHARS = 8000
OK, FAILED = "ok", "failed"
EVENTS = LifecycleEvent.__table__
DELIVERIES = EventDelivery.__table__


@dataclass
class QueuedEvent:
    name: str
    foundation_id: int | None
    kwargs: dict


def fire(name: str, foundation_id: int | None, **kwargs) -> None:
    """Queue event ``name`` for the plugins on in ``foundation_id``; it fires after commit."""
    for value in kwargs.values():
        _encode(value, resolve=False)  # an argument that cannot be recorded fails here, where it is fired
    db.session.info.setdefault(_PENDING, []).append(QueuedEvent(name, foundation_id, kwargs))


def leave_to_task(task_id: int) -> None:
    """The events of the current transaction go to background task ``task_id``, not to this
    process: too many to dispatch before the request must answer."""
    db.session.info[_TASK] = task_id


def commit() -> None:
    """Commit the session, then fire the events the transaction queued."""
    db.session.commit()
    dispatch_ready()


def dispatch_ready(hooks: dict | None = None) -> None:
    """Dispatch the events this process committed (and those their listeners fire in turn)."""
    ready = db.session.info.get(_READY)
    while ready:
        event_id, holder = ready.popleft()
        _dispatch(event_id, holder, {} if hooks is None else hooks)


def dispatch_batch(limit: int, task_id: int | None = None, deadline: float | None = None) -> int:
    """Claim up to ``limit`` pending events that no live process holds (only ``task_id``'s when
    given) and dispatch them; returns how many were dispatched. Past ``deadline`` (of
    ``time.monotonic()``) it gives the rest back, after at least one."""
    holder = claims.new_holder()
    where = [EVENTS.c.state == "pending"]
    if task_id is not None:
        where.append(EVENTS.c.task_id == task_id)
    event_ids = claims.claim(LifecycleEvent, holder, limit, *where)
    hooks: dict = {}  # the plugins on per foundation, looked up once a batch
    for done, event_id in enumerate(event_ids):
        if done and deadline is not None and time.monotonic() >= deadline:
            claims.release_all(LifecycleEvent, event_ids[done:], holder)
            db.session.commit()
            return done
        _dispatch(event_id, holder, hooks)
        dispatch_ready(hooks)
    return len(event_ids)


def task_counts(task_id: int) -> dict[str, int]:
    """The number of a task's events per state (pending, done, failed)."""
    rows = db.session.execute(
        select(EVENTS.c.state, func.count()).where(EVENTS.c.task_id == task_id).group_by(EVENTS.c.state)
    )
    return {"pending": 0, "done": 0, "failed": 0} | dict(rows.all())


def purge_finished(before: datetime) -> None:
    """Forget events finished before ``before``, with their deliveries. The caller commits."""
    old = select(EVENTS.c.id).where(EVENTS.c.state != "pending", EVENTS.c.finished_at < before)
    db.session.execute(delete(DELIVERIES).where(DELIVERIES.c.event_id.in_(old)))
    db.session.execute(delete(EVENTS).where(EVENTS.c.id.in_(old)))


# -- one event --------------------------------------------------------------------------------

def _dispatch(event_id: int, holder: str, hooks: dict) -> None:
    started = _start(event_id, holder)
    if started is None:  # finished meanwhile, or another process took over an expired claim
        return
    name, foundation_id, arguments, attempts = started
    if attempts > MAX_ATTEMPTS:
        log.error("event %s (%d) given up: %d dispatches did not finish", name, event_id, MAX_ATTEMPTS)
        _finish(event_id, holder, FAILED, f"given up: {MAX_ATTEMPTS} dispatches did not finish")
        return
    try:
        kwargs = {name: _decode(value) for name, value in arguments.items()}
        if foundation_id not in hooks:
            hooks[foundation_id] = plugin_manager().hook_for(foundation_id)
        implementations = getattr(hooks[foundation_id], name).get_hookimpls()
    except (LookupError, AttributeError) as problem:  # a deleted object, an uninstalled plugin's hook
        log.error("event %s (%d) cannot be dispatched: %s", name, event_id, problem)
        _finish(event_id, holder, FAILED, str(problem))
        return
    outcomes = {} if attempts == 1 else dict(db.session.execute(  # a first attempt has no deliveries yet
        select(DELIVERIES.c.plugin, DELIVERIES.c.outcome).where(DELIVERIES.c.event_id == event_id)
    ).all())
    for impl in implementations:
        if impl.plugin_name not in outcomes:  # what ran before a crash does not run again
            outcomes[impl.plugin_name] = _deliver(event_id, name, impl, kwargs)
    _finish(event_id, holder, FAILED if FAILED in outcomes.values() else "done")


def _start(event_id: int, holder: str):
    """Count the attempt and renew our claim (committed before any listener runs); None when
    the event is no longer ours to dispatch."""
    row = db.session.execute(
        update(EVENTS)
        .where(EVENTS.c.id == event_id, EVENTS.c.claimed_by == holder, EVENTS.c.state == "pending")
        .values(attempts=EVENTS.c.attempts + 1, claimed_until=claims.claim_until())
        .returning(EVENTS.c.name, EVENTS.c.foundation_id, EVENTS.c.arguments, EVENTS.c.attempts)
    ).first()
    db.session.commit()
    return row


def _deliver(event_id: int, name: str, impl, kwargs: dict) -> str:
    """Run one implementation and commit its changes with its delivery row."""
    try:
        impl.function(**{k: v for k, v in kwargs.items() if k in impl.argnames})
        db.session.flush()
        if not _record(event_id, impl.plugin_name, OK):
            db.session.rollback()  # another process ran it and committed first: keep that run only
            log.warning("plugin %s already ran event %s (%d) elsewhere", impl.plugin_name, name, event_id)
            return OK
        db.session.commit()
        return OK
    except Exception:  # one plugin's failure must not reach the others or the request
        db.session.rollback()
        log.exception("plugin %s failed on event %s (%d)", impl.plugin_name, name, event_id)
        error = traceback.format_exc()
    if _record(event_id, impl.plugin_name, FAILED, error):
        db.session.commit()
    else:
        db.session.rollback()
    return FAILED


def _record(event_id: int, plugin: str, outcome: str, error: str | None = None) -> bool:
    values = {"event_id": event_id, "plugin": plugin, "outcome": outcome, "error": _truncate(error),
              "finished_at": machine_utcnow()}
    return insert_if_absent(db.session, DELIVERIES, values, ["event_id", "plugin"])


def _finish(event_id: int, holder: str, state: str, error: str | None = None) -> None:
    """Mark the event finished; its arguments (references, old and new values) are not kept."""
    claims.release(LifecycleEvent, event_id, holder, state=state, error=_truncate(error), arguments=null(),
                   finished_at=machine_utcnow())
    db.session.commit()


def _truncate(text: str | None) -> str | None:
    """Keep the end of a traceback: the exception itself is on its last lines."""
    if text is None or len(text) <= MAX_ERROR_CHARS:
        return text
    return "…" + text[-(MAX_ERROR_CHARS - 1):]


# -- arguments as JSON ------------------------------------------------------------------------

_SCALARS = (str, int, float, bool, type(None))
_TAGGED = {
    "$datetime": (datetime, datetime.isoformat, datetime.fromisoformat),  # before date: a datetime is a date
    "$date": (date, date.isoformat, date.fromisoformat),
    "$decimal": (Decimal, str, Decimal),
}


def _encode(value, resolve: bool = True):
    """``value`` as JSON. Without ``resolve`` only checks it: new objects have no key before the flush."""
    if isinstance(value, _SCALARS):
        return value
    for tag, (kind, to_text, _from_text) in _TAGGED.items():
        if isinstance(value, kind):
            return {tag: to_text(value)}
    if isinstance(value, tuple):
        return {"$tuple": [_encode(item, resolve) for item in value]}
    if isinstance(value, list):
        return [_encode(item, resolve) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError(f"event arguments: dictionary keys must be text, got {list(value)!r}")
        return {"$dict": {key: _encode(item, resolve) for key, item in value.items()}}
    state = inspect(value, raiseerr=False)
    if isinstance(state, InstanceState):
        return _reference(state) if resolve else None
    raise TypeError(f"event arguments: cannot record {type(value).__name__} {value!r}")


def _reference(state: InstanceState) -> dict:
    if state.identity is None:
        raise TypeError(f"event arguments: {state.class_.__name__} is not saved")
    return {"$ref": [state.mapper.base_mapper.local_table.name, list(state.identity)]}


def _decode(value):
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    (tag, content), = value.items()
    if tag == "$ref":
        return _load(*content)
    if tag == "$tuple":
        return tuple(_decode(item) for item in content)
    if tag == "$dict":
        return {key: _decode(item) for key, item in content.items()}
    return _TAGGED[tag][2](content)


def _load(table: str, key: list):
    """The object again, in any foundation (the event's, whoever dispatches it)."""
    model = next((m.class_ for m in db.Model.registry.mappers if m.inherits is None and m.local_table.name == table), None)
    if model is None:
        raise LookupError(f"no model has the table {table!r}")
    found = db.session.get(model, tuple(key) if len(key) > 1 else key[0], execution_options={"all_tenants": True})
    if found is None:
        raise LookupError(f"{model.__name__} {key} no longer exists")
    return found


# -- the outbox follows the transaction -------------------------------------------------------

@event.listens_for(Session, "before_commit")
def _write(session: Session) -> None:
    task_id = session.info.pop(_TASK, None)
    queued = session.info.pop(_PENDING, None)
    if not queued:
        return
    session.flush()  # new objects get the keys their references need
    holder = None if task_id else claims.new_holder()
    now = machine_utcnow()
    rows = [
        {"name": q.name, "foundation_id": q.foundation_id, "arguments": {name: _encode(value) for name, value in q.kwargs.items()}, "task_id": task_id,
         "state": "pending", "attempts": 0, "created_at": now,
         "claimed_by": holder, "claimed_until": claims.claim_until() if holder else None}
        for q in queued
    ]
    if holder:
        written = session.scalars(insert(EVENTS).returning(EVENTS.c.id, sort_by_parameter_order=True), rows)
        session.info[_WRITTEN] = [(event_id, holder) for event_id in written]
    else:  # a task's: no keys needed here, and a plain many-row insert is much faster
        session.execute(insert(EVENTS), rows)


@event.listens_for(Session, "after_commit")
def _promote(session: Session) -> None:
    written = session.info.pop(_WRITTEN, None)
    if written:
        session.info.setdefault(_READY, deque()).extend(written)


@event.listens_for(Session, "after_rollback")
def _drop(session: Session) -> None:
    for key in (_PENDING, _TASK, _WRITTEN):
        session.info.pop(key, None)

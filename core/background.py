"""Background work: tasks that outlast a request, run by the scheduler process, with progress.

A view starts a task in the transaction of its change, so the change and the task commit
together, and then shows the task's progress (``done`` of ``total``) on a page that follows it.
The ``core.background_work`` job runs every few seconds in the scheduler process (``flask journey
scheduler``; under ``make run`` the scheduler runs inside the development server). Each run
claims the queued tasks one by one and works on each for a few seconds, committing its progress
as it goes; a task whose process died is taken over once its claim runs out and resumes where it
stopped, since its work is durable. After the tasks, the run dispatches the events a dead process
left unfinished (see ``core.events``).

Kinds of work (``HANDLERS``): ``EVENTS`` dispatches the lifecycle events a large change left to
the task, such as a large people import.
"""
from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, delete, select

from core import claims, events
from core.clock import machine_utcnow
from core.extensions import db
from core.models.background import BackgroundTask

log = logging.getLogger(__name__)
EVENTS = "core.events"
BUDGET_SECONDS = 4.0  # a run of the job stops after this, before its next run (every 5 s) is due
BATCH = 20  # events claimed at once, and dispatched between two progress reports
MAX_RUN_ERRORS = 3  # a task whose own runs break off this often is failed
KEEP_DAYS = 30
TASKS = BackgroundTask.__table__


@dataclass
class TaskRun:
    """One run's turn at a task: report progress with ``report``; stop when ``out_of_time``."""

    task_id: int
    holder: str
    deadline: float | None

    def out_of_time(self) -> bool:
        return _out_of_time(self.deadline)

    def report(self, done: int, total: int, failed: int) -> bool:
        """Commit the progress and renew the claim; False when the task is no longer ours."""
        ours = claims.renew(BackgroundTask, self.task_id, self.holder, done=done, total=total, failed=failed)
        db.session.commit()
        return ours


def start(kind: str, foundation_id: int, total: int, started_by=None) -> BackgroundTask:
    """Queue a task in the current transaction; it runs once that commits."""
    task = BackgroundTask(kind=kind, foundation_id=foundation_id, total=total, state="queued",
                          started_by_id=started_by.id if started_by is not None else None)
    db.session.add(task)
    db.session.flush()
    return task


def start_event_dispatch(foundation_id: int, total: int, started_by=None) -> BackgroundTask:
    """Leave the events of the current transaction (``total`` of them) to a background task."""
    task = start(EVENTS, foundation_id, total, started_by)
    events.leave_to_task(task.id)
    return task


def run_background_work(budget_seconds: float | None = BUDGET_SECONDS) -> int:
    """The ``core.background_work`` job: queued tasks first, then events left unfinished. Returns
    how many tasks and events it took on (0: an idle run).

    Works for about ``budget_seconds`` (``None``: until nothing is left; 0: one event of one task).
    """
    deadline = None if budget_seconds is None else time.monotonic() + budget_seconds
    holder = claims.new_holder()
    seen: list[int] = []  # a task not finished in its turn waits for the next run
    while not (seen and _out_of_time(deadline)):
        claimed = claims.claim(BackgroundTask, holder, 1, TASKS.c.state.in_(("queued", "running")),
                               TASKS.c.id.notin_(seen))
        if not claimed:
            break
        seen.append(claimed[0])
        _run(claimed[0], holder, deadline)
    recovered = 0
    while not _out_of_time(deadline) and (dispatched := events.dispatch_batch(BATCH, deadline=deadline)):
        recovered += dispatched
    return len(seen) + recovered


def _out_of_time(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline


def _run(task_id: int, holder: str, deadline: float | None) -> None:
    kind = db.session.scalar(select(TASKS.c.kind).where(TASKS.c.id == task_id))
    handler = HANDLERS.get(kind)
    try:
        if handler is None:
            raise LookupError(f"no handler for background work of kind {kind!r}")
        claims.renew(BackgroundTask, task_id, holder, state="running")
        db.session.commit()
        finished = handler(TaskRun(task_id, holder, deadline))
    except Exception:  # recorded on the task; tried again in the next run, up to MAX_RUN_ERRORS
        db.session.rollback()
        log.exception("background task %d (%s) broke off", task_id, kind)
        _broke_off(task_id, holder, traceback.format_exc().strip().splitlines()[-1])
        return
    if finished:
        claims.release(BackgroundTask, task_id, holder, state="done", finished_at=machine_utcnow())
    else:
        claims.release(BackgroundTask, task_id, holder)
    db.session.commit()


def _broke_off(task_id: int, holder: str, error: str) -> None:
    last = TASKS.c.run_errors + 1 >= MAX_RUN_ERRORS
    claims.release(BackgroundTask, task_id, holder, run_errors=TASKS.c.run_errors + 1, message=error[:2000],
                   state=case((last, "failed"), else_=TASKS.c.state),
                   finished_at=case((last, machine_utcnow()), else_=None))
    db.session.commit()


def _dispatch_events(run: TaskRun) -> bool:
    """The ``EVENTS`` kind: dispatch the task's events a batch at a time; True when none is left."""
    while True:
        dispatched = events.dispatch_batch(BATCH, task_id=run.task_id, deadline=run.deadline)
        counts = events.task_counts(run.task_id)
        ours = run.report(done=counts["done"] + counts["failed"], total=sum(counts.values()), failed=counts["failed"])
        # events claimed by another process (a crash recovery) are finished there, or in a later run
        if not counts["pending"] or not dispatched or not ours or run.out_of_time():
            return not counts["pending"]


HANDLERS: dict[str, Callable[[TaskRun], bool]] = {EVENTS: _dispatch_events}


def status(task: BackgroundTask) -> dict:
    """What the page following a task shows, as JSON."""
    return {"state": task.state, "done": task.done, "total": task.total, "failed": task.failed,
            "finished": task.finished}


def purge_old() -> None:
    """The ``core.purge_background_work`` job: forget finished events and tasks after KEEP_DAYS."""
    before = machine_utcnow() - timedelta(days=KEEP_DAYS)
    events.purge_finished(before)
    db.session.execute(delete(TASKS).where(TASKS.c.state.in_(("done", "failed")), TASKS.c.finished_at < before))

"""Running a job and recording it: each foundation isolated, every run written down.

A run's own work commits only when it succeeds; a failure rolls the session back and is
recorded with its traceback, and the next foundation still runs.
"""
from __future__ import annotations

import logging
import traceback
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from core import events
from core.clock import machine_utcnow
from core.extensions import db
from core.jobs import RegisteredJob, build_trigger, targets
from core.models import Foundation
from core.models.jobs import JobRun, JobState, insert_if_absent

log = logging.getLogger(__name__)
MAX_ERROR_CHARS = 8000
MANUAL = "manual"


def run_job(job: RegisteredJob, runner: str, only: Foundation | None = None) -> list[JobRun]:
    """Run ``job`` for its foundations (or ``only``) and record each run; returns the runs."""
    foundations = targets(job, only)
    started = machine_utcnow()
    if not foundations:
        if only is None:
            _update_state(job.id, covered_until=started)
        return []
    _update_state(job.id, last_started_at=started, last_finished_at=None, last_outcome="running", last_runner=runner)
    runs = [_run_one(job, foundation, runner) for foundation in foundations]
    failed = [run for run in runs if run.outcome == "failed"]
    changes = {"last_finished_at": machine_utcnow(), "last_outcome": "failed" if failed else "ok"}
    if failed:
        changes["last_error"] = _truncate("\n\n".join(_labelled(run) for run in failed))
        changes["last_error_at"] = changes["last_finished_at"]
    if only is None:
        changes["covered_until"] = started
    _update_state(job.id, **changes)
    return runs


def _run_one(job: RegisteredJob, foundation: Foundation | None, runner: str) -> JobRun:
    run = JobRun(job_id=job.id, foundation_id=foundation.id if foundation else None, runner=runner, outcome="running")
    db.session.add(run)
    db.session.commit()  # a run that never finishes (the process died) stays visible
    run_id, label = run.id, foundation.slug if foundation else "the group"
    try:
        did = job.spec.func() if foundation is None else job.spec.func(foundation)
        events.commit()
        outcome, error = "ok", None
    except Exception:  # one foundation's failure is recorded; the others still run
        db.session.rollback()
        log.exception("job %s failed for %s", job.id, label)
        outcome, error = "failed", _truncate(traceback.format_exc())
    run = db.session.get(JobRun, run_id)  # the job may have cleared the session
    run.outcome, run.error, run.finished_at = outcome, error, machine_utcnow()
    if outcome == "ok" and not job.spec.keep_idle_runs and not did:
        db.session.delete(run)  # an idle run of a frequent job: nothing worth a row
    db.session.commit()
    return run


def _labelled(run: JobRun) -> str:
    return f"[{run.foundation.slug}]\n{run.error}" if run.foundation else run.error


def _truncate(text: str) -> str:
    """Keep the end of a traceback: the exception itself is on its last lines."""
    return text if len(text) <= MAX_ERROR_CHARS else "…" + text[-(MAX_ERROR_CHARS - 1):]


def ensure_states(job_ids) -> None:
    """Give every job a state row; a new job's ``known_since`` starts its catch-up clock now."""
    table = JobState.__table__
    for job_id in job_ids:
        insert_if_absent(db.session, table, {"job_id": job_id, "known_since": machine_utcnow()}, ["job_id"])
    db.session.commit()


def _update_state(job_id: str, **changes) -> None:
    ensure_states([job_id])
    db.session.execute(update(JobState).where(JobState.job_id == job_id).values(**changes))
    db.session.commit()


# -- catch-up after downtime ------------------------------------------------------------------

def missed_fire_time(job: RegisteredJob, state: JobState | None, now: datetime) -> datetime | None:
    """The first fire time after the job last got through all its foundations, if already past.

    A daily job whose scheduler was down for a day has one such time: it then runs once
    (coalesced), however many fire times it missed.
    """
    if state is None:
        return None
    baseline = (state.covered_until or state.known_since).replace(tzinfo=UTC)
    missed = build_trigger(job.spec.trigger).get_next_fire_time(baseline, now)
    return missed if missed is not None and missed <= now else None


def jobs_to_catch_up(jobs: dict[str, RegisteredJob], now: datetime) -> list[str]:
    ensure_states(jobs)
    states = {s.job_id: s for s in db.session.scalars(select(JobState).where(JobState.job_id.in_(list(jobs))))}
    return [job_id for job_id, job in jobs.items() if missed_fire_time(job, states.get(job_id), now)]


def mark_interrupted(current_runner: str) -> int:
    """Runs a previous scheduler left "running" when it died will never finish: say so."""
    stale = (JobRun.outcome == "running", JobRun.runner != current_runner, JobRun.runner.not_like(MANUAL + ":%"))
    count = db.session.execute(update(JobRun).where(*stale).values(outcome="interrupted")).rowcount
    db.session.execute(
        update(JobState)
        .where(JobState.last_outcome == "running", JobState.last_runner != current_runner,
               JobState.last_runner.not_like(MANUAL + ":%"))
        .values(last_outcome="interrupted")
    )
    db.session.commit()
    return count


# -- housekeeping ---------------------------------------------------------------------------------

def purge_old_runs() -> None:
    """Drop run records older than JOB_RUN_KEEP_DAYS; each job's latest state is kept apart."""
    cutoff = machine_utcnow() - timedelta(days=current_app.config["JOB_RUN_KEEP_DAYS"])
    db.session.execute(delete(JobRun).where(JobRun.started_at < cutoff))

"""APScheduler wiring: the registered jobs run in one process at a time, guarded by the lease.

Where the scheduler runs:

- Production: its own process, ``flask journey scheduler``. Start one (a second copy on another
  host is a warm standby: it waits and takes over within one lease period after the first dies).
- Development: ``make run`` sets ``JOURNEY_SCHEDULER_IN_PROCESS=true`` and ``flask run`` starts
  the same lease-guarded scheduler in a background thread of the process that serves requests
  (the reloader's child, or the only process without the reloader).
- Never inside gunicorn (``wsgi.py``): every worker is a forked copy of the app, so each would
  start a scheduler; workers are killed and replaced at gunicorn's will (timeouts,
  ``max_requests``, reloads), which would cut jobs off mid-run; threads started before a fork
  (``--preload``) do not survive it; and adding web workers must not change how jobs run.

On taking the lease the scheduler first runs, once, every job that missed a fire time while no
scheduler ran (see ``core.job_runs.missed_fire_time``): a daily job catches up after a day of
downtime without a persistent APScheduler job store (which would pickle functions).
"""
from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask
from flask.cli import run_command
from flask.helpers import get_debug_flag

from core.clock import machine_utcnow
from core.job_runs import jobs_to_catch_up, mark_interrupted, run_job
from core.jobs import TIMEZONE, RegisteredJob, build_trigger, collect_jobs, registered_jobs
from core.plugins import plugin_manager
from core.scheduler_lease import Lease, current_lease, new_holder_id

log = logging.getLogger(__name__)
MISFIRE_GRACE_SECONDS = 6 * 3600  # a job delayed by a busy or paused process still runs
POLL_MARGIN_SECONDS = 0.05


def init_app(app: Flask) -> None:
    app.extensions["journey.jobs"] = collect_jobs(plugin_manager(app))
    if app.config["SCHEDULER_IN_PROCESS"] and serves_dev_requests():
        start_in_background(app)


def serves_dev_requests(ctx: click.Context | None = None, environ=os.environ) -> bool:
    """True only in the ``flask run`` process that will serve requests.

    With the reloader, ``flask run`` loads the app in a watching parent and again in the child
    that serves (``WERKZEUG_RUN_MAIN``); only the child may run jobs, or code changes would not
    reach them. gunicorn, ``wsgi.py``, tests and other ``flask`` commands are not ``flask run``.
    """
    ctx = ctx or click.get_current_context(silent=True)
    if ctx is None or ctx.command is not run_command:
        return False
    if environ.get("WERKZEUG_RUN_MAIN") == "true":
        return True
    reload = ctx.params.get("reload")
    return not (get_debug_flag() if reload is None else reload)


def start_in_background(app: Flask) -> LeasedScheduler:
    scheduler = LeasedScheduler(app)
    thread = threading.Thread(target=scheduler.run, name="journey-scheduler", daemon=True)
    thread.start()
    atexit.register(_stop_at_exit, scheduler, thread)  # a reload hands the lease over at once
    app.extensions["journey.scheduler"] = scheduler
    log.info("in-process scheduler started")
    return scheduler


def _stop_at_exit(scheduler: LeasedScheduler, thread: threading.Thread) -> None:
    scheduler.stop()
    thread.join(timeout=10)


class LeasedScheduler:
    """Waits for the lease, runs the jobs while it holds it, waits again when it loses it."""

    def __init__(self, app: Flask, jobs: dict[str, RegisteredJob] | None = None,
                 lease_seconds: float | None = None, holder: str | None = None) -> None:
        self.app = app
        self.jobs = jobs if jobs is not None else registered_jobs(app)
        self.seconds = float(lease_seconds or app.config["SCHEDULER_LEASE_SECONDS"])
        self.lease = Lease(holder or new_holder_id(), self.seconds)
        self._stopping = threading.Event()
        self._aps: BackgroundScheduler | None = None
        self._seen_holder: str | None = None

    @property
    def holder(self) -> str:
        return self.lease.holder

    @property
    def running_jobs(self) -> bool:
        return self._aps is not None

    def stop(self) -> None:
        self._stopping.set()

    def run(self) -> None:
        """Blocks until ``stop()``; then waits for running jobs and releases the lease."""
        log.info("scheduler %s: %d jobs, lease %.1f s", self.holder, len(self.jobs), self.seconds)
        try:
            while not self._stopping.is_set():
                if self._db(self.lease.acquire):
                    self._hold()
                else:
                    self._stopping.wait(self._wait_seconds())
        finally:
            self._stop_jobs(wait=True)
            self._db(self.lease.release)
            log.info("scheduler %s: stopped, lease released", self.holder)

    def _hold(self) -> None:
        log.info("scheduler %s: lease acquired, running jobs", self.holder)
        try:
            self._start_jobs()
        except Exception:
            log.exception("scheduler %s: could not start the jobs", self.holder)
            self._stopping.wait(self.seconds / 3)
            return
        renewed = time.monotonic()
        while not self._stopping.wait(self.seconds / 3):
            held = self._db(self.lease.acquire)
            if held:
                renewed = time.monotonic()
            elif held is False or time.monotonic() - renewed >= self.seconds * 2 / 3:
                # stop a third of a period before another scheduler may take over
                log.warning("scheduler %s: lease lost, jobs stopped", self.holder)
                self._stop_jobs(wait=False)
                return

    def _start_jobs(self) -> None:
        now = datetime.now(ZoneInfo(TIMEZONE))
        with self.app.app_context():
            mark_interrupted(self.holder)
            due = set(jobs_to_catch_up(self.jobs, now))
        aps = BackgroundScheduler(timezone=TIMEZONE)
        for job_id, job in self.jobs.items():
            catch_up = {"next_run_time": now} if job_id in due else {}
            aps.add_job(
                self._run_scheduled, trigger=build_trigger(job.spec.trigger), args=[job_id], id=job_id, name=job_id,
                replace_existing=True, coalesce=True, max_instances=1, misfire_grace_time=MISFIRE_GRACE_SECONDS,
                **catch_up,
            )
        if due:
            log.info("scheduler %s: catching up %s", self.holder, ", ".join(sorted(due)))
        aps.start()
        self._aps = aps

    def _stop_jobs(self, wait: bool) -> None:
        aps, self._aps = self._aps, None
        if aps is not None:
            aps.shutdown(wait=wait)

    def _run_scheduled(self, job_id: str) -> None:
        with self.app.app_context():
            if not self.lease.is_mine():
                log.warning("scheduler %s: %s not run, the lease is no longer ours", self.holder, job_id)
                return
            run_job(self.jobs[job_id], runner=self.holder)

    def _wait_seconds(self) -> float:
        """Wake just after the current lease would expire, so a dead holder is replaced in time."""
        lease = self._db(current_lease)
        if lease is None:
            return self.seconds / 3
        if lease.holder != self._seen_holder:
            self._seen_holder = lease.holder
            log.info("scheduler %s: waiting, lease held by %s", self.holder, lease.holder)
        remaining = (lease.expires_at - machine_utcnow()).total_seconds()
        return min(max(remaining, 0) + POLL_MARGIN_SECONDS, self.seconds)

    def _db(self, action):
        """Run a lease action in an app context; a database error is logged and gives None."""
        try:
            with self.app.app_context():
                return action()
        except Exception as problem:
            log.warning("scheduler %s: database error: %s", self.holder, problem)
            return None

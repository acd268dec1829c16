"""``flask journey scheduler`` and ``flask journey jobs list|run``."""
from __future__ import annotations

import logging
import os
import signal
import socket

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from core.cli_foundation import foundation_by_slug
from core.extensions import db
from core.job_runs import MANUAL, run_job
from core.jobs import JobError, describe_trigger, get_job, registered_jobs
from core.models.jobs import JobState


def add_scheduler_commands(journey: AppGroup) -> None:
    jobs = AppGroup("jobs", help="Scheduled jobs: list them, or run one by hand.")
    journey.add_command(jobs)

    @journey.command("scheduler")
    def scheduler():
        """Run the job scheduler. Run one per installation: a second copy waits and takes over
        within one lease period (JOURNEY_SCHEDULER_LEASE_SECONDS) when the first dies."""
        from core.scheduler import LeasedScheduler

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        runner = LeasedScheduler(current_app._get_current_object())
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: runner.stop())
        runner.run()

    @jobs.command("list")
    def jobs_list():
        """Every job: id, trigger, per foundation or not, owner, last outcome."""
        states = {s.job_id: s for s in db.session.scalars(select(JobState))}
        rows = [("ID", "TRIGGER", "PER FOUNDATION", "OWNER", "LAST OUTCOME")]
        for job_id, job in registered_jobs().items():
            state = states.get(job_id)
            last = f"{state.last_outcome} {state.last_started_at:%Y-%m-%d %H:%M} UTC" if state and state.last_outcome else "-"
            rows.append((job_id, describe_trigger(job.spec.trigger), "yes" if job.spec.per_foundation else "no", job.owner, last))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
        for row in rows:  # every column padded but the last
            click.echo("  ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)) + "  " + row[-1])

    @jobs.command("run")
    @click.argument("job_id")
    @click.option("--foundation", "slug", help="Run a per-foundation job for this foundation only.")
    def jobs_run(job_id, slug):
        """Run job JOB_ID once now (for all its foundations unless --foundation is given)."""
        try:
            job = get_job(job_id)
            only = foundation_by_slug(slug) if slug else None
            runs = run_job(job, runner=f"{MANUAL}:{socket.gethostname()}:{os.getpid()}", only=only)
        except JobError as problem:
            raise click.ClickException(str(problem)) from None
        if not runs:
            click.echo(f"{job_id}: nothing to run, plugin {job.owner!r} is switched on for no foundation")
        for run in runs:
            where = f" [{run.foundation.slug}]" if run.foundation else ""
            click.echo(f"{job_id}{where}: {run.outcome} in {run.duration.total_seconds():.2f} s")
            if run.error:
                click.echo("  " + run.error.strip().splitlines()[-1], err=True)
        if any(run.outcome == "failed" for run in runs):
            raise click.exceptions.Exit(1)

"""One scheduler at a time: the lease row, losing it, and real processes handing over after a kill.

The subprocess tests run ``flask journey scheduler`` (and ``flask run`` / gunicorn) against a file
SQLite database, and against PostgreSQL too when JOURNEY_TEST_DATABASE_URL is set. They poll
with deadlines and always kill their children.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import click
import pytest
from flask.cli import run_command
from sqlalchemy import create_engine, insert, select, update

from core import PROJECT_ROOT
from core.clock import machine_utcnow
from core.contributions import JobSpec
from core.extensions import db as _db
from core.job_runs import mark_interrupted
from core.jobs import RegisteredJob
from core.models import Foundation, FoundationPlugin
from core.models.jobs import JobRun, JobState, SchedulerLease
from core.scheduler import LeasedScheduler, serves_dev_requests
from core.scheduler_lease import Lease

LEASE_SECONDS = 2


def _expire_lease() -> None:
    _db.session.execute(update(SchedulerLease).values(expires_at=machine_utcnow() - timedelta(seconds=1)))
    _db.session.commit()


def wait_for(condition, timeout: float, what: str, processes=()):
    """Poll ``condition`` until it is truthy; fail when a watched process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        for process in processes:
            if process.poll() is not None:
                raise AssertionError(f"waiting for {what}: process {process.pid} exited with {process.returncode}")
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


# -- the lease row --------------------------------------------------------------------------------

def test_one_holder_renews_and_another_takes_over_only_after_expiry(db):
    first, second = Lease("first", 60), Lease("second", 60)
    assert first.acquire()
    acquired_at = _db.session.scalar(select(SchedulerLease.acquired_at))
    assert not second.acquire()
    assert first.acquire()  # a renewal keeps when it was taken
    assert _db.session.scalar(select(SchedulerLease.acquired_at)) == acquired_at
    assert first.is_mine() and not second.is_mine()

    _expire_lease()
    assert not first.is_mine()
    assert second.acquire()
    assert not first.acquire()
    assert _db.session.scalar(select(SchedulerLease.holder)) == "second"

    second.release()
    assert first.acquire()
    assert _db.session.scalars(select(SchedulerLease.name)).all() == ["scheduler"]


@pytest.mark.parametrize("existing", ["no row", "expired row"])
def test_exactly_one_of_many_racing_contenders_gets_the_lease(app, db, existing):
    for round_ in range(5):
        _db.session.execute(SchedulerLease.__table__.delete())
        if existing == "expired row":
            now = machine_utcnow()
            _db.session.add(SchedulerLease(name="scheduler", holder="dead", acquired_at=now, expires_at=now))
        _db.session.commit()
        start = threading.Barrier(8)
        results, errors = [], []

        def contend(n, round_, start, results, errors):
            with app.app_context():
                lease = Lease(f"contender-{round_}-{n}", 60)
                start.wait()
                try:
                    results.append(lease.acquire())
                except Exception as problem:  # a contender must lose cleanly, not crash
                    errors.append(problem)

        threads = [threading.Thread(target=contend, args=(n, round_, start, results, errors)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == []
        assert sorted(results) == [False] * 7 + [True]


# -- the scheduler loop in this process -----------------------------------------------------------

def _recording_job(calls: list) -> dict[str, RegisteredJob]:
    spec = JobSpec("core.test_record", lambda: calls.append(1), {"cron": {"hour": 6}})
    return {spec.id: RegisteredJob(spec, "core")}


def test_a_scheduler_that_loses_its_lease_stops_running_jobs_and_waits(app, db):
    scheduler = LeasedScheduler(app, jobs=_recording_job([]), lease_seconds=0.9)
    thread = threading.Thread(target=scheduler.run, daemon=True)
    thread.start()
    try:
        wait_for(lambda: scheduler.running_jobs, 10, "the scheduler to start its jobs")
        _db.session.execute(update(SchedulerLease).values(holder="intruder", expires_at=machine_utcnow() + timedelta(hours=1)))
        _db.session.commit()
        wait_for(lambda: not scheduler.running_jobs, 10, "the scheduler to stop its jobs")
        _expire_lease()
        wait_for(lambda: scheduler.running_jobs, 10, "the scheduler to take the free lease again")
    finally:
        scheduler.stop()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert not Lease(scheduler.holder, 1).is_mine()  # released on stop


def test_a_job_does_not_run_without_the_lease(app, db):
    calls = []
    scheduler = LeasedScheduler(app, jobs=_recording_job(calls), lease_seconds=60)
    Lease("someone else", 60).acquire()
    scheduler._run_scheduled("core.test_record")
    assert calls == [] and _db.session.scalar(select(JobRun.id)) is None
    _expire_lease()
    assert scheduler.lease.acquire()
    scheduler._run_scheduled("core.test_record")
    assert calls == [1]
    assert _db.session.scalar(select(JobRun.runner)) == scheduler.holder


def test_runs_a_dead_scheduler_left_running_are_marked_interrupted(db):
    _db.session.add_all([
        JobRun(job_id="core.a", runner="dead:1:x", outcome="running"),
        JobRun(job_id="core.b", runner="manual:host:2", outcome="running"),
        JobRun(job_id="core.c", runner="me", outcome="running"),
        JobState(job_id="core.a", last_outcome="running", last_runner="dead:1:x"),
    ])
    _db.session.commit()
    assert mark_interrupted("me") == 1
    outcomes = dict(_db.session.execute(select(JobRun.job_id, JobRun.outcome)).all())
    assert outcomes == {"core.a": "interrupted", "core.b": "running", "core.c": "running"}
    assert _db.session.get(JobState, "core.a").last_outcome == "interrupted"


# -- where an in-process scheduler may start ------------------------------------------------------

def _context(command: click.Command, **params) -> click.Context:
    ctx = click.Context(command)
    ctx.params = params
    return ctx


@pytest.mark.parametrize("ctx, environ, debug, expected", [
    (None, {}, False, False),                                                     # gunicorn, wsgi.py, tests
    (_context(click.Command("run")), {}, False, False),                           # another command named "run"
    (_context(run_command, reload=None), {}, False, True),                        # flask run without the reloader
    (_context(run_command, reload=None), {}, True, False),                        # --debug: the reloader's parent
    (_context(run_command, reload=True), {}, False, False),                       # --reload: the parent
    (_context(run_command, reload=True), {"WERKZEUG_RUN_MAIN": "true"}, False, True),  # its child
    (_context(run_command, reload=False), {}, True, True),                        # --debug --no-reload
])
def test_only_the_process_serving_flask_run_may_start_a_scheduler(monkeypatch, ctx, environ, debug, expected):
    monkeypatch.setenv("FLASK_DEBUG", "1" if debug else "0")
    assert serves_dev_requests(ctx, environ) is expected


# -- real processes -------------------------------------------------------------------------------

@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """A database with the schema and one foundation that has the job plugin on."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'scheduler.db'}"
        engine = create_engine(url)
        _db.metadata.create_all(engine)
    else:
        url = os.environ.get("JOURNEY_TEST_DATABASE_URL")
        if not url:
            pytest.skip("JOURNEY_TEST_DATABASE_URL is not set")
        request.getfixturevalue("db")  # the schema, emptied
        engine = create_engine(url)
    with engine.begin() as conn:
        foundation_id = conn.execute(
            insert(Foundation.__table__).values(slug="lease", name="Lease").returning(Foundation.__table__.c.id)
        ).scalar_one()
        conn.execute(insert(FoundationPlugin.__table__).values(foundation_id=foundation_id, plugin_key="jobplugin", enabled=True))
    yield url, engine
    engine.dispose()


def _env(url: str, tmp_path: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JOURNEY_", "FLASK_", "WERKZEUG_"))}
    env.update({
        "PYTHONPATH": str(PROJECT_ROOT),
        "JOURNEY_DATABASE_URL": url,
        "JOURNEY_SECRET_KEY": "test-secret-key",
        "JOURNEY_PLUGINS_AUTOLOAD": "false",
        "JOURNEY_PLUGINS": json.dumps(["tests.core.jobplugin"]),
        "JOURNEY_SCHEDULER_LEASE_SECONDS": str(LEASE_SECONDS),
        "JOURNEY_TEST_JOB_LOG": str(tmp_path / "ran.txt"),
    })
    env.update(extra)
    return env


@contextmanager
def processes():
    """Children started through ``spawn``; each one's process group is killed on the way out."""
    started = []

    def spawn(args, env, log: Path):
        with log.open("wb") as out:
            process = subprocess.Popen(args, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        started.append(process)
        return process

    try:
        yield spawn
    finally:
        for process in started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def _holder_pid(engine) -> int | None:
    with engine.connect() as conn:
        holder = conn.scalar(select(SchedulerLease.holder))
    return int(holder.rsplit(":", 2)[1]) if holder else None


def _job_pids(tmp_path: Path) -> list[int]:
    path = tmp_path / "ran.txt"
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def _flask(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "core:create_app", *args]


def test_two_schedulers_one_runs_jobs_and_the_other_takes_over_after_a_kill(database, tmp_path):
    url, engine = database
    env = _env(url, tmp_path)
    with processes() as spawn:
        first = spawn(_flask("journey", "scheduler"), env, tmp_path / "first.log")
        wait_for(lambda: _holder_pid(engine) == first.pid, 60, "the first scheduler to take the lease", [first])
        second = spawn(_flask("journey", "scheduler"), env, tmp_path / "second.log")
        wait_for(lambda: "waiting, lease held by" in (tmp_path / "second.log").read_text(), 60,
                 "the second scheduler to wait", [first, second])

        before = len(_job_pids(tmp_path))
        wait_for(lambda: len(_job_pids(tmp_path)) >= before + 3, 30, "three more runs of the job", [first, second])
        assert set(_job_pids(tmp_path)) == {first.pid}  # exactly one process runs jobs
        with engine.connect() as conn:
            runners = set(conn.scalars(select(JobRun.runner).where(JobRun.job_id == "jobplugin.tick")))
        assert {int(r.rsplit(":", 2)[1]) for r in runners} == {first.pid}

        first.kill()  # SIGKILL: no clean release of the lease
        killed = time.monotonic()
        first.wait(timeout=10)
        wait_for(lambda: _holder_pid(engine) == second.pid, 5 * LEASE_SECONDS, "the second scheduler to take over", [second])
        took = time.monotonic() - killed
        assert took < LEASE_SECONDS + 1.0, f"takeover took {took:.2f} s"  # one lease period, plus polling
        wait_for(lambda: second.pid in _job_pids(tmp_path), 30, "the second scheduler to run the job", [second])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("reload", ["--no-reload", "--reload"])
def test_flask_run_schedules_in_the_process_that_serves(database, tmp_path, reload):
    url, engine = database
    env = _env(url, tmp_path, JOURNEY_SCHEDULER_IN_PROCESS="true")
    with processes() as spawn:
        server = spawn(_flask("run", "--port", str(_free_port()), reload), env, tmp_path / "run.log")
        holder = wait_for(lambda: _holder_pid(engine), 60, "the in-process scheduler to take the lease", [server])
        if reload == "--no-reload":
            assert holder == server.pid
        else:  # the reloader's child serves and schedules; the watching parent never does
            assert holder != server.pid
        wait_for(lambda: holder in _job_pids(tmp_path), 30, "the in-process scheduler to run the job", [server])


def test_gunicorn_never_starts_a_scheduler(database, tmp_path):
    url, engine = database
    env = _env(url, tmp_path, JOURNEY_SCHEDULER_IN_PROCESS="true")
    port = _free_port()
    gunicorn = [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"]
    with processes() as spawn:
        server = spawn(gunicorn, env, tmp_path / "gunicorn.log")

        def serving():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/auth/login", timeout=2) as response:
                    return response.status == 200
            except OSError:
                return False

        wait_for(serving, 60, "gunicorn to serve", [server])
        assert _holder_pid(engine) is None
        assert _job_pids(tmp_path) == []

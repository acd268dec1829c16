"""The job registry, running jobs per foundation with isolation, run records, the CLI, the status
page and the catch-up after downtime."""
from __future__ import annotations

import threading
import time
import types
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from core import create_app
from core.clock import machine_utcnow
from core.contributions import JobSpec
from core.extensions import db as database
from core.hookspecs import hookimpl
from core.job_runs import jobs_to_catch_up, missed_fire_time, run_job
from core.jobs import RegisteredJob, collect_jobs, describe_trigger, registered_jobs
from core.models import AuditEvent, LoginFailure, utcnow
from core.models.jobs import JobRun, JobState
from core.plugin_switch import enable
from core.plugins import PluginError, PluginManager, plugin_manager
from core.scheduler import LeasedScheduler
from core.testing.fixtures import FreshContextClient, Login, make_config
from tests.core import jobplugin

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DAILY = "jobplugin.per_foundation"


@pytest.fixture(scope="module")
def job_app(app):
    """The test app plus ``tests.core.jobplugin``, on the same database."""
    plugins = [*app.config["PLUGINS"], "tests.core.jobplugin"]
    job_app = create_app(make_config(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path, PLUGINS=plugins))
    job_app.test_client_class = FreshContextClient
    return job_app


@pytest.fixture
def jdb(job_app, db):
    with job_app.app_context():
        jobplugin.CALLS.clear()
        jobplugin.FAILING.clear()
        yield db
        db.session.remove()


@pytest.fixture
def three(jdb, make, job_app):
    """Foundations a, b, c with the job plugin on for a and c only."""
    found = {slug: make.foundation(slug) for slug in ("a", "b", "c")}
    for slug in ("a", "c"):
        enable(plugin_manager(job_app), found[slug], "jobplugin")
    return found


def job(job_id):
    return registered_jobs()[job_id]


def runs_of(job_id):
    return {(run.foundation.slug if run.foundation else None): run
            for run in database.session.scalars(select(JobRun).where(JobRun.job_id == job_id))}


# -- the registry ---------------------------------------------------------------------------------

def test_registry_holds_core_and_plugin_jobs_with_their_owner(jdb):
    jobs = registered_jobs()
    assert jobs["core.purge_login_failures"].owner == "core"
    assert jobs[DAILY].owner == "jobplugin"
    assert jobs[DAILY].spec.per_foundation


def _plugin_with_jobs(*specs):
    module = types.ModuleType("badjobs")
    module.KEY = "badjobs"
    module.privacy_export = hookimpl(lambda person: {})
    module.privacy_erase = hookimpl(lambda person: None)
    module.register_jobs = hookimpl(lambda: list(specs))
    manager = PluginManager()
    manager.register(module)
    return manager


@pytest.mark.parametrize("spec, message", [
    (JobSpec("other.job", print, {"cron": {"hour": 1}}), "must start with 'badjobs.'"),
    (JobSpec("badjobs", print, {"cron": {"hour": 1}}), "must start with 'badjobs.'"),
    (JobSpec("badjobs.x", print, {"cron": {"hour": 25}}), "bad trigger"),
    (JobSpec("badjobs.x", print, {"every": {"hours": 1}}), "bad trigger"),
    (JobSpec("badjobs.x", "print", {"interval": {"hours": 1}}), "no callable"),
])
def test_malformed_plugin_jobs_fail_at_start_up(spec, message):
    with pytest.raises(PluginError, match=message):
        collect_jobs(_plugin_with_jobs(spec))


def test_a_job_id_registered_twice_fails_at_start_up():
    spec = JobSpec("badjobs.x", print, {"interval": {"hours": 1}})
    with pytest.raises(PluginError, match="registered twice"):
        collect_jobs(_plugin_with_jobs(spec, spec))


def test_triggers_read_as_text(jdb):
    with force_locale("en"):
        assert describe_trigger({"cron": {"hour": 3, "minute": 15}}) == "every day at 03:15"
        assert describe_trigger({"cron": {"hour": 7, "day_of_week": "mon"}}) == "on Monday at 07:00"
        assert describe_trigger({"cron": {"hour": 7, "day_of_week": "mon-fri,sun"}}) == "on Monday to Friday and Sunday at 07:00"
        assert describe_trigger({"cron": {"hour": 7, "day_of_week": "*/2"}}) == "cron hour=7 day_of_week=*/2"
        assert describe_trigger({"interval": {"hours": 1, "minutes": 30}}) == "every 1 hour, 30 minutes"
        assert describe_trigger({"cron": {"minute": "*/5"}}) == "cron minute=*/5"
    with force_locale("nl"):
        assert describe_trigger({"cron": {"hour": 7, "minute": 30, "day_of_week": "mon"}}) == "op maandag om 07:30"
        assert describe_trigger({"cron": {"hour": 7, "day_of_week": "sat,sun"}}) == "op zaterdag en zondag om 07:00"


# -- running: per foundation, isolated, recorded --------------------------------------------------

def test_a_per_foundation_job_runs_only_where_its_plugin_is_on(three):
    runs = run_job(job(DAILY), runner="test")
    assert jobplugin.CALLS == ["a", "c"]
    assert [(r.foundation.slug, r.outcome) for r in runs] == [("a", "ok"), ("c", "ok")]
    recorded = runs_of(DAILY)
    assert set(recorded) == {"a", "c"}
    assert all(r.finished_at >= r.started_at and r.runner == "test" for r in recorded.values())
    state = database.session.get(JobState, DAILY)
    assert state.last_outcome == "ok" and state.covered_until is not None and state.last_error is None


def test_a_failing_foundation_is_recorded_rolled_back_and_the_others_go_on(three, job_app):
    enable(plugin_manager(job_app), three["b"], "jobplugin")
    jobplugin.FAILING.add("b")
    run_job(job(DAILY), runner="test")

    assert jobplugin.CALLS == ["a", "b", "c"]
    recorded = runs_of(DAILY)
    assert {slug: r.outcome for slug, r in recorded.items()} == {"a": "ok", "b": "failed", "c": "ok"}
    assert "RuntimeError: broken for b" in recorded["b"].error
    assert "Traceback" in recorded["b"].error
    ran_for = set(database.session.scalars(select(AuditEvent.foundation_id).where(AuditEvent.action == "jobplugin.ran")))
    assert ran_for == {three["a"].id, three["c"].id}  # b's work was rolled back
    state = database.session.get(JobState, DAILY)
    assert state.last_outcome == "failed"
    assert state.last_error.startswith("[b]\n") and "broken for b" in state.last_error


def test_the_next_run_tries_again(three, job_app):
    jobplugin.FAILING.add("a")
    run_job(job(DAILY), runner="test")
    jobplugin.FAILING.clear()
    run_job(job(DAILY), runner="test")

    outcomes = [(r.foundation.slug, r.outcome) for r in
                database.session.scalars(select(JobRun).order_by(JobRun.id))]
    assert outcomes == [("a", "failed"), ("c", "ok"), ("a", "ok"), ("c", "ok")]
    state = database.session.get(JobState, DAILY)
    assert state.last_outcome == "ok"
    assert "broken for a" in state.last_error  # the last error stays visible, with its time
    assert state.last_error_at < state.last_started_at


def test_a_long_error_keeps_its_end(three):
    def noisy(foundation):
        raise RuntimeError("x" * 20000 + " the end")

    run_job(RegisteredJob(JobSpec(DAILY, noisy, {"cron": {"hour": 6}}, per_foundation=True), "jobplugin"), runner="test")
    error = runs_of(DAILY)["a"].error
    assert len(error) == 8000 and error.startswith("…") and error.endswith("the end\n")


def test_a_group_wide_plugin_job_runs_only_when_the_plugin_is_on_somewhere(jdb, make, job_app):
    foundation = make.foundation("solo")
    assert run_job(job("jobplugin.tick"), runner="test") == []
    assert runs_of("jobplugin.tick") == {}
    enable(plugin_manager(job_app), foundation, "jobplugin")
    runs = run_job(job("jobplugin.tick"), runner="test")
    assert [(r.foundation_id, r.outcome) for r in runs] == [(None, "ok")]


def test_core_purge_jobs_delete_old_rows_and_commit(jdb):
    session = database.session
    session.add_all([LoginFailure(key="ip:1", at=utcnow() - timedelta(days=1)), LoginFailure(key="ip:2")])
    session.add_all([JobRun(job_id="core.x", runner="t", started_at=machine_utcnow() - timedelta(days=40), outcome="ok"),
                     JobRun(job_id="core.x", runner="t", started_at=machine_utcnow() - timedelta(days=1), outcome="ok")])
    session.commit()
    run_job(job("core.purge_login_failures"), runner="test")
    run_job(job("core.purge_job_runs"), runner="test")
    session.remove()
    assert database.session.scalars(select(LoginFailure.key)).all() == ["ip:2"]
    kept = database.session.scalars(select(JobRun.started_at).where(JobRun.job_id == "core.x")).all()
    assert len(kept) == 1 and kept[0] > machine_utcnow() - timedelta(days=2)


# -- the command line -----------------------------------------------------------------------------

def test_jobs_list_shows_every_job_with_trigger_owner_and_last_outcome(three, job_app):
    run_job(job(DAILY), runner="test")
    result = job_app.test_cli_runner().invoke(args=["journey", "jobs", "list"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()[1:]}
    assert set(lines) >= {"core.purge_login_failures", "jobplugin.tick", DAILY}
    # The command line speaks the default language, so the trigger texts come from describe_trigger.
    daily, tick = (describe_trigger(job(job_id).spec.trigger) for job_id in (DAILY, "jobplugin.tick"))
    assert "06:00" in daily and daily in lines[DAILY] and "yes" in lines[DAILY] and "jobplugin" in lines[DAILY]
    assert " ok " in lines[DAILY]
    assert tick in lines["jobplugin.tick"] and lines["jobplugin.tick"].rstrip().endswith("-")


def test_jobs_run_for_one_foundation(three, job_app):
    result = job_app.test_cli_runner().invoke(args=["journey", "jobs", "run", DAILY, "--foundation", "c"])
    assert result.exit_code == 0, result.output
    assert jobplugin.CALLS == ["c"]
    assert f"{DAILY} [c]: ok" in result.output
    assert runs_of(DAILY)["c"].runner.startswith("manual:")
    assert database.session.get(JobState, DAILY).covered_until is None  # one foundation covers no fire time


@pytest.mark.parametrize("args, message", [
    (["nope.job"], "unknown job 'nope.job'"),
    ([DAILY, "--foundation", "zz"], "unknown foundation 'zz'"),
    ([DAILY, "--foundation", "b"], "switched off for 'b'"),
    (["core.purge_login_failures", "--foundation", "a"], "runs for the whole group"),
])
def test_jobs_run_refuses_clearly(three, job_app, args, message):
    result = job_app.test_cli_runner().invoke(args=["journey", "jobs", "run", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert jobplugin.CALLS == []


def test_jobs_run_exits_non_zero_when_the_job_fails(three, job_app):
    jobplugin.FAILING.add("a")
    result = job_app.test_cli_runner().invoke(args=["journey", "jobs", "run", DAILY])
    assert result.exit_code == 1
    assert f"{DAILY} [a]: failed" in result.output and f"{DAILY} [c]: ok" in result.output
    assert "RuntimeError: broken for a" in result.output


# -- the status page ------------------------------------------------------------------------------

def test_group_admins_see_every_job_with_its_last_error(three, make, job_app):
    jobplugin.FAILING.add("a")
    run_job(job(DAILY), runner="test")
    client = job_app.test_client()
    Login(client)(make.person(three["a"], role="group_admin", locale="en"))

    page = client.get("/admin/jobs").get_data(as_text=True)
    for job_id in registered_jobs():
        assert f'data-job="{job_id}"' in page
    assert "every day at 06:00" in page and "every 1 second" in page
    assert "RuntimeError: broken for a" in page  # the summary of the last error
    assert "No scheduler is running" in page
    assert 'href="/admin/jobs"' in client.get("/").get_data(as_text=True)

    detail = client.get(f"/admin/jobs/{DAILY}").get_data(as_text=True)
    assert detail.count("<tr") == 3  # the header and one run per foundation on
    assert client.get("/admin/jobs/nope.job").status_code == 404


def test_hr_admins_and_others_may_not_see_jobs(three, make, job_app):
    client = job_app.test_client()
    assert client.get("/admin/jobs").status_code == 302  # to the login page
    Login(client)(make.person(three["a"], role="hr_admin"))
    assert client.get("/admin/jobs").status_code == 403
    assert client.get(f"/admin/jobs/{DAILY}").status_code == 403
    assert 'href="/admin/jobs"' not in client.get("/").get_data(as_text=True)


# -- catch-up after downtime ----------------------------------------------------------------------

def _state(covered_until=None, known_since=datetime(2026, 1, 1)):
    return JobState(job_id=DAILY, covered_until=covered_until, known_since=known_since)


def test_a_missed_daily_fire_time_is_found_once(jdb):
    now = datetime(2026, 3, 10, 9, 0, tzinfo=AMSTERDAM)  # the daily job fires at 06:00 = 05:00 UTC
    daily = job(DAILY)
    yesterday = _state(covered_until=datetime(2026, 3, 9, 5, 0, 2))
    assert missed_fire_time(daily, yesterday, now) == datetime(2026, 3, 10, 6, 0, tzinfo=AMSTERDAM)
    three_days = _state(covered_until=datetime(2026, 3, 7, 5, 0, 2))
    assert missed_fire_time(daily, three_days, now) == datetime(2026, 3, 8, 6, 0, tzinfo=AMSTERDAM)  # coalesced: one run
    today = _state(covered_until=datetime(2026, 3, 10, 5, 0, 2))
    assert missed_fire_time(daily, today, now) is None
    assert missed_fire_time(daily, _state(known_since=datetime(2026, 3, 10, 4, 0)), now) is not None
    assert missed_fire_time(daily, _state(known_since=datetime(2026, 3, 10, 7, 0)), now) is None
    assert missed_fire_time(daily, None, now) is None


def test_a_new_job_waits_for_its_first_fire_time(three):
    now = datetime.now(AMSTERDAM)
    assert jobs_to_catch_up({DAILY: job(DAILY)}, now) == []
    assert database.session.get(JobState, DAILY).known_since is not None


def test_after_a_day_down_the_scheduler_runs_a_daily_job_once_on_start(three, job_app):
    database.session.add(_state(covered_until=machine_utcnow() - timedelta(hours=26), known_since=machine_utcnow() - timedelta(days=9)))
    database.session.commit()
    scheduler = LeasedScheduler(job_app, jobs={DAILY: job(DAILY)}, lease_seconds=30)
    thread = threading.Thread(target=scheduler.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and len(jobplugin.CALLS) < 2:
            time.sleep(0.05)
        assert jobplugin.CALLS == ["a", "c"]
        next_run = scheduler._aps.get_job(DAILY).next_run_time
        assert next_run.hour == 6 and next_run > datetime.now(AMSTERDAM)  # then back on its daily time
    finally:
        scheduler.stop()
        thread.join(timeout=15)
    assert not thread.is_alive()
    assert jobs_to_catch_up({DAILY: job(DAILY)}, datetime.now(AMSTERDAM)) == []  # a restart does not repeat it
    assert jobplugin.CALLS == ["a", "c"]
    assert database.session.get(JobState, DAILY).covered_until > machine_utcnow() - timedelta(minutes=5)


def test_a_frequent_job_leaves_no_record_of_runs_that_did_nothing(jdb):
    work = []
    spec = JobSpec("core.frequent", lambda: len(work), {"interval": {"seconds": 5}}, keep_idle_runs=False)
    frequent = RegisteredJob(spec, "core")
    run_job(frequent, runner="test")
    work.append("an event")
    run_job(frequent, runner="test")
    recorded = jdb.session.scalars(select(JobRun).where(JobRun.job_id == "core.frequent")).all()
    assert [run.outcome for run in recorded] == ["ok"]  # only the run that did something
    state = jdb.session.get(JobState, "core.frequent")
    assert state.last_outcome == "ok" and state.last_finished_at is not None

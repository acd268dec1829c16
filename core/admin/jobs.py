"""Job status pages on the admin blueprint: every job at a glance, and one job's recent runs."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import abort, current_app, render_template
from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.admin.views import bp
from core.extensions import db
from core.jobs import CORE, TIMEZONE, RegisteredJob, describe_trigger, next_fire_time, registered_jobs
from core.models.jobs import JobRun, JobState
from core.permissions import permission_required
from core.plugins import plugin_manager
from core.scheduler_lease import current_lease

OUTCOMES = {"running": _l("running"), "ok": _l("ok"), "failed": _l("failed"), "interrupted": _l("interrupted")}


@dataclass(frozen=True)
class JobRow:
    job: RegisteredJob
    owner: str
    trigger: str
    state: JobState | None
    next_run: datetime | None
    overdue: bool


@bp.route("/jobs")
@permission_required("core.view_jobs")
def jobs():
    states = {s.job_id: s for s in db.session.scalars(select(JobState))}
    now = datetime.now(ZoneInfo(TIMEZONE))
    rows = []
    for job_id, job in registered_jobs().items():
        state = states.get(job_id)
        next_run = next_fire_time(job, state.last_started_at if state else None, now)
        rows.append(JobRow(job, _owner(job), describe_trigger(job.spec.trigger), state, next_run,
                           overdue=next_run is not None and next_run < now))
    return render_template("admin/jobs.html", rows=rows, lease=current_lease(), **_helpers())


@bp.route("/jobs/<job_id>")
@permission_required("core.view_jobs")
def job_runs(job_id: str):
    job = registered_jobs().get(job_id)
    if job is None:
        abort(404)
    query = (
        select(JobRun).where(JobRun.job_id == job_id)
        .options(selectinload(JobRun.foundation))
        .order_by(JobRun.started_at.desc(), JobRun.id.desc())
    )
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("admin/job_runs.html", job=job, owner=_owner(job),
                           trigger=describe_trigger(job.spec.trigger), page=page, **_helpers())


def _owner(job: RegisteredJob) -> str:
    if job.owner == CORE:
        return str(_l("Core"))
    return plugin_manager().plugins[job.owner].localized("title", str(get_locale()))


def _helpers() -> dict:
    return {"outcome_label": lambda outcome: OUTCOMES.get(outcome, outcome), "duration": _duration,
            "error_summary": _error_summary}


def _duration(value: timedelta | None) -> str:
    if value is None:
        return "–"
    return f"{format_decimal(round(value.total_seconds(), 2))} s"


def _error_summary(error: str) -> str:
    """The exception line of a traceback (its last non-empty line)."""
    lines = [line for line in error.splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""

"""Core's own scheduled jobs (ids start with ``core.``). Core services append theirs here."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.auth.throttle import purge_old as purge_login_failures
from core.background import purge_old as purge_background_work
from core.background import run_background_work
from core.contributions import JobSpec
from core.job_runs import purge_old_runs
from core.notifications import send_digests, send_outbox

JOBS: list[JobSpec] = [
    JobSpec(
        id="core.purge_login_failures",
        func=purge_login_failures,
        trigger={"cron": {"hour": 3, "minute": 15}},
        description=_l("Delete login failures older than the window in which they are counted."),
    ),
    JobSpec(
        id="core.purge_job_runs",
        func=purge_old_runs,
        trigger={"cron": {"hour": 3, "minute": 30}},
        description=_l("Delete job run records older than the days kept (JOB_RUN_KEEP_DAYS)."),
    ),
    JobSpec(
        id="core.send_outbox",
        func=send_outbox,
        trigger={"interval": {"minutes": 1}},
        description=_l("Send the queued e-mails that are due; failed ones are retried with back-off."),
    ),
    JobSpec(
        id="core.background_work",
        func=run_background_work,
        trigger={"interval": {"seconds": 5}},
        keep_idle_runs=False,
        description=_l("Run queued background work (the events of large imports) and finish the events a stopped "
                       "process left undispatched."),
    ),
    JobSpec(
        id="core.purge_background_work",
        func=purge_background_work,
        trigger={"cron": {"hour": 3, "minute": 45}},
        description=_l("Delete finished events and background work older than 30 days."),
    ),
    JobSpec(
        id="core.send_digests",
        func=send_digests,
        trigger={"cron": {"hour": 7, "minute": 0}},
        description=_l("Send each person one e-mail with their unread daily-digest notifications."),
    ),
]

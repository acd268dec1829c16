"""A test plugin with jobs, importable by the tests and by ``flask journey scheduler`` subprocesses
(``JOURNEY_PLUGINS='["tests.core.jobplugin"]'``).

- ``jobplugin.tick`` runs every second for the group and appends this process's id to the file
  named by ``JOURNEY_TEST_JOB_LOG`` (if set): the subprocess tests see who ran it.
- ``jobplugin.per_foundation`` runs daily per foundation: it records the slug in ``CALLS``,
  writes an audit event for the foundation, then raises for the slugs in ``FAILING`` (so the
  event must be rolled back).
"""
from __future__ import annotations

import os

from core import audit
from core.contributions import JobSpec
from core.hookspecs import hookimpl

KEY = "jobplugin"
CALLS: list[str] = []
FAILING: set[str] = set()


def tick() -> None:
    path = os.environ.get("JOURNEY_TEST_JOB_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()}\n")


def per_foundation(foundation) -> None:
    CALLS.append(foundation.slug)
    audit.record("jobplugin.ran", foundation_id=foundation.id)
    if foundation.slug in FAILING:
        raise RuntimeError(f"broken for {foundation.slug}")


@hookimpl
def register_jobs():
    return [
        JobSpec("jobplugin.tick", tick, {"interval": {"seconds": 1}}, description="Writes who ran it."),
        JobSpec("jobplugin.per_foundation", per_foundation, {"cron": {"hour": 6, "minute": 0}}, per_foundation=True),
    ]


@hookimpl
def privacy_export(person):
    return {}


@hookimpl
def privacy_erase(person):
    return None

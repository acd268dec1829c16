"""The job registry: core's and the plugins' ``JobSpec``s, checked at start-up, with their owners.

Job ids carry their owner as prefix (``core.purge_login_failures``, ``learning.expiry_reminders``).
Triggers are APScheduler 3.x trigger arguments and always run in Europe/Amsterdam time.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from babel.dates import get_day_names
from babel.lists import format_list
from flask import Flask, current_app
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from core.contributions import JobSpec
from core.extensions import db
from core.models import Foundation, FoundationPlugin
from core.plugins import CORE, PluginError, PluginManager

CRON_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

TIMEZONE = "Europe/Amsterdam"
TRIGGERS = {"cron": CronTrigger, "interval": IntervalTrigger}
INTERVAL_UNITS = ("weeks", "days", "hours", "minutes", "seconds")


class JobError(ValueError):
    """A job cannot run as asked (unknown job, wrong foundation, plugin switched off)."""


@dataclass(frozen=True)
class RegisteredJob:
    spec: JobSpec
    owner: str  # "core" or the plugin key

    @property
    def id(self) -> str:
        return self.spec.id


def collect_jobs(manager: PluginManager) -> dict[str, RegisteredJob]:
    """Core's jobs and every installed plugin's, by id; a malformed spec fails start-up."""
    found = []
    for owner in manager.owners:
        found += [(owner, spec) for specs in manager.call_one(owner, "register_jobs") for spec in specs or ()]
    registry: dict[str, RegisteredJob] = {}
    for owner, spec in found:
        _check(owner, spec)
        if spec.id in registry:
            raise PluginError(f"job id {spec.id!r} is registered twice")
        registry[spec.id] = RegisteredJob(spec, owner)
    return dict(sorted(registry.items()))


def _check(owner: str, spec) -> None:
    if not isinstance(spec, JobSpec):
        raise PluginError(f"{owner}: register_jobs must return JobSpec objects, got {spec!r}")
    if not spec.id.startswith(owner + ".") or spec.id == owner + ".":
        raise PluginError(f"{owner}: job id {spec.id!r} must start with {owner + '.'!r}")
    if not callable(spec.func):
        raise PluginError(f"{owner}: job {spec.id!r} has no callable func")
    try:
        build_trigger(spec.trigger)
    except (TypeError, ValueError) as problem:
        raise PluginError(f"{owner}: job {spec.id!r} has a bad trigger {spec.trigger!r}: {problem}") from None


def registered_jobs(app: Flask | None = None) -> dict[str, RegisteredJob]:
    return (app or current_app).extensions["journey.jobs"]


def get_job(job_id: str) -> RegisteredJob:
    job = registered_jobs().get(job_id)
    if job is None:
        raise JobError(f"unknown job {job_id!r} (see `flask journey jobs list`)")
    return job


# -- triggers -------------------------------------------------------------------------------------

def build_trigger(trigger: dict) -> BaseTrigger:
    if not isinstance(trigger, dict) or len(trigger) != 1:
        raise ValueError('trigger must be {"cron": {...}} or {"interval": {...}}')
    (kind, args), = trigger.items()
    if kind not in TRIGGERS or not isinstance(args, dict):
        raise ValueError('trigger must be {"cron": {...}} or {"interval": {...}}')
    return TRIGGERS[kind](**args, timezone=TIMEZONE)


def next_fire_time(job: RegisteredJob, last_started: datetime | None, now: datetime) -> datetime | None:
    """When the job fires next, computed from its trigger alone (the scheduler may be elsewhere).

    An interval counts from the job's last start (naive UTC); a cron trigger needs only ``now``.
    """
    trigger = build_trigger(job.spec.trigger)
    previous = None
    if isinstance(trigger, IntervalTrigger) and last_started is not None:
        previous = last_started.replace(tzinfo=UTC)
    return trigger.get_next_fire_time(previous, now)


def describe_trigger(trigger: dict) -> str:
    """A readable trigger: "every day at 03:15", "every 5 minutes", else the cron fields."""
    (kind, args), = trigger.items()
    if kind == "interval":
        parts = [_unit(unit, int(args[unit])) for unit in INTERVAL_UNITS if args.get(unit)]
        return _("every %(interval)s", interval=", ".join(parts))
    fields = {k: v for k, v in args.items() if k not in ("second", "start_date", "end_date", "jitter")}
    if isinstance(fields.get("hour"), int) and isinstance(fields.get("minute", 0), int):
        time = f"{fields.pop('hour'):02d}:{fields.pop('minute', 0):02d}"
        if not fields:
            return _("every day at %(time)s", time=time)
        days = _day_names(fields.get("day_of_week")) if set(fields) == {"day_of_week"} else None
        if days:
            return _("on %(days)s at %(time)s", days=days, time=time)
    return "cron " + " ".join(f"{k}={v}" for k, v in args.items())


def _day_names(spec) -> str | None:
    """Cron's ``day_of_week`` ("mon", "mon-fri", "sat,sun") in words, e.g. "maandag t/m vrijdag";
    None for what it does not read (numbers, steps)."""
    names = get_day_names("wide", locale=get_locale())
    parts = []
    for part in str(spec).lower().split(","):
        ends = part.split("-")
        if any(end not in CRON_DAYS for end in ends) or len(ends) > 2:
            return None
        words = [names[CRON_DAYS.index(end)] for end in ends]
        parts.append(words[0] if len(words) == 1 else _("%(first)s to %(last)s", first=words[0], last=words[1]))
    return format_list(parts, locale=get_locale())


def _unit(unit: str, n: int) -> str:
    texts = {
        "weeks": ngettext("%(num)d week", "%(num)d weeks", n),
        "days": ngettext("%(num)d day", "%(num)d days", n),
        "hours": ngettext("%(num)d hour", "%(num)d hours", n),
        "minutes": ngettext("%(num)d minute", "%(num)d minutes", n),
        "seconds": ngettext("%(num)d second", "%(num)d seconds", n),
    }
    return texts[unit]


# -- where a job runs -----------------------------------------------------------------------------

def targets(job: RegisteredJob, only: Foundation | None = None) -> list[Foundation | None]:
    """The foundations a run covers (``[None]`` for a group-wide job).

    A plugin's job runs only where the plugin is on; its group-wide job runs when the plugin is on
    for at least one foundation. ``only`` asks for one foundation and must be allowed.
    """
    if only is not None and not job.spec.per_foundation:
        raise JobError(f"job {job.id!r} runs for the whole group, not per foundation")
    query = select(Foundation).order_by(Foundation.slug).execution_options(all_tenants=True)
    if job.owner != CORE:
        on = select(FoundationPlugin.foundation_id).where(
            FoundationPlugin.plugin_key == job.owner, FoundationPlugin.enabled.is_(True)
        )
        query = query.where(Foundation.id.in_(on))
    if only is not None:
        query = query.where(Foundation.id == only.id)
    foundations = list(db.session.scalars(query))
    if only is not None and not foundations:
        raise JobError(f"plugin {job.owner!r} is switched off for {only.slug!r}")
    if job.spec.per_foundation:
        return foundations
    return [None] if job.owner == CORE or foundations else []

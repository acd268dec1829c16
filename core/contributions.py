"""Plain data that hooks return; core renders it. Fields only grow."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Permission:
    """A named permission (``<plugin>.<verb>``) and the roles that hold it by default.

    Roles: ``employee`` (everyone of the foundation), ``manager`` (manages a team),
    ``hr_admin`` (for that foundation), ``group_admin`` (always holds everything).
    """

    name: str
    title: str
    default_roles: tuple[str, ...] = ("hr_admin",)


@dataclass(frozen=True)
class NavItem:
    """A link in the menu: ``menu`` is ``main`` (the menu bar) or ``admin`` (its administration
    drop-down)."""

    label: str
    url: str
    order: int = 100
    menu: str = "main"


@dataclass(frozen=True)
class Widget:
    """A dashboard card: ``template`` is rendered with ``context``."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


@dataclass(frozen=True)
class PersonSection:
    """A tab on a person's page."""

    key: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


@dataclass(frozen=True)
class JobSpec:
    """A scheduled job. ``trigger`` is ``{"cron": {...}}`` or ``{"interval": {...}}`` (APScheduler
    arguments). A ``per_foundation`` job's function takes the foundation as its only argument and
    runs once for each foundation that has the plugin switched on. A job that runs every few
    seconds sets ``keep_idle_runs=False`` and returns how much it did: a run that did nothing
    then leaves no record (the job's last run is still shown)."""

    id: str
    func: Callable[..., Any]
    trigger: dict[str, dict[str, Any]]
    per_foundation: bool = False
    description: str = ""
    keep_idle_runs: bool = True


@dataclass(frozen=True)
class NotificationKind:
    """A kind of notification: a key (``<plugin>.<name>``), a title people recognise on their
    preferences page, and the delivery (``in_app``, ``email``, ``digest``) a person gets until
    they choose another."""

    key: str
    title: str
    default_channel: str = "email"

    @property
    def owner(self) -> str:
        """``core`` or the key of the plugin that declared the kind."""
        return self.key.split(".", 1)[0]

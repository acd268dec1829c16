"""The plugin contract: every hook Journey calls, grouped by phase, typed, each with its calling rule.

Rules for all hooks:
- Core calls hooks with keyword arguments; implementations may accept fewer arguments.
- Hooks return plain data (``core.contributions``, re-exported by ``core.api``); core renders it.
- pluggy calls implementations last-registered-first: never rely on that. Contributions carry
  an explicit ``order`` and core sorts by it.
- Core's own contributions come through these hooks too (``core.builtin``, registered as ``core``).
- Request-time hooks and lifecycle events are called through the foundation-gated caller:
  a plugin that is switched off for a foundation is not called for it.
- Lifecycle events fire after the database commit; each implementation runs on its own, and
  one that raises is logged and rolled back without affecting the others.
- Privacy hooks are called on every installed plugin, switched on or not: data stays when a
  plugin is switched off, so an export or erasure must still reach it.
- A plugin may declare hooks of its own (``HOOKSPECS`` of its module, written like these);
  listeners in other plugins mark their implementations ``@hookimpl(optionalhook=True)``.
"""
from __future__ import annotations

from random import Random
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from click import Group
    from flask import Blueprint
    from flask_wtf import FlaskForm

    from core.contributions import JobSpec, NavItem, NotificationKind, Permission, PersonSection, Widget
    from core.models import Foundation, Person, Team

hookspec = pluggy.HookspecMarker("journey")
hookimpl = pluggy.HookimplMarker("journey")


# -- start-up: called once, when the app is created, on every installed plugin -----------------

@hookspec
def register_blueprints() -> list[Blueprint]:
    """Return the plugin's Flask blueprints.

    :returns: blueprints named after the plugin key; core mounts each at ``/<key>/`` and answers
        404 for foundations where the plugin is off.

    Calling rule: start-up, once per plugin, ungated.
    """


@hookspec
def register_permissions() -> list[Permission]:
    """Return the permissions the plugin checks, with their default roles.

    :returns: ``Permission`` items, each named ``<key>.<verb>``.

    Calling rule: start-up, once per plugin (and for core), ungated.
    """


@hookspec
def register_notification_kinds() -> list[NotificationKind]:
    """Return the kinds of notification the plugin sends, so people can choose their delivery.

    :returns: ``NotificationKind`` items, each keyed ``<key>.<name>``; ``notify`` refuses a kind
        nobody declared.

    Calling rule: start-up, once per plugin (and for core), ungated.
    """


@hookspec
def register_jobs() -> list[JobSpec]:
    """Return the plugin's scheduled jobs.

    :returns: ``JobSpec`` items with ids ``<key>.<name>``; a ``per_foundation`` job runs only for
        foundations where the plugin is on.

    Calling rule: start-up, once per plugin (and for core), ungated.
    """


@hookspec
def register_cli_commands(cli: Group) -> None:
    """Add the plugin's commands to ``flask journey``.

    :param cli: the ``flask journey`` click group; add commands to it in place.

    Calling rule: start-up, on every plugin (and core), ungated.
    """


@hookspec(firstresult=True)
def plugin_settings_form() -> type[FlaskForm] | None:
    """Return the form class of the plugin's per-foundation settings.

    :returns: a ``FlaskForm`` subclass, or None when the plugin has no settings.

    Calling rule: on one plugin at a time (``firstresult``), when its settings page opens.
    """


# -- request time: foundation-gated ------------------------------------------------------------

@hookspec
def nav_items(user: Person, foundation: Foundation) -> list[NavItem]:
    """Return the plugin's items of the main menu for ``user``.

    :param user: the signed-in person.
    :param foundation: the foundation the person acts in now.
    :returns: ``NavItem`` items (check what ``user`` may see; an empty list hides the plugin).

    Calling rule: every page, foundation-gated.
    """


@hookspec
def dashboard_widgets(user: Person, foundation: Foundation) -> list[Widget]:
    """Return the plugin's cards on the dashboard of ``user``.

    :param user: the signed-in person.
    :param foundation: the foundation the person acts in now.
    :returns: ``Widget`` items, each rendered from its template with its context.

    Calling rule: the dashboard, foundation-gated.
    """


@hookspec
def person_sections(person: Person, viewer: Person) -> list[PersonSection]:
    """Return the plugin's sections of ``person``'s page, as ``viewer`` may see them.

    :param person: the person whose page it is.
    :param viewer: the signed-in person looking at it (check what they may see).
    :returns: ``PersonSection`` items.

    Calling rule: a person's page, foundation-gated by the person's foundation.
    """


# -- lifecycle events: after commit, foundation-gated, each implementation isolated ------------

@hookspec
def person_hired(person: Person) -> None:
    """``person`` was created (status preboarding or active).

    :param person: the new person.

    Calling rule: after commit, foundation-gated, each implementation isolated.
    """


@hookspec
def person_changed(person: Person, changes: dict[str, tuple[Any, Any]]) -> None:
    """HR changed ``person``'s record. Fires before the more specific ``person_transferred`` and
    ``person_leaving`` of the same change.

    :param person: the person as changed.
    :param changes: each changed field name mapped to ``(old, new)``, e.g.
        ``{"start_date": (date(2027, 1, 4), date(2027, 2, 1))}``.

    Calling rule: after commit, foundation-gated, each implementation isolated.
    """


@hookspec
def person_transferred(person: Person, from_team: Team | None, to_team: Team | None) -> None:
    """``person`` moved from one team to another.

    :param person: the person who moved.
    :param from_team: the team they left, or None.
    :param to_team: the team they joined, or None.

    Calling rule: after commit, foundation-gated, each implementation isolated.
    """


@hookspec
def person_leaving(person: Person) -> None:
    """``person`` got an end date (status leaving).

    :param person: the person who is leaving.

    Calling rule: after commit, foundation-gated, each implementation isolated.
    """


@hookspec
def plugin_enabled(foundation: Foundation, key: str) -> None:
    """A plugin was switched on for a foundation.

    :param foundation: the foundation.
    :param key: the key of the plugin switched on.

    Calling rule: after commit, to the plugins on for the foundation (the new one included),
    each implementation isolated.
    """


@hookspec
def plugin_disabled(foundation: Foundation, key: str) -> None:
    """A plugin was switched off for a foundation. Never drop data here.

    :param foundation: the foundation.
    :param key: the key of the plugin switched off.

    Calling rule: after commit, to the plugins still on for the foundation, each implementation
    isolated.
    """


# -- privacy: required of every plugin, called on every installed plugin ------------------------

@hookspec
def privacy_export(person: Person) -> dict[str, Any]:
    """Return everything this plugin holds about ``person``.

    :param person: the person asking for their data (or whose data HR exports).
    :returns: a JSON-serialisable dict.

    Calling rule: on every installed plugin, on or off for the foundation. Required.
    """


@hookspec
def privacy_erase(person: Person) -> None:
    """Erase or anonymise everything this plugin holds about ``person`` (no commit needed).

    :param person: the person being erased.

    Calling rule: on every installed plugin, on or off, inside the erasure's transaction. Required.
    """


# -- data ---------------------------------------------------------------------------------------

@hookspec
def seed_demo(foundation: Foundation, people: list[int], rng: Random, scale: str) -> None:
    """Create demo or benchmark data for ``foundation``.

    :param foundation: the foundation to fill.
    :param people: ids of that foundation's people.
    :param rng: a seeded random generator; use only it, so a seed gives the same data.
    :param scale: ``"demo"`` (a small, telling organisation) or ``"bench"`` (many rows, fast).

    Calling rule: ``flask journey demo`` and ``generate``, foundation-gated.
    """

"""Switching plugins on and off per foundation: requirements, audit, events. No restart needed:
every request reads the switch from the database."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from core import audit, events
from core.extensions import db
from core.models import Foundation, FoundationPlugin, utcnow
from core.plugins import PluginManager


class SwitchRefused(ValueError):
    """The switch cannot be made; the message says why. ``keys`` names the plugins involved."""

    def __init__(self, message: str, keys: list[str]):
        super().__init__(message)
        self.keys = keys


def state_row(foundation: Foundation, key: str) -> FoundationPlugin:
    row = db.session.scalar(
        select(FoundationPlugin)
        .where(FoundationPlugin.foundation_id == foundation.id, FoundationPlugin.plugin_key == key)
        .execution_options(all_tenants=True)
    )
    if row is None:
        row = FoundationPlugin(foundation_id=foundation.id, plugin_key=key, enabled=False, settings={})
        db.session.add(row)
    return row


def missing_requirements(manager: PluginManager, foundation: Foundation, key: str) -> list[str]:
    """Requirements of ``key`` (transitively) that are off for the foundation, in enabling order."""
    enabled = manager.enabled_keys(foundation.id)
    ordered: list[str] = []

    def visit(k: str) -> None:
        for req in manager.plugins[k].requires:
            if req not in enabled and req not in ordered:
                visit(req)
                ordered.append(req)

    visit(key)
    return ordered


def dependants(manager: PluginManager, foundation: Foundation, key: str) -> list[str]:
    enabled = manager.enabled_keys(foundation.id)
    return sorted(k for k in enabled if key in manager.plugins[k].requires)


def enable(manager: PluginManager, foundation: Foundation, key: str, actor=None, with_requirements: bool = False) -> list[str]:
    """Switch ``key`` on; returns the keys switched on (requirements first). One transaction."""
    _known(manager, key)
    missing = missing_requirements(manager, foundation, key)
    if missing and not with_requirements:
        raise SwitchRefused(
            _("%(plugin)s needs %(names)s, which is off for %(foundation)s.",
              plugin=manager.plugins[key].name, names=", ".join(manager.plugins[k].name for k in missing),
              foundation=foundation.name),
            missing,
        )
    switched = []
    for k in [*missing, key]:
        row = state_row(foundation, k)
        if row.enabled:
            continue
        row.enabled, row.changed_at = True, utcnow()
        row.changed_by_id = actor.id if actor is not None else None
        audit.record("plugin.enabled", foundation_id=foundation.id, details={"plugin": k}, actor=actor)
        events.fire("plugin_enabled", foundation.id, foundation=foundation, key=k)
        switched.append(k)
    manager.forget_state()
    events.commit()
    return switched


def disable(manager: PluginManager, foundation: Foundation, key: str, actor=None) -> bool:
    """Switch ``key`` off (data stays). Refused while an enabled plugin requires it."""
    _known(manager, key)
    needed_by = dependants(manager, foundation, key)
    if needed_by:
        raise SwitchRefused(
            _("%(plugin)s cannot be switched off: %(names)s needs it.", plugin=manager.plugins[key].name,
              names=", ".join(manager.plugins[k].name for k in needed_by)),
            needed_by,
        )
    row = state_row(foundation, key)
    if not row.enabled:
        db.session.rollback()
        return False
    # After commit the plugin is off, so plugin_disabled reaches the plugins still on.
    row.enabled, row.changed_at = False, utcnow()
    row.changed_by_id = actor.id if actor is not None else None
    audit.record("plugin.disabled", foundation_id=foundation.id, details={"plugin": key}, actor=actor)
    events.fire("plugin_disabled", foundation.id, foundation=foundation, key=key)
    manager.forget_state()
    events.commit()
    return True


def _known(manager: PluginManager, key: str) -> None:
    if key not in manager.plugins:
        raise SwitchRefused(_("There is no installed plugin %(key)s.", key=key), [key])

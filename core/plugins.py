"""The plugin manager: discovery, registration, start-up checks and per-foundation gating."""
from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field
from importlib.metadata import entry_points, packages_distributions
from importlib.metadata import version as dist_version
from pathlib import Path
from types import ModuleType

import pluggy
from flask import Flask, has_request_context
from flask_babel import get_locale
from sqlalchemy import select

from core import hookspecs, request_cache
from core.extensions import db

log = logging.getLogger(__name__)
ENTRY_POINT_GROUP = "journey.plugins"
CORE = "core"  # the name core's own contributions (core.builtin) are registered under
REQUIRED_HOOKS = ("privacy_export", "privacy_erase")
# Hooks that are called on every installed plugin, whether or not it is on for a foundation.
UNGATED_EVENTS = ("privacy_export", "privacy_erase")


class PluginError(RuntimeError):
    """A plugin breaks the contract; raised at start-up."""


@dataclass
class PluginInfo:
    key: str
    title: dict[str, str]
    description: dict[str, str]
    version: str
    requires: tuple[str, ...]
    module: ModuleType
    permissions: list = field(default_factory=list)

    @property
    def name(self) -> str:
        """The plugin's title in the language of the request; on the command line, where people
        type keys, its key."""
        return self.localized("title", str(get_locale())) if has_request_context() else self.key

    def localized(self, field_name: str, locale: str) -> str:
        texts = getattr(self, field_name)
        return texts.get(locale) or texts.get("en") or next(iter(texts.values()), self.key)

    @property
    def migrations_dir(self) -> Path | None:
        path = Path(self.module.__file__).parent / "migrations" / "versions"
        return path if path.is_dir() else None


def _distribution_version(module: ModuleType) -> str:
    top = module.__name__.split(".")[0]
    for dist_name in packages_distributions().get(top, []):
        return dist_version(dist_name)
    return "0"


def _texts(value, fallback: str) -> dict[str, str]:
    if isinstance(value, dict):
        return dict(value)
    return {"en": value or fallback}


class PluginManager:
    """One per app (``app.extensions["journey.plugins"]``)."""

    def __init__(self, builtin: ModuleType | None = None) -> None:
        self.pm = pluggy.PluginManager("journey")
        self.pm.add_hookspecs(hookspecs)
        self.plugins: dict[str, PluginInfo] = {}
        self.blueprints: dict[str, str] = {}  # blueprint name -> plugin key
        self.hookspec_modules: list[ModuleType] = [hookspecs]  # core's and the plugins' own
        if builtin is not None:
            self.pm.register(builtin, name=CORE)

    @property
    def owners(self) -> list[str]:
        """``core`` (when its contributions are registered) and every plugin key."""
        return ([CORE] if self.pm.has_plugin(CORE) else []) + list(self.plugins)

    # -- discovery and registration ----------------------------------------------------------
    def load(self, autoload: bool, extra: list) -> None:
        if autoload:
            for ep in entry_points(group=ENTRY_POINT_GROUP):
                self.register(ep.load(), expected_key=ep.name, dist=ep.dist)
        for item in extra:
            module = importlib.import_module(item) if isinstance(item, str) else item
            if getattr(module, "KEY", None) not in self.plugins:
                self.register(module)
        self._check_requirements()
        self.pm.check_pending()

    def register(self, module: ModuleType, expected_key: str | None = None, dist=None) -> PluginInfo:
        key = getattr(module, "KEY", None)
        if not key or not key.isidentifier() or key != key.lower():
            raise PluginError(f"plugin {module.__name__}: KEY must be a lower-case identifier, got {key!r}")
        if expected_key and expected_key != key:
            raise PluginError(f"plugin {module.__name__}: entry point {expected_key!r} but KEY {key!r}")
        if key in self.plugins or key == "core":
            raise PluginError(f"plugin key {key!r} is registered twice")
        extra_specs = getattr(module, "HOOKSPECS", None)
        if extra_specs is not None:
            self.pm.add_hookspecs(extra_specs)
            self.hookspec_modules.append(extra_specs)
        version = getattr(module, "VERSION", None) or (dist.version if dist else _distribution_version(module))
        info = PluginInfo(
            key=key,
            title=_texts(getattr(module, "TITLE", None), key),
            description=_texts(getattr(module, "DESCRIPTION", None), ""),
            version=str(version),
            requires=tuple(getattr(module, "REQUIRES", ())),
            module=module,
        )
        for hook in REQUIRED_HOOKS:
            if not callable(getattr(module, hook, None)):
                raise PluginError(f"plugin {key!r} must implement the {hook} hook")
        self.pm.register(module, name=key)
        self.plugins[key] = info
        return info

    def _check_requirements(self) -> None:
        for info in self.plugins.values():
            missing = [k for k in info.requires if k not in self.plugins]
            if missing:
                raise PluginError(f"plugin {info.key!r} requires {', '.join(missing)}, which is not installed")

    # -- start-up wiring --------------------------------------------------------------------
    def call_one(self, owner: str, hook_name: str, **kwargs):
        """Call one owner's implementation of a hook (start-up hooks whose results belong to it)."""
        others = [self.pm.get_plugin(name) for name in self.owners if name != owner]
        return self.pm.subset_hook_caller(hook_name, remove_plugins=others)(**kwargs)

    def init_app(self, app: Flask) -> None:
        from core.permissions import register_permissions

        for owner in self.owners:
            for perms in self.call_one(owner, "register_permissions"):
                for perm in perms:
                    if not perm.name.startswith(owner + "."):
                        raise PluginError(f"{owner}: permission {perm.name!r} must start with {owner + '.'!r}")
                    if owner in self.plugins:
                        self.plugins[owner].permissions.append(perm)
                    register_permissions(app, [perm])
        for key in self.plugins:
            for blueprints in self.call_one(key, "register_blueprints"):
                for bp in blueprints:
                    if bp.name != key:
                        raise PluginError(f"plugin {key!r}: blueprint must be named {key!r}, not {bp.name!r}")
                    app.register_blueprint(bp, url_prefix=f"/{key}")
                    self.blueprints[bp.name] = key
        self.check_tables()

    def check_tables(self, mappers=None) -> None:
        """Every table a plugin's models define carries the plugin key as prefix."""
        for mapper in mappers if mappers is not None else db.Model.registry.mappers:
            module = mapper.class_.__module__
            for key, info in self.plugins.items():
                package = info.module.__name__
                if module == package or module.startswith(package + "."):
                    for table in mapper.tables:
                        if not table.name.startswith(key + "_"):
                            raise PluginError(f"plugin {key!r}: table {table.name!r} must start with {key + '_'!r}")

    # -- gating -----------------------------------------------------------------------------
    def _foundation_state(self, foundation_id: int) -> dict[str, tuple[bool, dict]]:
        """``{plugin key: (enabled, settings)}`` as saved for a foundation; one query per request."""
        from core.models import FoundationPlugin

        return request_cache.remember("plugin_state", foundation_id, lambda: {
            key: (enabled, settings or {}) for key, enabled, settings in db.session.execute(
                select(FoundationPlugin.plugin_key, FoundationPlugin.enabled, FoundationPlugin.settings)
                .where(FoundationPlugin.foundation_id == foundation_id)
                .execution_options(all_tenants=True)
            )
        })

    def enabled_keys(self, foundation_id: int | None) -> frozenset[str]:
        """Keys of installed plugins switched on for a foundation."""
        if foundation_id is None:
            return frozenset()
        state = self._foundation_state(foundation_id)
        return frozenset(key for key, (enabled, _settings) in state.items() if enabled and key in self.plugins)

    def forget_state(self) -> None:
        """Plugins were switched or their settings saved: read them again."""
        request_cache.forget("plugin_state")

    def is_enabled(self, key: str, foundation_id: int | None) -> bool:
        return key in self.enabled_keys(foundation_id)

    def settings(self, key: str, foundation_id: int) -> dict:
        """A plugin's saved settings for a foundation (empty when never saved)."""
        _enabled, saved = self._foundation_state(foundation_id).get(key, (False, {}))
        return dict(saved)

    def hook_for(self, foundation_id: int | None) -> GatedHook:
        return GatedHook(self, self.enabled_keys(foundation_id))

    def all_hooks(self):
        return self.pm.hook


class GatedHook:
    """``hook_for(foundation).nav_items(...)`` calls only the plugins on for that foundation."""

    def __init__(self, manager: PluginManager, enabled: frozenset[str]) -> None:
        self._manager = manager
        self._off = [manager.pm.get_plugin(k) for k in manager.plugins if k not in enabled]

    def __getattr__(self, name: str):
        return self._manager.pm.subset_hook_caller(name, remove_plugins=self._off)


def public_view(view):
    """Mark a plugin view that is not about the visitor's own foundation (a public certificate
    check, a token-authenticated API): core's per-foundation gate lets it through, and the view
    checks ``is_enabled`` for the foundation its object belongs to."""
    view.journey_public = True
    return view


def plugin_manager(app: Flask | None = None) -> PluginManager:
    from flask import current_app

    return (app or current_app).extensions["journey.plugins"]

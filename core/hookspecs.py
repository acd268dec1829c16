"""The plugin contract: every hook Journey calls, grouped by phase.

Rules for all hooks:
- Core calls hooks with keyword arguments; implementations may accept fewer arguments.
- Hooks return plain data (see ``core.contributions``); core renders it.
- pluggy calls implementations last-registered-first: never rely on that. Contributions carry
  an explicit ``order`` and core sorts by it.
- Request-time hooks and lifecycle events are called through the foundation-gated caller:
  a plugin that is switched off for a foundation is not called for it.
- Lifecycle events fire after the database commit; each implementation runs on its own, and
  one that raises is logged and rolled back without affecting the others.
- Privacy hooks are called on every installed plugin, switched on or not: data stays when a
  plugin is switched off, so an export or erasure must still reach it.
"""
from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("journey")
hookimpl = pluggy.HookimplMarker("journey")


# -- start-up: called once, when the app is created, on every installed plugin -----------------

@hookspec
def register_blueprints():
    """Return a list of Flask blueprints. The blueprint's name must be the plugin key; core mounts
    it at ``/<key>/`` and answers 404 for foundations where the plugin is off."""


@hookspec
def register_permissions():
    """Return a list of ``Permission`` (named ``<key>.<verb>``) with their default roles."""


@hookspec
def register_jobs():
    """Return a list of ``JobSpec`` for the scheduler."""


@hookspec
def register_cli_commands(cli):
    """Add click commands to the ``flask journey`` group ``cli``."""


@hookspec(firstresult=True)
def plugin_settings_form():
    """Return a FlaskForm class for the plugin's per-foundation settings, or None.
    Called on one plugin at a time (firstresult)."""


# -- request time: foundation-gated ------------------------------------------------------------

@hookspec
def nav_items(user, foundation):
    """Return a list of ``NavItem`` for the main menu of ``user`` in ``foundation``."""


@hookspec
def dashboard_widgets(user, foundation):
    """Return a list of ``Widget`` for the dashboard of ``user`` in ``foundation``."""


@hookspec
def person_sections(person, viewer):
    """Return a list of ``PersonSection`` shown on ``person``'s page to ``viewer`` (check what the
    viewer may see)."""


# -- lifecycle events: after commit, foundation-gated, each implementation isolated ------------

@hookspec
def person_hired(person):
    """``person`` was created (status preboarding or active)."""


@hookspec
def person_changed(person, changes):
    """HR changed ``person``'s record; ``changes`` maps each changed field name to ``(old, new)``
    (e.g. ``{"start_date": (date(2027, 1, 4), date(2027, 2, 1))}``). Fires before the more specific
    ``person_transferred`` and ``person_leaving`` of the same change."""


@hookspec
def person_transferred(person, from_team, to_team):
    """``person`` moved from ``from_team`` to ``to_team`` (either may be None)."""


@hookspec
def person_leaving(person):
    """``person`` got an end date (status leaving)."""


@hookspec
def plugin_enabled(foundation, key):
    """Plugin ``key`` was switched on for ``foundation``."""


@hookspec
def plugin_disabled(foundation, key):
    """Plugin ``key`` was switched off for ``foundation``. Never drop data here."""


# -- privacy: required of every plugin, called on every installed plugin ------------------------

@hookspec
def privacy_export(person):
    """Return a JSON-serialisable dict with everything this plugin holds about ``person``."""


@hookspec
def privacy_erase(person):
    """Erase or anonymise everything this plugin holds about ``person`` (no commit needed)."""


# -- data ---------------------------------------------------------------------------------------

@hookspec
def seed_demo(foundation, people, rng, scale):
    """Create demo or benchmark data for ``foundation``. ``people`` is a list of person ids of that
    foundation, ``rng`` a seeded ``random.Random``, ``scale`` "demo" or "bench". Foundation-gated."""

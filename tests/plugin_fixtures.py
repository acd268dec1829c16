"""Fixtures shared by plugin test suites (a pytest plugin, as Indico ships its fixtures)."""
from __future__ import annotations

import pytest

from core.plugin_switch import enable
from core.plugins import plugin_manager


@pytest.fixture
def enable_plugin(app, db):
    """``enable_plugin("key", foundation)`` switches a plugin on for a foundation."""

    def _enable(key, foundation):
        return enable(plugin_manager(app), foundation, key, with_requirements=True)

    return _enable

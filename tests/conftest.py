"""Journey's own suite: core's fixtures (core/testing/fixtures.py, loaded through the ``pytest11``
entry point) over every built-in plugin, the example plugin and the recording test plugin."""
from __future__ import annotations

import pytest

PLUGINS = ["journey_hello", "tests.core.spyplugin", "plugins.flexwork", "plugins.learning", "plugins.onboarding",
           "plugins.wellbeing"]


@pytest.fixture(scope="session")
def journey_plugins() -> list[str]:
    return PLUGINS  # all off until a test switches them on


@pytest.fixture
def spy(db):
    """The recording test plugin (tests/core/spyplugin.py), with its call log emptied."""
    from tests.core import spyplugin

    spyplugin.CALLS.clear()
    spyplugin.FAIL_ON.clear()
    yield spyplugin
    spyplugin.FAIL_ON.clear()

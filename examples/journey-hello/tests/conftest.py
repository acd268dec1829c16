"""The plugin's tests run on Journey's own fixtures (app, db, client, make, login, enable_plugin,
clock), which pytest loads by itself wherever Journey is installed (its ``pytest11`` entry point)."""
import pytest


@pytest.fixture(scope="session")
def journey_plugins():
    return ["journey_hello"]  # the modules the test app loads, switched off until a test switches them on

"""The plugin's tests run on Journey's own fixtures (app, db, client, make, login, enable_plugin)."""
import pytest

pytest_plugins = ["core.testing.fixtures"]


@pytest.fixture(scope="session")
def journey_plugins():
    return ["journey_hello"]  # the modules the test app loads, switched off until a test switches them on

"""Test support for Journey and its plugins.

A plugin's test suite loads the fixtures with one line in its ``conftest.py``::

    pytest_plugins = ["core.testing.fixtures"]

and names the plugin modules its app loads by overriding the ``journey_plugins`` fixture.
``docs/plugins.md`` ("Testing a plugin") has the whole of it; ``examples/journey-hello/tests``
is a working example.
"""

"""The pytest plugin of Journey's fixtures: ``app``, ``db``, ``client``, ``runner``, ``make``,
``login``, ``csrf_on``, ``enable_plugin`` and ``clock``.

The suite runs on SQLite by default and on PostgreSQL when ``JOURNEY_TEST_DATABASE_URL`` is set.
The schema is created once per test session; every test starts from empty tables. Plugins are not
discovered: the app loads the modules the ``journey_plugins`` fixture names (override it in your
``conftest.py``), all switched off until a test switches them on.
"""
from __future__ import annotations

import os
from datetime import datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from core import clock as _clock
from core import create_app
from core.extensions import db as _db
from core.plugin_switch import enable
from core.plugins import plugin_manager
from core.testing.factories import Factory

# The suite's clock starts here, a Wednesday morning, in every test: no test depends on the day it runs.
CLOCK_START = datetime(2026, 3, 4, 9, 30, tzinfo=_clock.ZONE)


class Clock:
    """The clock of a test: ``clock.set(moment, tick=False)`` moves it, ``clock.today()`` reads it."""

    start = CLOCK_START
    set = staticmethod(_clock.set_clock)
    today = staticmethod(_clock.today)
    now = staticmethod(_clock.now)

    def forward(self, **delta) -> None:
        """Move the clock on by ``timedelta(**delta)``, keeping it ticking or still as it is."""
        _clock.move_clock(timedelta(**delta))


@pytest.fixture(autouse=True)
def clock():
    """Journey's clock set to ``CLOCK_START`` and ticking, for every test; back to real time after."""
    _clock.set_clock(CLOCK_START)
    yield Clock()
    _clock.reset_clock()


def database_url(tmp_path_factory) -> str:
    url = os.environ.get("JOURNEY_TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "journey-test.db")


def make_config(url: str, instance_path: str, **extra) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": url,
        "INSTANCE_PATH": instance_path,
        "PLUGINS_AUTOLOAD": False,
        "PLUGINS": [],
        "WTF_CSRF_ENABLED": False,  # see the csrf_on fixture
    }
    config.update(extra)
    return config


class FreshContextClient(FlaskClient):
    """Each request gets its own app context, hence its own ``g`` and database session, as in
    production. (Flask reuses an app context that a test has pushed, which would leak ``g`` —
    the signed-in user, caches — from one request into the next.)"""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def journey_plugins() -> list[str]:
    """Modules of the plugins the test app loads; a plugin's ``conftest.py`` names its own."""
    return []


@pytest.fixture(scope="session")
def app(tmp_path_factory, journey_plugins):
    url = database_url(tmp_path_factory)
    app = create_app(make_config(url, str(tmp_path_factory.mktemp("instance")), PLUGINS=list(journey_plugins)))
    app.test_client_class = FreshContextClient
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()


def empty_tables() -> None:
    tables = list(reversed(_db.metadata.sorted_tables))
    if _db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        _db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        _db.session.execute(text("PRAGMA foreign_keys=OFF"))
        for table in tables:
            _db.session.execute(table.delete())
    _db.session.commit()


@pytest.fixture
def db(app):
    with app.app_context():
        empty_tables()
        yield _db
        _db.session.remove()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


@pytest.fixture
def make(db) -> Factory:
    return Factory(db)


class Login:
    """``login(person)`` signs the test client in through the real login form."""

    def __init__(self, client):
        self.client = client

    def __call__(self, person, password: str = Factory.PASSWORD):
        self.client.post("/auth/logout")
        response = self.client.post("/auth/login", data={"email": person.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response


@pytest.fixture
def login(client) -> Login:
    return Login(client)


@pytest.fixture
def csrf_on(app):
    """Most tests post without CSRF tokens; this turns the check back on for one test."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def enable_plugin(app, db):
    """``enable_plugin("key", foundation)`` switches a plugin (and what it requires) on."""

    def _enable(key, foundation):
        return enable(plugin_manager(app), foundation, key, with_requirements=True)

    return _enable

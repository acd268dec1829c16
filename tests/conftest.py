"""Fixtures: ``app``, ``client``, ``runner``, ``db``, a login helper and factories.

The suite runs on SQLite by default and on PostgreSQL when JOURNEY_TEST_DATABASE_URL is set.
The schema is created once per test session; every test starts from empty tables.
"""
from __future__ import annotations

import os

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from core import create_app
from core.extensions import db as _db
from tests.factories import Factory

pytest_plugins = ["tests.plugin_fixtures"]


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
        "PLUGINS": ["journey_hello", "tests.core.spyplugin", "plugins.flexwork", "plugins.learning", "plugins.onboarding", "plugins.wellbeing"],  # all off until a test switches them on
        "LOGIN_MAX_FAILURES_ACCOUNT": 5,
        "WTF_CSRF_ENABLED": False,  # see the csrf_on fixture and tests/core/test_csrf.py
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
def app(tmp_path_factory):
    url = database_url(tmp_path_factory)
    app = create_app(make_config(url, str(tmp_path_factory.mktemp("instance"))))
    app.test_client_class = FreshContextClient
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()


def _empty_tables() -> None:
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
        _empty_tables()
        yield _db
        _db.session.remove()


@pytest.fixture
def spy(db):
    """The recording test plugin (tests/core/spyplugin.py), with its call log emptied."""
    from tests.core import spyplugin

    spyplugin.CALLS.clear()
    spyplugin.FAIL_ON.clear()
    yield spyplugin
    spyplugin.FAIL_ON.clear()


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

"""The migration that stores calendar feed keys as their hash (flexwork_0002): an address made
before it keeps working, and the database keeps no key as it is."""
from __future__ import annotations

import hashlib
import os
import uuid

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core import create_app
from core.extensions import db
from core.plugin_switch import enable
from core.plugins import plugin_manager
from core.testing.factories import Factory
from core.testing.fixtures import make_config

OLD_KEY = "a-key-made-before-keys-were-hashed"


@pytest.fixture
def empty_database(tmp_path):
    """A fresh, empty database of the kind the suite runs on (migrations need their own)."""
    server_url = os.environ.get("JOURNEY_TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{tmp_path}/feed-keys.db"
        return
    name = f"journey_fw_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_a_key_made_before_the_migration_keeps_working(empty_database, tmp_path, journey_plugins):
    app = create_app(make_config(empty_database, str(tmp_path), PLUGINS=journey_plugins))
    with app.app_context():
        try:
            upgrade(revision="core@head")
            upgrade(revision="flexwork_0001")  # keys were stored as they are
            make = Factory(db)
            ggz = make.foundation("ggz")
            anna = make.person(ggz)
            db.session.execute(text("INSERT INTO flexwork_feed_key (foundation_id, person_id, key, created_at) "
                                    "VALUES (:foundation, :person, :key, CURRENT_TIMESTAMP)"),
                               {"foundation": ggz.id, "person": anna.id, "key": OLD_KEY})
            db.session.commit()

            upgrade(revision="heads")

            stored = db.session.execute(text("SELECT * FROM flexwork_feed_key")).mappings().all()
            assert [row["key_hash"] for row in stored] == [hashlib.sha256(OLD_KEY.encode()).hexdigest()]
            assert "key" not in stored[0] and OLD_KEY not in str(stored)
            enable(plugin_manager(app), ggz, "flexwork")
            db.session.commit()
            response = app.test_client().get(f"/flexwork/calendar/{OLD_KEY}.ics")
            assert response.status_code == 200 and response.mimetype == "text/calendar"
        finally:
            db.session.remove()
            db.engine.dispose()

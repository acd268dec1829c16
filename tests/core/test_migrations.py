"""Migrations: every lineage upgrades an empty database and matches the models."""
from __future__ import annotations

import os
import uuid
from collections import Counter

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from core import create_app
from core.extensions import db, migrate
from core.lineages import include_in_autogenerate
from core.plugins import plugin_manager
from core.testing.fixtures import make_config


@pytest.fixture
def empty_database(tmp_path):
    """A fresh, empty database of the kind the suite runs on."""
    server_url = os.environ.get("JOURNEY_TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{tmp_path}/migrations.db"
        return
    name = f"journey_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def migrated_app(empty_database, tmp_path, journey_plugins):
    app = create_app(make_config(empty_database, str(tmp_path), PLUGINS=journey_plugins))
    with app.app_context():
        upgrade(revision="heads")
        yield app
        db.session.remove()
        db.engine.dispose()


def _script(app) -> ScriptDirectory:
    return ScriptDirectory.from_config(migrate.get_config())


def test_upgrade_heads_creates_every_table_and_index(migrated_app):
    assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())
    # Autogenerate skips expression indexes (and SQLite does not reflect them): check by name.
    catalogue = {"sqlite": "SELECT name FROM sqlite_master WHERE type = 'index'",
                 "postgresql": "SELECT indexname FROM pg_indexes"}[db.engine.dialect.name]
    with db.engine.connect() as conn:
        existing = set(conn.execute(text(catalogue)).scalars())
    assert {index.name for table in db.metadata.sorted_tables for index in table.indexes} <= existing


def test_models_and_migrations_agree_in_every_lineage(migrated_app):
    lineages = ["core", *plugin_manager(migrated_app).plugins]
    differences = {}
    with db.engine.connect() as conn:
        for lineage in lineages:
            context = MigrationContext.configure(conn, opts={
                "compare_type": True,
                "include_object": lambda *args, lineage=lineage: include_in_autogenerate(*args, lineage=lineage),
            })
            diff = compare_metadata(context, db.metadata)
            if diff:
                differences[lineage] = diff
    assert not differences, f"models differ from migrations (run flask db migrate -x lineage=KEY): {differences}"


def test_every_lineage_has_exactly_one_head(migrated_app):
    script = _script(migrated_app)
    # A lineage's head has no child in its own lineage (dependents in other lineages do not count).
    heads = Counter(_lineage_of(script, rev) for rev in script.walk_revisions() if not rev.nextrev)
    assert set(heads) >= {"core", "hello"}
    assert all(count == 1 for count in heads.values()), heads


def _lineage_of(script, revision) -> str:
    """The branch label of the lineage a revision belongs to, found by walking down to its base."""
    while not revision.branch_labels:
        revision = script.get_revision(revision.down_revision)
    return sorted(revision.branch_labels)[0]


def test_each_plugin_lineage_starts_from_core(migrated_app):
    script = _script(migrated_app)
    for base in script.get_bases():
        revision = script.get_revision(base)
        if "core" not in revision.branch_labels:
            assert revision.dependencies, f"{base} must depend_on a core revision"

"""Alembic environment: one version table, one lineage for core and one per plugin.

Autogenerate works on one lineage at a time and only sees that lineage's tables, so it never
proposes to drop another lineage's tables:

    flask db migrate -x lineage=core --head core@head -m "…"
    flask db migrate -x lineage=<key> --head <key>@head -m "…"
"""
import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from core.lineages import include_in_autogenerate

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

migrate_ext = current_app.extensions["migrate"]
target_metadata = migrate_ext.db.metadata
lineage = context.get_x_argument(as_dictionary=True).get("lineage")


def include_object(obj, name, type_, reflected, compare_to):
    return include_in_autogenerate(obj, name, type_, reflected, compare_to, lineage)


def process_revision_directives(ctx, revision, directives):
    if getattr(config.cmd_opts, "autogenerate", False):
        if not lineage:
            raise SystemExit("autogenerate needs a lineage: -x lineage=core or -x lineage=<plugin key>")
        if directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")


def run_migrations_online():
    conf_args = dict(migrate_ext.configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    with migrate_ext.db.engine.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata, include_object=include_object, **conf_args
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
run_migrations_online()

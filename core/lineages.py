"""Migration lineages: ``core`` in migrations/versions, one per plugin in its own folder."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import Column

from core import PROJECT_ROOT
from core.extensions import migrate

CORE_VERSIONS = PROJECT_ROOT / "migrations" / "versions"


def version_locations(manager) -> list[str]:
    locations = [str(CORE_VERSIONS)]
    for info in manager.plugins.values():
        if info.migrations_dir is not None:
            locations.append(str(info.migrations_dir))
    return locations


def table_in_lineage(table: str, lineage: str) -> bool:
    """Plugin tables carry their key as prefix; every other table is core's."""
    keys = current_app.extensions["journey.plugins"].plugins
    owner = next((key for key in keys if table.startswith(key + "_")), "core")
    return owner == lineage


def include_in_autogenerate(obj, name, type_, reflected, compare_to, lineage: str | None) -> bool:
    """Alembic's ``include_object`` filter: only the lineage's tables, never the version table, and
    no expression indexes (databases reflect their expressions in their own spelling, so they would
    be dropped and re-created on every comparison; such indexes are written by hand)."""
    if type_ == "table":
        return name != "alembic_version" and (lineage is None or table_in_lineage(name, lineage))
    if type_ == "index":
        return all(isinstance(expr, Column) for expr in getattr(obj, "expressions", ()))
    return True


@migrate.configure
def _add_lineages(config):
    manager = current_app.extensions["journey.plugins"]
    config.set_main_option("version_locations", " ".join(version_locations(manager)))
    config.set_main_option("path_separator", "space")
    return config

"""Shared column helpers for models."""
from datetime import datetime, timezone

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from core.extensions import db


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class TenantScoped:
    """Rows owned by one foundation. Queries on these are scoped centrally (core.tenancy)."""

    @declared_attr
    def foundation_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("foundation.id"), index=True, nullable=False)


__all__ = ["db", "utcnow", "TenantScoped"]

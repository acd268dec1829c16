"""Shared column helpers for models."""
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from core import clock
from core.extensions import db


def utcnow() -> datetime:
    return clock.utcnow()


class TenantScoped:
    """Rows owned by one foundation. Queries on these are scoped centrally (core.tenancy)."""

    @declared_attr
    def foundation_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("foundation.id"), index=True, nullable=False)


__all__ = ["db", "utcnow", "TenantScoped"]

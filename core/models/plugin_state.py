from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import TenantScoped, db, utcnow


class FoundationPlugin(TenantScoped, db.Model):
    """Whether a plugin is switched on for a foundation, and its settings there."""

    __tablename__ = "foundation_plugin"
    __table_args__ = (UniqueConstraint("foundation_id", "plugin_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plugin_key: Mapped[str] = mapped_column(String(60))
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    changed_by = relationship("Person")

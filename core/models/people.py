"""People and teams."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import TenantScoped, db, utcnow

PERSON_TYPES = {
    "employee": _l("Employee"),
    "volunteer": _l("Volunteer"),
    "intern": _l("Intern"),
    "contractor": _l("Contractor"),
}
PERSON_STATUSES = {
    "preboarding": _l("Preboarding"),
    "active": _l("Active"),
    "leaving": _l("Leaving"),
    "left": _l("Left"),
}
REGIONS = ["Twente", "Midden-IJssel", "IJssel-Vecht"]


class Team(TenantScoped, db.Model):
    __tablename__ = "team"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", use_alter=True, ondelete="SET NULL"), index=True
    )

    parent: Mapped[Team | None] = relationship(remote_side=[id])
    manager: Mapped[Person | None] = relationship(foreign_keys=[manager_id])
    foundation = relationship("Foundation")

    def __repr__(self) -> str:
        return f"<Team {self.name}>"


class Person(TenantScoped, db.Model):
    """Everyone: employee, volunteer, intern or contractor, and their login."""

    __tablename__ = "person"
    __table_args__ = (
        UniqueConstraint("foundation_id", "employee_number"),
        # the people list's order (core.people.queries): one index walk instead of sorting everyone
        Index("ix_person_foundation_sort_name", "foundation_id", func.lower(text("last_name")),
              func.lower(text("first_name")), "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    person_type: Mapped[str] = mapped_column(String(20), default="employee")
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    employee_number: Mapped[str | None] = mapped_column(String(40))
    job_title: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    contract_hours: Mapped[float | None] = mapped_column(Numeric(5, 2))
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    # Login fields. session_version is part of the session cookie: bumping it ends every session.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    login_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    team: Mapped[Team | None] = relationship(foreign_keys=[team_id])
    foundation = relationship("Foundation")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    # Flask-Login
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.login_enabled and self.status != "left"

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        self.session_version = (self.session_version or 0) + 1

    def __repr__(self) -> str:
        return f"<Person {self.email}>"

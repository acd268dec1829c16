"""Learning tables: catalogue, sessions and enrolments, training records, requirements,
registrations, and the tokens of the xAPI endpoint and calendar feeds.

Courses, learning paths and registers may be group-wide (``foundation_id`` NULL) or owned by one
foundation, so they cannot use ``TenantScoped`` (whose ``foundation_id`` is NOT NULL). They are
scoped explicitly by ``plugins.learning.catalogue.visible_to`` (group-wide or the acting
foundation). Everything about people is ``TenantScoped``.

Times of sessions are naive Europe/Amsterdam wall-clock times, as people plan them.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import TenantScoped, clock, db

requirement_course = Table(
    "learning_requirement_course",
    db.metadata,
    Column("requirement_id", ForeignKey("learning_requirement.id", ondelete="CASCADE"), primary_key=True),
    Column("course_id", ForeignKey("learning_course.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Register(db.Model):
    """A professional register (BIG, Kwaliteitsregister V&V, ...): its cycle and the points or
    hours a cycle asks for. Data, never hard-coded."""

    __tablename__ = "learning_register"
    id: Mapped[int] = mapped_column(primary_key=True)
    foundation_id: Mapped[int | None] = mapped_column(ForeignKey("foundation.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    cycle_months: Mapped[int] = mapped_column(Integer, default=60)
    points_required: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=0)
    unit: Mapped[str] = mapped_column(String(10), default="points")  # points | hours


class Course(db.Model):
    __tablename__ = "learning_course"
    id: Mapped[int] = mapped_column(primary_key=True)
    foundation_id: Mapped[int | None] = mapped_column(ForeignKey("foundation.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    category: Mapped[str] = mapped_column(String(100), default="")
    format: Mapped[str] = mapped_column(String(20), default="classroom")
    duration_hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    provider: Mapped[str] = mapped_column(String(200), default="")
    cost: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    register_id: Mapped[int | None] = mapped_column(ForeignKey("learning_register.id", ondelete="SET NULL"))
    accreditation_points: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    validity_months: Mapped[int | None] = mapped_column(Integer)  # None: never expires
    grace_days: Mapped[int] = mapped_column(Integer, default=0)
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    xapi_activity_id: Mapped[str | None] = mapped_column(String(500), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.utcnow)

    register: Mapped[Register | None] = relationship()

    @property
    def group_wide(self) -> bool:
        return self.foundation_id is None


class LearningPath(db.Model):
    __tablename__ = "learning_path"
    id: Mapped[int] = mapped_column(primary_key=True)
    foundation_id: Mapped[int | None] = mapped_column(ForeignKey("foundation.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    steps: Mapped[list[PathStep]] = relationship(
        back_populates="path", order_by="PathStep.position", cascade="all, delete-orphan"
    )


class PathStep(db.Model):
    __tablename__ = "learning_path_step"
    __table_args__ = (UniqueConstraint("path_id", "course_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    path_id: Mapped[int] = mapped_column(ForeignKey("learning_path.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("learning_course.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)

    path: Mapped[LearningPath] = relationship(back_populates="steps")
    course: Mapped[Course] = relationship()


class CourseSession(TenantScoped, db.Model):
    """One run of a course. ``lock_version`` is bumped by every change to its seats: the UPDATE
    serialises concurrent enrolments and cancellations of the same session."""

    __tablename__ = "learning_session"
    __table_args__ = (Index("ix_learning_session_course_start", "course_id", "starts_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("learning_course.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    location: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    capacity: Mapped[int] = mapped_column(Integer, default=12)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    lock_version: Mapped[int] = mapped_column(Integer, default=0)

    course: Mapped[Course] = relationship()
    trainer = relationship("Person")


class Enrolment(TenantScoped, db.Model):
    """A person on a session: requested (awaiting the manager), enrolled, waitlisted, cancelled
    or rejected. One row per person and session; enrolling again reopens a cancelled row."""

    __tablename__ = "learning_enrolment"
    __table_args__ = (UniqueConstraint("session_id", "person_id"), Index("ix_learning_enrolment_queue", "session_id", "status", "queued_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("learning_session.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    queued_at: Mapped[datetime] = mapped_column(DateTime, default=clock.utcnow)  # place on the waiting list
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    attendance: Mapped[str | None] = mapped_column(String(10))  # present | absent | no_show
    result: Mapped[str | None] = mapped_column(String(10))  # passed | failed
    score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("learning_record.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.utcnow)

    session: Mapped[CourseSession] = relationship()
    person = relationship("Person", foreign_keys=[person_id])


class TrainingRecord(TenantScoped, db.Model):
    """A completed course. ``expires_on`` (last valid day) and ``grace_until`` are computed from
    the course when the record is made, and so is the accreditation it earns."""

    __tablename__ = "learning_record"
    __table_args__ = (
        Index("ix_learning_record_person_course", "person_id", "course_id"),
        Index("ix_learning_record_foundation_status", "foundation_id", "status"),  # HR's "to verify" count
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("learning_course.id", ondelete="CASCADE"), index=True)
    completed_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    grace_until: Mapped[date | None] = mapped_column(Date)
    score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    source: Mapped[str] = mapped_column(String(10))  # session | import | xapi | manual
    status: Mapped[str] = mapped_column(String(10), default="verified")  # pending | verified | rejected
    session_id: Mapped[int | None] = mapped_column(ForeignKey("learning_session.id", ondelete="SET NULL"))
    register_id: Mapped[int | None] = mapped_column(ForeignKey("learning_register.id", ondelete="SET NULL"))
    points: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    verification_code: Mapped[str | None] = mapped_column(String(20), unique=True)
    evidence_name: Mapped[str | None] = mapped_column(String(255))  # original file name
    evidence_stored: Mapped[str | None] = mapped_column(String(64))  # random name on disk
    evidence_type: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.utcnow)

    person = relationship("Person", foreign_keys=[person_id])
    course: Mapped[Course] = relationship()


class Requirement(TenantScoped, db.Model):
    """Mandatory training: one of ``courses`` for the people matching every filled-in filter,
    within ``within_days`` of their start, renewed per the course's validity."""

    __tablename__ = "learning_requirement"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    job_title: Mapped[str | None] = mapped_column(String(200))
    person_type: Mapped[str | None] = mapped_column(String(20))
    within_days: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    courses: Mapped[list[Course]] = relationship(secondary=requirement_course, order_by="Course.title")
    team = relationship("Team")


class Registration(TenantScoped, db.Model):
    """A person's registration in a register, for one cycle."""

    __tablename__ = "learning_registration"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("learning_register.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(40), default="")
    cycle_start: Mapped[date] = mapped_column(Date)
    cycle_end: Mapped[date] = mapped_column(Date, index=True)
    points_required: Mapped[Decimal] = mapped_column(Numeric(8, 2))

    register: Mapped[Register] = relationship()
    person = relationship("Person")


class ApiToken(TenantScoped, db.Model):
    """A foundation's token for the xAPI endpoint; only its SHA-256 is stored."""

    __tablename__ = "learning_api_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(12))  # the first characters, to recognise it
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class XapiStatement(TenantScoped, db.Model):
    """A statement id seen from a foundation: the unique constraint makes statements idempotent."""

    __tablename__ = "learning_xapi_statement"
    __table_args__ = (UniqueConstraint("foundation_id", "statement_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[str] = mapped_column(String(36))
    content_hash: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("learning_record.id", ondelete="SET NULL"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=clock.utcnow)


class FeedToken(TenantScoped, db.Model):
    """The secret of a person's calendar-feed URL; only its SHA-256 is stored."""

    __tablename__ = "learning_feed_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.utcnow)


class ComplianceSnapshot(TenantScoped, db.Model):
    """A foundation's compliance counts (``{requirement id: {status: pairs}}``) as computed at
    ``computed_at`` for ``day``: the whole-foundation summary is too costly to count on every page
    at 100,000 people. Deleted whenever a record of the foundation changes; refreshed by a job."""

    __tablename__ = "learning_compliance_snapshot"
    __table_args__ = (UniqueConstraint("foundation_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=clock.utcnow)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)

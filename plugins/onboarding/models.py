"""Onboarding tables: templates with their tasks, journeys with theirs, files and feedback."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import TenantScoped, clock, db

task_dependency = Table(
    "onboarding_task_dependency",
    db.metadata,
    Column("task_id", ForeignKey("onboarding_template_task.id", ondelete="CASCADE"), primary_key=True),
    Column("depends_on_id", ForeignKey("onboarding_template_task.id", ondelete="CASCADE"), primary_key=True),
)


class OnboardingTemplate(TenantScoped, db.Model):
    """A foundation's plan for one kind of journey, and whom it applies to (blank = anyone).

    ``version`` goes up with every change, so a journey can tell it was planned on an older one.
    """

    __tablename__ = "onboarding_template"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="onboarding")
    person_type: Mapped[str | None] = mapped_column(String(20))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    job_title: Mapped[str | None] = mapped_column(String(200))
    invite_days_before_start: Mapped[int] = mapped_column(Integer, default=14)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=clock.utcnow)

    team = relationship("Team")
    foundation = relationship("Foundation")
    tasks: Mapped[list[OnboardingTemplateTask]] = relationship(
        back_populates="template", order_by="OnboardingTemplateTask.position", cascade="all, delete-orphan"
    )


class OnboardingTemplateTask(TenantScoped, db.Model):
    """One step of a template. ``config`` holds what its type needs (allowed file types and size,
    form questions, document text or ``document_file_id``, meeting time and length, course code)."""

    __tablename__ = "onboarding_template_task"
    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("onboarding_template.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    task_type: Mapped[str] = mapped_column(String(20), default="checkbox")
    assignee_role: Mapped[str] = mapped_column(String(20), default="newcomer")
    assignee_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    offset_days: Mapped[int] = mapped_column(Integer, default=0)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    config: Mapped[dict] = mapped_column(JSON, default=dict)

    template: Mapped[OnboardingTemplate] = relationship(back_populates="tasks")
    assignee_person = relationship("Person")
    depends_on: Mapped[list[OnboardingTemplateTask]] = relationship(
        secondary=task_dependency,
        primaryjoin=lambda: OnboardingTemplateTask.id == task_dependency.c.task_id,
        secondaryjoin=lambda: OnboardingTemplateTask.id == task_dependency.c.depends_on_id,
        order_by=lambda: OnboardingTemplateTask.position,
    )


class OnboardingJourney(TenantScoped, db.Model):
    """A person's journey, planned from a template at a start date (for offboarding: the last day)."""

    __tablename__ = "onboarding_journey"
    __table_args__ = (
        # With the id, HR's overdue count joins tasks to open journeys from the two indexes alone.
        Index("ix_onboarding_journey_scope", "foundation_id", "status", "start_date", postgresql_include=["id"]),
        Index("ix_onboarding_journey_start", "foundation_id", "start_date", "id"),  # HR overview order
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("onboarding_template.id", ondelete="SET NULL"), index=True
    )
    template_version: Mapped[int] = mapped_column(Integer, default=1)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), default="open")
    start_date: Mapped[date] = mapped_column(Date)
    invited_on: Mapped[date] = mapped_column(Date)
    buddy_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)

    person = relationship("Person", foreign_keys=[person_id])
    buddy = relationship("Person", foreign_keys=[buddy_id])
    template = relationship("OnboardingTemplate")
    tasks: Mapped[list[OnboardingJourneyTask]] = relationship(
        back_populates="journey", order_by="OnboardingJourneyTask.seq", cascade="all, delete-orphan"
    )

    @property
    def closed_at(self) -> datetime | None:
        return self.completed_at or self.cancelled_at


class OnboardingJourneyTask(TenantScoped, db.Model):
    """A task of a journey: a copy of its template task, planned on real dates.

    ``seq`` numbers the tasks within the journey; ``depends_on`` lists the ``seq`` of the tasks that
    must be done (or skipped) first. ``assignee_id`` is None for HR's tasks (any HR administrator)
    and for a buddy's tasks until the buddy is chosen.
    """

    __tablename__ = "onboarding_journey_task"
    __table_args__ = (
        UniqueConstraint("journey_id", "seq"),
        Index("ix_onboarding_journey_task_due", "foundation_id", "status", "due_date", postgresql_include=["journey_id"]),
        Index("ix_onboarding_journey_task_remind", "foundation_id", "status", "remind_on"),
        Index("ix_onboarding_journey_task_assignee", "assignee_id", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("onboarding_journey.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    template_task_id: Mapped[int | None] = mapped_column(
        ForeignKey("onboarding_template_task.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    task_type: Mapped[str] = mapped_column(String(20))
    assignee_role: Mapped[str] = mapped_column(String(20))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    offset_days: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date)
    remind_on: Mapped[date] = mapped_column(Date)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    depends_on: Mapped[list] = mapped_column(JSON, default=list)
    config: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="open")
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    response: Mapped[dict] = mapped_column(JSON, default=dict)
    meeting_at: Mapped[datetime | None] = mapped_column(DateTime)  # local time, Europe/Amsterdam

    journey: Mapped[OnboardingJourney] = relationship(back_populates="tasks")
    assignee = relationship("Person", foreign_keys=[assignee_id])
    done_by = relationship("Person", foreign_keys=[done_by_id])


class OnboardingFile(TenantScoped, db.Model):
    """A file on disk under ``<instance>/uploads/onboarding/<stored_name>``: a newcomer's upload
    (``journey_id`` set, removed with the journey) or a template's document to read and confirm
    (``template_id`` set; tasks refer to it by id, so a replaced document stays for the journeys
    planned with it)."""

    __tablename__ = "onboarding_file"
    id: Mapped[int] = mapped_column(primary_key=True)
    journey_id: Mapped[int | None] = mapped_column(ForeignKey("onboarding_journey.id", ondelete="CASCADE"), index=True)
    journey_task_id: Mapped[int | None] = mapped_column(
        ForeignKey("onboarding_journey_task.id", ondelete="CASCADE"), index=True
    )
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("onboarding_template.id", ondelete="CASCADE"), index=True
    )
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=clock.utcnow)


class OnboardingFeedback(TenantScoped, db.Model):
    """The newcomer's check at day 30 or 90: three scores 1-5 and an optional comment.

    Kept for the template's statistics when its journey is erased or purged (``journey_id`` then
    None and the comment removed)."""

    __tablename__ = "onboarding_feedback"
    __table_args__ = (UniqueConstraint("journey_id", "checkpoint"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    journey_id: Mapped[int | None] = mapped_column(ForeignKey("onboarding_journey.id", ondelete="SET NULL"))
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("onboarding_template.id", ondelete="SET NULL"), index=True
    )
    checkpoint: Mapped[int] = mapped_column(Integer)
    welcome: Mapped[int] = mapped_column(Integer)
    clarity: Mapped[int] = mapped_column(Integer)
    support: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(DateTime, default=clock.utcnow)

"""Wellbeing tables.

Anonymous by construction: answers live only as counters per (period, team, question, value) and
check-ins per (period, team); comments per (period, division or whole foundation). None of these
tables has a person, a time finer than the period, or a serial id that could tell the order in
which answers arrived (composite or random keys; on SQLite ``WITHOUT ROWID``, so no hidden rowid
keeps that order either). Who checked in is a separate ledger of (period, person), used only to
refuse a second check-in and to skip reminders.

A check-in's answers and comment first wait in the pending tables, written in a transaction of
their own (not the ledger's), until ``fold.py`` adds a batch of them to the counters and deletes
them; see there for why.
"""
from __future__ import annotations

import uuid
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
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import TenantScoped, clock, db

NO_ROWID = {"sqlite_with_rowid": False}
# The pending tables are emptied by every fold, and a deleted row's old version still holds its
# answers until VACUUM removes it: ask PostgreSQL's autovacuum to clear them as soon as there is one.
VACUUM_SOON = {"autovacuum_vacuum_threshold": 0, "autovacuum_vacuum_scale_factor": 0}

campaign_team = Table(
    "wellbeing_campaign_team",
    db.metadata,
    Column("campaign_id", ForeignKey("wellbeing_campaign.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("team.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Campaign(TenantScoped, db.Model):
    """Recurring check-ins for some teams of a foundation. It runs only once HR confirmed that the
    works council agreed and a DPIA is on file (``confirmed_by``/``confirmed_at``)."""

    __tablename__ = "wellbeing_campaign"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    cadence: Mapped[str] = mapped_column(String(10), default="weekly")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    questions: Mapped[list] = mapped_column(JSON, default=list)
    comments_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    comment_scope: Mapped[str] = mapped_column(String(12), default="foundation")  # foundation | division
    works_council_agreed: Mapped[bool] = mapped_column(Boolean, default=False)
    dpia_on_file: Mapped[bool] = mapped_column(Boolean, default=False)
    dpia_reference: Mapped[str | None] = mapped_column(String(200))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.utcnow)

    teams = relationship("Team", secondary=campaign_team, order_by="Team.name")
    confirmed_by = relationship("Person")

    @property
    def started(self) -> bool:
        return self.confirmed_at is not None

    def status(self, today: date) -> str:
        """draft, scheduled, running or ended."""
        if not self.started:
            return "draft"
        if self.ends_on is not None and today > self.ends_on:
            return "ended"
        return "scheduled" if today < self.starts_on else "running"


class Period(TenantScoped, db.Model):
    """One check-in period of a campaign (first and last day inclusive). Results are shown only
    once it has closed, so nobody can watch them change as colleagues check in."""

    __tablename__ = "wellbeing_period"
    __table_args__ = (UniqueConstraint("campaign_id", "starts_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("wellbeing_campaign.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    opening_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    reminder_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set once the period has closed and its results were frozen (see plugins/wellbeing/freeze.py).
    frozen: Mapped[bool] = mapped_column(Boolean, default=False)

    campaign = relationship("Campaign")

    def is_open(self, today: date) -> bool:
        return self.starts_on <= today <= self.ends_on

    def is_closed(self, today: date) -> bool:
        return today > self.ends_on


class AnswerCount(TenantScoped, db.Model):
    """How many check-ins of a team gave ``value`` to ``question`` in a period."""

    __tablename__ = "wellbeing_answer_count"
    __table_args__ = (NO_ROWID,)
    period_id: Mapped[int] = mapped_column(ForeignKey("wellbeing_period.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), primary_key=True)
    question: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class CheckinCount(TenantScoped, db.Model):
    """How many people of a team checked in during a period."""

    __tablename__ = "wellbeing_checkin_count"
    __table_args__ = (NO_ROWID,)
    period_id: Mapped[int] = mapped_column(ForeignKey("wellbeing_period.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), primary_key=True)
    checkins: Mapped[int] = mapped_column(Integer, default=0)


class PeriodTeam(TenantScoped, db.Model):
    """A closed period's teams, frozen when it closed: the division each counted in (``""`` for
    none) and its check-ins. Every result of a closed period reads these, so a team that changes
    division later cannot make two pages disagree about the past."""

    __tablename__ = "wellbeing_period_team"
    __table_args__ = (Index("ix_wellbeing_period_team_division", "period_id", "division"), NO_ROWID)
    period_id: Mapped[int] = mapped_column(ForeignKey("wellbeing_period.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), primary_key=True)
    division: Mapped[str] = mapped_column(String(100), default="")
    checkins: Mapped[int] = mapped_column(Integer, default=0)


class DivisionCount(TenantScoped, db.Model):
    """A closed period's counters summed per division, frozen when it closed (the overview reads
    these instead of every team's counters)."""

    __tablename__ = "wellbeing_division_count"
    __table_args__ = (NO_ROWID,)
    period_id: Mapped[int] = mapped_column(ForeignKey("wellbeing_period.id", ondelete="CASCADE"), primary_key=True)
    division: Mapped[str] = mapped_column(String(100), primary_key=True)
    question: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class Comment(TenantScoped, db.Model):
    """A free-text comment of a period, kept per division (``division`` is a team region) or for the
    whole campaign (``division`` None). A random key and no time: their order tells nothing. All
    comments of a period are written at once, when it closes, in shuffled order (``fold.py``)."""

    __tablename__ = "wellbeing_comment"
    __table_args__ = (NO_ROWID,)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    period_id: Mapped[int] = mapped_column(ForeignKey("wellbeing_period.id", ondelete="CASCADE"), index=True)
    division: Mapped[str | None] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)


class PendingAnswer(TenantScoped, db.Model):
    """One answer of a check-in that is not counted yet. ``checkin`` is a random key shared by that
    check-in's answers only, so that a fold can count check-ins; no person, no time, and the rows
    are deleted when they are folded into the counters."""

    __tablename__ = "wellbeing_pending_answer"
    __table_args__ = (Index("ix_wellbeing_pending_answer_team", "period_id", "team_id"),
                      {**NO_ROWID, "postgresql_with": VACUUM_SOON})
    checkin: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    question: Mapped[str] = mapped_column(String(40), primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("wellbeing_period.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    value: Mapped[int] = mapped_column(SmallInteger)


class PendingComment(TenantScoped, db.Model):
    """A comment waiting for its period to close, when it is published with a new random key among
    the period's other comments (see ``Comment``), and deleted here."""

    __tablename__ = "wellbeing_pending_comment"
    __table_args__ = ({**NO_ROWID, "postgresql_with": VACUUM_SOON},)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    period_id: Mapped[int] = mapped_column(ForeignKey("wellbeing_period.id", ondelete="CASCADE"), index=True)
    division: Mapped[str | None] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)


class Participation(TenantScoped, db.Model):
    """The ledger: ``person`` checked in during ``period``. Nothing else, and no page lists it."""

    __tablename__ = "wellbeing_participation"
    __table_args__ = (NO_ROWID,)
    period_id: Mapped[int] = mapped_column(ForeignKey("wellbeing_period.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True)


SUPPORT_KINDS = ("confidential_advisor", "company_doctor", "employee_assistance", "peer_support", "other")


class SupportContact(TenantScoped, db.Model):
    """Support the foundation offers (vertrouwenspersoon, bedrijfsarts, ...). With a ``person`` it
    also takes "I would like to talk to someone" requests."""

    __tablename__ = "wellbeing_support_contact"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    how_to_reach: Mapped[str] = mapped_column(String(300), default="")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    person = relationship("Person")


class TalkRequest(TenantScoped, db.Model):
    """A deliberate request to talk, naming the person to the contact they chose. It refers to no
    check-in, period or answer, and keeps only the day it was made."""

    __tablename__ = "wellbeing_talk_request"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("wellbeing_support_contact.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(String(500), default="")
    requested_on: Mapped[date] = mapped_column(Date)
    handled_on: Mapped[date | None] = mapped_column(Date)

    person = relationship("Person")
    contact = relationship("SupportContact")


ACTION_STATES = ("planned", "done")


class TeamAction(TenantScoped, db.Model):
    """What a team will try after a result: recorded for the team, not for a person."""

    __tablename__ = "wellbeing_team_action"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("wellbeing_campaign.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10), default="planned")
    created_on: Mapped[date] = mapped_column(Date)

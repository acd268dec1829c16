"""Tables of the flexwork plugin: work agreements, requests, coverage rules, team settings, swaps."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import TenantScoped, clock, db
from plugins.flexwork.pattern import Block, blocks_from_json

WEEKDAY_TITLES = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"), _l("Sunday"))
PLACE_TITLES = {"office": _l("Office"), "home": _l("Home"), "road": _l("On the road")}
# What a request changes; one request may change several. "temporary" marks an arrangement with an
# end date (alone it is how requests were filed before they named what they change).
CHANGE_TITLES = {
    "hours": _l("Hours (contract hours per week)"),
    "times": _l("Working times"),
    "place": _l("Place (home days)"),
}
CHANGE_NAMES = {"hours": _l("contract hours"), "times": _l("working times"), "place": _l("place of work")}
TEMPORARY = "temporary"
STATE_TITLES = {
    "submitted": _l("Submitted"),
    "in_review": _l("In review"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
    "deemed_granted": _l("Deemed granted"),
}
OPEN_STATES = ("submitted", "in_review")
# Grounds the Wet flexibel werken names as a "weighty business interest" (art. 2): for fewer hours
# (filling the hours, safety, rostering), for more hours (finance or organisation, too little
# work, staffing budget); for working times the employer states its own weighty interest.
WEIGHTY_INTEREST_TITLES = {
    "filling_hours": _l("Serious problems filling the hours freed up"),
    "safety": _l("Serious problems for safety"),
    "rostering": _l("Serious rostering problems"),
    "finance_organisation": _l("Serious financial or organisational problems"),
    "insufficient_work": _l("Not enough work available"),
    "staffing_budget": _l("The staffing budget does not allow it"),
    "other": _l("Another weighty business interest"),
}
SWAP_STATE_TITLES = {
    "proposed": _l("Waiting for your colleague"),
    "agreed": _l("Waiting for the manager"),
    "approved": _l("Approved"),
    "declined": _l("Declined by the colleague"),
    "rejected": _l("Rejected by the manager"),
    "withdrawn": _l("Withdrawn"),
}
SWAP_OPEN_STATES = ("proposed", "agreed")


class PatternMixin:
    @property
    def blocks(self) -> tuple[Block, ...]:
        return blocks_from_json(self.pattern)

    @property
    def pattern_hours(self) -> float:
        return sum(block.minutes for block in self.blocks) / 60


class Agreement(PatternMixin, TenantScoped, db.Model):
    """A person's work agreement from ``valid_from`` to ``valid_to`` (open-ended when None).

    History is kept: a change ends the agreement in force the day before and starts a new one.
    ``pattern`` is a list of blocks (see ``plugins.flexwork.pattern``); ``flex_hours`` is the budget
    per week that the person plans themselves, besides the fixed blocks.
    """

    __tablename__ = "flexwork_agreement"
    __table_args__ = (Index("ix_flexwork_agreement_person_from", "person_id", "valid_from"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    contract_hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    flex_hours: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=0)
    pattern: Mapped[list] = mapped_column(JSON, default=list)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("flexwork_request.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.utcnow)

    person = relationship("Person", foreign_keys=[person_id])

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class FlexRequest(PatternMixin, TenantScoped, db.Model):
    """An employee's request to change their agreement from ``start_date`` (until ``end_date`` for a
    temporary arrangement). It carries the whole proposed agreement.

    ``hours_or_times`` is set on submission: the request changes the hours or the working times, so
    the act's deemed-granted rule and the weighty-interest grounds apply to it.
    """

    __tablename__ = "flexwork_request"
    __table_args__ = (Index("ix_flexwork_request_state_deadline", "state", "decision_deadline"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # what it changes, comma-separated (see CHANGE_TITLES)
    state: Mapped[str] = mapped_column(String(20), default="submitted")
    contract_hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    flex_hours: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=0)
    pattern: Mapped[list] = mapped_column(JSON, default=list)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    trial_weeks: Mapped[int | None] = mapped_column(Integer)
    motivation: Mapped[str] = mapped_column(Text, default="")
    submitted_on: Mapped[date] = mapped_column(Date)
    decision_deadline: Mapped[date] = mapped_column(Date)
    hours_or_times: Mapped[bool] = mapped_column(Boolean, default=False)
    in_time: Mapped[bool] = mapped_column(Boolean, default=True)
    service_ok: Mapped[bool] = mapped_column(Boolean, default=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    conditions: Mapped[str] = mapped_column(Text, default="")
    trial_end: Mapped[date | None] = mapped_column(Date)
    reject_category: Mapped[str | None] = mapped_column(String(40))
    reject_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.utcnow)

    person = relationship("Person", foreign_keys=[person_id])
    decided_by = relationship("Person", foreign_keys=[decided_by_id])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def state_title(self) -> str:
        return STATE_TITLES[self.state]

    @property
    def changes(self) -> tuple[str, ...]:
        return tuple(part for part in self.kind.split(",") if part in CHANGE_TITLES)

    @property
    def kind_title(self) -> str:
        temporary = TEMPORARY in self.kind.split(",")
        if not self.changes:
            return str(_l("Temporary arrangement"))
        what = format_list([str(CHANGE_NAMES[change]) for change in self.changes], locale=get_locale())
        return str(_l("Temporary change of %(what)s", what=what) if temporary else _l("Change of %(what)s", what=what))


class CoverageRule(TenantScoped, db.Model):
    """At least ``min_people`` of a team present on ``weekdays`` (digits, 0 = Monday) between two
    times, optionally at one place or with one job title."""

    __tablename__ = "flexwork_coverage_rule"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    weekdays: Mapped[str] = mapped_column(String(7))
    start_time: Mapped[str] = mapped_column(String(5))
    end_time: Mapped[str] = mapped_column(String(5))
    min_people: Mapped[int] = mapped_column(Integer, default=1)
    place: Mapped[str | None] = mapped_column(String(20))
    job_title: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.utcnow)

    @property
    def weekday_list(self) -> list[int]:
        return sorted(int(d) for d in self.weekdays)


class TeamSetting(TenantScoped, db.Model):
    """Per-team choices; a team without a row has the defaults."""

    __tablename__ = "flexwork_team_setting"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), unique=True)
    auto_approve_swaps: Mapped[bool] = mapped_column(Boolean, default=False)


class Swap(TenantScoped, db.Model):
    """In the week of ``week_start`` the requester gives ``requester_day`` to the partner and works
    the partner's ``partner_day`` instead (weekdays, 0 = Monday). Both agree, then the manager
    approves (or the team's setting approves it when coverage stays met)."""

    __tablename__ = "flexwork_swap"
    __table_args__ = (Index("ix_flexwork_swap_team_week", "team_id", "week_start"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    requester_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    week_start: Mapped[date] = mapped_column(Date)
    requester_day: Mapped[int] = mapped_column(Integer)
    partner_day: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="proposed")
    partner_answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    auto_approved: Mapped[bool] = mapped_column(Boolean, default=False)
    reject_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.utcnow)

    requester = relationship("Person", foreign_keys=[requester_id])
    partner = relationship("Person", foreign_keys=[partner_id])

    @property
    def requester_date(self) -> date:
        return self.week_start + timedelta(days=self.requester_day)

    @property
    def partner_date(self) -> date:
        return self.week_start + timedelta(days=self.partner_day)

    @property
    def state_title(self) -> str:
        return SWAP_STATE_TITLES[self.state]


class FeedKey(TenantScoped, db.Model):
    """The secret in a person's calendar-subscription address; making a new one ends the old. Only
    its SHA-256 is stored, as of every other token."""

    __tablename__ = "flexwork_feed_key"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=clock.utcnow)

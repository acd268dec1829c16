"""The scheduled jobs: opening a period, the reminder (only to those who have not checked in, with
no list of them anywhere), and comment retention."""
from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.jobs import registered_jobs
from core.models import FoundationPlugin, Notification
from plugins.wellbeing import jobs, notices
from plugins.wellbeing.freeze import freeze_closed_periods
from plugins.wellbeing.models import AnswerCount, Comment, PendingComment, Period


@pytest.fixture
def org(org_factory):
    return org_factory({"Alpha": ("Twente", 5), "Beta": ("Twente", 5)})


def notified(db, kind) -> set[int]:
    return set(db.session.scalars(select(Notification.person_id).where(Notification.kind == kind)))


def everyone(org) -> set[int]:
    return {p.id for name in org.teams for p in [org.managers[name], *org.members[name]]}


def test_the_jobs_are_registered_per_foundation(app):
    registry = registered_jobs(app)
    for job_id in ("wellbeing.checkins", "wellbeing.comment_retention"):
        assert registry[job_id].owner == "wellbeing" and registry[job_id].spec.per_foundation
    assert registry["wellbeing.vacuum"].owner == "wellbeing" and not registry["wellbeing.vacuum"].spec.per_foundation


def test_opening_a_period_tells_every_member_once(db, org, campaign_factory):
    campaign = campaign_factory(org, teams=[org.teams["Alpha"]])
    jobs.run_checkins(org.foundation)
    jobs.run_checkins(org.foundation)
    alpha = {org.managers["Alpha"].id, *(p.id for p in org.members["Alpha"])}
    assert notified(db, notices.OPEN_KIND) == alpha
    assert db.session.scalar(select(func.count()).select_from(Notification)) == len(alpha)
    note = db.session.scalar(select(Notification).limit(1))
    assert note.url == f"/wellbeing/checkin/{campaign.id}"
    assert db.session.scalar(select(Period.opening_sent))


def test_the_reminder_goes_only_to_those_who_have_not_checked_in(db, org, campaign_factory, check_ins, clock, caplog):
    campaign = campaign_factory(org)
    jobs.run_checkins(org.foundation)  # Monday: opens, no reminder yet
    assert notified(db, notices.REMINDER_KIND) == set()
    done = org.members["Alpha"][:3] + org.members["Beta"][:1]
    check_ins(campaign, done)
    clock.forward(days=5)  # Saturday: two days before the period closes on Sunday
    caplog.set_level(logging.DEBUG)
    result = jobs.run_checkins(org.foundation)
    assert result is None  # the job hands nobody a list
    reminded = notified(db, notices.REMINDER_KIND)
    assert reminded == everyone(org) - {p.id for p in done}
    for person in done:
        assert person.email not in caplog.text and person.full_name not in caplog.text
    jobs.run_checkins(org.foundation)
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.kind == notices.REMINDER_KIND)) == len(reminded)


def test_a_reminder_run_twice_sends_once_even_when_the_flag_was_lost(db, org, campaign_factory, clock):
    campaign_factory(org)
    clock.forward(days=5)
    jobs.run_checkins(org.foundation)
    db.session.execute(Period.__table__.update().values(reminder_sent=False, opening_sent=False))
    db.session.commit()
    jobs.run_checkins(org.foundation)
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 2 * len(everyone(org))


def test_the_reminder_day_is_a_setting(db, org, campaign_factory, clock):
    campaign_factory(org)
    row = db.session.scalar(select(FoundationPlugin).where(FoundationPlugin.plugin_key == "wellbeing"))
    row.settings = {"reminder_days_before_close": 0}
    db.session.commit()
    clock.forward(days=5)
    jobs.run_checkins(org.foundation)
    assert notified(db, notices.REMINDER_KIND) == set()
    clock.forward(days=1)
    jobs.run_checkins(org.foundation)
    assert notified(db, notices.REMINDER_KIND) == everyone(org)


def test_drafts_ended_and_other_foundations_campaigns_are_left_alone(db, org, org_factory, campaign_factory, clock):
    campaign_factory(org, started=False)
    campaign_factory(org, starts_on=clock.today() - timedelta(days=30), ends_on=clock.today() - timedelta(days=1))
    other = org_factory({"Gamma": ("Twente", 5)})
    campaign_factory(other)
    jobs.run_checkins(org.foundation)
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_the_job_sends_in_batches(db, org, campaign_factory, monkeypatch):
    monkeypatch.setattr(jobs, "BATCH_SIZE", 3)
    campaign_factory(org)
    jobs.run_checkins(org.foundation)
    assert notified(db, notices.OPEN_KIND) == everyone(org)


def test_old_comments_are_deleted_and_counters_kept(db, org, campaign_factory, check_ins, clock):
    campaign = campaign_factory(org)
    check_ins(campaign, org.members["Alpha"] + org.members["Beta"][:1], comment="old")
    first_day = clock.today()
    clock.forward(days=7)
    check_ins(campaign, org.members["Alpha"][:1], comment="recent")
    # six months and a few days after the first period closed
    clock.set(first_day + timedelta(days=6 + 186), tick=False)
    freeze_closed_periods(campaign.id)  # as the daily check-in job does; comments are published
    assert jobs.purge_comments(org.foundation) == 6
    assert db.session.scalars(select(Comment.text)).all() == ["recent"]
    assert db.session.scalar(select(func.sum(AnswerCount.count))) > 0


def test_old_comments_still_waiting_are_deleted_too(db, org, campaign_factory, check_ins, clock):
    """A period nobody froze (the job did not run): its comments still wait, and still expire."""
    campaign = campaign_factory(org)
    check_ins(campaign, org.members["Alpha"][:2], comment="never published")
    clock.forward(days=7 + 200)
    assert jobs.purge_comments(org.foundation) == 2
    assert db.session.scalar(select(func.count()).select_from(PendingComment)) == 0


def test_comment_retention_is_a_setting(db, org, campaign_factory, check_ins, clock):
    campaign = campaign_factory(org)
    check_ins(campaign, org.members["Alpha"][:1], comment="kept longer")
    row = db.session.scalar(select(FoundationPlugin).where(FoundationPlugin.plugin_key == "wellbeing"))
    row.settings = {"comment_retention_months": 12}
    db.session.commit()
    clock.forward(days=200)
    assert jobs.purge_comments(org.foundation) == 0
    clock.forward(days=200)
    assert jobs.purge_comments(org.foundation) == 1

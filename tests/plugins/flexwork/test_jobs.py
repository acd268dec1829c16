"""The daily jobs: deemed granted (idempotent), deadline alerts to HR, trial evaluations."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from core.jobs import registered_jobs
from core.models import AuditEvent, Notification
from core.reminders import run_date_reminders
from plugins.flexwork import jobs, request_flow
from plugins.flexwork.agreements import Terms, agreement_on
from plugins.flexwork.models import Agreement, FlexRequest
from tests.plugins.flexwork.conftest import day_blocks

TODAY = date(2027, 3, 1)


def asked(db, person, start, changes=("times",), submitted_on=None, days=(2, 3, 4), place="office") -> FlexRequest:
    """A request made ``submitted_on`` (default: in time for ``start``)."""
    submitted_on = submitted_on or start - timedelta(days=70)
    request = request_flow.submit(person, request_flow.Proposal(changes, Terms(Decimal(24), Decimal(0), day_blocks(days, place=place)), start),
                                  submitted_on)
    db.session.commit()
    return request


def notices(db, kind):
    return db.session.scalars(select(Notification).where(Notification.kind == kind).order_by(Notification.person_id)).all()


def test_the_jobs_are_registered_daily_per_foundation(app):
    found = {job_id: job for job_id, job in registered_jobs(app).items() if job.owner == "flexwork"}
    assert set(found) == {"flexwork.deemed_granted", "flexwork.deadline_alerts", "flexwork.trial_reminders"}
    assert all(job.spec.per_foundation and "cron" in job.spec.trigger for job in found.values())


def test_undecided_past_the_deadline_is_granted_once(org, db):
    start = date(2027, 3, 31)  # deadline 28 February 2027
    request = asked(db, org.bert, start)
    assert request.decision_deadline == date(2027, 2, 28)
    assert jobs.grant_overdue(org.foundation.id, date(2027, 2, 28)) == []  # on the deadline: still the manager's
    assert jobs.grant_overdue(org.foundation.id, TODAY) == [request.id]
    assert jobs.grant_overdue(org.foundation.id, TODAY) == []  # run again: nothing more
    db.session.expire_all()
    assert db.session.get(FlexRequest, request.id).state == "deemed_granted"
    assert [b.day for b in agreement_on(org.bert.id, start).blocks] == [2, 3, 4]
    assert db.session.scalar(select(func.count(Agreement.id)).where(Agreement.person_id == org.bert.id)) == 2
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "flexwork.request_deemed_granted")).all()
    assert len(events) == 1 and events[0].actor_id is None
    assert {n.person_id for n in notices(db, "flexwork.deemed_granted")} == {org.bert.id, org.manager.id}
    assert len(notices(db, "flexwork.deemed_granted")) == 2


def test_place_requests_late_requests_and_decided_ones_are_not_granted(org, db):
    start = date(2027, 3, 31)
    place = asked(db, org.bert, start, changes=("place",), days=(0, 3, 4), place="home")  # her days, at home
    late = asked(db, org.anna, start, submitted_on=date(2027, 2, 15))
    assert not late.in_time
    decided = asked(db, org.colleague, start)
    request_flow.reject(decided, org.manager, "no", "safety")
    db.session.commit()
    assert jobs.grant_overdue(org.foundation.id, TODAY) == []
    db.session.expire_all()
    assert [db.session.get(FlexRequest, r.id).state for r in (place, late, decided)] == ["submitted", "submitted", "rejected"]


def test_a_temporary_change_of_times_is_granted_and_ends(org, db):
    request = request_flow.submit(org.bert, request_flow.Proposal(
        (), Terms(Decimal(24), Decimal(0), day_blocks((2, 3, 4))), date(2027, 3, 31), date(2027, 6, 30)),
        date(2027, 1, 1))
    db.session.commit()
    assert request.hours_or_times
    jobs.grant_overdue(org.foundation.id, TODAY)
    assert [b.day for b in agreement_on(org.bert.id, date(2027, 6, 30)).blocks] == [2, 3, 4]
    assert [b.day for b in agreement_on(org.bert.id, date(2027, 7, 1)).blocks] == [0, 3, 4]  # the old pattern resumes


def test_only_the_job_of_the_foundation_runs_on_its_requests(org, db):
    start = date(2027, 3, 31)
    asked(db, org.bert, start)
    assert jobs.grant_overdue(org.outsider_foundation.id, TODAY) == []


def test_hr_hears_once_of_a_deadline_a_week_away(org, db):
    start = date(2027, 4, 8)  # deadline 8 March
    request = asked(db, org.bert, start)
    assert jobs.alert_deadlines(org.foundation.id, date(2027, 2, 28), 7) == 0  # eight days ahead: not yet
    assert jobs.alert_deadlines(org.foundation.id, TODAY, 7) == 1
    assert jobs.alert_deadlines(org.foundation.id, date(2027, 3, 2), 7) == 0  # the next day: already told
    [notice] = notices(db, "flexwork.deadline_near")
    assert notice.person_id == org.hr.id and notice.url == f"/flexwork/requests/{request.id}"


def test_a_decided_request_alerts_nobody(org, db):
    request = asked(db, org.bert, date(2027, 4, 8))
    request_flow.approve(request, org.manager)
    db.session.commit()
    assert jobs.alert_deadlines(org.foundation.id, TODAY, 7) == 0


def test_trial_end_reminds_employee_and_manager_to_evaluate(org, db):
    request = asked(db, org.bert, date(2027, 3, 31))
    request_flow.approve(request, org.manager, trial_weeks=8)
    db.session.commit()
    trial_end = date(2027, 3, 31) + timedelta(weeks=8)
    assert run_date_reminders(org.foundation, [jobs.TRIAL_ENDS], today=trial_end - timedelta(days=1)).notifications == 0
    assert run_date_reminders(org.foundation, [jobs.TRIAL_ENDS], today=trial_end).notifications == 2
    assert run_date_reminders(org.foundation, [jobs.TRIAL_ENDS], today=trial_end).notifications == 0
    assert {n.person_id for n in notices(db, "flexwork.trial_ends")} == {org.bert.id, org.manager.id}

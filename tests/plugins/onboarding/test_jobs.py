"""Scheduled jobs: reminders through core's date reminders, the managers' digest, the purge."""

from datetime import datetime, timedelta

from sqlalchemy import func, select

from core.jobs import registered_jobs
from core.models import Notification
from core.plugins import plugin_manager
from plugins.onboarding import jobs, journeys, uploads
from plugins.onboarding.models import OnboardingFeedback, OnboardingFile, OnboardingJourney, OnboardingJourneyTask
from plugins.onboarding.vocabulary import FILE_TYPES
from tests.plugins.onboarding.conftest import PDF, task_named


def _notes(db, person=None, kind=None):
    query = select(Notification)
    if person is not None:
        query = query.where(Notification.person_id == person.id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return db.session.scalars(query.order_by(Notification.id)).all()


def test_the_jobs_are_registered_per_foundation(app):
    ids = {
        job_id for job_id, job in registered_jobs(app).items() if job.owner == "onboarding" and job.spec.per_foundation
    }
    assert ids == {"onboarding.reminders", "onboarding.manager_digest", "onboarding.purge"}


def test_the_assignee_is_reminded_two_working_days_before_and_once(db, org, journey):
    confirm = task_named(journey, "Gedragscode")
    jobs.send_reminders(org.foundation, today=confirm.remind_on)
    jobs.send_reminders(org.foundation, today=confirm.remind_on)
    # Other tasks may fall due on the same working day (weekends move due dates): only this one counts.
    [note] = [n for n in _notes(db, org.newcomer, "onboarding.task_due") if "Gedragscode" in n.subject]
    assert note.url == "/onboarding/"


def test_hrs_tasks_remind_the_hr_administrators(db, org, journey):
    evaluation = task_named(journey, "Evaluatie")
    jobs.send_reminders(org.foundation, today=evaluation.remind_on)
    [note] = [n for n in _notes(db, org.hr, "onboarding.task_due") if "Evaluatie" in n.subject]
    assert note.url == f"/onboarding/journeys/{journey.id}"
    assert _notes(db, org.other_hr) == []


def test_an_overdue_task_is_reminded_the_day_after_and_a_done_one_not(db, org, journey):
    talk, confirm = task_named(journey, "Welkomstgesprek"), task_named(journey, "Gedragscode")
    journeys.complete_task(confirm, org.newcomer)
    confirm.due_date = talk.due_date
    db.session.commit()
    jobs.send_reminders(org.foundation, today=talk.due_date + timedelta(days=1))
    overdue = _notes(db, kind="onboarding.task_overdue")
    # The buddy's coffee can fall due the same working day (a weekend start moves the talk): not this test's business.
    assert [n.person_id for n in overdue if "Welkomstgesprek" in n.subject] == [org.manager.id]
    assert not [n for n in overdue if "Gedragscode" in n.subject]


def test_hr_hears_of_a_missing_pre_boarding_document_three_days_before_the_start(db, org, journey):
    jobs.send_reminders(org.foundation, today=journey.start_date - timedelta(days=3))
    [note] = _notes(db, org.hr, "onboarding.document_missing")
    assert "Kopie ID" in note.body and note.url == f"/onboarding/journeys/{journey.id}"


def test_no_warning_when_the_document_is_there(db, org, journey):
    journeys.complete_task(task_named(journey, "Kopie ID"), org.newcomer)
    db.session.commit()
    jobs.send_reminders(org.foundation, today=journey.start_date - timedelta(days=3))
    assert _notes(db, kind="onboarding.document_missing") == []


def test_the_newcomer_is_asked_for_feedback_at_day_30_and_90(db, org, journey):
    for day in (30, 90):
        jobs.send_reminders(org.foundation, today=journey.start_date + timedelta(days=day))
    assert [n.subject for n in _notes(db, org.newcomer, "onboarding.feedback")] == [
        "How is your start going? (day 30)",
        "How is your start going? (day 90)",
    ]


def test_the_weekly_digest_reaches_managers_with_open_items_once(db, org, journey, clock):
    task_named(journey, "Kopie ID").due_date = clock.today() - timedelta(days=1)
    db.session.commit()
    assert jobs.send_manager_digest(org.foundation) == 1
    assert jobs.send_manager_digest(org.foundation) == 0
    [note] = _notes(db, org.manager, "onboarding.manager_digest")
    assert note.subject == "Onboarding: 1 overdue task in your teams"
    assert note.body == "You have 1 open onboarding task yourself."
    assert _notes(db, org.other_manager) == []


def test_finished_journeys_are_purged_after_the_retention_with_their_files(
    app, db, org, journey, make, template, clock
):
    upload = task_named(journey, "Kopie ID")
    stored = uploads.store(
        PDF, FILE_TYPES["pdf"], "id.pdf", org.foundation.id, journey_id=journey.id, journey_task_id=upload.id
    )
    db.session.add(
        OnboardingFeedback(
            foundation_id=org.foundation.id,
            journey_id=journey.id,
            template_id=template.id,
            checkpoint=30,
            welcome=5,
            clarity=4,
            support=3,
            comment="Naam van collega",
        )
    )
    journey.status, journey.completed_at = "completed", datetime(2020, 1, 1)
    recent = journeys.start_journey(org.buddy, template, clock.today())
    recent.status, recent.completed_at = "completed", datetime.combine(clock.today(), datetime.min.time())
    db.session.commit()
    path = uploads.path_of(stored)
    assert path.exists()
    assert jobs.purge_finished(org.foundation) == 1
    assert not path.exists()
    assert db.session.scalars(select(OnboardingJourney.id)).all() == [recent.id]
    assert db.session.scalar(select(func.count(OnboardingFile.id))) == 0
    assert db.session.scalar(select(func.count(OnboardingJourneyTask.id))) == len(recent.tasks)
    feedback = db.session.scalar(select(OnboardingFeedback))
    assert feedback.journey_id is None and feedback.comment is None and feedback.welcome == 5  # kept for the figures


def test_the_retention_is_a_setting(db, org, journey, clock):
    from core.plugin_switch import state_row

    state_row(org.foundation, "onboarding").settings = {"retention_days": 30, "backdate_days": 30}
    forty_days_ago = datetime.combine(clock.today() - timedelta(days=40), datetime.min.time())
    journey.status, journey.completed_at = "completed", forty_days_ago
    db.session.commit()
    assert plugin_manager().settings("onboarding", org.foundation.id)["retention_days"] == 30
    assert jobs.purge_finished(org.foundation) == 1

"""Dashboard cards, the menu item, the person-page section, and the privacy hooks."""

import json
from datetime import timedelta

from sqlalchemy import func, select

from core.people import service as people
from core.plugins import plugin_manager
from plugins.onboarding import journeys, uploads
from plugins.onboarding.models import OnboardingFeedback, OnboardingFile, OnboardingJourney
from plugins.onboarding.vocabulary import FILE_TYPES
from tests.plugins.onboarding.conftest import PDF, task_named


def test_the_newcomer_card_counts_done_tasks_and_names_the_next(client, db, login, org, journey):
    journeys.complete_task(task_named(journey, "Kopie ID"), org.newcomer)
    db.session.commit()
    login(org.newcomer)
    page = client.get("/").get_data(as_text=True)
    assert "1 of 7 done, next: Gedragscode" in page
    assert 'href="/onboarding/"' in page  # also in the menu


def test_the_manager_card_counts_who_starts_this_week(client, db, login, clock, org, template):
    monday = clock.today() - timedelta(days=clock.today().weekday())
    for person, start in ((org.newcomer, monday + timedelta(days=2)), (org.buddy, monday + timedelta(days=9))):
        journeys.start_journey(person, template, start)
    db.session.commit()
    login(org.manager)
    assert "1 person starts this week" in client.get("/").get_data(as_text=True)


def test_the_hr_card_counts_overdue_tasks(client, db, login, clock, org, journey):
    for t in journey.tasks[:3]:
        t.due_date = clock.today() - timedelta(days=1)
    db.session.commit()
    login(org.hr)
    assert "3 onboarding tasks are overdue" in client.get("/").get_data(as_text=True)


def test_the_persons_page_shows_their_journeys_to_hr_and_their_manager(client, db, login, org, journey):
    login(org.hr)
    page = client.get(f"/people/{org.newcomer.id}").get_data(as_text=True)
    assert 'id="section-onboarding"' in page and f"/onboarding/journeys/{journey.id}" in page
    login(org.manager)
    assert f"/onboarding/journeys/{journey.id}" in client.get(f"/people/{org.newcomer.id}").get_data(as_text=True)


def _with_everything(db, org, journey, template):
    upload = task_named(journey, "Kopie ID")
    journeys.complete_task(upload, org.newcomer, {"file_name": "paspoort.pdf"})
    stored = uploads.store(
        PDF,
        FILE_TYPES["pdf"],
        "paspoort.pdf",
        org.foundation.id,
        uploaded_by=org.newcomer,
        journey_id=journey.id,
        journey_task_id=upload.id,
    )
    form = task_named(journey, "Gegevens")
    journeys.complete_task(form, org.newcomer, {"answers": [{"question": "Welke dagen werk je?", "answer": "ma di"}]})
    db.session.add(
        OnboardingFeedback(
            foundation_id=org.foundation.id,
            journey_id=journey.id,
            template_id=template.id,
            checkpoint=30,
            welcome=5,
            clarity=4,
            support=4,
            comment="Top",
        )
    )
    db.session.commit()
    return stored


def test_the_export_holds_journeys_answers_file_names_and_feedback(app, db, org, journey, template):
    _with_everything(db, org, journey, template)
    exported = plugin_manager(app).all_hooks().privacy_export(person=org.newcomer)
    [data] = [d for d in exported if "journeys" in d and d["journeys"]]
    json.dumps(data)  # serialisable
    [exported_journey] = data["journeys"]
    tasks = {t["title"]: t for t in exported_journey["tasks"]}
    assert tasks["Kopie ID"]["files"] == ["paspoort.pdf"]
    assert tasks["Gegevens"]["response"]["answers"][0]["answer"] == "ma di"
    assert data["feedback"][0]["comment"] == "Top"
    buddy_data = plugin_manager(app).all_hooks().privacy_export(person=org.buddy)
    assert any(t["title"] == "Koffie" for d in buddy_data for t in d.get("tasks_for_others", []))


def test_the_core_export_includes_onboarding(app, db, org, journey):
    body = json.loads(people.privacy_export(org.newcomer))
    assert body["plugins"]["onboarding"]["journeys"][0]["name"] == journey.name


def test_erasure_removes_journeys_and_files_and_unlinks_helpers(app, db, org, journey, template):
    stored = _with_everything(db, org, journey, template)
    path = uploads.path_of(stored)
    plugin_manager(app).all_hooks().privacy_erase(person=org.newcomer)
    db.session.commit()
    assert not path.exists()
    assert db.session.scalar(select(func.count(OnboardingJourney.id))) == 0
    assert db.session.scalar(select(func.count(OnboardingFile.id))) == 0
    feedback = db.session.scalar(select(OnboardingFeedback))
    assert feedback.journey_id is None and feedback.comment is None


def test_erasing_a_buddy_takes_their_name_off_other_journeys(app, db, org, journey):
    plugin_manager(app).all_hooks().privacy_erase(person=org.buddy)
    db.session.commit()
    db.session.refresh(journey)
    assert journey.buddy_id is None and task_named(journey, "Koffie").assignee_id is None


def test_a_rolled_back_erasure_keeps_the_files(app, db, org, journey, template):
    stored = _with_everything(db, org, journey, template)
    plugin_manager(app).all_hooks().privacy_erase(person=org.newcomer)
    db.session.rollback()
    assert uploads.path_of(stored).exists()

"""Journeys: which template, started by core's events or by hand, planned, unlocked, completed."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from core import events, workdays
from core.models import AuditEvent, Notification
from core.people import service as people
from plugins.onboarding import journeys
from plugins.onboarding.models import OnboardingJourney
from tests.plugins.onboarding.conftest import make_template, task, task_named


def _journeys_of(db, person):
    return db.session.scalars(select(OnboardingJourney).where(OnboardingJourney.person_id == person.id)).all()


# -- choosing a template ------------------------------------------------------------------------


def test_the_most_specific_matching_template_wins(db, org):
    general = make_template(db, org.foundation, [task("A")], name="Algemeen")
    by_type = make_template(db, org.foundation, [task("B")], name="Medewerkers", person_type="employee")
    by_team = make_template(db, org.foundation, [task("C")], name="Team", person_type="employee", team_id=org.team.id)
    make_template(db, org.foundation, [task("D")], name="Ander team", person_type="employee", team_id=org.other_team.id)
    make_template(
        db, org.foundation, [task("E")], name="Uit", kind="offboarding", person_type="employee", team_id=org.team.id
    )
    assert journeys.best_template(org.newcomer, ("onboarding",)) == by_team
    org.newcomer.team_id = None
    assert journeys.best_template(org.newcomer, ("onboarding",)) == by_type
    org.newcomer.person_type = "intern"
    assert journeys.best_template(org.newcomer, ("onboarding",)) == general


def test_an_inactive_template_is_not_chosen(db, org):
    make_template(db, org.foundation, [task("A")], active=False)
    assert journeys.best_template(org.newcomer, ("onboarding",)) is None


# -- lifecycle events ---------------------------------------------------------------------------


def test_a_hired_person_gets_a_journey_after_the_commit(db, org, template, clock):
    person = people.create_person(
        org.foundation.id,
        {
            "first_name": "Sam",
            "last_name": "Start",
            "email": "sam@example.org",
            "team_id": org.team.id,
            "status": "preboarding",
            "start_date": clock.today() + timedelta(days=10),
        },
    )
    [journey] = _journeys_of(db, person)
    assert journey.template_id == template.id and journey.start_date == person.start_date
    assert len(journey.tasks) == len(template.tasks)
    assert task_named(journey, "Welkomstgesprek").assignee_id == org.manager.id
    assert task_named(journey, "Evaluatie").assignee_id is None  # HR's task
    manager_notes = db.session.scalars(select(Notification).where(Notification.person_id == org.manager.id)).all()
    assert [n.kind for n in manager_notes] == ["onboarding.journey_started"]


def test_a_volunteer_gets_the_volunteer_template(db, org, clock):
    make_template(db, org.foundation, [task("A")], name="Medewerkers")
    volunteers = make_template(
        db,
        org.foundation,
        [task("VOG", -7, "upload", allowed_types=["pdf"], max_size_mb=5)],
        name="Vrijwilligers",
        kind="volunteer",
        person_type="volunteer",
    )
    person = people.create_person(
        org.foundation.id,
        {
            "first_name": "Vera",
            "last_name": "Vrij",
            "email": "vera@example.org",
            "person_type": "volunteer",
            "start_date": clock.today() + timedelta(days=20),
            "status": "preboarding",
        },
    )
    assert [j.template_id for j in _journeys_of(db, person)] == [volunteers.id]


def test_staff_imported_long_after_their_start_get_no_journey(db, org, template, clock):
    person = people.create_person(
        org.foundation.id,
        {
            "first_name": "Oud",
            "last_name": "Gediende",
            "email": "oud@example.org",
            "start_date": clock.today() - timedelta(days=400),
        },
    )
    assert _journeys_of(db, person) == []


def test_an_event_that_rolls_back_starts_nothing(db, org, template):
    events.fire("person_hired", org.foundation.id, person=org.newcomer)
    db.session.rollback()
    events.commit()
    assert _journeys_of(db, org.newcomer) == []


def test_a_transfer_and_a_leaver_get_their_templates(db, org, clock):
    transfer = make_template(db, org.foundation, [task("Overdracht", -2)], name="Overstap", kind="transfer")
    leaving = make_template(db, org.foundation, [task("Laptop inleveren", 0)], name="Uit dienst", kind="offboarding")
    person = org.buddy
    people.update_person(person, {**_values(person), "team_id": org.other_team.id})
    people.update_person(person, {**_values(person), "end_date": clock.today() + timedelta(days=30)})
    found = {j.template_id: j for j in _journeys_of(db, person)}
    assert set(found) == {transfer.id, leaving.id}
    assert found[leaving.id].start_date == clock.today() + timedelta(days=30)
    # The transfer's manager tasks go to the new team's manager: the template has none, so check the plan.
    assert found[transfer.id].start_date == clock.today()


def _values(person):
    return {name: getattr(person, name) for name in people.PERSON_FIELDS}


def test_a_second_hire_event_does_not_start_a_second_journey(db, org, template):
    for _ in range(2):
        events.fire("person_hired", org.foundation.id, person=org.newcomer)
        events.commit()
    assert len(_journeys_of(db, org.newcomer)) == 1


def test_no_journey_where_the_plugin_is_off(db, make, org, clock):
    elsewhere = make.foundation()
    make_template(db, elsewhere, [task("A")])
    person = make.person(elsewhere, status="preboarding", start_date=clock.today() + timedelta(days=3))
    events.fire("person_hired", elsewhere.id, person=person)
    events.commit()
    assert _journeys_of(db, person) == []


# -- planning -----------------------------------------------------------------------------------


def test_due_dates_skip_weekends_and_holidays_and_reminders_come_two_working_days_before(db, org, journey):
    for t in journey.tasks:
        assert workdays.is_working_day(t.due_date)
        assert t.remind_on == workdays.working_days_before(t.due_date, 2)
        if t.offset_days < 0:
            assert t.due_date < journey.start_date
    meeting = task_named(journey, "Welkomstgesprek")
    assert meeting.meeting_at.date() == meeting.due_date and meeting.meeting_at.strftime("%H:%M") == "09:30"


def test_a_new_start_date_moves_open_tasks_only(db, org, journey):
    done = task_named(journey, "Kopie ID")
    journeys.complete_task(done, org.newcomer)
    kept = done.due_date
    new_start = journey.start_date + timedelta(days=14)
    moved = journeys.replan(journey, new_start, org.hr)
    db.session.commit()
    assert done.due_date == kept
    assert task_named(journey, "Rondleiding").due_date == workdays.due_date(new_start, 5)
    assert moved == len(journey.tasks) - 1
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "onboarding.journey_replanned"))


def test_hr_moving_the_persons_start_date_replans_the_journey(db, org, journey):
    new_start = journey.start_date + timedelta(days=7)
    people.update_person(org.newcomer, {"start_date": new_start}, actor=org.hr)
    db.session.expire_all()
    refreshed = db.session.get(OnboardingJourney, journey.id)
    assert refreshed.start_date == new_start
    assert task_named(refreshed, "Rondleiding").due_date == workdays.due_date(new_start, 5)


# -- doing ----------------------------------------------------------------------------------------


def test_a_task_unlocks_when_what_it_waits_for_is_done(db, org, journey):
    tour, talk = task_named(journey, "Rondleiding"), task_named(journey, "Welkomstgesprek")
    assert tour.id in journeys.locked_ids(journey.tasks)
    with pytest.raises(journeys.TaskRefused):
        journeys.complete_task(tour, org.newcomer)
    journeys.complete_task(talk, org.manager)
    assert tour.id not in journeys.locked_ids(journey.tasks)
    journeys.complete_task(tour, org.newcomer)
    assert tour.status == "done"


def test_a_skipped_dependency_also_unlocks(db, org, journey):
    journeys.skip_task(task_named(journey, "Welkomstgesprek"), org.hr)
    assert task_named(journey, "Rondleiding").id not in journeys.locked_ids(journey.tasks)


def test_the_journey_completes_with_its_required_tasks_and_reopens_with_one(db, org, make, clock):
    template = make_template(db, org.foundation, [task("A"), task("B", required=False)])
    journey = journeys.start_journey(org.newcomer, template, clock.today())
    journeys.complete_task(task_named(journey, "A"), org.newcomer)
    assert journey.status == "completed" and journey.completed_at is not None
    journeys.reopen_task(task_named(journey, "A"), org.hr)
    assert journey.status == "open" and journey.completed_at is None


def test_choosing_a_buddy_gives_them_the_buddy_tasks_and_tells_them(db, org, template):
    journey = journeys.start_journey(org.newcomer, template, org.newcomer.start_date)
    coffee = task_named(journey, "Koffie")
    assert coffee.assignee_id is None
    journeys.set_buddy(journey, org.buddy, org.manager)
    db.session.commit()
    assert coffee.assignee_id == org.buddy.id
    assert (
        db.session.scalar(select(Notification.kind).where(Notification.person_id == org.buddy.id))
        == "onboarding.buddy_chosen"
    )


def test_reassigning_skipping_and_reopening_are_audited(db, org, journey):
    talk = task_named(journey, "Welkomstgesprek")
    journeys.reassign_task(talk, org.other_manager, org.hr)
    journeys.skip_task(talk, org.hr)
    journeys.reopen_task(talk, org.hr)
    db.session.commit()
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("onboarding.task_%")).order_by(AuditEvent.id)
    ).all()
    assert actions == ["onboarding.task_reassigned", "onboarding.task_skipped", "onboarding.task_reopened"]
    assert talk.assignee_id == org.other_manager.id and talk.status == "open"


# -- templates change, journeys stay ----------------------------------------------------------------


def test_applying_a_changed_template_updates_open_tasks_and_keeps_done_ones(db, org, template, journey):
    from plugins.onboarding import template_editing

    done = task_named(journey, "Kopie ID")
    journeys.complete_task(done, org.newcomer)
    db.session.commit()
    source = template.tasks[0]
    values = {
        "title": "Kopie ID (nieuw)",
        "description": "",
        "task_type": "upload",
        "assignee_role": "newcomer",
        "offset_days": -5,
        "required": True,
        "allowed_types": ["pdf"],
        "max_size_mb": 2,
    }
    template_editing.save_task(template, values, source)
    tour = next(t for t in template.tasks if t.title == "Rondleiding")
    template_editing.save_task(
        template,
        {
            "title": "Rondleiding door het gebouw",
            "description": "",
            "task_type": "checkbox",
            "assignee_role": "newcomer",
            "offset_days": 6,
            "required": True,
            "depends_on": [d.id for d in tour.depends_on],
        },
        tour,
    )
    template_editing.save_task(
        template,
        {
            "title": "Parkeerkaart",
            "description": "",
            "task_type": "checkbox",
            "assignee_role": "manager",
            "offset_days": 1,
            "required": True,
        },
    )
    db.session.refresh(journey)
    assert "Rondleiding door het gebouw" not in [t.title for t in journey.tasks]  # running journeys keep their plan
    journeys.apply_template(journey, template, org.hr)
    db.session.commit()
    titles = [t.title for t in journey.tasks]
    assert "Kopie ID" in titles and "Kopie ID (nieuw)" not in titles  # done: untouched
    assert "Rondleiding door het gebouw" in titles and "Rondleiding" not in titles
    new = task_named(journey, "Parkeerkaart")
    assert new.assignee_id == org.manager.id and new.seq == len(template.tasks)
    assert journey.template_version == template.version
    tour_task = task_named(journey, "Rondleiding door het gebouw")
    assert tour_task.depends_on == [task_named(journey, "Welkomstgesprek").seq]

"""Enrolling: seats, the waiting list and its promotion, approval, cancellation, group enrolment,
attendance by the trainer, and iCalendar."""
from __future__ import annotations

import os
import threading
import time
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select, text

from core.models import Notification, Person
from core.plugin_switch import disable, state_row
from core.plugins import plugin_manager
from plugins.learning import enrolment as enrolments
from plugins.learning.models import CourseSession, Enrolment
from plugins.learning.records import expiry_for
from tests.plugins.learning import support


def _enrol(client, session):
    return client.post(f"/learning/sessions/{session.id}/enrol")


def test_self_enrolment_takes_a_seat_then_the_waiting_list(client, login, org, make, db):
    course = support.course()
    session = support.session(org.foundation, course, capacity=1)
    login(org.employee)
    assert _enrol(client, session).status_code == 302
    assert support.enrolment_of(org.employee, session).status == "enrolled"
    login(org.colleague)
    _enrol(client, session)
    assert support.enrolment_of(org.colleague, session).status == "waitlisted"
    page = client.get(f"/learning/sessions/{session.id}").get_data(as_text=True)
    assert "1 of 1 taken" in page and "1 on the waiting list" in page
    kinds = db.session.scalars(select(Notification.kind).where(Notification.person_id == org.colleague.id)).all()
    assert kinds == ["learning.enrolment"]


def test_duplicate_enrolment_is_refused(client, login, org, db):
    session = support.session(org.foundation, support.course(), capacity=5)
    login(org.employee)
    _enrol(client, session)
    response = _enrol(client, session)
    assert "already enrolled" in client.get(response.location).get_data(as_text=True)
    rows = db.session.scalars(select(Enrolment).where(Enrolment.session_id == session.id)).all()
    assert len(rows) == 1


def test_a_started_session_refuses_enrolment(client, login, org, db):
    session = support.session(org.foundation, support.course(), days=0)
    session.starts_at -= timedelta(minutes=5)
    db.session.commit()
    login(org.employee)
    response = _enrol(client, session)
    assert "already started" in client.get(response.location).get_data(as_text=True)
    assert support.enrolment_of(org.employee, session) is None


def test_cancelling_promotes_the_first_on_the_waiting_list(client, login, org, make, db):
    session = support.session(org.foundation, support.course(), capacity=1, days=10)
    third = make.person(org.foundation, org.team)
    for person in (org.employee, org.colleague, third):
        login(person)
        _enrol(client, session)
    login(org.employee)
    mine = support.enrolment_of(org.employee, session)
    assert client.post(f"/learning/enrolments/{mine.id}/cancel").status_code == 302
    assert support.enrolment_of(org.employee, session).status == "cancelled"
    assert support.enrolment_of(org.colleague, session).status == "enrolled"  # first come, first served
    assert support.enrolment_of(third, session).status == "waitlisted"
    enrolled = db.session.scalars(select(Enrolment).where(Enrolment.session_id == session.id,
                                                                  Enrolment.status == "enrolled")).all()
    assert len(enrolled) == 1


def test_cancelling_a_waiting_place_promotes_nobody(client, login, org, make):
    session = support.session(org.foundation, support.course(), capacity=1)
    third = make.person(org.foundation, org.team)
    for person in (org.employee, org.colleague, third):
        login(person)
        _enrol(client, session)
    login(org.colleague)
    client.post(f"/learning/enrolments/{support.enrolment_of(org.colleague, session).id}/cancel")
    assert support.enrolment_of(org.employee, session).status == "enrolled"
    assert support.enrolment_of(third, session).status == "waitlisted"


def test_the_cancellation_deadline_is_a_setting_and_binds_only_employees(client, login, org, db):
    session = support.session(org.foundation, support.course(), days=1, capacity=3)
    login(org.employee)
    _enrol(client, session)
    enrolment = support.enrolment_of(org.employee, session)
    response = client.post(f"/learning/enrolments/{enrolment.id}/cancel")  # default: 48 hours before
    assert "hours before the start" in client.get(response.location).get_data(as_text=True)
    assert support.enrolment_of(org.employee, session).status == "enrolled"

    row = state_row(org.foundation, "learning")
    row.settings = {"cancel_deadline_hours": 2}
    db.session.commit()
    client.post(f"/learning/enrolments/{enrolment.id}/cancel")
    assert support.enrolment_of(org.employee, session).status == "cancelled"


def test_hr_cancels_after_the_deadline(client, login, org):
    session = support.session(org.foundation, support.course(), days=1, capacity=3)
    login(org.employee)
    _enrol(client, session)
    login(org.hr)
    client.post(f"/learning/enrolments/{support.enrolment_of(org.employee, session).id}/cancel")
    assert support.enrolment_of(org.employee, session).status == "cancelled"


def test_someone_elses_enrolment_cannot_be_cancelled(client, login, org):
    session = support.session(org.foundation, support.course(), capacity=3)
    login(org.employee)
    _enrol(client, session)
    login(org.colleague)
    assert client.post(f"/learning/enrolments/{support.enrolment_of(org.employee, session).id}/cancel").status_code == 404
    login(org.outsider)
    assert client.post(f"/learning/enrolments/{support.enrolment_of(org.employee, session).id}/cancel").status_code == 404
    assert support.enrolment_of(org.employee, session).status == "enrolled"


def test_approval_by_the_manager(client, login, org, db):
    session = support.session(org.foundation, support.course(code="LEAD1", title="Leiderschap", needs_approval=True),
                              capacity=1)
    login(org.employee)
    _enrol(client, session)
    request = support.enrolment_of(org.employee, session)
    assert request.status == "requested"
    assert db.session.scalar(select(Notification.kind).where(Notification.person_id == org.manager.id)) == "learning.approval"

    login(org.colleague)  # not a manager
    assert client.get("/learning/approvals").status_code == 403
    login(org.manager)
    assert "Mila Werkman" in client.get("/learning/approvals").get_data(as_text=True)
    client.post(f"/learning/enrolments/{request.id}/decide", data={"decision": "approve"})
    assert support.enrolment_of(org.employee, session).status == "enrolled"


def test_a_manager_decides_only_for_their_own_teams(client, login, org, make):
    session = support.session(org.foundation, support.course(needs_approval=True))
    other_team_member = make.person(org.foundation, make.team(org.foundation))
    login(other_team_member)
    _enrol(client, session)
    request = support.enrolment_of(other_team_member, session)
    login(org.manager)
    assert other_team_member.full_name not in client.get("/learning/approvals").get_data(as_text=True)
    assert client.post(f"/learning/enrolments/{request.id}/decide", data={"decision": "approve"}).status_code == 404
    login(org.hr)
    client.post(f"/learning/enrolments/{request.id}/decide", data={"decision": "reject"})
    assert support.enrolment_of(other_team_member, session).status == "rejected"


def test_hr_enrols_a_team_skipping_those_already_on_it(client, login, org, make):
    session = support.session(org.foundation, support.course(), capacity=2)
    login(org.employee)
    _enrol(client, session)
    login(org.hr)
    response = client.post(f"/learning/sessions/{session.id}/enrol-group", data={"team_id": str(org.team.id), "job_title": "", "person_type": ""})
    assert response.status_code == 302
    statuses = {p.id: support.enrolment_of(p, session).status for p in (org.employee, org.colleague, org.manager)}
    assert statuses[org.employee.id] == "enrolled"
    assert sorted(statuses.values()) == ["enrolled", "enrolled", "waitlisted"]


def test_group_enrolment_needs_a_filter_and_is_for_hr(client, login, org):
    session = support.session(org.foundation, support.course())
    login(org.manager)
    assert client.post(f"/learning/sessions/{session.id}/enrol-group", data={"team_id": str(org.team.id), "job_title": "", "person_type": ""}).status_code == 403
    login(org.hr)
    page = client.post(f"/learning/sessions/{session.id}/enrol-group", data={"team_id": "", "job_title": "", "person_type": ""})
    assert page.status_code == 400 and "at least one filter" in page.get_data(as_text=True)
    assert support.enrolment_of(org.employee, session) is None


def test_a_larger_capacity_promotes_the_waiting_list(client, login, org):
    session = support.session(org.foundation, support.course(), capacity=1)
    for person in (org.employee, org.colleague):
        login(person)
        _enrol(client, session)
    login(org.hr)
    form = {"starts_at": session.starts_at.strftime("%Y-%m-%dT%H:%M"), "ends_at": session.ends_at.strftime("%Y-%m-%dT%H:%M"),
            "location": "Hengelo", "capacity": "2", "trainer": ""}
    assert client.post(f"/learning/sessions/{session.id}/edit", data=form).status_code == 302
    assert support.enrolment_of(org.colleague, session).status == "enrolled"


def test_session_form_keeps_input_and_saves_nothing_on_bad_input(client, login, org, db):
    course = support.course()
    login(org.hr)
    response = client.post(f"/learning/courses/{course.id}/sessions/new", data={
        "starts_at": "2030-05-01T10:00", "ends_at": "2030-05-01T09:00", "location": "Zwolle, zaal 3", "capacity": "0",
        "trainer": "nobody@example.test"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The end must lie after the start." in html and "Zwolle, zaal 3" in html
    assert db.session.scalar(select(CourseSession.id)) is None


def test_attendance_by_the_trainer_makes_records_and_by_others_is_404(client, login, org, make, listener, db):
    trainer = make.person(org.foundation, org.team)
    course = support.course(validity_months=12)
    session = support.session(org.foundation, course, capacity=3, trainer=trainer)
    for person in (org.employee, org.colleague):
        login(person)
        _enrol(client, session)
    session.starts_at -= timedelta(days=30)
    session.ends_at -= timedelta(days=30)
    db.session.commit()
    first, second = support.enrolment_of(org.employee, session), support.enrolment_of(org.colleague, session)

    for stranger in (org.colleague, org.manager, org.outsider):
        login(stranger)
        assert client.get(f"/learning/sessions/{session.id}/attendance").status_code == 404
        assert client.post(f"/learning/sessions/{session.id}/attendance").status_code == 404

    login(trainer)
    page = client.get(f"/learning/sessions/{session.id}/attendance").get_data(as_text=True)
    assert "Mila Werkman" in page
    rows = sorted([first, second], key=lambda e: e.person.last_name)  # the form lists by last name
    data = {}
    for n, (enrolment, attendance, result) in enumerate(zip(rows, ["absent", "present"], ["", "passed"], strict=True)):
        data.update({f"rows-{n}-enrolment_id": str(enrolment.id), f"rows-{n}-attendance": attendance,
                     f"rows-{n}-result": result, f"rows-{n}-score": ""})
    assert client.post(f"/learning/sessions/{session.id}/attendance", data=data).status_code == 302
    absent, present = rows
    assert support.records_of(absent.person) == []
    [record] = support.records_of(present.person)
    assert record.source == "session" and record.status == "verified" and record.verification_code
    assert (record.completed_on, record.expires_on) == (session.ends_at.date(), expiry_for(course, session.ends_at.date())[0])
    assert listener.HEARD == [{"person_id": present.person_id, "course_code": "BHV", "record_id": record.id,
                               "expires_on": record.expires_on}]

    # Corrected later: absent after all. The record goes; saving again makes no second record.
    data["rows-1-attendance"], data["rows-1-result"] = "absent", ""
    client.post(f"/learning/sessions/{session.id}/attendance", data=data)
    assert support.records_of(present.person) == []


def test_a_result_needs_presence(client, login, org, db):
    course = support.course()
    session = support.session(org.foundation, course, days=-2)
    enrolment = Enrolment(foundation_id=org.foundation.id, session_id=session.id, person_id=org.employee.id, status="enrolled")
    db.session.add(enrolment)
    db.session.commit()
    login(org.hr)
    response = client.post(f"/learning/sessions/{session.id}/attendance", data={
        "rows-0-enrolment_id": str(enrolment.id), "rows-0-attendance": "absent", "rows-0-result": "passed"})
    assert response.status_code == 200 and "Only people who were present" in response.get_data(as_text=True)
    assert support.records_of(org.employee) == []


@pytest.mark.parametrize("enrolment_id", ["abc", "1.5", "", "{other}", "{mine},{mine}"])
def test_attendance_rows_that_name_nobody_on_the_roster_save_nothing(client, login, org, make, db, enrolment_id):
    """Regression: a non-integer ``rows-N-enrolment_id`` answered 500. A row that names nobody on
    the roster (tampered with, or someone cancelled meanwhile), or the same person twice, is a
    clear 400 with the roster shown again."""
    course = support.course()
    session = support.session(org.foundation, course, days=-2)
    mine = Enrolment(foundation_id=org.foundation.id, session_id=session.id, person_id=org.employee.id, status="enrolled")
    elsewhere = support.session(org.foundation, course, days=-3)
    other = Enrolment(foundation_id=org.foundation.id, session_id=elsewhere.id, person_id=org.colleague.id,
                      status="enrolled")
    db.session.add_all([mine, other])
    db.session.commit()
    login(org.hr)
    ids = enrolment_id.format(mine=mine.id, other=other.id).split(",")
    data = {}
    for n, value in enumerate(ids):
        data.update({f"rows-{n}-enrolment_id": value, f"rows-{n}-attendance": "present", f"rows-{n}-result": "passed"})
    response = client.post(f"/learning/sessions/{session.id}/attendance", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The list of participants has changed since this page was opened; nothing is saved." in html
    assert f'data-person="{org.employee.email}"' in html  # the roster as it stands, to fill in again
    assert support.records_of(org.employee) == [] and support.records_of(org.colleague) == []
    assert support.enrolment_of(org.employee, session).attendance is None


def test_a_session_post_without_the_trainer_keeps_the_trainer(client, login, org, make, db):
    """Regression: a post without the ``trainer`` field passed the session's trainer (a person,
    not the text naming one) to the look-up and answered 500. A field left out keeps its value,
    as every other field of the form does."""
    trainer = make.person(org.foundation, org.team)
    session = support.session(org.foundation, support.course(), trainer=trainer)
    login(org.hr)
    assert f'value="{trainer.email}"' in client.get(f"/learning/sessions/{session.id}/edit").get_data(as_text=True)
    form = {"starts_at": session.starts_at.strftime("%Y-%m-%dT%H:%M"), "ends_at": session.ends_at.strftime("%Y-%m-%dT%H:%M"),
            "location": "Zwolle", "capacity": "2"}
    assert client.post(f"/learning/sessions/{session.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    changed = db.session.get(CourseSession, session.id)
    assert (changed.location, changed.trainer_id) == ("Zwolle", trainer.id)
    assert client.post(f"/learning/sessions/{session.id}/edit", data={**form, "trainer": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.get(CourseSession, session.id).trainer_id is None  # emptied on purpose: no trainer
    assert f'value="{trainer.email}"' not in client.get(f"/learning/sessions/{session.id}/edit").get_data(as_text=True)


def test_session_icalendar(client, login, org):
    session = support.session(org.foundation, support.course(title="BHV herhaling"))
    login(org.employee)
    response = client.get(f"/learning/sessions/{session.id}.ics")
    assert response.mimetype == "text/calendar"
    [event] = Calendar.from_ical(response.data).walk("VEVENT")
    assert str(event["summary"]) == "BHV herhaling"
    assert event.decoded("dtstart").replace(tzinfo=None) == session.starts_at
    assert str(event.decoded("dtstart").tzinfo) == "Europe/Amsterdam"


def test_personal_calendar_feed_by_secret_address(app, client, login, org):
    session = support.session(org.foundation, support.course(title="BLS"))
    login(org.employee)
    _enrol(client, session)
    html = client.post("/learning/calendar").get_data(as_text=True)
    url = html.split('data-testid="feed-url">')[1].split("<")[0]
    path = url.split("localhost", 1)[-1]
    client.post("/auth/logout")
    response = client.get(path)  # anonymous, as a calendar program
    assert response.status_code == 200
    assert [str(e["summary"]) for e in Calendar.from_ical(response.data).walk("VEVENT")] == ["BLS"]
    assert client.get("/learning/calendar/not-a-token.ics").status_code == 404

    login(org.employee)
    client.post("/learning/calendar")  # a new address ends the old one
    client.post("/auth/logout")
    assert client.get(path).status_code == 404

    login(org.employee)
    html = client.post("/learning/calendar").get_data(as_text=True)
    path = html.split('data-testid="feed-url">')[1].split("<")[0].split("localhost", 1)[-1]
    disable(plugin_manager(app), org.foundation, "learning")
    client.post("/auth/logout")
    assert client.get(path).status_code == 404  # learning switched off for the person's foundation


def test_the_feed_opens_in_a_browser_signed_in_where_learning_is_off(client, login, make, org):
    """The address is the credential: a browser signed in to a foundation without learning (the
    gate of plugin pages) opens it too."""
    session = support.session(org.foundation, support.course(title="BLS"))
    login(org.employee)
    _enrol(client, session)
    html = client.post("/learning/calendar").get_data(as_text=True)
    path = html.split('data-testid="feed-url">')[1].split("<")[0].split("localhost", 1)[-1]
    login(make.person(make.foundation("forensisch")))
    assert client.get("/learning/").status_code == 404  # learning is off where this person works
    response = client.get(path)
    assert response.status_code == 200
    assert [str(e["summary"]) for e in Calendar.from_ical(response.data).walk("VEVENT")] == ["BLS"]


def test_sessions_of_another_foundation_are_not_found(client, login, org):
    session = support.session(org.other, support.course())
    login(org.employee)
    for url in (f"/learning/sessions/{session.id}", f"/learning/sessions/{session.id}.ics",
                f"/learning/sessions/{session.id}/attendance"):
        assert client.get(url).status_code == 404
    assert _enrol(client, session).status_code == 404
    login(org.hr)
    assert client.get(f"/learning/sessions/{session.id}/edit").status_code == 404


@pytest.mark.skipif(not os.environ.get("JOURNEY_TEST_DATABASE_URL", "").startswith("postgresql"),
                    reason="needs two real concurrent transactions (PostgreSQL)")
def test_two_people_racing_for_the_last_seat(app, org, db):
    """The second enrolment waits for the first one's lock and then finds the session full."""
    session_id = support.session(org.foundation, support.course(), capacity=1).id
    first_id, second_id = org.employee.id, org.colleague.id
    outcome = {}

    def second_request():
        with app.app_context():
            enrolment = enrolments.enrol(db.session.get(CourseSession, session_id), db.session.get(Person, second_id), None)
            db.session.commit()
            outcome["second"] = enrolment.status

    with app.app_context():
        first = enrolments.enrol(db.session.get(CourseSession, session_id), db.session.get(Person, first_id), None)
        racer = threading.Thread(target=second_request)
        racer.start()
        with db.engine.connect() as watcher:  # wait (bounded) until the second transaction blocks on our lock
            for _attempt in range(400):
                waiting = watcher.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )).scalar()
                watcher.commit()
                if waiting:
                    break
                time.sleep(0.025)
        assert waiting, "the second enrolment did not wait for the first"
        db.session.commit()
        outcome["first"] = first.status
        racer.join(timeout=30)
    assert outcome == {"first": "enrolled", "second": "waitlisted"}

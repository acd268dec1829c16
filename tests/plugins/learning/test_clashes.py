"""One place per course, and overlapping sessions of different courses flagged: on the session
page before enrolling, in the enrol message, and on the manager's approvals."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from core.models import Notification
from plugins.learning.models import Enrolment
from tests.plugins.learning import support


def _enrol(client, session):
    return client.post(f"/learning/sessions/{session.id}/enrol")


def _flashes(client, response) -> str:
    return client.get(response.location).get_data(as_text=True)


def test_a_second_session_of_the_same_course_is_refused_naming_the_first(client, login, org, db):
    course = support.course()
    first = support.session(org.foundation, course, days=7, capacity=5)
    second = support.session(org.foundation, course, days=14, capacity=5)
    login(org.employee)
    _enrol(client, first)
    page = client.get(f"/learning/sessions/{second.id}").get_data(as_text=True)
    assert 'data-testid="elsewhere"' in page and f"/learning/sessions/{first.id}" in page
    assert 'data-testid="enrol"' not in page

    message = _flashes(client, _enrol(client, second))
    assert "already enrolled for this course" in message
    assert support.enrolment_of(org.employee, second) is None
    assert support.enrolment_of(org.employee, first).status == "enrolled"


def test_after_cancelling_or_once_the_first_session_ended_another_is_possible(client, login, org, db, clock):
    course = support.course()
    first = support.session(org.foundation, course, days=3, capacity=5)
    second = support.session(org.foundation, course, days=30, capacity=5)
    login(org.employee)
    _enrol(client, first)
    client.post(f"/learning/enrolments/{support.enrolment_of(org.employee, first).id}/cancel")
    _enrol(client, second)
    assert support.enrolment_of(org.employee, second).status == "enrolled"

    repeat = support.session(org.foundation, course, days=60, capacity=5)  # a repeat after the course ended
    clock.forward(days=31)
    _enrol(client, repeat)
    assert support.enrolment_of(org.employee, repeat).status == "enrolled"


def test_group_enrolment_skips_people_on_another_session_of_the_course(client, login, org, db):
    course = support.course()
    first = support.session(org.foundation, course, days=7, capacity=5)
    second = support.session(org.foundation, course, days=14, capacity=5)
    login(org.employee)
    _enrol(client, first)
    login(org.hr)
    client.post(f"/learning/sessions/{second.id}/enrol-group",
                data={"team_id": str(org.team.id), "job_title": "", "person_type": ""})
    assert support.enrolment_of(org.employee, second) is None
    assert support.enrolment_of(org.colleague, second).status == "enrolled"


def test_an_overlapping_session_of_another_course_is_flagged_before_and_after_enrolling(client, login, org, db):
    bhv = support.course()
    agr = support.course(code="AGR", title="Agressiehantering")
    taken = support.session(org.foundation, bhv, days=7, capacity=5)
    clash = support.session(org.foundation, agr, days=7, capacity=5)
    clash.starts_at += timedelta(hours=1)
    later = support.session(org.foundation, agr, days=8, capacity=5)
    db.session.commit()
    login(org.employee)
    _enrol(client, taken)

    page = client.get(f"/learning/sessions/{clash.id}").get_data(as_text=True)
    assert 'data-testid="clashes"' in page and "Bedrijfshulpverlening" in page
    assert 'data-testid="clashes"' not in client.get(f"/learning/sessions/{later.id}").get_data(as_text=True)

    message = _flashes(client, _enrol(client, clash))
    assert "Mind the overlap with Bedrijfshulpverlening" in message
    assert support.enrolment_of(org.employee, clash).status == "enrolled"  # flagged, not refused
    assert "overlap" not in _flashes(client, _enrol(client, later))


def test_the_manager_sees_an_overlap_on_the_approval(client, login, org, db):
    bhv = support.course()
    lead = support.course(code="LEAD1", title="Leiderschap", needs_approval=True)
    taken = support.session(org.foundation, bhv, days=7, capacity=5)
    asked = support.session(org.foundation, lead, days=7, capacity=5)
    login(org.colleague)
    _enrol(client, asked)  # no clash for the colleague
    login(org.employee)
    _enrol(client, taken)
    _enrol(client, asked)
    login(org.manager)
    page = client.get("/learning/approvals").get_data(as_text=True)
    mine = support.enrolment_of(org.employee, asked)
    row = page.split(f'data-enrolment="{mine.id}"')[1].split("</tr>")[0]
    assert 'data-testid="clash"' in row and "Bedrijfshulpverlening" in row
    assert page.count('data-testid="clash"') == 1
    assert db.session.scalar(select(func.count(Enrolment.id))) == 3


def test_notifications_write_the_time_the_dutch_way_without_seconds(client, login, org, db, clock):
    clock.set(datetime(2031, 2, 24, 12, 0))
    lead = support.course(code="LEAD1", title="Leiderschap", needs_approval=True)
    session = support.session(org.foundation, lead, days=7, capacity=5)
    session.starts_at = datetime(2031, 3, 4, 9, 0)
    org.employee.locale = "nl"
    db.session.commit()
    login(org.employee)
    _enrol(client, session)
    subjects = dict(db.session.execute(select(Notification.person_id, Notification.subject)).all())
    assert "di 4 mrt 2031, 09:00" in subjects[org.employee.id]
    assert "Tue 4 Mar 2031, 09:00" in subjects[org.manager.id]  # in the manager's language
    assert not any("09:00:00" in subject for subject in subjects.values())
    page = client.get(f"/learning/sessions/{session.id}").get_data(as_text=True)
    assert "di 4 mrt 2031, 09:00" in page and "09:00:00" not in page

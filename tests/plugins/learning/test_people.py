"""What learning shows and keeps about people: widgets, the section on a person's page,
registrations with progress, privacy export and erasure, and the demo data."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from core.api import clock, workdays
from core.models import Person
from plugins.learning import compliance
from plugins.learning.demo import seed_bench_data, seed_demo_data
from plugins.learning.models import (
    Course,
    CourseSession,
    Enrolment,
    FeedToken,
    Registration,
    Requirement,
    TrainingRecord,
    XapiStatement,
)
from plugins.learning.privacy import erase, export
from tests.plugins.learning import support


def _bhv_expiring_in_21_days(org):
    bhv = support.course(code="BHV", title="BHV")
    support.requirement(org.foundation, [bhv], "BHV")
    support.record(org.employee, bhv, clock.today() + timedelta(days=21) - relativedelta(months=12))
    support.record(org.colleague, bhv, clock.today() - relativedelta(months=15))
    return bhv


def test_my_widget_says_what_expires_and_links_to_enrol(client, login, org):
    bhv = _bhv_expiring_in_21_days(org)
    login(org.employee)
    html = client.get("/").get_data(as_text=True)
    assert "BHV expires in 21 days" in html and f"/learning/courses/{bhv.id}" in html


def test_my_widget_counts_days_in_the_singular_too(client, db, login, org):
    bhv = support.course(code="BHV", title="BHV")
    support.requirement(org.foundation, [bhv], "BHV")
    support.record(org.employee, bhv, clock.today() + timedelta(days=1) - relativedelta(months=12))
    login(org.employee)
    assert "BHV expires in 1 day " in client.get("/").get_data(as_text=True)
    org.employee.locale = "nl"
    db.session.commit()
    assert "BHV verloopt over 1 dag " in client.get("/").get_data(as_text=True)


def test_manager_and_hr_widgets(client, login, org):
    _bhv_expiring_in_21_days(org)
    login(org.manager)
    html = client.get("/").get_data(as_text=True)
    assert "Training in my teams" in html and "Overdue" in html
    login(org.hr)
    html = client.get("/").get_data(as_text=True)
    # Bram's BHV lapsed beyond grace; the manager and HR never had one.
    assert 'data-testid="overdue-count">3<' in html


def test_person_section_for_manager_and_hr(client, login, org):
    _bhv_expiring_in_21_days(org)
    for viewer in (org.manager, org.hr):
        login(viewer)
        html = client.get(f"/people/{org.employee.id}").get_data(as_text=True)
        section = html.split('id="section-learning"')[1]
        assert "ln-expiring" in section and "BHV" in section


def test_registration_progress_adds_accredited_points_within_the_cycle(client, login, org, db):
    register = support.register(points=Decimal("20"))
    course = support.course(code="MED", validity_months=None, register_id=register.id, accreditation_points=Decimal("4"))
    login(org.employee)
    response = client.post("/learning/registrations/new", data={
        "register_id": str(register.id), "number": "19012345601", "cycle_start": "2024-01-01", "cycle_end": "",
        "points_required": ""})
    assert response.status_code == 302
    registration = db.session.scalar(select(Registration))
    assert str(registration.cycle_end) == "2028-12-31" and registration.points_required == Decimal("20")
    support.record(org.employee, course, date(2024, 3, 1))
    support.record(org.employee, course, date(2025, 3, 1))
    support.record(org.employee, course, date(2023, 12, 31))  # before the cycle
    support.record(org.employee, course, date(2025, 4, 1), status="pending")  # not verified
    html = client.get("/learning/").get_data(as_text=True)
    assert "8 of 20 points" in html and 'value="40"' in html
    bad = client.post("/learning/registrations/new", data={
        "register_id": str(register.id), "number": "", "cycle_start": "2024-01-01", "cycle_end": "2023-01-01",
        "points_required": ""})
    assert "The cycle must end after it starts." in bad.get_data(as_text=True)
    login(org.colleague)
    assert client.get(f"/learning/registrations/{registration.id}/edit").status_code == 404


def test_privacy_export_and_erase(app, org, db, listener):
    course = support.course()
    record = support.record(org.employee, course, date(2025, 5, 1), verification_code="PRIV-ACY0-TEST",
                            evidence_stored="f" * 48, evidence_name="bhv.pdf")
    folder = Path(app.instance_path) / "uploads" / "learning"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ("f" * 48)).write_bytes(b"%PDF-1.4")
    session = support.session(org.foundation, course, trainer=org.employee)
    db.session.add_all([
        Enrolment(foundation_id=org.foundation.id, session_id=session.id, person_id=org.employee.id, status="enrolled",
                  record_id=record.id),
        Registration(foundation_id=org.foundation.id, person_id=org.employee.id, register_id=support.register().id,
                     cycle_start=date(2024, 1, 1), cycle_end=date(2028, 12, 31), points_required=Decimal("184")),
        FeedToken(foundation_id=org.foundation.id, person_id=org.employee.id, token_hash="a" * 64),
        XapiStatement(foundation_id=org.foundation.id, statement_id="x", content_hash="h", record_id=record.id,
                      person_id=org.employee.id),
    ])
    db.session.commit()
    data = export(org.employee)
    assert data["training_records"][0]["verification_code"] == "PRIV-ACY0-TEST"
    assert data["enrolments"][0]["status"] == "enrolled" and data["registrations"][0]["register"] == "Kwaliteitsregister V&V"
    assert data["sessions_as_trainer"] and data["calendar_feed"] is True

    erase(org.employee)
    db.session.commit()
    for model in (TrainingRecord, Enrolment, Registration, FeedToken):
        assert db.session.scalar(select(func.count()).select_from(model).where(model.person_id == org.employee.id)) == 0
    assert db.session.get(CourseSession, session.id).trainer_id is None
    statement = db.session.scalar(select(XapiStatement))
    assert statement.person_id is None and statement.record_id is None  # a replay stays a no-op
    assert not (folder / ("f" * 48)).exists()
    assert export(org.employee)["training_records"] == []


def test_demo_data_covers_every_status(app, org, db, make):
    medewerker = make.person(org.foundation, org.team, email="medewerker.test@example.org", job_title="Verpleegkundige")
    make.person(org.foundation, org.team, status="preboarding", start_date=clock.today() + timedelta(days=7))
    people = db.session.scalars(select(Person.id).where(Person.foundation_id == org.foundation.id)).all()
    seed_demo_data(org.foundation, people, random.Random(1))
    db.session.commit()
    seed_demo_data(org.other, [org.outsider.id], random.Random(2))  # the group-wide catalogue is made once
    db.session.commit()
    assert db.session.scalar(select(func.count(Course.id)).where(Course.code == "BHV")) == 1
    requirements = compliance.requirements_of(org.foundation.id)
    totals = compliance.total_counts(compliance.counts(compliance.Scope(org.foundation.id), requirements, clock.today()))
    assert set(totals) == {"compliant", "expiring", "expired", "overdue", "missing"}, totals
    cells = compliance.cells_for(compliance.Scope(org.foundation.id), [medewerker.id], clock.today())[medewerker.id]
    bhv = next(r for r in requirements if r.title == "BHV")
    assert cells[bhv.id].valid_until == clock.today() + timedelta(days=21)
    now = clock.today()
    starts = db.session.scalars(select(CourseSession.starts_at).where(CourseSession.foundation_id == org.foundation.id)).all()
    assert any(s.date() < now for s in starts) and any(s.date() > now for s in starts)
    assert db.session.scalar(select(func.count(TrainingRecord.id)).where(TrainingRecord.status == "pending")) >= 1


def test_bench_data_is_bulk_inserted(app, org, db):
    people = db.session.scalars(select(Person.id).where(Person.foundation_id == org.foundation.id)).all()
    seed_bench_data(org.foundation, people, random.Random(3))
    db.session.commit()
    assert db.session.scalar(select(func.count(Requirement.id)).where(Requirement.foundation_id == org.foundation.id)) >= 2
    assert db.session.scalar(select(func.count(TrainingRecord.id))) >= len(people)


@pytest.mark.parametrize("seed", [seed_demo_data, seed_bench_data])
def test_demo_sessions_fall_on_working_days(app, org, db, clock, seed):
    """Seeded on each day of a week with Easter Monday in it, no session lands on a weekend or a holiday."""
    for day in range(7):
        clock.set(datetime(2031, 4, 10 + day, 12, 0))
        seed(org.foundation, [org.employee.id], random.Random(day))
        db.session.commit()
    days = {s.date() for s in db.session.scalars(select(CourseSession.starts_at))}
    assert len(days) > 10
    assert all(workdays.is_working_day(day) for day in days), sorted(d for d in days if not workdays.is_working_day(d))

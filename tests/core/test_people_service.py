"""The people service used without the web: partial updates and unique rules under a race."""
from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from core.models import Person
from core.people import csv_import, service
from tests.core.people_support import build_org, listening


@pytest.fixture
def org(make):
    return build_org(make)


def test_partial_update_keeps_the_other_fields(app, org, db):
    with listening(app) as listener:
        changed = service.update_person(org.nurse, {"end_date": date(2027, 1, 31)})
    db.session.expire_all()
    nurse = db.session.get(Person, org.nurse.id)
    assert changed == ["end_date", "status"]
    assert (nurse.status, nurse.team_id, nurse.email, nurse.employee_number) == ("leaving", org.care.id, "nina@example.org", "A100")
    assert listener.calls == [("person_leaving", nurse.id, "leaving")]


def test_second_end_date_change_is_no_new_leaving(app, org, db):
    service.update_person(org.nurse, {"end_date": date(2027, 1, 31)})
    with listening(app) as listener:
        service.update_person(org.nurse, {"end_date": date(2027, 2, 28)})
    assert listener.calls == []


def _racing(monkeypatch):
    """The first uniqueness check misses a row that another request has just written."""
    real, calls = service.taken_emails, []

    def taken(emails, except_person_id=None):
        calls.append(1)
        return set() if len(calls) == 1 else real(emails, except_person_id)

    monkeypatch.setattr(service, "taken_emails", taken)


def test_a_race_on_the_email_becomes_a_field_error(monkeypatch, org, db):
    _racing(monkeypatch)
    with pytest.raises(service.Invalid) as raised:
        service.create_person(org.a.id, {"first_name": "Ni", "last_name": "Na", "email": "nina@example.org"})
    assert set(raised.value.errors) == {"email"}
    assert db.session.scalar(select(func.count(Person.id)).where(Person.email == "nina@example.org")) == 1


def test_a_race_during_import_is_reported_and_imports_nothing(app, monkeypatch, org, db):
    _racing(monkeypatch)
    content = b"email,first_name,last_name\nnew@example.org,New,Person\nnina@example.org,Ni,Na\n"
    with listening(app) as listener, force_locale("en"):
        result = csv_import.import_people(org.a.id, content)
    assert not result.ok and result.imported == 0
    assert [dict(r.errors) for r in result.rows][1] == {"email": "Already in use: nina@example.org."}
    assert db.session.scalar(select(Person).where(Person.email == "new@example.org")) is None
    assert listener.calls == []  # the rolled-back people were never announced


def test_find_person_by_email_or_employee_number_within_the_foundation(org):
    assert service.find_person(org.a.id, " NINA@example.org ").id == org.nurse.id
    assert service.find_person(org.a.id, "A100").id == org.nurse.id
    assert service.find_person(org.b.id, "A100").id == org.b_person.id
    assert service.find_person(org.a.id, "bert@example.org") is None

"""Erasure on request: plugins' data, notifications, links and roles go; the row stays anonymous."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from core.models import AuditEvent, Invitation, Notification, OutboxMessage, Person, RoleAssignment
from core.notifications import notify


def test_hr_erases_a_person_after_typing_the_address(app, client, make, login, spy, db):
    a = make.foundation()
    hr = make.person(a, role="hr_admin")
    person = make.person(a, role="hr_admin", first_name="Erik", last_name="Eraseme")
    team = make.team(a, manager=person)
    notify(person, "core.message", "Hallo", "Tekst", dedupe_key="x")
    db.session.commit()
    login(hr)
    client.post(f"/people/{person.id}/invitation", data={"purpose": "reset"})
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.person_id == person.id)) >= 1

    wrong = client.post(f"/people/{person.id}/erase", data={"confirm_email": "nope@example.test"})
    assert wrong.status_code == 400 and db.session.get(Person, person.id).first_name == "Erik"

    response = client.post(f"/people/{person.id}/erase", data={"confirm_email": person.email.upper()})
    assert response.status_code == 302
    db.session.expire_all()
    erased = db.session.get(Person, person.id)
    assert "Erik" not in (erased.first_name + erased.last_name) and erased.email.endswith(".invalid")
    assert erased.password_hash is None and not erased.login_enabled and erased.status == "left"
    for model in (Notification, OutboxMessage, Invitation, RoleAssignment):
        assert db.session.scalar(select(func.count()).select_from(model).where(model.person_id == person.id)) == 0
    assert db.session.get(type(team), team.id).manager_id is None
    assert spy.calls("privacy_erase") == [{"person": person.id}]  # the spy is off here: erasure still reaches it
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "person.erased")) == "person.erased"


def test_invitation_link_is_emailed_in_the_persons_language(app, client, make, login, db):
    a = make.foundation()
    login(make.person(a, role="hr_admin"))
    newcomer = make.person(a, status="preboarding", locale="en", password_hash=None)
    client.post(f"/people/{newcomer.id}/invitation", data={"purpose": "welcome"})
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.person_id == newcomer.id))
    assert mail.subject == "Welcome to Journey"
    assert "/auth/invite/" in mail.text_body and "/auth/invite/" in mail.html_body


def test_erasure_is_for_privacy_officers_only_and_not_for_oneself(client, make, login):
    a, b = make.foundation(), make.foundation()
    employee, hr = make.person(a), make.person(a, role="hr_admin")
    other = make.person(b)
    login(employee)
    assert client.get(f"/people/{hr.id}/erase").status_code == 403
    login(hr)
    assert client.get(f"/people/{hr.id}/erase").status_code == 404
    assert client.post(f"/people/{other.id}/erase", data={"confirm_email": other.email}).status_code == 404


def test_sqlite_zeroes_what_is_deleted(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("a SQLite setting")
    assert db.session.execute(text("PRAGMA secure_delete")).scalar() == 1

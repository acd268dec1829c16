"""People list, person page, HR actions, person and team forms, and who may see what."""
from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.models import AuditEvent, Invitation, Person, Team
from tests.core.people_support import build_org, listening


@pytest.fixture
def org(make):
    return build_org(make)


def _rows(page: str) -> list[str]:
    return re.findall(r'<tr data-person="(\d+)"', page)


def _audit(db, action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


# -- list -----------------------------------------------------------------------------------------

def test_list_shows_the_acting_foundation_sorted_by_last_name(client, login, org):
    login(org.hr)
    page = client.get("/people/").get_data(as_text=True)
    # Bakker, de Wit, Mulder, Zwart: case-insensitive by last name; foundation B's person is absent
    assert _rows(page) == [str(p.id) for p in (org.nurse, org.clerk, org.manager, org.hr)]
    assert "Anders" not in page
    assert "Care" in page  # the team column


@pytest.mark.parametrize("q, expected", [
    ("nina", ["nurse"]), ("KEES@example", ["clerk"]), ("a100", ["nurse"]), ("marco mulder", ["manager"]),
    ("100%", []), ("zzz", []),
])
def test_search_by_name_email_and_employee_number(client, login, org, q, expected):
    login(org.hr)
    page = client.get("/people/", query_string={"q": q}).get_data(as_text=True)
    assert _rows(page) == [str(getattr(org, name).id) for name in expected]


def test_filters_by_team_type_and_status(client, login, org):
    login(org.hr)
    assert _rows(client.get(f"/people/?team={org.care.id}").get_data(as_text=True)) == [str(org.nurse.id), str(org.manager.id)]
    assert _rows(client.get("/people/?team=none").get_data(as_text=True)) == [str(org.hr.id)]
    assert _rows(client.get("/people/?person_type=volunteer").get_data(as_text=True)) == [str(org.clerk.id)]
    assert _rows(client.get("/people/?status=preboarding").get_data(as_text=True)) == [str(org.clerk.id)]
    # another foundation's team is no valid choice: the filter is ignored, B stays invisible
    page = client.get(f"/people/?team={org.b_team.id}").get_data(as_text=True)
    assert len(_rows(page)) == 4 and "Anders" not in page


def test_paging_keeps_the_filters(app, client, login, org, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    login(org.hr)
    first = client.get("/people/?q=e").get_data(as_text=True)  # everyone has an "e" in the e-mail
    second = client.get("/people/?q=e&page=2").get_data(as_text=True)
    assert _rows(first) == [str(org.nurse.id), str(org.clerk.id)]
    assert _rows(second) == [str(org.manager.id), str(org.hr.id)]
    assert "page=2" in first and "q=e" in first
    assert _rows(client.get("/people/?page=9").get_data(as_text=True)) == []


# -- who may see what -----------------------------------------------------------------------------

def test_manager_sees_only_the_people_of_their_teams(client, login, org):
    login(org.manager)
    page = client.get("/people/").get_data(as_text=True)
    assert _rows(page) == [str(org.nurse.id), str(org.manager.id)]
    assert client.get(f"/people/{org.nurse.id}").status_code == 200
    assert client.get(f"/people/{org.clerk.id}").status_code == 404
    assert client.get(f"/people/?team={org.office.id}").status_code == 200
    assert _rows(client.get(f"/people/?team={org.office.id}").get_data(as_text=True)) == [str(org.nurse.id), str(org.manager.id)]
    teams = client.get("/people/teams").get_data(as_text=True)
    assert f'data-team="{org.care.id}"' in teams and f'data-team="{org.office.id}"' not in teams
    export = client.get("/people/export.csv").get_data(as_text=True)
    assert "nina@example.org" in export and "kees@example.org" not in export


@pytest.mark.parametrize("method, path", [
    ("get", "/people/{person}/edit"), ("get", "/people/new"), ("get", "/people/teams/new"),
    ("get", "/people/teams/{team}/edit"), ("get", "/people/import"), ("post", "/people/{person}/invitation"),
    ("post", "/people/{person}/login"), ("post", "/people/{person}/privacy-export"),
])
def test_manager_may_not_change_people(client, login, org, method, path):
    login(org.manager)
    url = path.format(person=org.nurse.id, team=org.care.id)
    assert getattr(client, method)(url).status_code == 403


@pytest.mark.parametrize("path", [
    "/people/", "/people/{person}", "/people/teams", "/people/export.csv", "/people/new", "/people/import",
])
def test_employee_without_permission_gets_403(client, login, org, path):
    login(org.nurse)
    assert client.get(path.format(person=org.clerk.id)).status_code == 403


@pytest.mark.parametrize("method, path", [
    ("get", "/people/{person}"), ("get", "/people/{person}/edit"), ("post", "/people/{person}/edit"),
    ("post", "/people/{person}/invitation"), ("post", "/people/{person}/login"),
    ("post", "/people/{person}/privacy-export"), ("get", "/people/teams/{team}/edit"),
    ("post", "/people/teams/{team}/edit"),
])
def test_hr_admin_of_a_gets_404_for_foundation_b(client, login, org, db, method, path):
    login(org.hr)
    url = path.format(person=org.b_person.id, team=org.b_team.id)
    response = getattr(client, method)(url, data={"purpose": "reset", "action": "disable", "name": "Stolen"})
    assert response.status_code == 404
    db.session.expire_all()  # the requests used their own session
    assert db.session.scalar(select(func.count(Invitation.id))) == 0
    assert db.session.get(Team, org.b_team.id).name == "B team"
    assert db.session.get(Person, org.b_person.id).login_enabled is True


def test_group_admin_acting_in_a_gets_404_for_b(client, login, org, make):
    admin = make.person(org.a, role="group_admin")
    login(admin)
    assert client.get(f"/people/{org.b_person.id}").status_code == 404
    client.post("/foundation", data={"foundation_id": org.b.id})
    assert client.get(f"/people/{org.b_person.id}").status_code == 200


# -- person page and HR actions -------------------------------------------------------------------

def test_person_page_shows_details_team_manager_roles_and_plugin_sections(app, client, login, org):
    login(org.hr)
    with listening(app):
        page = client.get(f"/people/{org.nurse.id}").get_data(as_text=True)
        own = client.get(f"/people/{org.hr.id}").get_data(as_text=True)
        managers = client.get(f"/people/{org.manager.id}").get_data(as_text=True)
    assert "Nina Bakker" in page and "nina@example.org" in page and "A100" in page
    assert "Care" in page and "Marco Mulder" in page  # team and its manager
    assert 'href="#section-listener"' in page and "Listener section for Nina" in page
    assert "HR administrator of Foundation A" in own
    assert "Manager of Care" in managers


def test_invitation_link_is_shown_once_and_audited_without_the_token(app, client, login, org, db):
    login(org.hr)
    response = client.post(f"/people/{org.nurse.id}/invitation", data={"purpose": "welcome"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    token = re.search(r"/auth/invite/([A-Za-z0-9_-]+)", page).group(1)
    assert "nina@example.org" in page
    # not in the session cookie, and not shown again
    assert all(token not in value for value in response.headers.getlist("Set-Cookie"))
    assert token not in client.get(f"/people/{org.nurse.id}").get_data(as_text=True)
    [event] = _audit(db, "invitation.issued")
    assert event.details == {"purpose": "welcome"} and token not in json.dumps(event.details)
    assert event.actor_id == org.hr.id and event.target_id == str(org.nurse.id)
    assert client.post(f"/people/{org.nurse.id}/invitation", data={"purpose": "other"}).status_code == 400
    client.post("/auth/logout")
    assert client.get(f"/auth/invite/{token}").status_code == 200  # the link works


def test_switching_login_off_ends_sessions_and_is_audited(app, client, login, org, db):
    nurse_client = app.test_client()
    nurse_client.post("/auth/login", data={"email": org.nurse.email, "password": "correct horse battery staple"})
    assert nurse_client.get("/").status_code == 200
    version = org.nurse.session_version
    login(org.hr)
    client.post(f"/people/{org.nurse.id}/login", data={"action": "disable"})
    db.session.expire_all()  # the request used its own session
    nurse = db.session.get(Person, org.nurse.id)
    assert nurse.login_enabled is False and nurse.session_version == version + 1
    assert nurse_client.get("/").status_code == 302  # signed out
    client.post(f"/people/{org.nurse.id}/login", data={"action": "enable"})
    db.session.refresh(nurse)
    assert nurse.login_enabled is True
    assert [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("person.login%")).order_by(AuditEvent.id))] == [
        "person.login_disabled", "person.login_enabled"]
    client.post(f"/people/{org.hr.id}/login", data={"action": "disable"})  # not oneself
    db.session.expire_all()
    assert db.session.get(Person, org.hr.id).login_enabled is True


def test_privacy_export_holds_core_data_and_every_installed_plugin(client, login, org, db):
    login(org.hr)
    response = client.post(f"/people/{org.nurse.id}/privacy-export")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["person"]["email"] == "nina@example.org" and data["person"]["team"] == "Care"
    assert data["plugins"]["hello"] == {"greetings": []}  # switched off, still asked: privacy is ungated
    [event] = _audit(db, "person.privacy_exported")
    assert event.target_id == str(org.nurse.id)


# -- creating and editing people ------------------------------------------------------------------

def _person_form(**overrides) -> dict:
    data = {"first_name": "Olga", "last_name": "Kok", "email": "Olga.Kok@Example.org", "person_type": "employee",
            "status": "preboarding", "team_id": "", "employee_number": "A200", "job_title": "Nurse",
            "start_date": "2026-09-01", "end_date": "", "contract_hours": "28,5", "locale": "nl"}
    data.update(overrides)
    return data


def test_create_person_saves_audits_and_fires_person_hired(app, client, login, org, db):
    login(org.hr)
    with listening(app) as listener:
        response = client.post("/people/new", data=_person_form(team_id=str(org.care.id)))
    assert response.status_code == 302
    person = db.session.scalar(select(Person).where(Person.email == "olga.kok@example.org"))
    assert person.foundation_id == org.a.id and person.team_id == org.care.id
    assert person.contract_hours == Decimal("28.5") and person.start_date == date(2026, 9, 1)
    assert listener.calls == [("person_hired", person.id)]
    assert 'value="28,50"' in client.get(f"/people/{person.id}/edit").get_data(as_text=True)
    [event] = _audit(db, "person.created")
    assert "email" in event.details["fields"] and "Olga" not in json.dumps(event.details)


@pytest.mark.parametrize("overrides, field, message", [
    ({"email": "NINA@example.org"}, "email", "already in use"),
    ({"email": "bert@EXAMPLE.org"}, "email", "already in use"),  # unique across foundations
    ({"email": "not-an-address"}, "email", "valid e-mail"),
    ({"employee_number": "A100"}, "employee_number", "already in use"),
    ({"start_date": "2026-09-01", "end_date": "2026-08-31"}, "end_date", "before the start date"),
    ({"contract_hours": "61"}, "contract_hours", "between 0 and 60"),
    ({"start_date": "31-31-2026"}, "start_date", "Not a valid date"),
    ({"first_name": ""}, "first_name", "required"),
])
def test_create_person_with_bad_input_rerenders_and_saves_nothing(client, login, org, db, overrides, field, message):
    login(org.hr)
    before = db.session.scalar(select(func.count(Person.id)))
    response = client.post("/people/new", data=_person_form(job_title="Typed title", **overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in page and message in page
    assert 'value="Typed title"' in page  # what the user typed stays
    assert db.session.scalar(select(func.count(Person.id))) == before


def test_employee_number_may_repeat_in_another_foundation(client, login, org, db):
    login(org.hr)
    client.post("/people/new", data=_person_form(employee_number="B-only"))
    assert db.session.scalar(select(Person).where(Person.employee_number == "B-only")) is not None
    # A100 is used in A (nurse) and in B (b_person): the constraint is per foundation
    assert org.b_person.employee_number == org.nurse.employee_number


def test_team_of_another_foundation_is_refused(client, login, org, db):
    login(org.hr)
    response = client.post("/people/new", data=_person_form(team_id=str(org.b_team.id)))
    assert response.status_code == 400 and 'id="team_id-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Person).where(Person.email == "olga.kok@example.org")) is None


def test_edit_transfer_and_end_date_fire_events_and_audit_changed_fields(app, client, login, org, db):
    login(org.hr)
    form = _person_form(first_name="Nina", last_name="Bakker", email="nina@example.org", status="active",
                        team_id=str(org.office.id), employee_number="A100", start_date="2024-01-01",
                        end_date="2026-12-31", contract_hours="", job_title="")
    with listening(app) as listener:
        assert client.post(f"/people/{org.nurse.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    nurse = db.session.get(Person, org.nurse.id)
    assert nurse.team_id == org.office.id and nurse.status == "leaving" and nurse.end_date == date(2026, 12, 31)
    assert sorted(listener.calls) == [
        ("person_leaving", nurse.id, "leaving"),
        ("person_transferred", nurse.id, org.care.id, org.office.id),
    ]
    [event] = _audit(db, "person.updated")
    assert event.details == {"fields": ["end_date", "status", "team_id"]}


def test_edit_with_bad_input_saves_nothing(client, login, org, db):
    login(org.hr)
    form = _person_form(first_name="Changed", last_name="Bakker", email="kees@example.org", status="active")
    response = client.post(f"/people/{org.nurse.id}/edit", data=form)
    assert response.status_code == 400 and 'value="Changed"' in response.get_data(as_text=True)
    db.session.expire_all()
    nurse = db.session.get(Person, org.nurse.id)
    assert nurse.first_name == "Nina" and nurse.email == "nina@example.org"
    assert _audit(db, "person.updated") == []


def test_edit_without_changes_fires_nothing(app, client, login, org, db):
    login(org.hr)
    form = _person_form(first_name="Nina", last_name="Bakker", email="nina@example.org", status="active",
                        team_id=str(org.care.id), employee_number="A100", start_date="2024-01-01",
                        contract_hours="", job_title="")
    with listening(app) as listener:
        client.post(f"/people/{org.nurse.id}/edit", data=form)
    assert listener.calls == [] and _audit(db, "person.updated") == []


# -- teams ----------------------------------------------------------------------------------------

def test_teams_list_shows_manager_and_member_counts(client, login, org, make):
    make.person(org.a, org.care, status="left")  # who left is no member
    login(org.hr)
    page = client.get("/people/teams").get_data(as_text=True)
    care = re.search(rf'<tr data-team="{org.care.id}">(.*?)</tr>', page, re.S).group(1)
    office = re.search(rf'<tr data-team="{org.office.id}">(.*?)</tr>', page, re.S).group(1)
    assert "Marco Mulder" in care and "<td data-members>2</td>" in care
    assert "<td data-members>1</td>" in office
    assert "B team" not in page


def test_create_and_edit_team(client, login, org, db):
    login(org.hr)
    response = client.post("/people/teams/new", data={"name": "Night shift", "region": "Twente",
                                                      "parent_id": str(org.care.id), "manager": "NINA@example.org"})
    assert response.status_code == 302
    team = db.session.scalar(select(Team).where(Team.name == "Night shift"))
    assert (team.foundation_id, team.region, team.parent_id, team.manager_id) == (org.a.id, "Twente", org.care.id, org.nurse.id)
    assert 'value="nina@example.org"' in client.get(f"/people/teams/{team.id}/edit").get_data(as_text=True)
    response = client.post(f"/people/teams/{team.id}/edit", data={"name": "Night shift", "region": "", "parent_id": "", "manager": ""})
    assert response.status_code == 302
    db.session.refresh(team)
    assert (team.region, team.parent_id, team.manager_id) == (None, None, None)
    assert [e.details["fields"] for e in _audit(db, "team.updated")] == [["manager_id", "parent_id", "region"]]


@pytest.mark.parametrize("data, field", [
    ({"name": "care"}, "name"),  # names are unique per foundation, whatever the case
    ({"parent_id": "{b_team}"}, "parent_id"),
    ({"manager": "bert@example.org"}, "manager"),  # a person of foundation B
    ({"manager": "nobody@example.org"}, "manager"),
    ({"region": "Atlantis"}, "region"),
])
def test_team_form_refuses_bad_choices(client, login, org, db, data, field):
    login(org.hr)
    values = {"name": "New team", "region": "", "parent_id": "", "manager": ""}
    values.update({k: v.format(b_team=org.b_team.id) for k, v in data.items()})
    response = client.post("/people/teams/new", data=values)
    assert response.status_code == 400 and f'id="{field}-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Team.id))) == 3


def test_team_cannot_be_placed_under_its_own_sub_team(client, login, org, make, db):
    child = make.team(org.a, "Care nights", parent_id=org.care.id)
    login(org.hr)
    response = client.post(f"/people/teams/{org.care.id}/edit",
                           data={"name": "Care", "region": "", "parent_id": str(child.id), "manager": "manager@example.org"})
    assert response.status_code == 400 and "under itself" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Team, org.care.id).parent_id is None


# -- CSV export -----------------------------------------------------------------------------------

def test_export_streams_the_filtered_list_as_csv(client, login, org, make, db):
    make.person(org.a, org.care, first_name="=HYPERLINK(1)", last_name="Zz", email="formula@example.org",
                contract_hours=Decimal("28.5"))
    login(org.hr)
    response = client.get(f"/people/export.csv?team={org.care.id}")
    assert response.is_streamed and response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "\ufeffemail;first_name;last_name;person_type;status;team;employee_number;job_title;start_date;end_date;contract_hours;locale"
    assert [line.split(";")[0] for line in lines[1:]] == ["nina@example.org", "manager@example.org", "formula@example.org"]
    assert "'=HYPERLINK(1)" in lines[3] and "28,50" in lines[3]
    assert _audit(db, "people.exported")[0].details == {"filter": {"team": str(org.care.id)}}


@pytest.mark.parametrize(("purpose", "greeting"), [("welcome", "Welkom, "), ("reset", "Hallo ")])
def test_the_invitation_email_greets_once_and_says_why_it_came(app, org, db, purpose, greeting):
    from core.models import OutboxMessage
    from core.people import service

    with app.test_request_context():
        service.issue_link(org.nurse, purpose, actor=org.hr)
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    for body in (message.text_body, message.html_body):
        assert body.count(org.nurse.first_name) == 1, body  # one greeting by name, not two
        assert greeting in body
        assert "meldingsinstellingen" not in body  # it is not a notification one can switch off


def test_a_person_without_a_password_is_offered_an_invitation_not_a_login_switch(client, login, org, db):
    org.nurse.password_hash = None
    db.session.commit()
    login(org.hr)
    page = client.get(f"/people/{org.nurse.id}").get_data(as_text=True)
    assert 'name="action" value="disable"' not in page
    assert 'name="purpose" value="welcome"' in page and 'value="reset"' not in page
    page = client.get(f"/people/{org.clerk.id}").get_data(as_text=True)  # has a password
    assert 'name="action" value="disable"' in page and 'name="purpose" value="reset"' in page

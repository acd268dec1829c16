"""The one input layer: NUL characters, numbers and dates out of bounds, hostile JSON, ids beyond
64 bits and oversized bodies are refused before any view sees them, with a message that names the
field, and nothing changes."""
from __future__ import annotations

import json

import pytest
from flask import request
from sqlalchemy import func, select
from werkzeug.exceptions import BadRequest

from core.models import Person, Team
from tests.core.people_support import build_org


@pytest.fixture
def org(make):
    return build_org(make)


def _person_form(org, **changes) -> dict:
    form = {"first_name": "Noor", "last_name": "Bakker", "email": "noor.bakker@example.org",
            "person_type": "employee", "status": "active", "team_id": str(org.care.id), "locale": "nl"}
    return {**form, **changes}


def _people(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Person).execution_options(all_tenants=True))


@pytest.mark.parametrize("changes", [
    {"first_name": "No\x00or"},
    {"contract_hours": "1e308"},
    {"contract_hours": str(2**70)},
    {"start_date": "0001-01-01"},
    {"start_date": "9999-12-31"},
    {"no\x00such_field": "x"},
])
def test_a_hostile_form_value_is_refused_and_nothing_is_saved(client, login, org, db, changes):
    login(org.hr)
    before = _people(db)
    response = client.post("/people/new", data=_person_form(org, **changes))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'data-error="input"' in page
    assert next(iter(changes)).replace("\x00", "") in page  # the message names the field
    assert _people(db) == before


def test_an_ordinary_form_still_saves(client, login, org, db):
    login(org.hr)
    before = _people(db)
    response = client.post("/people/new", data=_person_form(org, contract_hours="32,5", start_date="2026-04-01"))
    assert response.status_code == 302
    assert _people(db) == before + 1


def test_a_nul_in_a_team_name_changes_nothing(client, login, org, db):
    login(org.hr)
    response = client.post(f"/people/teams/{org.care.id}/edit", data={"name": "Zorg\x00team"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Team, org.care.id).name == org.care.name


@pytest.mark.parametrize("query", ["team_name=%00", "page=100000000000000000000", "page=1e400", "q=a%00b"])
def test_hostile_query_values_are_refused(client, login, org, query):
    login(org.hr)
    assert client.get(f"/people/?{query}").status_code == 400
    assert client.get(f"/people/export.csv?{query}").status_code == 400


def test_a_nul_in_the_path_is_refused(client, login, org):
    login(org.hr)
    assert client.get("/people/%00").status_code == 400


def test_an_id_beyond_the_id_column_is_not_found(client, login, org):
    login(org.hr)
    assert client.get(f"/people/{2**64}").status_code == 404
    assert client.get(f"/people/{2**31}").status_code == 404
    assert client.post(f"/people/teams/{2**31}/edit", data={"name": "x"}).status_code == 404
    assert client.get(f"/people/{org.nurse.id}").status_code == 200


def test_an_id_field_beyond_the_id_column_is_refused(client, login, org):
    login(org.hr)
    response = client.post("/foundation", data={"foundation_id": str(2**31)})
    assert response.status_code == 400 and "foundation_id" in response.get_data(as_text=True)
    # a number in another field may be longer: a phone number is no id
    assert client.get("/people/?q=31612345678901").status_code == 200


@pytest.mark.parametrize("body", ["[1]", '"text"', "[[1, 2, 3]]", "42"])
def test_a_form_view_takes_only_a_json_object(client, login, org, db, body):
    login(org.hr)
    before = db.session.scalar(select(func.count()).select_from(Team).execution_options(all_tenants=True))
    response = client.post("/people/teams/new", data=body, content_type="application/json")
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Team).execution_options(all_tenants=True)) == before


def test_a_very_long_email_at_sign_in_is_a_form_error(client):
    response = client.post("/auth/login", data={"email": "a" * 100_000 + "@example.org", "password": "x"})
    assert response.status_code == 200  # the form again, with its message; nothing counted or stored


def test_ordinary_values_that_look_like_numbers_or_dates_pass(client, login, org):
    login(org.hr)
    for query in ("page=2", "q=06-12345678", "q=%2B31612345678", "q=2026-03-04", "q=1900-01-01", "q=Nan"):
        assert client.get(f"/people/?{query}").status_code == 200, query


@pytest.mark.parametrize("body", [
    '{"score": NaN}', '{"score": Infinity}', '{"score": -Infinity}', '{"score": 1e1000}',
    '{"score": 1e300}', '{"n": 100000000000000000000}', '{"text": "a\\u0000b"}', "[" * 100_000 + "]" * 100_000,
])
def test_hostile_json_is_refused(app, body):
    with app.test_request_context("/", method="POST", data=body, content_type="application/json"):
        with pytest.raises(BadRequest):
            request.get_json()
        assert request.get_json(silent=True) is None


def test_ordinary_json_is_read(app):
    body = json.dumps({"score": {"raw": 7.5, "max": 10}, "tags": [["a"], {"b": None}], "ok": True})
    with app.test_request_context("/", method="POST", data=body, content_type="application/json"):
        assert request.get_json() == json.loads(body)


def test_an_anonymous_large_post_is_refused_unread(app, client):
    response = client.post("/auth/login", data={"email": "x@example.test", "password": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413


def test_a_json_client_gets_json_errors(client, login, org):
    login(org.hr)
    response = client.get("/people/?q=%00", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "q" in response.get_json()["error"]


@pytest.mark.parametrize("hours", ["NaN", "sNaN", "Infinity", "1e30"])
def test_a_decimal_field_refuses_what_no_column_holds(client, login, org, db, hours):
    login(org.hr)
    before = _people(db)
    response = client.post("/people/new", data=_person_form(org, contract_hours=hours))
    assert response.status_code == 400  # a field error (or the input layer's), never a server error
    assert _people(db) == before


def test_a_decimal_field_rounds_to_its_places(client, login, org, db):
    login(org.hr)
    assert client.post("/people/new", data=_person_form(org, contract_hours="32,125")).status_code == 302
    person = db.session.scalar(select(Person).where(Person.email == "noor.bakker@example.org")
                               .execution_options(all_tenants=True))
    assert str(person.contract_hours) == "32.13"

"""The xAPI endpoint: token authentication, accepted statements, idempotency, and refusals that
store nothing. Plus HR's token page."""
from __future__ import annotations

import base64
import hashlib
import json
import uuid

import pytest
from sqlalchemy import func, select

from core.models import AuditEvent
from core.plugin_switch import disable
from core.plugins import plugin_manager
from plugins.learning.models import ApiToken, TrainingRecord, XapiStatement
from plugins.learning.xapi import StatementRejected, create_token, parse
from tests.plugins.learning import support

URL = "/learning/xapi/statements"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
ACTIVITY = "https://elearning.example.org/privacy-avg"


@pytest.fixture
def lrs(org, db):
    course = support.course(code="AVG", title="Privacy en AVG", validity_months=24, grace_days=0, xapi_activity_id=ACTIVITY)
    _token, secret = create_token(org.foundation.id, "E-learning", None)
    db.session.commit()
    return course, secret


def statement(person, verb=COMPLETED, activity=ACTIVITY, **extra):
    body = {"id": str(uuid.uuid4()), "actor": {"mbox": f"mailto:{person.email}", "objectType": "Agent"},
            "verb": {"id": verb, "display": {"en-US": "completed"}}, "object": {"id": activity, "objectType": "Activity"},
            "timestamp": "2026-01-10T14:30:00+01:00"}
    body.update(extra)
    return body


def post(client, body, secret, **headers):
    return client.post(URL, json=body, headers={"Authorization": f"Bearer {secret}", "X-Experience-API-Version": "1.0.3",
                                               **headers})


def _record_count(db) -> int:
    return db.session.scalar(select(func.count(TrainingRecord.id)))


def test_a_completed_statement_makes_a_record_and_fires_the_event(client, org, lrs, listener, db):
    course, secret = lrs
    body = statement(org.employee, result={"score": {"scaled": 0.85}, "success": True})
    response = post(client, body, secret)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == [body["id"]]
    assert response.headers["X-Experience-API-Version"] == "1.0.3"
    [record] = support.records_of(org.employee)
    assert (record.source, record.status, record.course_id) == ("xapi", "verified", course.id)
    assert str(record.completed_on) == "2026-01-10" and float(record.score) == 85.0
    assert str(record.expires_on) == "2028-01-10"
    assert [h["record_id"] for h in listener.HEARD] == [record.id]


def test_a_replayed_statement_is_a_no_op(client, org, lrs, listener, db):
    _course, secret = lrs
    body = statement(org.employee, verb=PASSED)
    assert post(client, body, secret).status_code == 200
    again = post(client, body, secret)
    assert again.status_code == 200 and again.get_json() == [body["id"]]
    assert _record_count(db) == 1 and len(listener.HEARD) == 1
    changed = {**body, "timestamp": "2026-01-11T10:00:00Z"}
    conflict = post(client, changed, secret)
    assert conflict.status_code == 409 and _record_count(db) == 1


def test_an_array_is_all_or_nothing(client, org, lrs, db):
    _course, secret = lrs
    good = statement(org.employee)
    bad = statement(org.colleague, activity="https://elearning.example.org/unknown")
    response = post(client, [good, bad], secret)
    assert response.status_code == 400
    assert "statement 1: unknown activity" in response.get_json()["error"]
    assert _record_count(db) == 0 and db.session.scalar(select(func.count(XapiStatement.id))) == 0
    assert post(client, [good, statement(org.colleague)], secret).status_code == 200
    assert _record_count(db) == 2


@pytest.mark.parametrize("change, reason", [
    ({"actor": {"mbox": "mailto:stranger@example.test"}}, "unknown actor"),
    ({"actor": {"name": "No mailbox"}}, "actor.mbox"),
    ({"verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"}}, "verb must be one of"),
    ({"object": {"id": "https://elearning.example.org/other"}}, "unknown activity"),
    ({"timestamp": "last tuesday"}, "timestamp is not an ISO 8601"),
    ({"timestamp": "2999-01-01T00:00:00Z"}, "in the future"),
    ({"id": "not-a-uuid"}, "id is not a UUID"),
    ({"result": {"success": False}}, "result.success is false"),
    ({"result": {"score": {"raw": "lots"}}}, "result.score.raw must be a number"),
    # wrong JSON types where an object, a string or a number belongs
    ({"actor": "mailto:someone@example.test"}, "actor.mbox"),
    ({"actor": {"mbox": ["mailto:someone@example.test"]}}, "actor.mbox"),
    ({"verb": {"id": [COMPLETED]}}, "verb must be one of"),
    ({"verb": COMPLETED}, "verb must be one of"),
    ({"object": [ACTIVITY]}, "object must be an Activity"),
    ({"object": {"id": {"iri": ACTIVITY}}}, "object must be an Activity"),
    ({"id": ["not", "a", "uuid"]}, "id is not a UUID"),
    ({"id": {}}, "id is not a UUID"),
    ({"timestamp": 20260110}, "timestamp must be an ISO 8601 date-time string"),
    ({"timestamp": ["2026-01-10"]}, "timestamp must be an ISO 8601 date-time string"),
    ({"result": "passed"}, "result must be an object"),
    ({"result": {"score": "85"}}, "result.score must be an object"),
    ({"result": {"score": [85]}}, "result.score must be an object"),
    ({"result": {"score": {"raw": "85"}}}, "result.score.raw must be a number"),
    ({"result": {"score": {"raw": True}}}, "result.score.raw must be a number"),
    ({"result": {"score": {"scaled": {"value": 1}}}}, "result.score.scaled must be a number"),
    # timestamps at the ends of the calendar, some pushed past them by their zone
    ({"timestamp": "0001-01-01T00:00:00+14:00"}, "timestamp must lie between 1900-01-01 and now"),
    ({"timestamp": "0001-01-01"}, "timestamp must lie between 1900-01-01 and now"),
    ({"timestamp": "1899-12-31T12:00:00Z"}, "timestamp must lie between 1900-01-01 and now"),
    ({"timestamp": "9999-12-31T23:59:59-14:00"}, "timestamp must lie between 1900-01-01 and now"),
    ({"timestamp": "9999-12-31"}, "in the future"),
    # scores outside the xAPI rules or beyond what a record holds
    ({"result": {"score": {"scaled": 1.5}}}, "result.score.scaled must lie between -1 and 1"),
    ({"result": {"score": {"scaled": -1e15}}}, "result.score.scaled must lie between -1 and 1"),
    ({"result": {"score": {"raw": 120, "min": 0, "max": 100}}}, "result.score.raw must lie between result.score.min and max"),
    ({"result": {"score": {"raw": -1, "min": 0}}}, "result.score.raw must lie between result.score.min and max"),
    ({"result": {"score": {"raw": 5, "min": 10, "max": 5}}}, "result.score.min must be less than result.score.max"),
    ({"result": {"score": {"raw": 1e15}}}, "result.score.raw must lie between -1000 and 1000"),
    ({"result": {"score": {"raw": 1001}}}, "result.score.raw must lie between -1000 and 1000"),
])
def test_bad_statements_are_refused_with_the_reason_and_store_nothing(client, org, lrs, db, change, reason):
    _course, secret = lrs
    response = post(client, {**statement(org.employee), **change}, secret)
    assert response.status_code == 400
    assert reason in response.get_json()["error"]
    assert _record_count(db) == 0


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e1000"])
def test_a_score_that_is_no_finite_number_is_refused_and_nothing_stored(client, org, lrs, db, number):
    """Regression: NaN was stored as a score. JSON's reader refuses these; the statement's own
    check does too, for a body read any other way."""
    _course, secret = lrs
    body = json.dumps(statement(org.employee, result={"score": {"raw": 0}})).replace('"raw": 0', f'"raw": {number}')
    response = client.post(URL, data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {secret}", "X-Experience-API-Version": "1.0.3"})
    assert response.status_code == 400 and response.get_json()["error"]
    assert _record_count(db) == 0 and db.session.scalar(select(func.count(XapiStatement.id))) == 0
    with pytest.raises(StatementRejected, match="result.score.raw must be a finite number"):
        parse(statement(org.employee, result={"score": {"raw": json.loads(number)}}), org.foundation.id)


def test_scores_within_the_rules_are_kept_to_two_decimals(client, org, lrs, db):
    _course, secret = lrs
    assert post(client, statement(org.employee, result={"score": {"raw": 7.456, "min": 0, "max": 10}}), secret).status_code == 200
    assert post(client, statement(org.colleague, result={"score": {"scaled": -0.5}}), secret).status_code == 200
    assert [float(r.score) for r in support.records_of(org.employee) + support.records_of(org.colleague)] == [7.46, -50.0]


def test_a_browser_signed_in_where_learning_is_off_does_not_hide_the_endpoint(client, login, make, org, lrs, db):
    """The token names the foundation; a session cookie sent along (content in a browser) does not."""
    _course, secret = lrs
    login(make.person(make.foundation("forensisch")))
    assert post(client, statement(org.employee), secret).status_code == 200
    assert _record_count(db) == 1


def test_a_person_of_another_foundation_is_an_unknown_actor(client, org, lrs, db):
    _course, secret = lrs
    response = post(client, statement(org.outsider), secret)
    assert response.status_code == 400 and "unknown actor" in response.get_json()["error"]


def test_the_same_id_twice_in_one_request_is_refused(client, org, lrs, db):
    _course, secret = lrs
    body = statement(org.employee)
    assert post(client, [body, {**body}], secret).status_code == 400
    assert _record_count(db) == 0


def test_requests_without_the_version_header_or_json_are_refused(client, org, lrs, db):
    _course, secret = lrs
    response = client.post(URL, json=statement(org.employee), headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 400 and "X-Experience-API-Version" in response.get_json()["error"]
    response = client.post(URL, data="not json", headers={"Authorization": f"Bearer {secret}",
                                                           "X-Experience-API-Version": "1.0.3"})
    assert response.status_code == 400
    assert _record_count(db) == 0


def test_authentication(app, client, org, lrs, db):
    _course, secret = lrs
    body = statement(org.employee)
    assert post(client, body, "wrong").status_code == 401
    assert client.post(URL, json=body, headers={"X-Experience-API-Version": "1.0.3"}).status_code == 401
    basic = base64.b64encode(f"lms:{secret}".encode()).decode()
    response = client.post(URL, json=body, headers={"Authorization": f"Basic {basic}", "X-Experience-API-Version": "1.0.3"})
    assert response.status_code == 200
    token = db.session.scalar(select(ApiToken))
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest() and secret not in token.token_hash
    assert token.last_used_at is not None

    disable(plugin_manager(app), org.foundation, "learning")
    assert post(client, statement(org.employee), secret).status_code == 401


def test_a_revoked_token_is_refused(client, login, org, lrs, db):
    _course, secret = lrs
    token = db.session.scalar(select(ApiToken))
    login(org.hr)
    client.post(f"/learning/tokens/{token.id}/revoke")
    client.post("/auth/logout")
    assert post(client, statement(org.employee), secret).status_code == 401


def test_the_endpoint_needs_no_csrf_token(client, org, lrs, csrf_on, db):
    _course, secret = lrs
    assert post(client, statement(org.employee), secret).status_code == 200


def test_put_with_a_statement_id_answers_204(client, org, lrs, db):
    _course, secret = lrs
    body = statement(org.employee)
    statement_id = body.pop("id")
    response = client.put(f"{URL}?statementId={statement_id}", json=body,
                          headers={"Authorization": f"Bearer {secret}", "X-Experience-API-Version": "1.0.3"})
    assert response.status_code == 204
    assert db.session.scalar(select(XapiStatement.statement_id)) == statement_id


def test_hr_creates_a_token_shown_once_and_revokes_it(client, login, org, db):
    login(org.employee)
    assert client.get("/learning/tokens").status_code == 403
    login(org.hr)
    html = client.post("/learning/tokens", data={"name": "Moodle"}).get_data(as_text=True)
    secret = html.split('data-testid="token-secret">')[1].split("<")[0]
    token = db.session.scalar(select(ApiToken))
    assert token.name == "Moodle" and token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in client.get("/learning/tokens").get_data(as_text=True)  # shown once
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("learning.token%"))).all()
    assert [a.action for a in audit] == ["learning.token_created"] and secret not in str(audit[0].details)
    client.post(f"/learning/tokens/{token.id}/revoke")
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is not None


def test_tokens_of_another_foundation_cannot_be_revoked(client, login, org, db):
    token, _secret = create_token(org.other.id, "Other", None)
    db.session.commit()
    login(org.hr)
    assert client.post(f"/learning/tokens/{token.id}/revoke").status_code == 404
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is None

"""The audit log pages: who sees what, filters, paging, CSV export, and no secrets in the log."""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from core.models import AuditEvent, utcnow
from core.testing.factories import Factory


@pytest.fixture
def setting(db, make):
    """Foundations A and B, their HR admins, a group admin and an employee, and one event each."""
    a, b = make.foundation(name="Alpha care"), make.foundation(name="Beta welfare")
    people = {
        "hr_a": make.person(a, role="hr_admin"),
        "hr_b": make.person(b, role="hr_admin"),
        "group": make.person(a, role="group_admin"),
        "employee": make.person(a),
    }
    _event(db, "person.updated", a.id, "hr-a@example.test", target_label="event-in-alpha")
    _event(db, "person.updated", b.id, "hr-b@example.test", target_label="event-in-beta")
    _event(db, "login.failure", None, None, target_label="event-without-foundation")
    return a, b, people


def _event(db, action, foundation_id, actor_label, at=None, **fields) -> AuditEvent:
    event = AuditEvent(action=action, foundation_id=foundation_id, actor_label=actor_label, at=at or utcnow(),
                       target_type=fields.pop("target_type", "person"), details=fields.pop("details", {}), **fields)
    db.session.add(event)
    db.session.commit()
    return event


def _page(client, query="") -> str:
    response = client.get("/admin/audit" + query)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_hr_admin_sees_only_their_foundations_events(client, setting, login):
    _, _, people = setting
    login(people["hr_a"])
    page = _page(client)
    assert "event-in-alpha" in page
    assert "event-in-beta" not in page and "event-without-foundation" not in page


def test_group_admin_sees_all_and_filters_by_foundation(client, setting, login):
    _, b, people = setting
    login(people["group"])
    page = _page(client)
    assert all(label in page for label in ("event-in-alpha", "event-in-beta", "event-without-foundation"))
    page = _page(client, f"?foundation={b.id}")
    assert "event-in-beta" in page and "event-in-alpha" not in page and "event-without-foundation" not in page


def test_hr_admin_cannot_pick_another_foundation(client, setting, login):
    _, b, people = setting
    login(people["hr_a"])
    response = client.get(f"/admin/audit?foundation={b.id}")
    assert response.status_code == 400
    assert "event-in-beta" not in response.get_data(as_text=True)
    assert client.get(f"/admin/audit.csv?foundation={b.id}").status_code == 400


def test_employees_may_not_see_the_audit_log(client, setting, login):
    _, _, people = setting
    login(people["employee"])
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit.csv").status_code == 403
    assert 'href="/admin/audit"' not in client.get("/").get_data(as_text=True)
    login(people["hr_a"])
    assert 'href="/admin/audit"' in client.get("/").get_data(as_text=True)


def test_filter_by_actor_and_action_prefix(client, db, setting, login):
    a, _, people = setting
    _event(db, "plugin.enabled", a.id, "Alice@Example.test", target_label="alice-switch")
    _event(db, "plugin_like.other", a.id, "bob@example.test", target_label="bob-thing")
    login(people["group"])
    page = _page(client, "?actor=alice@")
    assert "alice-switch" in page and "bob-thing" not in page and "event-in-alpha" not in page
    page = _page(client, "?action=plugin.")
    assert "alice-switch" in page and "bob-thing" not in page
    page = _page(client, "?action=plugin_")  # "_" is a character, not a LIKE wildcard
    assert "bob-thing" in page and "alice-switch" not in page


def test_filter_by_local_dates(client, db, setting, login):
    a, _, people = setting
    # 23:30 UTC on 10 January is 00:30 on 11 January in Amsterdam.
    _event(db, "x.late", a.id, "x@example.test", at=datetime(2026, 1, 10, 23, 30), target_label="late-evening-utc")
    _event(db, "x.noon", a.id, "x@example.test", at=datetime(2026, 1, 10, 11, 0), target_label="noon-tenth")
    login(people["group"])
    page = _page(client, "?date_from=2026-01-10&date_to=2026-01-10")
    assert "noon-tenth" in page and "late-evening-utc" not in page
    page = _page(client, "?date_from=2026-01-11&date_to=2026-01-11")
    assert "late-evening-utc" in page and "noon-tenth" not in page and "event-in-alpha" not in page


def test_bad_dates_get_field_errors(client, setting, login):
    _, _, people = setting
    login(people["group"])
    response = client.get("/admin/audit?date_from=2026-02-10&date_to=2026-02-01&actor=kept-value")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="date_to-error" class="field-error"' in page and 'id="date_from-error"' not in page
    assert 'value="kept-value"' in page
    assert client.get("/admin/audit?date_from=yesterday").status_code == 400


def test_paged_newest_first(app, client, db, setting, login, monkeypatch):
    a, _, people = setting
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    start = utcnow() + timedelta(minutes=1)
    for n in range(3):
        _event(db, "x.paged", a.id, "x@example.test", at=start + timedelta(minutes=n), target_label=f"paged-{n}")
    login(people["group"])
    first = _page(client, "?action=x.paged")
    assert first.index("paged-2") < first.index("paged-1") and "paged-0" not in first
    assert "paged-0" in _page(client, "?action=x.paged&page=2")


def test_csv_export_streams_the_filtered_events(client, db, setting, login):
    a, _, people = setting
    _event(db, "x.csv", a.id, "x@example.test", at=utcnow() + timedelta(minutes=1), target_label="=HYPERLINK(\"http://evil\")",
           details={"fields": ["first_name"]})
    _event(db, "x.csv", a.id, "x@example.test", at=utcnow() + timedelta(minutes=2), target_label="newest-row")
    login(people["hr_a"])
    response = client.get("/admin/audit.csv?action=x.csv")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="audit-')
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == "at;actor;action;target_type;target_id;target;foundation;details"
    assert len(lines) == 3
    assert "newest-row" in lines[1]  # newest first
    assert "'=HYPERLINK" in lines[2]  # a formula is defused
    assert "Alpha care" in lines[2] and '{""fields"": [""first_name""]}' in lines[2]
    exported = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audit.exported"))
    assert exported.actor_id == people["hr_a"].id and exported.details == {"filters": {"action": "x.csv"}}


def test_logins_and_plugin_switches_are_on_the_page(client, db, make, login, enable_plugin):
    foundation = make.foundation()
    hr = make.person(foundation, role="hr_admin")
    client.post("/auth/login", data={"email": hr.email, "password": "not the password at all"})
    login(hr)
    enable_plugin("hello", foundation)
    page = _page(client)
    assert "login.failure" in page and "login.success" in page
    assert "plugin.enabled" in page and "hello" in page


def test_no_password_or_token_ever_reaches_the_audit_log(app, client, db, make, login):
    foundation = make.foundation()
    hr = make.person(foundation, role="hr_admin")
    newcomer = make.person(foundation, status="preboarding", password_hash=None)
    wrong = "wrong guess of a password 1"
    changed = "a brand new long passphrase 2"
    first_password = "my very first journey password 3"

    client.post("/auth/login", data={"email": hr.email, "password": wrong})
    login(hr)
    response = client.post("/auth/account/password", data={"pw-current": Factory.PASSWORD, "pw-password": changed, "pw-confirm": changed})
    assert response.status_code == 302
    page = client.post(f"/people/{newcomer.id}/invitation", data={"purpose": "welcome"}, follow_redirects=True).get_data(as_text=True)
    token = re.search(r"/auth/invite/([\w-]+)", page).group(1)
    client.post("/auth/logout")
    response = client.post(f"/auth/invite/{token}", data={"password": first_password, "confirm": first_password})
    assert response.status_code == 302

    events = db.session.scalars(select(AuditEvent)).all()
    assert {"login.failure", "login.success", "password.changed", "invitation.issued", "invitation.welcome.used"} <= {e.action for e in events}
    everything = json.dumps(
        [[e.actor_label, e.action, e.target_type, e.target_id, e.target_label, e.details] for e in events], ensure_ascii=False
    )
    for secret in (wrong, changed, first_password, Factory.PASSWORD, token):
        assert secret not in everything

"""Sign-in, sessions, invitations and the password policy."""
from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from core import create_app
from core.auth import invitations
from core.auth.passwords import hash_password, password_problem, verify_password
from core.models import AuditEvent, Invitation, utcnow
from core.testing.factories import Factory
from core.testing.fixtures import make_config


def _login(client, email, password):
    return client.post("/auth/login", data={"email": email, "password": password})


def test_unknown_email_and_wrong_password_get_the_same_message(client, make):
    person = make.person(make.foundation())
    unknown = _login(client, "nobody@example.test", "whatever-password").get_data(as_text=True)
    wrong = _login(client, person.email, "not the password!").get_data(as_text=True)
    assert _flash(unknown) and _flash(unknown) == _flash(wrong)


def _flash(html: str) -> str:
    start = html.index('class="flash')
    return html[start:html.index("</p>", start)]


def test_login_is_case_insensitive_and_records_audit(client, make, db):
    person = make.person(make.foundation())
    response = _login(client, person.email.upper(), Factory.PASSWORD)
    assert response.status_code == 302
    assert db.session.scalar(db.select(AuditEvent.action).where(AuditEvent.actor_id == person.id)) == "login.success"


def test_logout_ends_every_session_of_the_person(app, make):
    person = make.person(make.foundation())
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        assert _login(c, person.email, Factory.PASSWORD).status_code == 302
        assert c.get("/").status_code == 200
    first.post("/auth/logout")
    assert second.get("/").status_code == 302  # back to the login page


def test_deactivating_a_person_ends_their_sessions(app, make, db):
    person = make.person(make.foundation())
    c = app.test_client()
    _login(c, person.email, Factory.PASSWORD)
    person.login_enabled = False
    person.end_sessions()
    db.session.commit()
    assert c.get("/").status_code == 302
    assert _login(c, person.email, Factory.PASSWORD).status_code == 200  # refused, same message


def test_password_change_signs_out_other_sessions_but_not_this_one(app, make):
    person = make.person(make.foundation())
    here, elsewhere = app.test_client(), app.test_client()
    for c in (here, elsewhere):
        _login(c, person.email, Factory.PASSWORD)
    new = "a brand new long passphrase"
    response = here.post("/auth/account/password", data={"pw-current": Factory.PASSWORD, "pw-password": new, "pw-confirm": new})
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    assert _login(app.test_client(), person.email, new).status_code == 302


def test_password_change_keeps_typed_values_on_error(app, client, make, login):
    person = make.person(make.foundation())
    login(person)
    response = client.post("/auth/account/password", data={"pw-current": Factory.PASSWORD, "pw-password": "short", "pw-confirm": "short"})
    assert response.status_code == 400
    assert "12" in response.get_data(as_text=True)


def test_login_starts_a_fresh_session(app, client, make):
    person = make.person(make.foundation())
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    _login(client, person.email, Factory.PASSWORD)
    with client.session_transaction() as sess:
        assert "planted" not in sess


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_login_never_redirects_off_site(client, make, target):
    person = make.person(make.foundation())
    response = client.post(f"/auth/login?next={target}", data={"email": person.email, "password": Factory.PASSWORD})
    assert response.headers["Location"] == "/"


def test_invitation_sets_password_once(app, client, make, db):
    person = make.person(make.foundation(), status="preboarding", password_hash=None)
    with app.test_request_context():
        url = invitations.issue(person, "welcome")
    db.session.commit()
    path = url.split("localhost", 1)[1]
    assert client.get(path).status_code == 200
    new = "my first journey password"
    response = client.post(path, data={"password": new, "confirm": new})
    assert response.status_code == 302 and client.get("/").status_code == 200
    assert client.post(path, data={"password": new, "confirm": new}).status_code == 410
    assert db.session.scalar(db.select(Invitation.token_hash)) not in path  # only the hash is stored


def test_expired_invitation_is_refused(app, client, make, db):
    person = make.person(make.foundation(), password_hash=None)
    with app.test_request_context():
        url = invitations.issue(person, "reset")
    db.session.execute(db.update(Invitation).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert client.get(url.split("localhost", 1)[1]).status_code == 410


def test_a_new_invitation_revokes_the_previous_link(app, client, make, db):
    person = make.person(make.foundation())
    with app.test_request_context():
        first = invitations.issue(person, "reset")
        invitations.issue(person, "reset")
    db.session.commit()
    assert client.get(first.split("localhost", 1)[1]).status_code == 410


def test_invitation_form_rejects_weak_password_and_keeps_link_usable(app, client, make, db):
    person = make.person(make.foundation(), password_hash=None)
    with app.test_request_context():
        path = invitations.issue(person, "welcome").split("localhost", 1)[1]
    db.session.commit()
    response = client.post(path, data={"password": "qwerty123456", "confirm": "qwerty123456"})
    assert response.status_code == 200
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("password,ok", [
    ("short", False), ("qwerty123456", False), ("1q2w3e4r5t6y", False),
    ("person@example.test", False), ("twelve chars", True), ("a long and personal passphrase", True),
])
def test_password_policy(app, password, ok):
    with app.test_request_context():
        assert (password_problem(password, "person@example.test") is None) is ok


def test_hash_is_argon2id_and_is_upgraded_when_parameters_change(make, db):
    person = make.person(make.foundation())
    assert person.password_hash.startswith("$argon2id$")
    person.password_hash = PasswordHasher(time_cost=1, memory_cost=8192).hash("old parameters pw")
    assert verify_password(person, "old parameters pw")
    assert PasswordHasher().check_needs_rehash(person.password_hash) is False
    assert not verify_password(person, "wrong")
    assert verify_password(None, "anything") is False
    assert hash_password("x") != hash_password("x")  # salted


def test_security_headers_and_cookie_flags(client, make):
    person = make.person(make.foundation())
    response = _login(client, person.email, Factory.PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert "remember_token" not in cookie


def test_production_needs_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("JOURNEY_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="JOURNEY_SECRET_KEY"):
        create_app({"ENV": "production", "INSTANCE_PATH": str(tmp_path), "PLUGINS_AUTOLOAD": False,
                    "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_production_cookies_are_secure(tmp_path):
    app = create_app({"ENV": "production", "SECRET_KEY": "k" * 40, "INSTANCE_PATH": str(tmp_path),
                      "PLUGINS_AUTOLOAD": False, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_development_keeps_a_generated_secret_key(tmp_path):
    config = make_config(f"sqlite:///{tmp_path}/x.db", str(tmp_path))
    del config["SECRET_KEY"]
    first = create_app(config).config["SECRET_KEY"]
    assert first == create_app(config).config["SECRET_KEY"]
    assert (tmp_path / "secret_key").exists()

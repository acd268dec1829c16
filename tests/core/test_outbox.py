"""The e-mail outbox: the file back-end, retries with back-off, giving up, resending, the admin page."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from sqlalchemy import select

from core.models import AuditEvent, OutboxMessage, utcnow
from core.notifications import notify, resend, send_outbox
from core.notifications.mail_backends import BACKENDS, MailServerUnavailable
from core.notifications.outbox import BACKOFF, MAX_ATTEMPTS


class RefusingBackend:
    """Accepts every message except those to addresses containing "bounce"."""

    delivered: list = []

    def __init__(self, config, instance_path):
        pass

    @contextmanager
    def connect(self):
        yield self

    def send(self, message, message_id):
        if "bounce" in message["To"]:
            raise RuntimeError("mailbox full")
        self.delivered.append(message)


class UnreachableBackend(RefusingBackend):
    @contextmanager
    def connect(self):
        raise MailServerUnavailable("connection refused")
        yield self


@pytest.fixture
def file_outbox(app, tmp_path, monkeypatch) -> Path:
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "file")
    monkeypatch.setitem(app.config, "MAIL_FILE_DIR", str(tmp_path / "mail"))
    return tmp_path / "mail"


@pytest.fixture
def refusing(app, monkeypatch):
    monkeypatch.setitem(BACKENDS, "refusing", RefusingBackend)
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "refusing")
    RefusingBackend.delivered = []
    return RefusingBackend


def _queued(db, make, **person_fields) -> OutboxMessage:
    person = make.person(make.foundation(), **person_fields)
    notify(person, "core.message", "Your roster changed", "Look at next week.", url="/flexwork/")
    db.session.commit()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()


def test_file_backend_writes_an_eml_with_text_and_html(app, db, make, file_outbox):
    message = _queued(db, make)
    run = send_outbox()
    assert run.sent == 1
    db.session.refresh(message)
    assert message.state == "sent" and message.sent_at is not None and message.attempts == 0
    email = BytesParser(policy=policy.default).parsebytes((file_outbox / f"{message.id:08d}.eml").read_bytes())
    assert email["To"] == message.to_address
    assert email["Subject"] == "Your roster changed"
    assert email["From"] == app.config["MAIL_FROM"]
    assert email["Auto-Submitted"] == "auto-generated"
    assert "Look at next week." in email.get_body(preferencelist=("plain",)).get_content()
    assert "<a href=\"http://127.0.0.1:5000/flexwork/\">" in email.get_body(preferencelist=("html",)).get_content()


def test_file_backend_defaults_to_the_instance_folder(app, db, make, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "file")
    message = _queued(db, make)
    send_outbox()
    path = Path(app.instance_path) / "outbox" / f"{message.id:08d}.eml"
    assert message.to_address in path.read_text()


def test_nothing_is_sent_twice_or_before_it_is_due(db, make, refusing):
    message = _queued(db, make)
    message.next_attempt_at = utcnow() + timedelta(minutes=10)
    db.session.commit()
    assert send_outbox().sent == 0
    assert send_outbox(now=utcnow() + timedelta(minutes=11)).sent == 1
    assert send_outbox(now=utcnow() + timedelta(minutes=12)).sent == 0
    assert len(refusing.delivered) == 1


def test_a_failing_message_backs_off_then_fails_with_its_last_error(db, make, refusing):
    bouncing = _queued(db, make, email="bounce@example.test")
    fine = _queued(db, make)
    now = utcnow()
    run = send_outbox(now=now)
    assert (run.sent, run.retrying) == (1, 1)  # one bad message does not hold up the others
    db.session.refresh(bouncing)
    assert (bouncing.state, bouncing.attempts, bouncing.last_error) == ("queued", 1, "RuntimeError: mailbox full")
    assert bouncing.next_attempt_at == now + BACKOFF[0]
    assert send_outbox(now=now + BACKOFF[0] - timedelta(seconds=1)).retrying == 0  # not yet due

    for attempt in range(2, MAX_ATTEMPTS + 1):
        now = bouncing.next_attempt_at
        send_outbox(now=now)
        db.session.refresh(bouncing)
        assert bouncing.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert bouncing.next_attempt_at == now + BACKOFF[attempt - 1]
    assert bouncing.state == "failed"
    assert bouncing.last_error == "RuntimeError: mailbox full"
    assert send_outbox(now=now + timedelta(days=30)).retrying == 0  # failed stays failed
    assert db.session.get(OutboxMessage, fine.id).state == "sent"


def test_resend_puts_a_failed_message_back_and_is_audited(db, make, refusing):
    message = _queued(db, make, email="bounce@example.test")
    message.state, message.attempts, message.last_error = "failed", MAX_ATTEMPTS, "RuntimeError: mailbox full"
    db.session.commit()
    resend(message)
    db.session.commit()
    assert (message.state, message.attempts) == ("queued", 0)
    assert message.next_attempt_at <= utcnow()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "outbox.resent"))
    assert event.target_id == str(message.id) and event.foundation_id == message.foundation_id
    with pytest.raises(ValueError):
        resend(message)  # only failed ones


def test_unreachable_server_keeps_messages_queued_without_counting_attempts(app, db, make, monkeypatch):
    monkeypatch.setitem(BACKENDS, "unreachable", UnreachableBackend)
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "unreachable")
    message = _queued(db, make)
    with pytest.raises(MailServerUnavailable):
        send_outbox()
    db.session.refresh(message)
    assert (message.state, message.attempts) == ("queued", 0)
    assert "connection refused" in message.last_error


def test_unknown_backend_is_a_clear_error(app, db, make, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "pigeon")
    _queued(db, make)
    with pytest.raises(ValueError, match="MAIL_BACKEND"):
        send_outbox()


# -- /admin/outbox -----------------------------------------------------------------------------

def _messages(db, make):
    foundation = make.foundation()
    admin = make.person(foundation, role="group_admin")
    queued = _queued(db, make, email="someone@example.test")
    failed = _queued(db, make, email="bounce@example.test")
    failed.state, failed.attempts, failed.last_error = "failed", MAX_ATTEMPTS, "SMTPRecipientsRefused: 550 no such user"
    db.session.commit()
    return admin, queued, failed


def test_group_admin_sees_the_outbox_filtered_by_state(client, db, make, login):
    admin, queued, failed = _messages(db, make)
    login(admin)
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert f'data-message="{queued.id}"' in page and f'data-message="{failed.id}"' in page
    assert 'data-count="failed">1<' in page
    page = client.get("/admin/outbox?state=failed").get_data(as_text=True)
    assert f'data-message="{failed.id}"' in page and f'data-message="{queued.id}"' not in page
    assert "550 no such user" in page
    page = client.get("/admin/outbox?to=someone").get_data(as_text=True)
    assert f'data-message="{queued.id}"' in page and f'data-message="{failed.id}"' not in page
    assert client.get("/admin/outbox?state=lost").status_code == 400
    assert 'href="/admin/outbox"' in client.get("/").get_data(as_text=True)  # in the menu


def test_group_admin_resends_a_failed_message(client, db, make, login):
    admin, queued, failed = _messages(db, make)
    login(admin)
    detail = client.get(f"/admin/outbox/{failed.id}").get_data(as_text=True)
    assert "Look at next week." in detail and f'action="/admin/outbox/{failed.id}/resend"' in detail
    response = client.post(f"/admin/outbox/{failed.id}/resend")
    assert response.status_code == 302
    db.session.expire_all()
    assert (failed.state, failed.attempts) == ("queued", 0)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "outbox.resent"))
    assert event.actor_id == admin.id
    assert client.post(f"/admin/outbox/{queued.id}/resend").status_code == 409
    assert client.post("/admin/outbox/999999/resend").status_code == 404


def test_hr_admins_and_employees_may_not_see_the_outbox(client, db, make, login):
    _, _, failed = _messages(db, make)
    foundation = make.foundation()
    for person in (make.person(foundation, role="hr_admin"), make.person(foundation)):
        login(person)
        assert client.get("/admin/outbox").status_code == 403
        assert client.get(f"/admin/outbox/{failed.id}").status_code == 403
        assert client.post(f"/admin/outbox/{failed.id}/resend").status_code == 403
        assert 'href="/admin/outbox"' not in client.get("/").get_data(as_text=True)
    db.session.expire_all()
    assert failed.state == "failed"

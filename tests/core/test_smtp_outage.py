"""The SMTP back-end against a real SMTP server on loopback (aiosmtpd), stopped and started
during the tests: nothing is lost while it is down, and nothing is sent twice."""
from __future__ import annotations

import smtplib
import socket
from email import policy
from email.parser import BytesParser

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select

from core.models import OutboxMessage
from core.notifications import notify, resend, send_outbox
from core.notifications.mail_backends import MailServerUnavailable
from core.notifications.outbox import MAX_ATTEMPTS


class Recorder:
    """An aiosmtpd handler that keeps what it receives and refuses the addresses in ``refuse``."""

    def __init__(self):
        self.received = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(BytesParser(policy=policy.default).parsebytes(envelope.original_content))
        return "250 Message accepted for delivery"


class LoopbackSMTP:
    """A real SMTP server on a fixed free port that a test can stop and start again."""

    def __init__(self, **controller_options):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.handler = Recorder()
        self.options = controller_options
        self.controller = None

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **self.options)
        self.controller.start()

    def stop(self):
        self.controller.stop()
        self.controller = None


@pytest.fixture
def smtp(app, monkeypatch):
    server = LoopbackSMTP()
    _use(app, monkeypatch, server)
    yield server
    if server.controller is not None:
        server.stop()


def _use(app, monkeypatch, server, **settings):
    for name, value in {"MAIL_BACKEND": "smtp", "MAIL_SMTP_HOST": "127.0.0.1", "MAIL_SMTP_PORT": server.port,
                        "MAIL_SMTP_SECURITY": "none", "MAIL_SMTP_TIMEOUT": 5, **settings}.items():
        monkeypatch.setitem(app.config, name, value)


def _notify(db, person, subject):
    notify(person, "core.message", subject, "Body of " + subject)
    db.session.commit()


def _states(db) -> list[tuple[str, int]]:
    return db.session.execute(select(OutboxMessage.state, OutboxMessage.attempts).order_by(OutboxMessage.id)).all()


def test_server_down_keeps_messages_queued_and_sends_them_once_it_is_back(db, make, smtp):
    foundation = make.foundation()
    anna, bram = make.person(foundation, email="anna@example.test"), make.person(foundation, email="bram@example.test")
    _notify(db, anna, "For Anna")
    _notify(db, bram, "For Bram")

    for _ in range(3):  # the job keeps failing while the server is down, every minute
        with pytest.raises(MailServerUnavailable):
            send_outbox()
    assert _states(db) == [("queued", 0), ("queued", 0)]  # nothing lost, no attempt used up
    assert all("MailServerUnavailable" in m.last_error for m in db.session.scalars(select(OutboxMessage)))

    smtp.start()
    assert send_outbox(batch_size=1).sent == 2  # one connection per batch
    assert [s for s, _ in _states(db)] == ["sent", "sent"]
    assert sorted(m["To"] for m in smtp.handler.received) == ["anna@example.test", "bram@example.test"]
    received = {m["To"]: m for m in smtp.handler.received}
    assert received["anna@example.test"]["Subject"] == "For Anna"
    assert "Body of For Anna" in received["anna@example.test"].get_body(preferencelist=("plain",)).get_content()
    assert "Body of For Anna" in received["anna@example.test"].get_body(preferencelist=("html",)).get_content()
    assert send_outbox().sent == 0
    assert len(smtp.handler.received) == 2  # nothing twice


def test_server_stopped_and_restarted_between_runs(db, make, smtp):
    person = make.person(make.foundation())
    smtp.start()
    _notify(db, person, "Before the outage")
    assert send_outbox().sent == 1

    smtp.stop()
    _notify(db, person, "During the outage")
    with pytest.raises(MailServerUnavailable):
        send_outbox()
    assert _states(db) == [("sent", 0), ("queued", 0)]

    smtp.start()
    assert send_outbox().sent == 1
    assert [m["Subject"] for m in smtp.handler.received] == ["Before the outage", "During the outage"]


def test_refused_recipient_fails_after_max_attempts_and_resend_delivers_it(db, make, smtp):
    person = make.person(make.foundation(), email="gone@example.test")
    smtp.handler.refuse.add("gone@example.test")
    smtp.start()
    _notify(db, person, "Hello")
    message = db.session.scalar(select(OutboxMessage))
    for attempt in range(1, MAX_ATTEMPTS + 1):
        send_outbox(now=message.next_attempt_at)
        db.session.refresh(message)
        assert message.attempts == attempt
    assert message.state == "failed"
    assert "550" in message.last_error and "No such user" in message.last_error

    smtp.handler.refuse.clear()  # the address is fixed on the mail server
    resend(message)
    db.session.commit()
    assert send_outbox().sent == 1
    db.session.refresh(message)
    assert (message.state, message.last_error) == ("sent", None)
    assert [m["To"] for m in smtp.handler.received] == ["gone@example.test"]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_login_with_configured_credentials(app, db, make, monkeypatch):
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret", handled=False)

    # Plain-text AUTH is fine on loopback; production uses starttls or ssl.
    server = LoopbackSMTP(authenticator=authenticator, auth_required=True, auth_require_tls=False)
    _use(app, monkeypatch, server, MAIL_SMTP_USERNAME="journey", MAIL_SMTP_PASSWORD="wrong")
    server.start()
    try:
        _notify(db, make.person(make.foundation()), "Authenticated")
        with pytest.raises(smtplib.SMTPAuthenticationError):
            send_outbox()  # a configuration problem: the job fails, the message waits
        assert _states(db) == [("queued", 0)]
        monkeypatch.setitem(app.config, "MAIL_SMTP_PASSWORD", "s3cret")
        assert send_outbox().sent == 1
        assert logins[-1] == (b"journey", b"s3cret")
        assert [m["Subject"] for m in server.handler.received] == ["Authenticated"]
    finally:
        server.stop()

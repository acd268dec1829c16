"""Ways to deliver an e-mail: ``file`` (the default: .eml files in ``<instance>/outbox/``, no
server needed) and ``smtp`` (``MAIL_SMTP_*`` settings). ``MAIL_BACKEND`` chooses.

A backend is used as ``with backend.connect() as connection: connection.send(message)``. It raises
``MailServerUnavailable`` when the server cannot be reached at all (nothing is the message's
fault, so the outbox keeps it queued without counting an attempt); any other exception from
``send`` is a failure of that one message.
"""
from __future__ import annotations

import smtplib
import ssl
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

from flask import current_app


class MailServerUnavailable(ConnectionError):
    """The mail server cannot be reached or dropped the connection."""


def build_message(message, sender: str) -> EmailMessage:
    """An ``EmailMessage`` (text with an HTML alternative) from an ``OutboxMessage``."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=True)
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    email["Message-ID"] = make_msgid(f"journey.{message.id}", domain=domain)
    email["Auto-Submitted"] = "auto-generated"  # no out-of-office replies, please
    email.set_content(message.text_body)
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html")
    return email


class FileBackend:
    """Writes each message as ``<id>.eml`` into a folder (``MAIL_FILE_DIR``, default ``<instance>/outbox``)."""

    def __init__(self, config, instance_path: str):
        self.folder = Path(config.get("MAIL_FILE_DIR") or Path(instance_path) / "outbox")

    @contextmanager
    def connect(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        yield self

    def send(self, message: EmailMessage, message_id: int) -> None:
        path = self.folder / f"{message_id:08d}.eml"
        partial = path.with_suffix(".tmp")
        partial.write_bytes(message.as_bytes())
        partial.replace(path)  # readers never see half a file


class SMTPBackend:
    """One SMTP connection per run of the outbox job; ``MAIL_SMTP_SECURITY`` is none, starttls or ssl."""

    def __init__(self, config, instance_path: str):
        self.host = config["MAIL_SMTP_HOST"]
        self.port = int(config["MAIL_SMTP_PORT"])
        self.security = config["MAIL_SMTP_SECURITY"]
        self.username = config.get("MAIL_SMTP_USERNAME")
        self.password = config.get("MAIL_SMTP_PASSWORD")
        self.timeout = config["MAIL_SMTP_TIMEOUT"]
        if self.security not in ("none", "starttls", "ssl"):
            raise ValueError(f"MAIL_SMTP_SECURITY must be none, starttls or ssl, not {self.security!r}")

    @contextmanager
    def connect(self):
        try:
            smtp = self._open()
        except (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected) as error:
            raise MailServerUnavailable(str(error)) from error
        except smtplib.SMTPException:
            raise  # refused login or TLS: a configuration problem, shown as the job's error
        except OSError as error:
            raise MailServerUnavailable(str(error) or type(error).__name__) from error
        try:
            yield _SMTPConnection(smtp)
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def _open(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        if self.security == "ssl":
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.security == "starttls":
                smtp.starttls(context=context)
            if self.username:
                smtp.login(self.username, self.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp


class _SMTPConnection:
    def __init__(self, smtp: smtplib.SMTP):
        self.smtp = smtp

    def send(self, message: EmailMessage, message_id: int) -> None:
        try:
            self.smtp.send_message(message)
        except smtplib.SMTPServerDisconnected as error:
            raise MailServerUnavailable(str(error)) from error
        except smtplib.SMTPException:
            raise
        except OSError as error:
            raise MailServerUnavailable(str(error) or type(error).__name__) from error


BACKENDS = {"file": FileBackend, "smtp": SMTPBackend}


def configured_backend():
    name = current_app.config["MAIL_BACKEND"]
    try:
        backend_class = BACKENDS[name]
    except KeyError:
        raise ValueError(f"MAIL_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}") from None
    return backend_class(current_app.config, current_app.instance_path)

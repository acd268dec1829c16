"""Render e-mails in the recipient's language and queue them in the outbox.

Every message has a text and an HTML body, rendered from ``mail/<template>.txt`` and
``mail/<template>.html``. Rendering runs under ``force_locale(person.locale)``, so translated
strings, dates and lazy subjects come out in the recipient's language, whoever triggered them.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from flask import current_app
from flask_babel import force_locale, get_locale
from sqlalchemy import insert

from core.extensions import db
from core.models import utcnow
from core.models.notifications import OutboxMessage


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def absolute_url(url: str | None) -> str | None:
    """Links in e-mail must be absolute; in-app URLs are paths under PUBLIC_URL."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return current_app.config["PUBLIC_URL"].rstrip("/") + "/" + url.lstrip("/")


def locale_of(person) -> str:
    languages = current_app.config["LANGUAGES"]
    return person.locale if person.locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def can_receive(person) -> bool:
    """People who have left get no more e-mail; their in-app list stays as it is."""
    return person.status != "left" and bool(person.email)


def render_mail(person, subject, template: str, **context) -> RenderedMail:
    """Render ``mail/<template>`` for ``person``; ``subject`` may be a lazy string."""
    with force_locale(locale_of(person)):
        return _render(person, subject, template, context)


def _render(person, subject, template: str, context: dict) -> RenderedMail:
    context = {
        "person": person,
        "locale": str(get_locale()),
        "public_url": absolute_url("/"),
        "preferences_url": absolute_url("/notifications/preferences"),
        "today": utcnow(),
        **context,
    }
    context["subject"] = " ".join(str(subject).split())  # a header holds one line
    return RenderedMail(
        subject=context["subject"],
        text=_render_template(f"mail/{template}.txt", context),
        html=_render_template(f"mail/{template}.html", context),
    )


def _render_template(name: str, context: dict) -> str:
    """Straight from the Jinja environment: e-mails need none of the web page's context
    processors, and jobs render them outside any request."""
    return current_app.jinja_env.get_template(name).render(context)


def queue_mail(person, subject, template: str, **context) -> None:
    """Queue one e-mail to ``person`` (in the current transaction; the caller commits)."""
    _insert([(person, render_mail(person, subject, template, **context), None)])


def queue_notification_mails(pairs) -> None:
    """Queue one e-mail per ``(person, notification row)``: one INSERT for all of them.

    People are grouped by language so the locale switches once per language, not per message.
    """
    messages = []
    ordered = sorted((pair for pair in pairs if can_receive(pair[0])), key=lambda pair: locale_of(pair[0]))
    for locale, group in groupby(ordered, key=lambda pair: locale_of(pair[0])):
        with force_locale(locale):
            for person, row in group:
                mail = _render(person, row.subject, "notification", {"notification": row, "url": absolute_url(row.url)})
                messages.append((person, mail, row.id))
    _insert(messages)


def _insert(messages) -> None:
    if not messages:
        return
    now = utcnow()
    db.session.execute(
        insert(OutboxMessage.__table__),
        [
            {
                "foundation_id": person.foundation_id,
                "person_id": person.id,
                "notification_id": notification_id,
                "to_address": person.email,
                "subject": mail.subject[:300],
                "text_body": mail.text,
                "html_body": mail.html,
                "state": "queued",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for person, mail, notification_id in messages
        ],
    )

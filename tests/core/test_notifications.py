"""notify(): in-app list, preferences, dedupe, locale; the /notifications pages; the daily digest."""
from __future__ import annotations

from datetime import timedelta

import pytest
from babel.dates import format_date
from flask_babel import get_locale
from sqlalchemy import func, select

from core.contributions import NotificationKind
from core.models import Notification, NotificationPreference, OutboxMessage, utcnow
from core.notifications import Draft, notify, notify_many, send_digests
from core.notifications.kinds import KindError, register_kinds
from core.notifications.service import set_preferences


def _count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _outbox(db) -> list[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


# -- notify ------------------------------------------------------------------------------------

def test_notify_adds_an_in_app_notification_and_queues_an_email_by_default(db, make):
    foundation = make.foundation()
    person = make.person(foundation)
    made = notify(person, "core.message", "Your request was approved", "See the details.", url="/flexwork/requests/7")
    db.session.commit()
    assert (made.foundation_id, made.person_id, made.kind, made.channel) == (foundation.id, person.id, "core.message", "email")
    assert made.read_at is None and made.url == "/flexwork/requests/7"
    [mail] = _outbox(db)
    assert (mail.to_address, mail.subject, mail.state, mail.notification_id) == (person.email, "Your request was approved", "queued", made.id)
    assert "See the details." in mail.text_body and "See the details." in mail.html_body
    assert "http://127.0.0.1:5000/flexwork/requests/7" in mail.text_body  # links in mail are absolute


@pytest.mark.parametrize("channel", ["in_app", "digest"])
def test_preference_in_app_or_digest_queues_no_immediate_email(db, make, channel):
    person = make.person(make.foundation())
    set_preferences(person, {"core.message": channel})
    made = notify(person, "core.message", "Subject", "Body")
    db.session.commit()
    assert made.channel == channel
    assert _outbox(db) == []


def test_a_kinds_default_channel_applies_until_the_person_chooses(db, make):
    person = make.person(make.foundation())
    assert notify(person, "spy.greeting", "Hi").channel == "in_app"
    set_preferences(person, {"spy.greeting": "email"})
    assert notify(person, "spy.greeting", "Hi again").channel == "email"
    db.session.commit()
    assert len(_outbox(db)) == 1


def test_same_dedupe_key_notifies_once_and_mails_once(db, make):
    person = make.person(make.foundation())
    first = notify(person, "core.message", "Due soon", dedupe_key="learning.expiry:record:42:2026-12-01")
    second = notify(person, "core.message", "Due soon", dedupe_key="learning.expiry:record:42:2026-12-01")
    db.session.commit()
    assert first is not None and second is None
    assert _count(db, Notification) == 1
    assert len(_outbox(db)) == 1


def test_a_dedupe_key_is_per_person_and_duplicates_in_one_batch_are_skipped(db, make):
    foundation = make.foundation()
    employee, manager = make.person(foundation), make.person(foundation)
    key = "flexwork.decision_due:request:7:2026-05-01"
    ids = notify_many([Draft(employee, "core.message", "Due", dedupe_key=key), Draft(manager, "core.message", "Due", dedupe_key=key),
                       Draft(manager, "core.message", "Due", dedupe_key=key)])
    db.session.commit()
    assert len(ids) == 2
    assert {n.person_id for n in db.session.scalars(select(Notification))} == {employee.id, manager.id}
    assert len(_outbox(db)) == 2


def test_notifications_without_dedupe_key_are_never_merged(db, make):
    person = make.person(make.foundation())
    notify(person, "core.message", "One")
    notify(person, "core.message", "One")
    db.session.commit()
    assert _count(db, Notification) == 2


def test_unknown_kind_fails_loudly_and_saves_nothing(db, make):
    person = make.person(make.foundation())
    with pytest.raises(KeyError, match="unknown notification kind"):
        notify(person, "nobody.registered_this", "Subject")
    db.session.rollback()
    assert _count(db, Notification) == 0


@pytest.mark.parametrize("kind, problem", [
    (NotificationKind("spy.greeting", "Something else", "digest"), "registered twice"),
    (NotificationKind("nodot", "No plugin prefix"), "must be 'spy.<name>'"),
    (NotificationKind("core.stolen", "Another owner's key"), "must be 'spy.<name>'"),
    (NotificationKind("spy.loud", "Unknown delivery", "pigeon"), "unknown channel"),
])
def test_a_malformed_or_doubled_kind_fails_at_start_up(app, kind, problem):
    with pytest.raises(KindError, match=problem):
        register_kinds(app, "spy", [kind])


def test_lazy_subject_is_evaluated_in_the_recipients_language(app, db, make, monkeypatch):
    foundation = make.foundation()
    dutch, english = make.person(foundation, locale="nl"), make.person(foundation, locale="en")

    class LocaleEcho:  # behaves like a lazy string: evaluated when str() is taken
        def __str__(self):
            return f"language {get_locale()}"

    notify(dutch, "core.message", LocaleEcho())
    notify(english, "core.message", LocaleEcho())
    db.session.commit()
    subjects = dict(db.session.execute(select(Notification.person_id, Notification.subject)).all())
    assert subjects == {dutch.id: "language nl", english.id: "language en"}


def test_mail_is_rendered_in_the_recipients_locale(db, make):
    foundation = make.foundation()
    dutch, english = make.person(foundation, locale="nl"), make.person(foundation, locale="en")
    notify(dutch, "core.message", "Reminder", "Text")
    notify(english, "core.message", "Reminder", "Text")
    db.session.commit()
    nl_mail, en_mail = _outbox(db)
    today = utcnow().date()
    assert format_date(today, "long", locale="nl") in nl_mail.text_body
    assert format_date(today, "long", locale="en") in en_mail.text_body
    assert format_date(today, "long", locale="en") not in nl_mail.text_body
    assert '<html lang="nl">' in nl_mail.html_body and '<html lang="en">' in en_mail.html_body


def test_people_who_left_get_the_notification_but_no_email(db, make):
    person = make.person(make.foundation(), status="left")
    assert notify(person, "core.message", "Subject") is not None
    db.session.commit()
    assert _outbox(db) == []


# -- pages -------------------------------------------------------------------------------------

def test_list_is_newest_first_and_paged(app, client, db, make, login, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    person = make.person(make.foundation())
    start = utcnow() - timedelta(hours=1)
    for n in range(3):
        made = notify(person, "spy.greeting", f"Message number {n}")
        made.created_at = start + timedelta(minutes=n)
    db.session.commit()
    login(person)
    first = client.get("/notifications/").get_data(as_text=True)
    assert first.index("Message number 2") < first.index("Message number 1")
    assert "Message number 0" not in first
    second = client.get("/notifications/?page=2").get_data(as_text=True)
    assert "Message number 0" in second and "Message number 2" not in second


def test_header_shows_the_unread_count(client, db, make, login):
    person = make.person(make.foundation(), locale="en")
    for n in range(3):
        notify(person, "spy.greeting", f"Message {n}")
    notify(make.person(person.foundation), "spy.greeting", "For someone else")
    db.session.commit()
    login(person)
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="unread-count">3<' in page
    assert "You have 3 unread notifications." in page


def test_mark_one_read_and_open(client, db, make, login):
    person = make.person(make.foundation())
    plain = notify(person, "spy.greeting", "Plain")
    linked = notify(person, "spy.greeting", "Linked", url="/hello/")
    db.session.commit()
    login(person)
    response = client.post(f"/notifications/{plain.id}/read")
    assert response.status_code == 302 and response.location.startswith("/notifications/")
    response = client.post(f"/notifications/{linked.id}/read", data={"open": "1"})
    assert response.location == "/hello/"
    db.session.expire_all()
    assert plain.read_at is not None and linked.read_at is not None
    assert 'data-testid="unread-count">0<' in client.get("/notifications/").get_data(as_text=True)


def test_someone_elses_notification_is_not_found(client, db, make, login):
    foundation, other_foundation = make.foundation(), make.foundation()
    person = make.person(foundation)
    colleague_note = notify(make.person(foundation), "spy.greeting", "Colleague's")
    stranger_note = notify(make.person(other_foundation), "spy.greeting", "Stranger's")
    db.session.commit()
    login(person)
    assert client.post(f"/notifications/{colleague_note.id}/read").status_code == 404
    assert client.post(f"/notifications/{stranger_note.id}/read").status_code == 404
    db.session.expire_all()
    assert colleague_note.read_at is None and stranger_note.read_at is None


def test_mark_all_read_touches_only_ones_own(client, db, make, login):
    foundation = make.foundation()
    person, colleague = make.person(foundation), make.person(foundation)
    for n in range(2):
        notify(person, "spy.greeting", f"Mine {n}")
    theirs = notify(colleague, "spy.greeting", "Theirs")
    db.session.commit()
    login(person)
    assert client.post("/notifications/read-all").status_code == 302
    assert _count(db, Notification, Notification.person_id == person.id, Notification.read_at.is_(None)) == 0
    db.session.expire_all()
    assert theirs.read_at is None


def test_mark_read_needs_a_csrf_token(app, client, db, make, login, monkeypatch):
    person = make.person(make.foundation())
    note = notify(person, "spy.greeting", "Mine")
    db.session.commit()
    login(person)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(f"/notifications/{note.id}/read").status_code == 400
    assert client.post("/notifications/read-all").status_code == 400
    db.session.expire_all()
    assert note.read_at is None


def test_pages_need_sign_in(client, db):
    assert client.get("/notifications/").status_code == 302
    assert client.get("/notifications/preferences").status_code == 302


def test_preferences_save_per_kind(client, db, make, login):
    person = make.person(make.foundation(), locale="en")
    login(person)
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert "Messages from your organisation" in page
    response = client.post("/notifications/preferences", data={"kind__core__message": "digest"})
    assert response.status_code == 302
    saved = db.session.scalar(select(NotificationPreference).where(NotificationPreference.person_id == person.id))
    assert (saved.kind, saved.channel, saved.foundation_id) == ("core.message", "digest", person.foundation_id)
    assert '<option selected value="digest">' in client.get("/notifications/preferences").get_data(as_text=True)


def test_preferences_refuse_an_unknown_channel(client, db, make, login):
    person = make.person(make.foundation())
    login(person)
    response = client.post("/notifications/preferences", data={"kind__core__message": "pigeon"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="kind__core__message-error" class="field-error"' in page and 'aria-invalid="true"' in page
    assert _count(db, NotificationPreference) == 0


def test_preferences_list_plugin_kinds_only_where_the_plugin_is_on(client, db, make, login, enable_plugin):
    foundation = make.foundation()
    person = make.person(foundation)
    login(person)
    assert "A colleague greets you" not in client.get("/notifications/preferences").get_data(as_text=True)
    enable_plugin("spy", foundation)
    assert "A colleague greets you" in client.get("/notifications/preferences").get_data(as_text=True)


# -- digest ------------------------------------------------------------------------------------

def test_digest_bundles_unread_notifications_per_person_once(db, make):
    foundation = make.foundation()
    anna, bram, carl = (make.person(foundation, first_name=name, locale="en") for name in ("Anna", "Bram", "Carl"))
    for person in (anna, bram, carl):
        set_preferences(person, {"core.message": "digest"})
    notify(anna, "core.message", "First for Anna", url="/a")
    notify(anna, "core.message", "Second for Anna")
    read = notify(bram, "core.message", "Read already by Bram")
    read.read_at = utcnow()
    db.session.commit()

    assert send_digests(batch_size=1) == 1  # Bram read his; Carl has nothing
    [mail] = _outbox(db)
    assert mail.to_address == anna.email
    assert "2 new notifications" in mail.subject
    assert "First for Anna" in mail.text_body and "Second for Anna" in mail.text_body
    assert "http://127.0.0.1:5000/a" in mail.html_body
    assert _count(db, Notification, Notification.mailed_at.is_(None)) == 0

    assert send_digests() == 0  # a second run sends nothing again
    assert len(_outbox(db)) == 1


# -- privacy -----------------------------------------------------------------------------------

def test_privacy_export_and_erase_cover_notifications_preferences_and_emails(db, make):
    from core.notifications.privacy import erase_person, export_person

    foundation = make.foundation()
    person, colleague = make.person(foundation), make.person(foundation)
    set_preferences(person, {"spy.greeting": "digest"})
    notify(person, "core.message", "About your contract", "Details", url="/people/1")
    notify(colleague, "core.message", "Not about you")
    db.session.commit()
    exported = export_person(person)
    assert [n["subject"] for n in exported["notifications"]] == ["About your contract"]
    assert exported["preferences"] == {"spy.greeting": "digest"}
    assert [(m["to"], m["state"]) for m in exported["emails"]] == [(person.email, "queued")]

    erase_person(person)
    db.session.commit()
    assert export_person(person) == {"notifications": [], "preferences": {}, "emails": []}
    assert _count(db, Notification) == 1 and len(_outbox(db)) == 1  # the colleague's stay

"""The newcomer's page: welcome, progress, phases, each task done in place with the right input."""

import io
import os
import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from core.auth import invitations
from plugins.onboarding import journeys
from plugins.onboarding.models import OnboardingFeedback, OnboardingFile
from tests.plugins.onboarding.conftest import PDF, PNG, task_named


def _progress(page: str) -> tuple[int, int]:
    match = re.search(r'data-done="(\d+)" data-total="(\d+)"', page)
    return int(match.group(1)), int(match.group(2))


def _upload(client, task, content, name):
    return client.post(
        f"/onboarding/tasks/{task.id}",
        data={f"t{task.id}-file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _files(db):
    return db.session.scalar(select(func.count(OnboardingFile.id)))


def test_the_page_welcomes_with_manager_buddy_progress_and_phases(client, login, org, journey):
    login(org.newcomer)
    page = client.get("/onboarding/").get_data(as_text=True)
    assert "Welcome, Noor!" in page
    assert org.manager.full_name in page and "Bea Buddy" in page
    assert _progress(page) == (0, 7)
    phases = re.findall(r'<h2 id="phase-\d+">([^<]+)</h2>', page)
    assert phases == ["Before day one", "First day", "First week", "First month"]
    assert page.index("Kopie ID") < page.index("Welkomstgesprek") < page.index("Evaluatie")


def test_a_newcomer_before_day_one_reaches_the_page_through_the_invitation(app, client, db, org, journey):
    org.newcomer.password_hash = None
    db.session.commit()
    with app.test_request_context():
        url = invitations.issue(org.newcomer, "welcome")
    db.session.commit()
    path = url.split("localhost", 1)[1]
    password = "a long sentence nobody guesses 2026"
    response = client.post(path, data={"password": password, "confirm": password})
    assert response.status_code == 302
    page = client.get("/onboarding/")
    assert page.status_code == 200 and "Welcome, Noor!" in page.get_data(as_text=True)


def test_confirming_a_document_stores_the_time(client, db, login, org, journey):
    confirm = task_named(journey, "Gedragscode")
    login(org.newcomer)
    page = client.get("/onboarding/").get_data(as_text=True)
    assert "<strong>aardig</strong>" in page  # the document, as sanitised Markdown
    assert client.post(f"/onboarding/tasks/{confirm.id}", data={}).status_code == 400  # the box is not ticked
    response = client.post(f"/onboarding/tasks/{confirm.id}", data={f"t{confirm.id}-confirmed": "y"})
    assert response.status_code == 302
    db.session.refresh(confirm)
    assert confirm.status == "done" and confirm.response["confirmed_at"] and confirm.done_by_id == org.newcomer.id
    assert _progress(client.get("/onboarding/").get_data(as_text=True)) == (1, 7)


def test_a_form_task_keeps_the_answers_typed_when_one_is_missing(client, db, login, org, journey):
    form = task_named(journey, "Gegevens")
    login(org.newcomer)
    response = client.post(f"/onboarding/tasks/{form.id}", data={f"t{form.id}-q0": "maandag en dinsdag"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "maandag en dinsdag" in page
    db.session.refresh(form)
    assert form.status == "open"
    client.post(f"/onboarding/tasks/{form.id}", data={f"t{form.id}-q0": "maandag", f"t{form.id}-q1": "vegetarisch"})
    db.session.refresh(form)
    assert form.response["answers"] == [
        {"question": "Welke dagen werk je?", "answer": "maandag"},
        {"question": "Dieetwensen?", "answer": "vegetarisch"},
    ]


def test_an_upload_is_stored_outside_the_web_root_under_a_random_name(app, client, db, login, org, journey):
    upload = task_named(journey, "Kopie ID")
    login(org.newcomer)
    assert _upload(client, upload, PDF, "paspoort.pdf").status_code == 302
    stored = db.session.scalar(select(OnboardingFile))
    path = Path(app.instance_path) / "uploads" / "onboarding" / stored.stored_name
    assert path.read_bytes() == PDF
    assert "paspoort" not in stored.stored_name and len(stored.stored_name) >= 32
    assert not str(path).startswith(str(Path(app.root_path) / "static"))
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    download = client.get(f"/onboarding/files/{stored.id}")
    assert download.data == PDF
    assert (
        download.headers["Content-Disposition"].startswith("attachment")
        and "paspoort.pdf" in download.headers["Content-Disposition"]
    )
    assert download.headers["Content-Type"] == "application/pdf"
    db.session.refresh(upload)
    assert upload.status == "done"


def test_uploads_that_break_the_rules_are_refused_and_nothing_is_stored(client, db, login, org, journey):
    upload = task_named(journey, "Kopie ID")  # pdf or png, at most 1 MB
    login(org.newcomer)
    cases = [
        (b"just text", "notes.txt", "not accepted here"),
        (PNG, "scan.pdf", "does not match its extension"),
        (PDF + b"0" * (1024 * 1024), "groot.pdf", "larger than 1 MB"),
        (b"", "leeg.pdf", "empty"),
    ]
    for content, name, message in cases:
        response = _upload(client, upload, content, name)
        assert response.status_code == 400, name
        assert message in response.get_data(as_text=True), name
    assert _files(db) == 0
    db.session.refresh(upload)
    assert upload.status == "open"
    assert _upload(client, upload, PNG, "scan.png").status_code == 302


def test_a_meeting_gets_a_date_and_an_icalendar_file(client, db, login, org, journey):
    talk = task_named(journey, "Welkomstgesprek")
    login(org.manager)
    day = talk.due_date + timedelta(days=1)
    response = client.post(
        f"/onboarding/tasks/{talk.id}/meeting", data={f"t{talk.id}m-day": day.isoformat(), f"t{talk.id}m-at": "11:15"}
    )
    assert response.status_code == 302
    login(org.newcomer)
    ics = client.get(f"/onboarding/tasks/{talk.id}/meeting.ics")
    body = ics.get_data(as_text=True)
    assert ics.headers["Content-Type"].startswith("text/calendar")
    assert f"DTSTART;TZID=Europe/Amsterdam:{day.strftime('%Y%m%d')}T111500" in body
    assert "DURATION:PT1H" in body and "SUMMARY:Welkomstgesprek" in body


def test_completing_someone_elses_task_is_not_found(client, db, login, org, journey):
    login(org.newcomer)
    talk = task_named(journey, "Welkomstgesprek")  # the manager's
    hr_task = task_named(journey, "Evaluatie")  # HR's
    assert client.post(f"/onboarding/tasks/{talk.id}").status_code == 404
    assert client.post(f"/onboarding/tasks/{hr_task.id}").status_code == 404
    assert client.post(f"/onboarding/tasks/{talk.id}/meeting", data={}).status_code == 404
    db.session.refresh(talk)
    assert talk.status == "open"


def test_a_task_waiting_for_another_has_no_form_and_is_refused(client, db, login, org, journey):
    tour = task_named(journey, "Rondleiding")
    login(org.newcomer)
    page = client.get("/onboarding/").get_data(as_text=True)
    card = page[page.index(f'id="task-{tour.id}"') :]
    card = card[: card.index("</article>")]
    assert "Waits for another task" in card and "<form" not in card
    client.post(f"/onboarding/tasks/{tour.id}")
    db.session.refresh(tour)
    assert tour.status == "open"


def test_the_buddy_does_their_task_from_their_own_page(client, db, login, org, journey):
    coffee = task_named(journey, "Koffie")
    login(org.buddy)
    page = client.get("/onboarding/").get_data(as_text=True)
    assert "Tasks you do for others" in page and "Koffie" in page and "for Noor Nieuw" in page
    assert client.post(f"/onboarding/tasks/{coffee.id}").status_code == 302
    db.session.refresh(coffee)
    assert coffee.status == "done" and coffee.done_by_id == org.buddy.id


def test_markdown_is_sanitised(client, db, login, org, journey):
    confirm = task_named(journey, "Gedragscode")
    confirm.description = "<script>alert(1)</script> [klik](javascript:alert(2)) [ok](https://example.org)"
    db.session.commit()
    login(org.newcomer)
    page = client.get("/onboarding/").get_data(as_text=True)
    assert "<script>alert(1)" not in page and 'href="javascript' not in page
    assert 'href="https://example.org"' in page


def test_headings_in_task_texts_sit_below_the_page_and_phase_headings(client, db, login, org, journey):
    """core's Markdown shifts every heading two levels: the page holds h1 and the phases h2."""
    confirm = task_named(journey, "Gedragscode")
    confirm.description = "# Welkom\n\n### Afspraken"
    db.session.commit()
    login(org.newcomer)
    page = client.get("/onboarding/").get_data(as_text=True)
    assert "<h3>Welkom</h3>" in page and "<h5>Afspraken</h5>" in page


def test_feedback_at_day_30_with_three_scores_and_a_comment(client, db, login, org, journey, clock):
    journey.start_date = clock.today() - timedelta(days=31)
    db.session.commit()
    login(org.newcomer)
    page = client.get("/onboarding/").get_data(as_text=True)
    assert "How is your start going?" in page and "/feedback/30" in page and "/feedback/90" not in page
    bad = client.post(f"/onboarding/journeys/{journey.id}/feedback/30", data={"welcome": "4", "clarity": "9"})
    assert bad.status_code == 400
    assert (
        client.post(
            f"/onboarding/journeys/{journey.id}/feedback/90", data={"welcome": "4", "clarity": "3", "support": "5"}
        ).status_code
        == 302
    )
    assert db.session.scalar(select(func.count(OnboardingFeedback.id))) == 0  # day 90 is not reached
    client.post(
        f"/onboarding/journeys/{journey.id}/feedback/30",
        data={"welcome": "4", "clarity": "3", "support": "5", "comment": "Fijn team"},
    )
    row = db.session.scalar(select(OnboardingFeedback))
    assert (row.checkpoint, row.welcome, row.clarity, row.support, row.comment) == (30, 4, 3, 5, "Fijn team")
    assert "How is your start going?" not in client.get("/onboarding/").get_data(as_text=True)
    login(org.buddy)
    assert (
        client.post(
            f"/onboarding/journeys/{journey.id}/feedback/30", data={"welcome": "1", "clarity": "1", "support": "1"}
        ).status_code
        == 404
    )


def test_someone_without_a_journey_sees_a_friendly_page(client, login, org):
    login(org.other_manager)
    page = client.get("/onboarding/")
    assert page.status_code == 200 and "There are no onboarding tasks for you." in page.get_data(as_text=True)


def test_a_completed_journey_shows_it(client, db, login, org, journey):
    for t in journey.tasks:
        t.status = "done"
    journeys.refresh_status(journey)
    db.session.commit()
    login(org.newcomer)
    assert "All done. Well done!" in client.get("/onboarding/").get_data(as_text=True)


def test_the_corrected_form_after_a_validation_error_lands_on_the_onboarding_page(client, db, login, org, journey):
    form = task_named(journey, "Gegevens")
    login(org.newcomer)
    failed = client.post(f"/onboarding/tasks/{form.id}", data={f"t{form.id}-q0": "maandag"}).get_data(as_text=True)
    card = failed[failed.index(f'id="task-{form.id}"'):]
    next_url = re.search(r'name="next" value="([^"]+)"', card).group(1)
    assert next_url == "/onboarding/"  # not the address the form was posted to, which only takes POST
    done = client.post(f"/onboarding/tasks/{form.id}", follow_redirects=True,
                       data={f"t{form.id}-q0": "maandag", f"t{form.id}-q1": "geen", "next": next_url})
    assert done.status_code == 200 and done.request.path == "/onboarding/"

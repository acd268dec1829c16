"""Training records: an employee's own entry waits for HR, evidence uploads are checked and kept
private, certificates are generated and publicly verifiable."""
from __future__ import annotations

import io
import re
import zlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.api import clock, commit_and_fire
from core.plugin_switch import disable
from core.plugins import plugin_manager
from plugins.learning.models import ApiToken, Registration, TrainingRecord
from plugins.learning.records import verify
from tests.plugins.learning import support

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _pdf_text(data: bytes) -> bytes:
    """The content streams of a PDF, inflated (fpdf2 compresses them)."""
    return b"".join(zlib.decompress(m.group(1)) for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S)
                    if m.group(1)[:1] == b"x")


def _post_record(client, course, filename=None, content=None, **extra):
    data = {"course_id": str(course.id), "completed_on": "2025-11-03", "score": "", "note": "Extern gevolgd", **extra}
    if filename:
        data["evidence"] = (io.BytesIO(content), filename)
    return client.post("/learning/records/new", data=data, content_type="multipart/form-data")


def test_an_employees_record_waits_for_hr_then_counts(client, login, org, listener, app):
    course = support.course(code="EXT", title="Extern congres", validity_months=None)
    login(org.employee)
    response = _post_record(client, course, "certificaat.pdf", PDF)
    assert response.status_code == 302
    [record] = support.records_of(org.employee)
    assert (record.status, record.source, record.verification_code) == ("pending", "manual", None)
    assert listener.HEARD == []  # not completed until verified
    stored = Path(app.instance_path) / "uploads" / "learning" / record.evidence_stored
    assert stored.read_bytes() == PDF and record.evidence_name == "certificaat.pdf"
    assert record.evidence_stored not in ("certificaat.pdf",) and len(record.evidence_stored) == 48

    assert client.get(f"/learning/records/{record.id}/certificate.pdf").status_code == 404  # not verified yet
    login(org.colleague)
    assert client.post(f"/learning/records/{record.id}/decide", data={"decision": "verify"}).status_code == 403
    login(org.hr)
    assert "Extern congres" in client.get("/learning/records/pending").get_data(as_text=True)
    client.post(f"/learning/records/{record.id}/decide", data={"decision": "verify"})
    [record] = support.records_of(org.employee)
    assert record.status == "verified" and record.verification_code and record.verified_by_id == org.hr.id
    assert [h["record_id"] for h in listener.HEARD] == [record.id]
    # A second decision changes nothing and announces nothing again.
    client.post(f"/learning/records/{record.id}/decide", data={"decision": "reject"})
    assert support.records_of(org.employee)[0].status == "verified" and len(listener.HEARD) == 1


def test_hook_training_completed(app, org, listener, db):
    """Fired once the verification commits, with the person, the course and the record, to the
    plugins switched on for the person's foundation only."""
    course = support.course(code="EXT", validity_months=None)
    mine = support.record(org.employee, course, clock.today(), status="pending")
    elsewhere = support.record(org.outsider, course, clock.today(), status="pending")  # the listener is off there
    verify(mine)
    verify(elsewhere)
    assert listener.HEARD == []  # queued until the commit
    commit_and_fire()
    assert listener.HEARD == [{"person_id": org.employee.id, "course_code": "EXT", "record_id": mine.id, "expires_on": None}]


def test_hr_enters_a_verified_record_for_someone(client, login, org, listener):
    course = support.course()
    login(org.hr)
    _post_record(client, course, person=org.employee.email)
    [record] = support.records_of(org.employee)
    assert record.status == "verified" and record.expires_on == date(2026, 11, 3)
    assert len(listener.HEARD) == 1


def test_the_person_field_is_hr_only(client, login, org):
    course = support.course()
    login(org.employee)
    _post_record(client, course, person=org.colleague.email)
    assert support.records_of(org.colleague) == []
    assert support.records_of(org.employee)[0].status == "pending"


def test_bad_input_keeps_what_was_typed_and_stores_nothing(client, login, org, app):
    course = support.course()
    login(org.employee)
    future = (clock.today() + timedelta(days=30)).isoformat()
    response = _post_record(client, course, completed_on=future, note="Mijn notitie")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "lies in the future" in html and "Mijn notitie" in html
    assert support.records_of(org.employee) == []


def test_uploads_are_checked_like_onboarding(client, login, org, app):
    course = support.course()
    login(org.employee)
    folder = Path(app.instance_path) / "uploads" / "learning"
    before = set(folder.iterdir()) if folder.exists() else set()
    cases = [
        ("script.exe", b"MZ\x90\x00", "not accepted"),
        ("certificaat.pdf", PNG, "does not match its extension"),  # a PNG named .pdf
        ("certificaat.pdf", b"", "empty"),
        ("leeg.png", b"plain text, not an image", "does not match"),
    ]
    for filename, content, message in cases:
        response = _post_record(client, course, filename, content)
        assert response.status_code == 400 and message in response.get_data(as_text=True), filename
    big = PDF + b"0" * (10 * 1024 * 1024)
    assert "larger than 10 MB" in _post_record(client, course, "groot.pdf", big).get_data(as_text=True)
    assert support.records_of(org.employee) == []
    assert (set(folder.iterdir()) if folder.exists() else set()) == before


def test_a_certificate_larger_than_a_form_is_taken(client, login, org):
    """Evidence may be larger than the site's limit for a form's body (``accepts_files``)."""
    course = support.course()
    login(org.employee)
    assert _post_record(client, course, "scan.pdf", PDF + b"0" * (3 * 1024 * 1024)).status_code == 302
    [record] = support.records_of(org.employee)
    assert record.evidence_stored and record.evidence_name == "scan.pdf"


def test_evidence_is_served_only_to_the_person_their_manager_and_hr(client, login, org, make):
    course = support.course()
    login(org.employee)
    _post_record(client, course, "foto.png", PNG)
    [record] = support.records_of(org.employee)
    for allowed in (org.employee, org.manager, org.hr):
        login(allowed)
        response = client.get(f"/learning/records/{record.id}/evidence")
        assert response.status_code == 200 and response.data == PNG
        assert response.headers["Content-Disposition"].startswith("attachment")
    for refused in (org.colleague, make.manager(org.foundation), org.outsider):
        login(refused)
        assert client.get(f"/learning/records/{record.id}/evidence").status_code == 404
        assert client.get(f"/learning/records/{record.id}").status_code == 404


def test_certificate_pdf_and_public_verification(client, login, org, db):
    course = support.course(title="Basic Life Support")
    record = support.record(org.employee, course, clock.today() - timedelta(days=10), verification_code="ABCD-EFGH-JKLM")
    login(org.employee)
    response = client.get(f"/learning/records/{record.id}/certificate.pdf")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    text = _pdf_text(response.data)
    for expected in (b"Mila Werkman", b"Basic Life Support", b"ABCD-EFGH-JKLM", b"/learning/verify/ABCD-EFGH-JKLM"):
        assert expected in text

    client.post("/auth/logout")
    page = client.get("/learning/verify/abcd-efgh-jklm")  # anonymous; the code in any case
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Mila Werkman" in html and "Basic Life Support" in html and "This certificate is valid." in html
    assert org.employee.email not in html and "Kliniek Almelo" not in html  # nothing beyond name, course, dates
    assert client.get("/learning/verify/ZZZZ-ZZZZ-ZZZZ").status_code == 404


def test_verification_works_for_someone_signed_in_where_learning_is_off(client, login, make, org, db):
    course = support.course(title="Basic Life Support")
    support.record(org.employee, course, clock.today() - timedelta(days=10), verification_code="GATE-FREE-CODE")
    login(make.person(make.foundation()))  # a foundation without the learning plugin
    page = client.get("/learning/verify/GATE-FREE-CODE")
    assert page.status_code == 200 and "Basic Life Support" in page.get_data(as_text=True)
    assert client.get("/learning/").status_code == 404  # the rest of the plugin stays gated for them


def test_verification_says_when_a_certificate_has_expired(client, org):
    course = support.course()
    support.record(org.employee, course, clock.today() - timedelta(days=800), verification_code="OLDC-ERTI-FICA")
    assert "no longer valid" in client.get("/learning/verify/OLDC-ERTI-FICA").get_data(as_text=True)


def test_verification_needs_learning_on_for_the_records_foundation(app, client, org):
    support.record(org.employee, support.course(), clock.today(), verification_code="GONE-GONE-GONE")
    disable(plugin_manager(app), org.foundation, "learning")
    assert client.get("/learning/verify/GONE-GONE-GONE").status_code == 404


def test_pending_and_rejected_records_are_not_verifiable(client, org):
    support.record(org.employee, support.course(), clock.today(), status="pending", verification_code="PEND-PEND-PEND")
    assert client.get("/learning/verify/PEND-PEND-PEND").status_code == 404


def test_records_of_another_foundation_are_not_found(client, login, org, db):
    record = support.record(org.outsider, support.course(), clock.today(), verification_code="OUTS-IDER-CODE")
    login(org.hr)
    for url in (f"/learning/records/{record.id}", f"/learning/records/{record.id}/certificate.pdf",
                f"/learning/records/{record.id}/evidence"):
        assert client.get(url).status_code == 404
    assert client.post(f"/learning/records/{record.id}/decide", data={"decision": "verify"}).status_code == 404
    assert db.session.get(TrainingRecord, record.id).status == "verified"


@pytest.mark.parametrize(("who", "url", "data", "table"), [
    ("hr", "/learning/tokens", {"name": ""}, ApiToken),
    ("employee", "/learning/records/new", {"course_id": "", "completed_on": "", "score": "", "note": "Typed"}, TrainingRecord),
    ("hr", "/learning/records/new", {"person": "", "course_id": "", "completed_on": "", "score": "", "note": "Typed"},
     TrainingRecord),
    ("employee", "/learning/registrations/new",
     {"register_id": "", "number": "12345", "cycle_start": "", "cycle_end": "", "points_required": ""}, Registration),
])
def test_required_fields_left_empty_answer_400_with_the_errors_and_save_nothing(client, login, org, db, who, url, data, table):
    login(getattr(org, who))
    response = client.post(url, data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This field is required." in html and 'aria-invalid="true"' in html
    assert db.session.scalar(select(func.count()).select_from(table)) == 0

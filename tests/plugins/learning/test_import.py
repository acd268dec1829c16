"""Importing historical records from CSV: a dry run first, errors with row numbers, all or nothing."""
from __future__ import annotations

import io
from datetime import date

from sqlalchemy import func, select

from plugins.learning.models import TrainingRecord
from tests.plugins.learning import support


def _upload(client, text: str):
    return client.post("/learning/import", data={"file": (io.BytesIO(text.encode("utf-8")), "records.csv")},
                       content_type="multipart/form-data")


def _count(db) -> int:
    return db.session.scalar(select(func.count(TrainingRecord.id)))


def test_a_good_file_is_checked_then_imported_on_confirmation(client, login, org, listener, db, make):
    support.course(code="BHV", validity_months=12)
    support.course(code="MED", validity_months=None)
    numbered = make.person(org.foundation, org.team, employee_number="GG00042")
    login(org.hr)
    text = ("email;employee_number;course_code;completed_on;expires_on;score\n"
            f"{org.employee.email.upper()};;bhv;31-01-2025;;8,5\n"
            f";GG00042;MED;2024-06-01;;\n"
            f"{org.colleague.email};;BHV;2025-02-28;2025-12-31;\n")
    html = _upload(client, text).get_data(as_text=True)
    assert "3 records are ready to import." in html
    assert _count(db) == 0  # the check is a dry run
    assert client.post("/learning/import/confirm").status_code == 302
    records = {r.person_id: r for r in db.session.scalars(select(TrainingRecord))}
    assert len(records) == 3
    mila = records[org.employee.id]
    assert (mila.source, mila.status, str(mila.expires_on), float(mila.score)) == ("import", "verified", "2026-01-31", 8.5)
    assert records[numbered.id].expires_on is None
    assert str(records[org.colleague.id].expires_on) == "2025-12-31"  # the file's expiry wins
    assert len(listener.HEARD) == 3
    # The pending file is gone: confirming again imports nothing.
    client.post("/learning/import/confirm")
    assert _count(db) == 3


def test_row_errors_name_rows_and_nothing_is_imported(client, login, org, db, make):
    support.course(code="BHV")
    support.record(org.colleague, support.course(code="BLS"), date(2025, 1, 10))
    login(org.hr)
    text = ("email,course_code,completed_on,score\n"
            f"{org.employee.email},BHV,2025-01-31,\n"
            "nobody@example.test,BHV,2025-01-31,\n"
            f"{org.employee.email},NOPE,2025-01-31,\n"
            f"{org.employee.email},BHV,31/01/2025,\n"
            f"{org.employee.email},BHV,2999-01-01,\n"
            f"{org.employee.email},BHV,2025-01-31,\n"
            f"{org.colleague.email},BLS,2025-01-10,\n"
            f"{org.outsider.email},BHV,2025-01-31,veel\n")
    html = _upload(client, text).get_data(as_text=True)
    assert "Nothing was imported" in html
    rows = html.split("<tbody>")[1].split("</tbody>")[0]
    expected = [("3", "No person"), ("4", "no course with code"), ("5", "Use a date like"), ("6", "lies in the future"),
                ("7", "Also in row 2"), ("8", "This record exists already"), ("9", "No person"), ("9", "Use a number")]
    for number, message in expected:
        assert f"<td>{number}</td>" in rows and message in rows, (number, message)
    assert client.post("/learning/import/confirm").status_code == 302  # nothing pending
    assert _count(db) == 1


def test_dates_and_scores_beyond_what_a_record_holds_are_row_errors(client, login, org, db):
    """Regression: an expiry of 9999-12-31 plus the grace period, or a score beyond the column,
    failed only when confirming, with a server error."""
    support.course(code="BHV", grace_days=30)
    login(org.hr)
    text = ("email,course_code,completed_on,expires_on,score\n"
            f"{org.employee.email},BHV,2025-01-31,9999-12-31,\n"
            f"{org.employee.email},BHV,0001-01-01,,\n"
            f"{org.employee.email},BHV,2025-02-28,,1e30\n"
            f"{org.employee.email},BHV,2025-03-31,,-1\n"
            f"{org.employee.email},BHV,2025-04-30,,sNaN\n")
    html = _upload(client, text).get_data(as_text=True)
    assert "Nothing was imported" in html
    rows = html.split("<tbody>")[1].split("</tbody>")[0]
    expected = [("2", "Use a date between 1900 and 2199"), ("3", "Use a date between 1900 and 2199"),
                ("4", "Use a score between 0 and 1000"), ("5", "Use a score between 0 and 1000"), ("6", "Use a number")]
    for number, message in expected:
        assert f"<td>{number}</td>" in rows and message in rows, (number, message)
    assert client.post("/learning/import/confirm").status_code == 302  # nothing pending
    assert _count(db) == 0


def test_a_file_larger_than_a_form_is_taken(client, login, org, db):
    """The import takes files beyond the site's limit for a form's body (``accepts_files``)."""
    support.course(code="BHV")
    login(org.hr)
    line = f"{org.employee.email},BHV,2025-01-31,\n"
    padding = "\n" * (2 * 1024 * 1024)  # blank lines are skipped
    response = _upload(client, "email,course_code,completed_on,score\n" + line + padding)
    assert response.status_code == 200 and "1 record is ready to import." in response.get_data(as_text=True)


def test_file_problems(client, login, org, db):
    login(org.hr)
    assert "Unknown columns: colour" in _upload(client, "email,course_code,completed_on,colour\n").get_data(as_text=True)
    html = _upload(client, "course_code,completed_on\nBHV,2025-01-01\n").get_data(as_text=True)
    assert "email / employee_number" in html
    assert "no records" in _upload(client, "email,course_code,completed_on\n").get_data(as_text=True)
    response = client.post("/learning/import", data={"file": (io.BytesIO("\xff\xfe".encode("latin-1")), "x.csv")},
                           content_type="multipart/form-data")
    assert "not UTF-8" in response.get_data(as_text=True)
    assert _count(db) == 0


def test_import_is_for_hr(client, login, org):
    login(org.manager)
    assert client.get("/learning/import").status_code == 403
    assert client.post("/learning/import/confirm").status_code == 403

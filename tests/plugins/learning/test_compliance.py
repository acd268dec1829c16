"""The compliance matrix, its exports and the forecast; who may see them; and fixed query counts
for the matrix, my-learning and catalogue pages."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from openpyxl import load_workbook
from sqlalchemy import func, insert, select

from core.api import clock
from core.models import Person
from core.testing.querycount import count_queries
from plugins.learning.models import ComplianceSnapshot, TrainingRecord
from tests.plugins.learning import support


@pytest.fixture
def setup(org, db):
    """BHV for everyone, BLS for nurses. Mila's BHV expires in 21 days; Bram's lapsed beyond grace."""
    bhv = support.course(code="BHV", validity_months=12, grace_days=30)
    bls = support.course(code="BLS", title="Basic Life Support", validity_months=12, grace_days=0)
    req_bhv = support.requirement(org.foundation, [bhv], "BHV")
    req_bls = support.requirement(org.foundation, [bls], "BLS", job_title="verpleegkundige")
    today = clock.today()
    support.record(org.employee, bhv, today + timedelta(days=21) - relativedelta(months=12))
    support.record(org.colleague, bhv, today - relativedelta(months=14))
    return bhv, bls, req_bhv, req_bls


def _cell(html: str, email: str, requirement_id: int) -> str:
    row = html.split(f'data-person="{email}"')[1].split("</tr>")[0]
    return row.split(f'data-requirement="{requirement_id}"')[1].split("</td>")[0]


def test_matrix_shows_status_in_colour_and_text(client, login, org, setup):
    _bhv, _bls, req_bhv, req_bls = setup
    login(org.hr)
    html = client.get("/learning/compliance").get_data(as_text=True)
    mila_bhv = _cell(html, org.employee.email, req_bhv.id)
    assert 'class="ln-status ln-expiring"' in mila_bhv and "Expiring" in mila_bhv
    assert "ln-overdue" in _cell(html, org.employee.email, req_bls.id)  # a nurse without BLS
    assert "n/a" in _cell(html, org.colleague.email, req_bls.id)  # BLS is not for Bram
    assert "ln-overdue" in _cell(html, org.colleague.email, req_bhv.id)
    summary = html.split('data-testid="summary"')[1].split("</table>")[0]
    bhv_row = summary.split(f'data-requirement="{req_bhv.id}"')[1].split("</tr>")[0]
    assert 'data-status="expiring">1<' in bhv_row and 'data-status="overdue">' in bhv_row


def test_matrix_filters_by_status_and_team(client, login, org, setup, make):
    login(org.hr)
    html = client.get("/learning/compliance?status=expiring").get_data(as_text=True)
    assert org.employee.email in html and f'data-person="{org.colleague.email}"' not in html
    elsewhere = make.person(org.foundation, make.team(org.foundation), last_name="Elders")
    html = client.get(f"/learning/compliance?team={org.team.id}").get_data(as_text=True)
    assert f'data-person="{elsewhere.email}"' not in html and f'data-person="{org.employee.email}"' in html


def test_a_manager_sees_only_their_teams_and_an_employee_nothing(client, login, org, setup, make):
    elsewhere = make.person(org.foundation, make.team(org.foundation), last_name="Elders")
    login(org.manager)
    html = client.get("/learning/compliance").get_data(as_text=True)
    assert f'data-person="{org.employee.email}"' in html and f'data-person="{elsewhere.email}"' not in html
    assert f'data-person="{elsewhere.email}"' not in client.get(
        f"/learning/compliance?team={elsewhere.team_id}").get_data(as_text=True)
    exported = client.get("/learning/compliance/export.csv").get_data(as_text=True)
    assert "Elders" not in exported and "Werkman" in exported
    login(org.employee)
    for url in ("/learning/compliance", "/learning/compliance/export.csv", "/learning/compliance/export.xlsx",
                "/learning/compliance/forecast"):
        assert client.get(url).status_code == 403


def test_csv_export(client, login, org, setup):
    _bhv, _bls, req_bhv, req_bls = setup
    login(org.hr)
    response = client.get("/learning/compliance/export.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][4:] == ["BHV", "BHV: valid until", "BLS", "BLS: valid until"]
    mila = next(r for r in rows if r[0] == "Mila Werkman")
    assert mila[4] == "Expiring" and mila[5] == (clock.today() + timedelta(days=21)).isoformat()
    assert mila[6] == "Overdue"
    bram = next(r for r in rows if r[0] == "Bram Bakker")
    assert bram[6] == "not applicable"


def test_xlsx_export_is_coloured_and_complete(client, login, org, setup, tmp_path):
    login(org.hr)
    response = client.get("/learning/compliance/export.xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    path = tmp_path / "matrix.xlsx"
    path.write_bytes(response.data)
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Name", "Employee number", "Team", "Job title", "BHV")
    names = [r[0] for r in rows[1:]]
    assert "Mila Werkman" in names and "Bram Bakker" in names
    mila_row = names.index("Mila Werkman") + 2
    assert sheet.cell(mila_row, 5).value == "Expiring"
    assert sheet.cell(mila_row, 5).fill.fgColor.rgb.endswith("FFF3CD")
    assert sheet.cell(mila_row, 6).value.date() == clock.today() + timedelta(days=21)  # a date, not text
    assert sheet.cell(mila_row, 7).value == "Overdue"


@pytest.fixture
def hostile(org, setup, make, db):
    """A person, team, job title and requirement whose names a spreadsheet would run as formulas."""
    bhv = setup[0]
    team = make.team(org.foundation, "+31 Kliniek")
    person = make.person(org.foundation, team, first_name="=HYPERLINK(\"https://evil.example\")", last_name="@Bad",
                         employee_number="-42", job_title="=1+1", locale="en")
    support.record(person, bhv, clock.today() - timedelta(days=10))
    support.requirement(org.foundation, [bhv], "=SUM(A1:A9)")
    return person


def test_csv_export_writes_formula_like_names_as_text(client, login, org, hostile):
    """Regression (issue 12, item 3): names starting with = + - @ come out with a leading
    apostrophe, which spreadsheets show as text."""
    login(org.hr)
    text = client.get("/learning/compliance/export.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert "'=SUM(A1:A9)" in rows[0] and "'=SUM(A1:A9): valid until" in rows[0]
    row = next(r for r in rows if "evil.example" in r[0])
    assert row[:4] == ["'=HYPERLINK(\"https://evil.example\") @Bad", "'-42", "'+31 Kliniek", "'=1+1"]
    assert not [cell for r in rows for cell in r if cell[:1] in ("=", "+", "-", "@")]


def test_xlsx_export_has_no_formula_and_real_dates(client, login, org, hostile, tmp_path):
    """Regression (issue 12, item 3): the workbook held live formula cells. Now text is text (with
    the apostrophe, so it stays text when saved as CSV) and dates are dates."""
    login(org.hr)
    path = tmp_path / "matrix.xlsx"
    path.write_bytes(client.get("/learning/compliance/export.xlsx").data)
    sheet = load_workbook(path).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert cells and not [cell.coordinate for cell in cells if cell.data_type == "f"]
    row = next(r for r in sheet.iter_rows() if "evil.example" in str(r[0].value))
    assert [cell.value for cell in row[:4]] == ["'=HYPERLINK(\"https://evil.example\") @Bad", "'-42", "'+31 Kliniek", "'=1+1"]
    assert all(cell.data_type == "s" for cell in row[:4])
    valid_until = [cell for cell in row[4:] if isinstance(cell.value, datetime)]
    assert valid_until and all(cell.is_date for cell in valid_until)
    data = [cell for cell in cells if cell.row > 1]  # below the header, whose titles are text cells too
    assert not [cell.value for cell in data if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@")]
    assert {cell.data_type for cell in sheet[1] if cell.value} == {"s"}


def test_forecast_lists_who_becomes_overdue(client, login, org, setup):
    _bhv, _bls, req_bhv, _req_bls = setup
    login(org.hr)
    html = client.get("/learning/compliance/forecast").get_data(as_text=True)
    # Mila's BHV: valid 21 more days, then 30 days of grace: overdue within 60 days, not within 30.
    row = html.split(f'data-person="{org.employee.email}"')[1].split("</tr>")[0]
    assert "BHV" in row and "60 days" in row
    assert f'data-person="{org.colleague.email}"' not in html  # already overdue today
    counts = html.split('data-testid="horizons"')[1].split("</ul>")[0]
    assert 'data-days="30">within 30 days: 0' in counts and 'data-days="60">within 60 days: 1' in counts


def test_requirements_are_managed_by_hr(client, login, org, setup, db):
    bhv, bls, _req_bhv, _req_bls = setup
    login(org.manager)
    assert client.get("/learning/requirements").status_code == 403
    login(org.hr)
    response = client.post("/learning/requirements/new", data={
        "title": "Reanimatie", "course_ids": [str(bls.id), str(bhv.id)], "team_id": str(org.team.id), "job_title": "",
        "person_type": "", "within_days": "60", "active": "y"})
    assert response.status_code == 302
    assert "Reanimatie" in client.get("/learning/requirements").get_data(as_text=True)
    bad = client.post("/learning/requirements/new", data={"title": "Zonder cursus", "team_id": "", "person_type": "",
                                                          "within_days": "0"})
    assert bad.status_code == 400 and "Zonder cursus" in bad.get_data(as_text=True)


def test_any_course_of_the_set_counts(client, login, org, setup, db):
    bhv, bls, _req_bhv, _req_bls = setup
    either = support.requirement(org.foundation, [bhv, bls], "BHV of BLS")
    support.record(org.colleague, bls, clock.today() - timedelta(days=10))
    login(org.hr)
    html = client.get("/learning/compliance").get_data(as_text=True)
    assert "ln-compliant" in _cell(html, org.colleague.email, either.id)


def test_requirements_of_another_foundation_are_not_found(client, login, org, db):
    foreign = support.requirement(org.other, [support.course(code="X")], "Elders")
    login(org.hr)
    assert client.get(f"/learning/requirements/{foreign.id}/edit").status_code == 404


# -- query counts -----------------------------------------------------------------------------

def _add_people(db, foundation, team, n):
    start = db.session.scalar(select(func.coalesce(func.max(Person.id), 0))) + 1
    db.session.execute(insert(Person), [
        {"id": start + i, "foundation_id": foundation.id, "team_id": team.id, "first_name": "Bulk", "last_name": f"P{i:05d}",
         "email": f"bulk{start + i}@example.test", "status": "active", "person_type": "employee",
         "job_title": "Verpleegkundige" if i % 3 == 0 else "Sociaal werker", "start_date": date(2020, 1, 1),
         "locale": "nl", "session_version": 1, "login_enabled": True}
        for i in range(n)
    ])
    return list(range(start, start + n))


def _add_records(db, foundation, people, course):
    today = clock.today()
    db.session.execute(insert(TrainingRecord), [
        {"foundation_id": foundation.id, "person_id": pid, "course_id": course.id, "completed_on": today - timedelta(days=pid % 500),
         "expires_on": today + timedelta(days=365 - pid % 500), "grace_until": today + timedelta(days=395 - pid % 500),
         "source": "import", "status": "verified"}
        for pid in people
    ])


@pytest.mark.parametrize("url_for_user", [
    lambda org: (org.hr, "/learning/compliance"),
    lambda org: (org.manager, "/learning/compliance"),
    lambda org: (org.employee, "/learning/"),
    lambda org: (org.employee, "/learning/catalogue"),
    lambda org: (org.hr, "/"),  # the dashboard with the learning widgets
])
def test_pages_do_a_fixed_number_of_queries(client, login, org, setup, db, url_for_user):
    bhv, bls, *_ = setup
    for n in range(30):
        support.course(code=f"C{n}", title=f"Cursus {n}")
    user, url = url_for_user(org)
    login(user)
    counts = []
    for extra in (10, 990):
        people = _add_people(db, org.foundation, org.team, extra)
        _add_records(db, org.foundation, people, bhv)
        db.session.commit()
        assert client.get(url).status_code == 200  # warm caches
        with count_queries(db.engine) as statements:
            assert client.get(url).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_the_foundation_summary_is_kept_until_a_record_changes(client, login, org, setup, db):
    bhv, _bls, req_bhv, _req_bls = setup

    def expiring_count():
        html = client.get("/learning/compliance").get_data(as_text=True)
        row = html.split('data-testid="summary"')[1].split(f'data-requirement="{req_bhv.id}"')[1].split("</tr>")[0]
        return row.split('data-status="expiring">')[1].split("<")[0]

    login(org.hr)
    assert expiring_count() == "1"
    assert db.session.scalar(select(ComplianceSnapshot.foundation_id)) == org.foundation.id
    support.record(org.manager, bhv, clock.today() - relativedelta(months=11))  # written behind its back
    assert expiring_count() == "1"  # the stored summary is reused
    client.post("/learning/records/new", data={"person": org.hr.email, "course_id": str(bhv.id),
                                               "completed_on": (clock.today() - relativedelta(months=11)).isoformat()})
    assert expiring_count() == "3"  # a verified record drops the snapshot: counted afresh, both new ones seen

"""CSV import of people: the shared check-and-import, the web upload with preview, and the CLI."""
from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from core.models import AuditEvent, Person
from core.people import csv_import
from tests.core.people_support import build_org, listening

HEADER = "email,first_name,last_name,person_type,status,team,employee_number,job_title,start_date,end_date,contract_hours,locale"
GOOD = f"""{HEADER}
olga@example.org,Olga,Kok,employee,active,Care,A201,Nurse,2024-02-01,,"28,5",nl
piet@example.org,Piet,de Jong,volunteer,,office,,Driver,15-03-2099,,,en
"""


@pytest.fixture
def org(make):
    return build_org(make)


@pytest.fixture
def english(db):
    """Messages made outside a request (and on the command line) use the default language, Dutch;
    the tests that check their wording read them in English."""
    with force_locale("en"):
        yield


def _count(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Person.id)))


def _by_email(db, email):
    return db.session.scalar(select(Person).where(Person.email == email))


# -- the shared implementation --------------------------------------------------------------------

def test_good_file_imports_everyone_fires_events_and_audits(app, org, db):
    before = _count(db)
    with listening(app) as listener:
        result = csv_import.import_people(org.a.id, GOOD.encode())
    assert result.ok and result.imported == 2
    assert _count(db) == before + 2
    olga, piet = _by_email(db, "olga@example.org"), _by_email(db, "piet@example.org")
    assert (olga.foundation_id, olga.team_id, olga.contract_hours, olga.start_date) == (org.a.id, org.care.id, Decimal("28.5"), date(2024, 2, 1))
    assert (piet.team_id, piet.person_type, piet.start_date, piet.locale) == (org.office.id, "volunteer", date(2099, 3, 15), "en")
    assert piet.status == "preboarding"  # no status given and the start is still to come
    assert sorted(listener.calls) == sorted([("person_hired", olga.id), ("person_hired", piet.id)])
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "people.imported")).all()
    assert event.details == {"count": 2} and event.foundation_id == org.a.id


def test_bom_and_semicolons_are_accepted(org, db):
    content = "\ufeff" + GOOD.replace(",", ";").replace('"28;5"', "28,5")
    result = csv_import.import_people(org.a.id, content.encode("utf-8"))
    assert result.ok, result.problems()
    assert _by_email(db, "olga@example.org").contract_hours == Decimal("28.5")


def test_errors_name_their_row_and_nothing_is_imported(org, db, english):
    content = f"""{HEADER}
good@example.org,Good,Row,employee,active,Care,,,2024-01-01,,,nl
NINA@example.org,Dup,Database,employee,active,,,,,,,nl
bert@example.org,Other,Foundation,employee,active,,,,,,,nl
,No,Mail,employee,active,,,,,,,nl
x@example.org,Bad,Type,robot,active,Nowhere,A100,,2024-13-01,,lots,xx

good@example.org,Dup,File,employee,active,,,,2024-05-01,2024-04-01,,nl
"""
    before = _count(db)
    result = csv_import.import_people(org.a.id, content.encode())
    assert not result.ok and result.imported == 0
    assert _count(db) == before
    errors = {row.number: dict(row.errors) for row in result.rows}
    assert errors[2] == {}
    assert "Already in use" in errors[3]["email"]
    assert "Already in use" in errors[4]["email"]  # unique across foundations
    assert "required" in errors[5]["email"]
    assert set(errors[6]) == {"person_type", "team", "employee_number", "start_date", "contract_hours", "locale"}
    assert 7 not in errors  # the blank line is skipped but still counted
    assert errors[8] == {"email": "Also in row 2.", "end_date": "The end date is before the start date."}
    assert "Row 6, team: This foundation has no team named \"Nowhere\"." in result.problems()


def test_employee_numbers_repeating_in_the_file_are_refused(org, db, english):
    content = f"{HEADER}\na@example.org,A,A,,,,N1,,,,,\nb@example.org,B,B,,,,N1,,,,,\n"
    result = csv_import.check(org.a.id, content.encode())
    assert [dict(r.errors) for r in result.rows] == [{}, {"employee_number": "Also in row 2."}]


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    ("email;first_name;last_name\n".encode("utf-16"), "not UTF-8"),
    (b"email;voornaam;last_name;salary\nx@example.org;X;Y;1\n", "Unknown columns: voornaam, salary"),
    (b"olga@example.org,Olga,Kok\n", "Required columns are missing"),
    (f"{HEADER}\n".encode(), "no people"),
    (b'email,first_name,last_name\na@example.org,"A,B\n', "not valid CSV"),  # a quote left open
])
def test_file_problems_are_reported(org, content, message, english):
    result = csv_import.check(org.a.id, content)
    assert not result.ok
    assert any(message in problem for problem in result.file_errors), result.file_errors


def test_a_windows_1252_file_from_dutch_excel_imports(org, db):
    content = "last_name;first_name;job_title;email\r\nJansen;Zoë;Café;zoe@example.org\r\nÇelik;Loïs;Coördinator – €;lois@example.org\r\n"
    result = csv_import.import_people(org.a.id, content.encode("cp1252"))
    assert result.ok, result.problems()
    zoe, lois = _by_email(db, "zoe@example.org"), _by_email(db, "lois@example.org")
    assert (zoe.last_name, zoe.first_name, zoe.job_title) == ("Jansen", "Zoë", "Café")
    assert (lois.last_name, lois.first_name, lois.job_title) == ("Çelik", "Loïs", "Coördinator – €")


def test_a_nul_character_in_a_cell_is_refused_by_row_and_column(org, db, english):
    content = f"{HEADER}\nzoe@example.org,Zo\x00e,Jansen,,,,,,,,,\nni\x00na@example.org,Nina,B,,,,,,,,,\n"
    before = _count(db)
    result = csv_import.import_people(org.a.id, content.encode())
    assert not result.ok and result.imported == 0 and _count(db) == before
    nul = "The cell holds a NUL character (a zero byte)."
    assert result.rows[0].errors == [("first_name", nul)]
    # and kept out of the look-up of taken addresses, which PostgreSQL would refuse
    assert result.rows[1].errors == [("email", nul)] and result.rows[1].values["email"] == "nina@example.org"
    assert f"Row 2, first_name: {nul}" in result.problems()


def test_a_nul_character_in_the_header_is_a_file_problem(org, english):
    result = csv_import.check(org.a.id, b"email,first_\x00name,last_name\nzoe@example.org,Zoe,Jansen\n")
    assert result.file_errors == ["The first line holds a NUL character (a zero byte). Remove it and try again."]


def test_dry_run_changes_nothing(app, org, db):
    before = _count(db)
    with listening(app) as listener:
        result = csv_import.import_people(org.a.id, GOOD.encode(), dry_run=True)
    assert result.ok and result.imported == 0
    assert _count(db) == before and listener.calls == []


def test_cells_under_an_unnamed_column_are_refused(org, english):
    content = b"email,first_name,last_name,\na@example.org,A,B,\nb@example.org,B,C,oops\n"
    result = csv_import.check(org.a.id, content)
    assert [r.errors for r in result.rows] == [[], [("(no name)", "A value stands in a column without a name.")]]


# -- the web upload -------------------------------------------------------------------------------

def _upload(client, content: str | bytes, name="people.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post("/people/import", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _stored(app) -> set[Path]:
    return set((Path(app.instance_path) / "imports").glob("*.csv"))


def test_upload_preview_confirm(app, client, login, org, db):
    login(org.hr)
    before = _stored(app)
    response = _upload(client, GOOD)
    assert response.status_code == 302 and response.headers["Location"].endswith("/people/import/preview")
    stored = list(_stored(app) - before)
    assert len(stored) == 1 and stored[0].read_bytes() == GOOD.encode()  # kept on the server, not in the cookie
    preview = client.get("/people/import/preview").get_data(as_text=True)
    assert 'data-row="2"' in preview and 'data-row="3"' in preview and "Import 2 people" in preview
    assert _count(db) == 5  # a preview imports nothing
    response = client.post("/people/import/confirm")
    assert response.status_code == 302
    assert _by_email(db, "olga@example.org") is not None and _count(db) == 7
    assert not stored[0].exists()  # confirmed uploads are removed
    assert client.post("/people/import/confirm").status_code == 302  # nothing left to confirm
    assert _count(db) == 7


def test_a_file_with_a_nul_character_previews_its_problem_and_imports_nobody(client, login, org, db):
    login(org.hr)
    _upload(client, f"{HEADER}\nok@example.org,Ok,Row,,,,,,,,,\nzoe@example.org,Zoe,Jan\x00sen,,,,,,,,,\n".encode())
    preview = client.get("/people/import/preview").get_data(as_text=True)
    assert re.search(r'<tr data-row="3" class="row-error">.*?last_name</strong>: The cell holds a NUL character', preview, re.S)
    assert client.post("/people/import/confirm").status_code == 400
    assert _by_email(db, "ok@example.org") is None and _by_email(db, "zoe@example.org") is None


def test_preview_shows_every_row_with_its_problems_and_offers_no_import(client, login, org, db):
    login(org.hr)
    _upload(client, f"{HEADER}\nok@example.org,Ok,Row,,,,,,,,,\nnina@example.org,Taken,Mail,,,,,,,,,\n")
    preview = client.get("/people/import/preview").get_data(as_text=True)
    assert re.search(r'<tr data-row="3" class="row-error">.*?Already in use', preview, re.S)
    assert 'data-row="2"' in preview and "/people/import/confirm" not in preview
    response = client.post("/people/import/confirm")  # confirming anyway re-checks and refuses
    assert response.status_code == 400
    assert _by_email(db, "ok@example.org") is None


def test_confirm_needs_the_upload_of_this_session_and_foundation(app, client, login, org, make, db):
    login(org.hr)
    before = _stored(app)
    _upload(client, GOOD)
    [stored] = _stored(app) - before
    other = app.test_client()
    other_hr = make.person(org.a, role="hr_admin")
    other.post("/auth/login", data={"email": other_hr.email, "password": "correct horse battery staple"})
    assert other.post("/people/import/confirm").status_code == 302  # another session has no upload
    assert _by_email(db, "olga@example.org") is None
    client.post("/people/import/cancel")
    assert not stored.exists()
    assert client.post("/people/import/confirm").status_code == 302
    assert _by_email(db, "olga@example.org") is None


def test_upload_without_file_rerenders_the_form(client, login, org):
    login(org.hr)
    response = client.post("/people/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Choose a CSV file." in response.get_data(as_text=True)


def test_import_needs_the_permission(client, login, org):
    login(org.manager)
    assert _upload(client, GOOD).status_code == 403
    assert client.get("/people/import/preview").status_code == 403
    assert client.post("/people/import/confirm").status_code == 403


# -- the command line -----------------------------------------------------------------------------

def _write(tmp_path, content: str | bytes) -> str:
    path = tmp_path / "people.csv"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return str(path)


def test_cli_imports_a_good_file(runner, org, db, tmp_path):
    result = runner.invoke(args=["journey", "import-people", _write(tmp_path, GOOD), "--foundation", "a"])
    assert result.exit_code == 0, result.output
    assert "imported 2 people into a" in result.output
    assert _by_email(db, "piet@example.org").foundation_id == org.a.id


def test_cli_dry_run_changes_nothing(runner, org, db, tmp_path):
    before = _count(db)
    result = runner.invoke(args=["journey", "import-people", _write(tmp_path, GOOD), "--foundation", "a", "--dry-run"])
    assert result.exit_code == 0 and "dry run: 2 people" in result.output
    assert _count(db) == before


@pytest.mark.parametrize("content, slug, expected", [
    (GOOD, "nope", "unknown foundation 'nope'"),
    (b"\xff\xfe\x00bad", "a", "not UTF-8"),
    (f"{HEADER}\nnina@example.org,N,B,,,,,,,,,\n", "a", "Row 2, email: Already in use"),
])
def test_cli_fails_on_bad_input(runner, org, db, tmp_path, content, slug, expected):  # in English, without forcing it
    before = _count(db)
    result = runner.invoke(args=["journey", "import-people", _write(tmp_path, content), "--foundation", slug])
    assert result.exit_code != 0
    assert expected in result.output
    assert _count(db) == before


def test_cli_fails_on_a_missing_file(runner, org, tmp_path):
    result = runner.invoke(args=["journey", "import-people", str(tmp_path / "missing.csv"), "--foundation", "a"])
    assert result.exit_code != 0 and "missing.csv" in result.output


def test_parse_decimal_refuses_a_number_too_long_to_round():
    from core.csv_files import parse_decimal

    with pytest.raises(ValueError):
        parse_decimal("1e30")
    assert str(parse_decimal("1e-999999")) == "0.00"

"""The request form as a person meets it: Dutch durations, the kinds of change, the act's deadline,
hours that do not add up, and only the rows in use."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from core.api import clock
from plugins.flexwork.models import FlexRequest
from tests.plugins.flexwork.conftest import pattern_form, start_in_time


def request_count(db) -> int:
    return db.session.scalar(select(func.count(FlexRequest.id)))


def test_working_time_warnings_write_durations_the_dutch_way(client, login, org):
    login(org.bert)
    data = pattern_form([(0, "06:00", "19:30")], start_date=start_in_time().isoformat(), action="check")
    page = client.post("/flexwork/requests/new", data=data, headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "een dienst van 13,5 uur (hoogstens 12 uur)" in page
    assert "13:30" not in page


def test_a_request_changes_several_things_and_is_filed_as_all_it_changes(client, login, org, db):
    login(org.bert)  # works Monday, Thursday and Friday 8:30-17:00 at the office
    home_wednesday = [(0, "08:30", "17:00"), (2, "09:00", "17:30", "home"), (4, "08:30", "17:00")]
    data = pattern_form(home_wednesday, start_date=start_in_time().isoformat(), changes=["place"])
    response = client.post("/flexwork/requests/new", data=data)
    assert response.status_code == 400 and 'id="changes-error"' in response.get_data(as_text=True)
    assert request_count(db) == 0  # a change of times and place is not filed as place only
    data["changes"] = ["times", "place"]
    assert client.post("/flexwork/requests/new", data=data).status_code == 302
    request = db.session.scalar(select(FlexRequest))
    assert request.changes == ("times", "place") and request.hours_or_times  # the act's rules on times apply
    assert request.kind_title == "Wijziging van werktijden en werkplek"


def test_a_temporary_request_names_what_it_changes(client, login, org, db):
    login(org.bert)
    start = start_in_time()
    data = pattern_form([(0, "08:30", "17:00"), (3, "08:30", "17:00"), (4, "08:30", "17:00")], contract_hours="28",
                        changes=["hours"], temporary="y", start_date=start.isoformat(),
                        end_date=(start + timedelta(weeks=12)).isoformat())
    assert client.post("/flexwork/requests/new", data=data).status_code == 302
    request = db.session.scalar(select(FlexRequest))
    assert (request.changes, request.kind_title) == (("hours",), "Tijdelijke wijziging van arbeidsduur")


def test_a_late_request_is_told_what_the_law_gives_instead_of_a_past_deadline(client, login, org):
    login(org.bert)
    start = clock.today() + timedelta(days=20)  # the act's deadline (start minus a month) has passed
    data = pattern_form([(0, "08:30", "17:00"), (3, "08:30", "17:00")], start_date=start.isoformat(), action="check",
                        contract_hours="17")
    page = client.post("/flexwork/requests/new", data=data).get_data(as_text=True)
    assert 'data-testid="late-deadline"' in page and "Beslissing uiterlijk" not in page


def test_fixed_and_flexible_hours_that_differ_from_the_contract_are_said_not_refused(client, login, org, db):
    login(org.bert)
    data = pattern_form([(0, "08:30", "17:00"), (3, "08:30", "17:00")], start_date=start_in_time().isoformat(),
                        action="check", contract_hours="24", flex_hours="4")  # 17 + 4 is not 24
    page = client.post("/flexwork/requests/new", data=data).get_data(as_text=True)
    assert 'data-testid="hours-differ"' in page and "21 uur" in page
    data["action"] = "submit"
    assert client.post("/flexwork/requests/new", data=data).status_code == 302
    login(org.manager)
    page = client.get(f"/flexwork/approvals/{db.session.scalar(select(FlexRequest.id))}").get_data(as_text=True)
    assert 'data-testid="hours-differ"' in page


def test_the_form_shows_the_days_in_use_and_adds_one_without_javascript(client, login, org):
    login(org.bert)
    page = client.get("/flexwork/requests/new").get_data(as_text=True)
    assert page.count("<tr data-row=") == 3 + 2  # her three days and two empty rows
    data = pattern_form([(0, "08:30", "17:00"), (3, "08:30", "17:00"), (4, "08:30", "17:00")], action="add_row",
                        motivation="typed")
    data.update({f"blocks-{i}-day": "" for i in (3, 4)})
    response = client.post("/flexwork/requests/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.count("<tr data-row=") == 6
    assert "typed" in page and 'class="field-error"' not in page  # what was typed is kept, nothing judged yet

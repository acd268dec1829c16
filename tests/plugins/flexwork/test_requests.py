"""Asking for a change: the form, its rules, bad input, withdrawing, who sees a request."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core.api import clock
from core.models import Notification
from plugins.flexwork import wfw
from plugins.flexwork.models import FlexRequest
from tests.plugins.flexwork.conftest import pattern_form, start_in_time

WED_THU_FRI = [(2, "08:30", "17:00"), (3, "08:30", "17:00"), (4, "08:30", "17:00")]


def request_count(db) -> int:
    return db.session.scalar(select(func.count(FlexRequest.id)))


def test_the_form_starts_from_the_current_pattern_and_explains_the_act(client, login, org):
    login(org.bert)
    page = client.get("/flexwork/requests/new").get_data(as_text=True)
    assert '<option selected value="0">' in page  # Monday, her first day now
    assert 'id="blocks-0-start" name="blocks-0-start" type="time" value="08:30"' in page
    assert 'data-testid="wfw-rules"' in page


def test_submitting_a_request_sets_the_deadline_and_tells_the_manager(client, login, org, db):
    login(org.bert)
    start = start_in_time()
    response = client.post("/flexwork/requests/new", data=pattern_form(WED_THU_FRI, start_date=start.isoformat(), trial_weeks="8"))
    assert response.status_code == 302
    request = db.session.scalar(select(FlexRequest))
    assert (request.state, request.start_date, request.trial_weeks) == ("submitted", start, 8)
    assert request.decision_deadline == wfw.decision_deadline(start)
    assert request.in_time and request.service_ok and request.hours_or_times
    assert [b.day for b in request.blocks] == [2, 3, 4]
    notice = db.session.scalar(select(Notification).where(Notification.person_id == org.manager.id))
    assert notice.kind == "flexwork.request_submitted" and notice.url == f"/flexwork/approvals/{request.id}"


def test_checking_shows_the_rules_and_warnings_but_saves_nothing(client, login, org, db):
    login(org.bert)
    late = clock.today() + timedelta(days=30)
    data = pattern_form([(0, "06:00", "19:00")], start_date=late.isoformat(), action="check")
    page = client.post("/flexwork/requests/new", data=data).get_data(as_text=True)
    assert request_count(db) == 0
    assert 'data-testid="atw-warnings"' in page and "fw-warning" in page  # a 13-hour shift
    assert wfw.latest_request_date(late).strftime("%Y") in page  # the late warning names the last day


def test_late_request_and_short_service_are_warnings_not_errors(client, login, org, db, make):
    newcomer = make.person(org.foundation, org.team, start_date=clock.today() - timedelta(days=10))
    login(newcomer)
    start = clock.today() + timedelta(days=40)
    data = pattern_form(WED_THU_FRI, start_date=start.isoformat(), changes=["hours", "times"])  # none recorded yet
    response = client.post("/flexwork/requests/new", data=data)
    assert response.status_code == 302
    request = db.session.scalar(select(FlexRequest))
    assert not request.in_time and not request.service_ok


@pytest.mark.parametrize(("rows", "fields", "field_id"), [
    ([(0, "08:00", "12:00"), (0, "11:00", "15:00")], {}, "blocks-1-start"),  # overlapping blocks
    ([(1, "22:00", "06:00")], {}, "blocks-0-end"),  # over midnight without saying so
    ([(1, "08:00", "09:00", "office", True)], {}, "blocks-0-end"),  # "after midnight" making it 25 hours
    ([(0, "00:00", "23:00"), (0, "23:00", "06:00", "office", True)], {}, "blocks-1-end"),  # over 24 h on a day
    ([(0, "09:00", "09:00")], {}, "blocks-0-end"),  # ends when it starts
    ([(0, "08:00", "")], {}, "blocks-0-end"),  # a time missing
    (WED_THU_FRI, {"temporary": "y", "end_date": "2000-01-01"}, "end_date"),  # end before start
    (WED_THU_FRI, {"temporary": "y"}, "end_date"),  # temporary without an end
    (WED_THU_FRI, {"start_date": "2001-01-01"}, "start_date"),  # start in the past
    (WED_THU_FRI, {"flex_hours": "30"}, "flex_hours"),  # more flexible than contract hours
    ([("abc", "08:00", "12:00")], {}, "blocks-0-day"),  # a day that is no choice (was a server error)
    ([("7", "08:00", "12:00")], {}, "blocks-0-day"),
    ([(0, "08:00", "12:00", "moon")], {}, "blocks-0-place"),  # a place that is no choice
])
def test_bad_input_gives_field_errors_and_saves_nothing(client, login, org, db, rows, fields, field_id):
    login(org.bert)
    data = pattern_form(rows, start_date=start_in_time().isoformat())
    data.update(fields)
    response = client.post("/flexwork/requests/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field_id}-error"' in page
    assert request_count(db) == 0
    assert f'value="{rows[0][1]}"' in page  # what was typed is kept


def test_the_employee_withdraws_an_open_request(client, login, org, db):
    login(org.bert)
    client.post("/flexwork/requests/new", data=pattern_form(WED_THU_FRI, start_date=start_in_time().isoformat()))
    request = db.session.scalar(select(FlexRequest))
    assert client.post(f"/flexwork/requests/{request.id}/withdraw").status_code == 302
    db.session.refresh(request)
    assert request.state == "withdrawn"
    client.post(f"/flexwork/requests/{request.id}/withdraw")  # again: refused, nothing changes
    db.session.refresh(request)
    assert request.state == "withdrawn"


def test_who_sees_a_request(client, login, org, db):
    login(org.bert)
    client.post("/flexwork/requests/new", data=pattern_form(WED_THU_FRI, start_date=start_in_time().isoformat()))
    url = f"/flexwork/requests/{db.session.scalar(select(FlexRequest.id))}"
    for person, status in ((org.bert, 200), (org.manager, 200), (org.hr, 200), (org.anna, 404), (org.other_manager, 404),
                           (org.outsider, 404)):
        login(person)
        assert client.get(url).status_code == status, person.email
    login(org.anna)
    rid = db.session.scalar(select(FlexRequest.id))
    assert client.post(f"/flexwork/requests/{rid}/withdraw").status_code == 404


def test_landing_page_shows_my_agreement(client, login, org):
    login(org.anna)
    page = client.get("/flexwork/").get_data(as_text=True)
    assert 'data-testid="my-agreement"' in page and "08:30–17:00" in page


def test_past_start_date_message(client, login, org):
    login(org.bert)
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    page = client.post("/flexwork/requests/new", data=pattern_form(WED_THU_FRI, start_date=yesterday)).get_data(as_text=True)
    assert "The start date lies in the past." in page or "verleden" in page
    assert date.fromisoformat(yesterday)

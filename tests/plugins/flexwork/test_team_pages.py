"""Coverage rules editor, team week view, HR recording agreements, the iCalendar feed."""
from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from core.api import clock
from core.models import AuditEvent
from core.plugin_switch import disable
from core.plugins import plugin_manager
from plugins.flexwork.agreements import agreement_on, history
from plugins.flexwork.models import Agreement, CoverageRule, FeedKey, Swap, TeamSetting
from plugins.flexwork.settings import hr_alert_days, labour_rules
from plugins.flexwork.team_data import monday_of
from tests.plugins.flexwork.conftest import pattern_form

RULE = {"label": "Phone", "weekdays": ["0", "1", "2", "3", "4"], "start_time": "08:30", "end_time": "17:00",
        "min_people": "1", "place": "office", "job_title": ""}


def test_manager_adds_and_removes_a_coverage_rule(client, login, org, db):
    login(org.manager)
    assert client.post(f"/flexwork/teams/{org.team.id}/rules", data=RULE).status_code == 302
    rule = db.session.scalar(select(CoverageRule))
    assert (rule.weekdays, rule.start_time, rule.end_time, rule.place, rule.job_title) == ("01234", "08:30", "17:00", "office", None)
    assert client.post(f"/flexwork/teams/{org.team.id}/rules/{rule.id}/delete").status_code == 302
    assert db.session.scalar(select(CoverageRule)) is None
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"flexwork.coverage_rule_added", "flexwork.coverage_rule_removed"} <= actions


def test_bad_rules_are_refused(client, login, org, db):
    login(org.manager)
    for changes, field in (({"weekdays": []}, "weekdays"), ({"end_time": "08:00"}, "end_time"),
                           ({"min_people": "0"}, "min_people"), ({"label": ""}, "label")):
        response = client.post(f"/flexwork/teams/{org.team.id}/rules", data={**RULE, **changes})
        assert response.status_code == 400, field
        assert "field-error" in response.get_data(as_text=True)
    assert db.session.scalar(select(CoverageRule)) is None


def test_a_rule_of_another_team_cannot_be_removed_through_mine(client, login, org, db):
    rule = CoverageRule(foundation_id=org.foundation.id, team_id=org.other_team.id, label="Theirs", weekdays="0",
                        start_time="09:00", end_time="10:00", min_people=1)
    db.session.add(rule)
    db.session.commit()
    login(org.manager)
    client.post(f"/flexwork/teams/{org.team.id}/rules/{rule.id}/delete")
    assert db.session.get(CoverageRule, rule.id) is not None


def test_team_setting_for_automatic_swaps(client, login, org, db):
    login(org.manager)
    client.post(f"/flexwork/teams/{org.team.id}/settings", data={"auto_approve_swaps": "y"})
    assert db.session.scalar(select(TeamSetting.auto_approve_swaps)) is True
    client.post(f"/flexwork/teams/{org.team.id}/settings", data={})
    db.session.expire_all()
    assert db.session.scalar(select(TeamSetting.auto_approve_swaps)) is False


def test_week_view_shows_who_works_where_and_marks_gaps(client, login, org, db):
    db.session.add(CoverageRule(foundation_id=org.foundation.id, team_id=org.team.id, label="Phone", weekdays="01234",
                                start_time="08:30", end_time="17:00", min_people=2))
    db.session.commit()
    login(org.anna)  # colleagues see their own team's week
    page = client.get(f"/flexwork/teams/{org.team.id}/week").get_data(as_text=True)
    assert "Anna Aalders" in page and "Bea Bos" in page and "08:30–17:00" in page
    assert 'data-testid="week-gaps"' in page and "fw-gap" in page  # two people only on Monday
    assert 'data-gap-day="1" data-present="1" data-needed="2"' in page  # Tuesday: Anna alone
    assert 'data-gap-day="0"' not in page  # Monday: both


def test_week_view_applies_an_approved_swap_and_navigates_weeks(client, login, org, db):
    monday = monday_of(clock.today()) + timedelta(days=7)
    db.session.add(Swap(foundation_id=org.foundation.id, team_id=org.team.id, requester_id=org.anna.id, partner_id=org.bert.id,
                        week_start=monday, requester_day=1, partner_day=4, state="approved"))
    db.session.commit()
    login(org.manager)
    year, week, _ = monday.isocalendar()
    page = client.get(f"/flexwork/teams/{org.team.id}/week?week={year}-W{week:02d}").get_data(as_text=True)
    assert monday.strftime("%Y") in page
    assert "1 approved swap is included." in page or "ruil" in page
    assert client.get(f"/flexwork/teams/{org.team.id}/week?week=nonsense").status_code == 200


def test_hr_records_an_agreement_with_history(client, login, org, db):
    login(org.hr)
    start = date(2026, 1, 5)
    data = pattern_form([(0, "09:00", "17:00"), (1, "09:00", "13:00", "home")], valid_from=start.isoformat(), contract_hours="12")
    assert client.post(f"/flexwork/people/{org.colleague.id}/agreement", data=data).status_code == 302
    agreement = agreement_on(org.colleague.id, start)
    assert float(agreement.contract_hours) == 12 and [b.place for b in agreement.blocks] == ["office", "home"]
    later = pattern_form([(2, "09:00", "17:00")], valid_from=(start + timedelta(days=30)).isoformat(), contract_hours="8")
    client.post(f"/flexwork/people/{org.colleague.id}/agreement", data=later)
    assert [a.valid_from for a in history(org.colleague.id)] == [start + timedelta(days=30), start]
    bad = pattern_form([(2, "17:00", "09:00")], valid_from=start.isoformat())
    assert client.post(f"/flexwork/people/{org.colleague.id}/agreement", data=bad).status_code == 400
    assert len(history(org.colleague.id)) == 2


def test_person_page_shows_the_agreement_to_manager_and_hr(client, login, org):
    login(org.manager)
    page = client.get(f"/people/{org.anna.id}").get_data(as_text=True)
    assert 'id="section-flexwork"' in page and "08:30–17:00" in page
    login(org.hr)
    page = client.get(f"/people/{org.anna.id}").get_data(as_text=True)
    assert f'href="/flexwork/people/{org.anna.id}/agreement"' in page


def _calendar(response) -> Calendar:
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def test_icalendar_download_repeats_each_block_weekly(client, login, org, db):
    login(org.anna)
    events = _calendar(client.get("/flexwork/calendar.ics")).walk("VEVENT")
    assert len(events) == 3
    first = events[0]
    assert first["RRULE"]["FREQ"] == ["WEEKLY"]
    assert first.decoded("DTSTART").weekday() == 0 and first.decoded("DTSTART").strftime("%H:%M") == "08:30"
    assert str(first.decoded("DTSTART").tzinfo) == "Europe/Amsterdam"


def test_icalendar_ends_an_agreement_and_marks_swaps(client, login, org, db):
    monday = monday_of(clock.today()) + timedelta(days=7)
    agreement = db.session.scalar(select(Agreement).where(Agreement.person_id == org.anna.id))
    agreement.valid_to = monday + timedelta(days=60)
    db.session.add(Swap(foundation_id=org.foundation.id, team_id=org.team.id, requester_id=org.anna.id, partner_id=org.bert.id,
                        week_start=monday, requester_day=1, partner_day=4, state="approved"))
    db.session.commit()
    login(org.anna)
    events = _calendar(client.get("/flexwork/calendar.ics")).walk("VEVENT")
    tuesday = next(e for e in events if e.decoded("DTSTART").weekday() == 1 and "RRULE" in e)
    assert "UNTIL" in tuesday["RRULE"]
    assert (monday + timedelta(days=1)).strftime("%Y%m%d") in tuesday.to_ical().decode()  # EXDATE of the swapped Tuesday
    taken = [e for e in events if "RRULE" not in e]
    assert [e.decoded("DTSTART").date() for e in taken] == [monday + timedelta(days=4)]


def _new_feed_path(client) -> str:
    """Make a subscription address: shown once, on the answer."""
    page = client.post("/flexwork/calendar/key").get_data(as_text=True)
    return page.split('id="feed-url"')[1].split('value="', 1)[1].split('"')[0].split("localhost", 1)[-1]


def test_calendar_subscription_address(client, login, org, app, db):
    login(org.anna)
    path = _new_feed_path(client)
    key = path.removeprefix("/flexwork/calendar/").removesuffix(".ics")
    page = client.get("/flexwork/").get_data(as_text=True)
    assert key not in page and 'data-testid="has-feed"' in page  # shown only once
    client.post("/auth/logout")
    assert _calendar(client.get(path)).walk("VEVENT")
    assert client.get("/flexwork/calendar/wrong.ics").status_code == 404
    login(org.anna)
    newer = _new_feed_path(client)  # a new address ends the old one
    client.post("/auth/logout")
    assert client.get(path).status_code == 404 and client.get(newer).status_code == 200
    disable(plugin_manager(app), org.foundation, "flexwork")
    assert client.get(newer).status_code == 404


def test_the_database_holds_only_the_hash_of_a_subscription_key(client, login, org, db):
    """Regression (issue 12, item 9): the key was stored as it is, unlike every other token."""
    login(org.anna)
    key = _new_feed_path(client).removeprefix("/flexwork/calendar/").removesuffix(".ics")
    [stored] = db.session.scalars(select(FeedKey.key_hash)).all()
    assert stored == hashlib.sha256(key.encode()).hexdigest() and key not in stored


def test_the_feed_opens_in_a_browser_signed_in_where_flexwork_is_off(client, login, make, org):
    """The address is the credential: a browser signed in to a foundation without flexwork (the
    gate of plugin pages) opens it too."""
    login(org.anna)
    path = _new_feed_path(client)
    login(make.person(make.foundation("forensisch")))
    assert client.get("/flexwork/").status_code == 404  # flexwork is off where this person works
    assert _calendar(client.get(path)).walk("VEVENT")


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01", "1899-W52", "2200-W02", "2026-W99", "x-Wy", "2026-W10-W2"])
def test_a_week_outside_the_calendar_shows_this_week(client, login, org, week):
    """Regression: the first or last week of the calendar had no week before or after (500)."""
    login(org.anna)
    response = client.get(f"/flexwork/teams/{org.team.id}/week?week={week}")
    this_week = monday_of(clock.today())
    assert response.status_code == 200
    assert f"week={(this_week + timedelta(days=7)).strftime('%G-W%V')}" in response.get_data(as_text=True)


def test_hr_sets_the_foundations_working_time_rules(client, login, org, db):
    login(org.hr)
    assert client.get("/admin/plugins/flexwork/ggz/settings").status_code == 200
    settings = {"max_shift_hours": "9", "max_week_hours": "60", "max_average_4_weeks": "55", "max_average_16_weeks": "48",
                "min_daily_rest_hours": "11", "min_weekly_rest_hours": "36", "hr_alert_days": "10"}
    assert client.post("/admin/plugins/flexwork/ggz/settings", data=settings).status_code == 302
    assert labour_rules(org.foundation.id).max_shift_hours == 9 and hr_alert_days(org.foundation.id) == 10
    assert labour_rules(org.outsider_foundation.id).max_shift_hours == 12  # another foundation keeps the law's
    login(org.anna)
    start = (clock.today() + timedelta(days=90)).isoformat()
    page = client.post("/flexwork/requests/new", data=pattern_form([(0, "08:00", "17:30")], start_date=start, action="check"))
    assert '<li class="fw-warning">' in page.get_data(as_text=True)  # 9.5 hours breaks the foundation's 9

"""Swapping a working day: both agree, the manager approves (or the team setting does)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.api import clock
from core.models import AuditEvent
from plugins.flexwork.models import CoverageRule, Swap, TeamSetting
from plugins.flexwork.team_data import monday_of, team_week
from tests.plugins.flexwork.conftest import give_agreement


@pytest.fixture
def next_week():
    return monday_of(clock.today()) + timedelta(days=7)


def propose(client, login, org, monday, give=0, take=3, partner=None):
    login(org.anna)
    return client.post("/flexwork/swaps/new", data={
        "partner": str((partner or org.bert).id), "give_date": (monday + timedelta(days=give)).isoformat(),
        "take_date": (monday + timedelta(days=take)).isoformat(), "note": "Dentist on Monday"})


def phone_rule(org, db, weekdays="01234"):
    db.session.add(CoverageRule(foundation_id=org.foundation.id, team_id=org.team.id, label="Phone", weekdays=weekdays,
                                start_time="08:30", end_time="17:00", min_people=1, place="office"))
    db.session.commit()


def test_propose_agree_and_approve(client, login, org, db, next_week):
    """Anna gives her Tuesday of next week to Bea and works Bea's Thursday instead."""
    response = propose(client, login, org, next_week, give=1, take=3)
    assert response.status_code == 302
    swap = db.session.scalar(select(Swap))
    assert (swap.state, swap.requester_day, swap.partner_day, swap.week_start) == ("proposed", 1, 3, next_week)
    login(org.bert)
    assert client.post(f"/flexwork/swaps/{swap.id}/accept").status_code == 302
    db.session.refresh(swap)
    assert swap.state == "agreed"
    login(org.manager)
    assert client.get(f"/flexwork/swaps/{swap.id}").status_code == 200
    assert client.post(f"/flexwork/swaps/{swap.id}/approve").status_code == 302
    db.session.refresh(swap)
    assert swap.state == "approved" and swap.decided_by_id == org.manager.id
    week = team_week(org.team, next_week)
    assert [b.day for b in week.blocks[org.anna.id]] == [0, 2, 3]
    assert [b.day for b in week.blocks[org.bert.id]] == [0, 1, 4]
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "flexwork.swap_approved"))


def test_auto_approval_when_the_team_allows_it_and_coverage_stays_met(client, login, org, db, next_week):
    phone_rule(org, db)
    db.session.add(TeamSetting(foundation_id=org.foundation.id, team_id=org.team.id, auto_approve_swaps=True))
    db.session.commit()
    propose(client, login, org, next_week, give=1, take=3)  # Tuesday <-> Thursday: both days stay covered
    swap = db.session.scalar(select(Swap))
    login(org.bert)
    client.post(f"/flexwork/swaps/{swap.id}/accept")
    db.session.refresh(swap)
    assert swap.state == "approved" and swap.auto_approved and swap.decided_by_id is None


def test_no_auto_approval_when_coverage_would_break(client, login, org, db, next_week):
    """Only secretaries count for the phone: Anna giving her Wednesday to the psychiatrist leaves
    Wednesday without one, so the manager decides."""
    give_agreement(db, org.colleague, [3])
    db.session.add(CoverageRule(foundation_id=org.foundation.id, team_id=org.team.id, label="Phone", weekdays="01234",
                                start_time="08:30", end_time="17:00", min_people=1, job_title="Secretaresse"))
    db.session.add(TeamSetting(foundation_id=org.foundation.id, team_id=org.team.id, auto_approve_swaps=True))
    db.session.commit()
    propose(client, login, org, next_week, give=2, take=3, partner=org.colleague)
    swap = db.session.scalar(select(Swap))
    login(org.colleague)
    client.post(f"/flexwork/swaps/{swap.id}/accept")
    db.session.refresh(swap)
    assert swap.state == "agreed" and not swap.auto_approved
    login(org.manager)
    page = client.get(f"/flexwork/swaps/{swap.id}").get_data(as_text=True)
    assert "fw-gap" in page


def test_bad_swaps_are_refused_with_field_errors(client, login, org, db, next_week):
    past = monday_of(clock.today()) - timedelta(days=7)
    page = propose(client, login, org, past).get_data(as_text=True)
    assert 'id="give_date-error"' in page
    login(org.anna)
    response = client.post("/flexwork/swaps/new", data={
        "partner": str(org.bert.id), "give_date": next_week.isoformat(), "take_date": (next_week + timedelta(days=7)).isoformat()})
    assert response.status_code == 400 and 'id="take_date-error"' in response.get_data(as_text=True)
    page = propose(client, login, org, next_week, give=4, take=3).get_data(as_text=True)  # Anna does not work Fridays
    assert 'id="give_date-error"' in page
    page = propose(client, login, org, next_week, give=1, take=0).get_data(as_text=True)  # Anna already works Mondays
    assert 'id="take_date-error"' in page
    page = propose(client, login, org, next_week, partner=org.other_manager).get_data(as_text=True)
    assert 'id="partner-error"' in page
    assert db.session.scalar(select(Swap)) is None


def test_only_the_partner_answers_and_only_the_manager_decides(client, login, org, db, next_week):
    propose(client, login, org, next_week, give=1, take=3)
    swap = db.session.scalar(select(Swap))
    for person in (org.anna, org.colleague, org.manager):
        login(person)
        assert client.post(f"/flexwork/swaps/{swap.id}/accept").status_code == 404
    login(org.bert)
    client.post(f"/flexwork/swaps/{swap.id}/accept")
    for person in (org.anna, org.bert):
        login(person)
        assert client.post(f"/flexwork/swaps/{swap.id}/approve").status_code in (403, 404)
    login(org.other_manager)
    assert client.post(f"/flexwork/swaps/{swap.id}/approve").status_code == 404
    db.session.refresh(swap)
    assert swap.state == "agreed"


def test_rejecting_needs_a_reason(client, login, org, db, next_week):
    propose(client, login, org, next_week, give=1, take=3)
    swap = db.session.scalar(select(Swap))
    login(org.bert)
    client.post(f"/flexwork/swaps/{swap.id}/accept")
    login(org.manager)
    assert client.post(f"/flexwork/swaps/{swap.id}/reject", data={"reason": ""}).status_code == 400
    assert client.post(f"/flexwork/swaps/{swap.id}/reject", data={"reason": "Training that day"}).status_code == 302
    db.session.refresh(swap)
    assert swap.state == "rejected"
    assert client.post(f"/flexwork/swaps/{swap.id}/approve").status_code == 302  # refused: already decided
    db.session.refresh(swap)
    assert swap.state == "rejected"


def test_decline_and_withdraw(client, login, org, db, next_week):
    propose(client, login, org, next_week, give=1, take=3)
    swap = db.session.scalar(select(Swap))
    login(org.bert)
    client.post(f"/flexwork/swaps/{swap.id}/decline")
    db.session.refresh(swap)
    assert swap.state == "declined"
    propose(client, login, org, next_week, give=1, take=3)
    second = db.session.scalars(select(Swap).order_by(Swap.id.desc())).first()
    client.post(f"/flexwork/swaps/{second.id}/withdraw")
    db.session.refresh(second)
    assert second.state == "withdrawn"

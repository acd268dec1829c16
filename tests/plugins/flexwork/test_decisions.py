"""The manager decides: approval page, agreement changed in the same transaction, rejection rules,
scope (404), and no double decisions — not even from two tabs at the same moment."""
from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.api import clock
from core.extensions import db as _db
from core.models import AuditEvent, Notification
from plugins.flexwork import request_flow
from plugins.flexwork.agreements import Terms, agreement_on, history
from plugins.flexwork.models import Agreement, CoverageRule, FlexRequest
from tests.plugins.flexwork.conftest import day_blocks, start_in_time


def submit(person, days=(2, 3, 4), changes=("times",), trial_weeks=None, start=None, **kwargs) -> FlexRequest:
    request = request_flow.submit(
        person, request_flow.Proposal(changes, Terms(Decimal(24), Decimal(0), day_blocks(days, **kwargs)), start or start_in_time(),
                                      trial_weeks=trial_weeks), clock.today())
    _db.session.commit()
    return request


def phone_rule(org, db):
    db.session.add(CoverageRule(foundation_id=org.foundation.id, team_id=org.team.id, label="Telefoon", weekdays="01234",
                                start_time="08:30", end_time="17:00", min_people=1, place="office", job_title="Secretaresse"))
    db.session.commit()


def test_the_page_shows_patterns_coverage_and_warnings(client, login, org, db):
    phone_rule(org, db)
    request = submit(org.bert, days=(2, 3), trial_weeks=8)  # gives up Monday and Friday: Friday is left uncovered
    login(org.manager)
    page = client.get(f"/flexwork/approvals/{request.id}").get_data(as_text=True)
    assert 'data-testid="pattern-compare"' in page and "fw-changed" in page
    assert 'data-testid="coverage-violated"' in page
    assert 'data-cell="4-morning"' in page and 'class="fw-gap fw-changed" data-cell="4-morning"' in page  # 1 -> 0 on Friday
    assert "1 → 2" in page  # Wednesday morning: Anna and now Bea
    assert 'data-testid="atw-warnings"' in page
    assert 'value="8"' in page  # the trial period asked for is proposed


def test_coverage_met_after_the_overlap_move(client, login, org, db):
    phone_rule(org, db)
    request = submit(org.bert)  # Monday -> Wednesday: Anna still covers Monday
    login(org.manager)
    page = client.get(f"/flexwork/approvals/{request.id}").get_data(as_text=True)
    assert 'data-testid="coverage-met"' in page and "fw-gap" not in page


def test_approval_changes_the_agreement_from_the_start_date(client, login, org, db):
    request = submit(org.bert)
    login(org.manager)
    response = client.post(f"/flexwork/approvals/{request.id}/approve", data={"action": "approve", "conditions": "Evaluate in June"})
    assert response.status_code == 302
    db.session.expire_all()
    request = db.session.get(FlexRequest, request.id)
    assert (request.state, request.decided_by_id, request.conditions, request.trial_end) == ("approved", org.manager.id, "Evaluate in June", None)
    before = agreement_on(org.bert.id, request.start_date - timedelta(days=1))
    after = agreement_on(org.bert.id, request.start_date)
    assert [b.day for b in before.blocks] == [0, 3, 4] and before.valid_to == request.start_date - timedelta(days=1)
    assert [b.day for b in after.blocks] == [2, 3, 4] and after.request_id == request.id and after.valid_to is None
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "flexwork.request_approved"))
    assert db.session.scalar(select(Notification.kind).where(Notification.person_id == org.bert.id)) == "flexwork.request_decided"


def test_approval_with_trial_period_sets_its_end(client, login, org, db):
    request = submit(org.bert, trial_weeks=8)
    login(org.manager)
    assert client.post(f"/flexwork/approvals/{request.id}/approve", data={"action": "trial", "trial_weeks": "6"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(FlexRequest, request.id).trial_end == request.start_date + timedelta(weeks=6)


def test_approval_with_trial_period_needs_its_length(client, login, org, db):
    request = submit(org.bert)
    login(org.manager)
    response = client.post(f"/flexwork/approvals/{request.id}/approve", data={"action": "trial", "trial_weeks": ""})
    assert response.status_code == 400 and 'id="trial_weeks-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(FlexRequest, request.id).state == "submitted"


def test_rejection_needs_a_reason_and_for_times_a_weighty_interest(client, login, org, db):
    request = submit(org.bert)
    login(org.manager)
    response = client.post(f"/flexwork/approvals/{request.id}/reject", data={"reason": "", "category": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="reason-error"' in page and 'id="category-error"' in page
    assert client.post(f"/flexwork/approvals/{request.id}/reject",
                       data={"reason": "Friday phone would be empty", "category": "rostering"}).status_code == 302
    db.session.expire_all()
    request = db.session.get(FlexRequest, request.id)
    assert (request.state, request.reject_category, request.reject_reason) == ("rejected", "rostering", "Friday phone would be empty")
    assert len(history(org.bert.id)) == 1  # the agreement did not change


def test_a_place_request_is_rejected_with_a_reason_only(client, login, org, db):
    request = submit(org.bert, days=(0, 3, 4), changes=("place",), place="home")  # her days, at home
    assert not request.hours_or_times
    login(org.manager)
    assert client.post(f"/flexwork/approvals/{request.id}/reject", data={"reason": "Not now"}).status_code == 302


def test_in_review_then_approve(client, login, org, db):
    request = submit(org.bert)
    login(org.manager)
    client.post(f"/flexwork/approvals/{request.id}/review")
    db.session.expire_all()
    assert db.session.get(FlexRequest, request.id).state == "in_review"
    client.post(f"/flexwork/approvals/{request.id}/approve", data={"action": "approve"})
    db.session.expire_all()
    assert db.session.get(FlexRequest, request.id).state == "approved"


@pytest.mark.parametrize("who", ["bert", "other_manager", "colleague", "outsider", "hr"])
def test_only_the_manager_of_the_team_decides(client, login, org, db, who):
    request = submit(org.bert)
    login(getattr(org, who))
    for method, url, data in (("get", f"/flexwork/approvals/{request.id}", None),
                              ("post", f"/flexwork/approvals/{request.id}/approve", {"action": "approve"}),
                              ("post", f"/flexwork/approvals/{request.id}/reject", {"reason": "x", "category": "safety"})):
        assert getattr(client, method)(url, data=data).status_code in (403, 404)
    db.session.expire_all()
    assert db.session.get(FlexRequest, request.id).state == "submitted"


def test_deciding_ones_own_request_is_not_found(client, login, org, db, make):
    own = submit(org.manager)  # the manager is a member of the team they manage
    login(org.manager)
    assert client.get(f"/flexwork/approvals/{own.id}").status_code == 404
    assert client.post(f"/flexwork/approvals/{own.id}/approve", data={"action": "approve"}).status_code == 404


def test_a_second_decision_is_refused_and_changes_nothing(client, login, org, db):
    request = submit(org.bert)
    login(org.manager)
    client.post(f"/flexwork/approvals/{request.id}/approve", data={"action": "approve"})
    response = client.post(f"/flexwork/approvals/{request.id}/reject", data={"reason": "changed my mind", "category": "safety"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(FlexRequest, request.id).state == "approved"
    assert db.session.scalar(select(func.count(Agreement.id)).where(Agreement.person_id == org.bert.id)) == 2


def test_a_decision_from_a_stale_tab_finds_nothing_to_update(org, db):
    """The first tab's decision is committed elsewhere; the second still holds the old state."""
    request = submit(org.bert)
    stale = db.session.get(FlexRequest, request.id)
    assert stale.state == "submitted"
    with db.engine.begin() as other:
        other.execute(FlexRequest.__table__.update().where(FlexRequest.__table__.c.id == request.id).values(state="rejected"))
    with pytest.raises(request_flow.AlreadyDecided):
        request_flow.approve(stale, org.manager)
    db.session.commit()
    assert db.session.scalar(select(func.count(Agreement.id)).where(Agreement.person_id == org.bert.id)) == 1


def test_two_decisions_at_the_same_moment_only_one_wins(app, org, db):
    request_id, manager_id = submit(org.bert).id, org.manager.id
    barrier = threading.Barrier(2, timeout=30)
    outcomes = []

    def decide(action):
        with app.app_context():
            from core.models import Person

            request = _db.session.get(FlexRequest, request_id)
            manager = _db.session.get(Person, manager_id)
            _ = request.person  # loaded before the race, as a page would have
            barrier.wait()
            try:
                if action == "approve":
                    request_flow.approve(request, manager)
                else:
                    request_flow.reject(request, manager, "no", "safety")
                _db.session.commit()
                outcomes.append(action)
            except request_flow.AlreadyDecided:
                outcomes.append("refused")
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=decide, args=(action,)) for action in ("approve", "reject")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) in (["approve", "refused"], ["refused", "reject"])
    db.session.expire_all()
    state = db.session.get(FlexRequest, request_id).state
    assert state == ("approved" if "approve" in outcomes else "rejected")
    agreements = db.session.scalar(select(func.count(Agreement.id)).where(Agreement.person_id == org.bert.id))
    assert agreements == (2 if state == "approved" else 1)


def test_the_queue_lists_my_teams_requests_by_deadline(client, login, org, db, make):
    later = submit(org.bert, start=start_in_time() + timedelta(days=28))
    sooner = submit(org.anna, days=(0, 1, 3))
    elsewhere = submit(make.person(org.foundation, org.other_team))
    login(org.manager)
    page = client.get("/flexwork/approvals").get_data(as_text=True)
    assert page.index(f'data-request="{sooner.id}"') < page.index(f'data-request="{later.id}"')
    assert f'data-request="{elsewhere.id}"' not in page
    assert "days left" in page or "dagen" in page

"""Checking in through the service: counters, the ledger, refusals, comments. How answers wait and
are folded into the counters in batches: test_fold.py."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from plugins.wellbeing import checkin
from plugins.wellbeing.checkin import CheckinRefused
from plugins.wellbeing.freeze import freeze_closed_periods
from plugins.wellbeing.models import (
    AnswerCount,
    CheckinCount,
    Comment,
    Participation,
    PendingAnswer,
    PendingComment,
    Period,
)
from plugins.wellbeing.questions import DEFAULT_QUESTIONS, SCALE
from plugins.wellbeing.settings import Settings
from tests.plugins.wellbeing.conftest import answers


@pytest.fixture
def org(org_factory):
    return org_factory({"Alpha": ("Twente", 6), "Beta": ("Twente", 6)})


def counts(db, period, team) -> dict:
    rows = db.session.execute(select(AnswerCount.question, AnswerCount.value, AnswerCount.count)
                              .where(AnswerCount.period_id == period.id, AnswerCount.team_id == team.id))
    return {(q, v): c for q, v, c in rows}


def waiting(db) -> int:
    return db.session.scalar(select(func.count()).select_from(PendingAnswer))


def test_each_check_in_adds_one_to_each_given_value_and_nothing_else(db, org, campaign_factory, check_ins):
    campaign = campaign_factory(org)
    check_ins(campaign, org.members["Alpha"][:2], answers(4, go_home=2))
    period = check_ins(campaign, org.members["Alpha"][2:5], answers(3))  # the fifth completes a batch
    grid = counts(db, period, org.teams["Alpha"])
    assert len(grid) == len(DEFAULT_QUESTIONS) * len(SCALE)  # the whole grid exists, zeros included
    assert grid[("go_home", 2)] == 2 and grid[("workload", 4)] == 2 and grid[("workload", 3)] == 3
    assert sum(grid.values()) == 5 * len(DEFAULT_QUESTIONS)
    assert db.session.scalar(select(CheckinCount.checkins).where(CheckinCount.team_id == org.teams["Alpha"].id)) == 5
    assert counts(db, period, org.teams["Beta"]) == {}


def test_the_ledger_holds_who_checked_in_and_nothing_more(db, org, campaign_factory, check_ins):
    campaign = campaign_factory(org)
    period = check_ins(campaign, org.members["Alpha"][:3])
    ledger = db.session.execute(select(Participation.period_id, Participation.person_id)).all()
    assert sorted(ledger) == sorted((period.id, p.id) for p in org.members["Alpha"][:3])
    assert set(Participation.__table__.columns.keys()) == {"foundation_id", "period_id", "person_id"}


def test_a_second_check_in_in_the_same_period_is_refused_and_counts_nothing(db, org, campaign_factory, check_ins):
    campaign = campaign_factory(org)
    person = org.members["Alpha"][0]
    period = check_ins(campaign, [person], 5)
    before = db.session.execute(select(PendingAnswer.question, PendingAnswer.value)).all()
    with pytest.raises(CheckinRefused) as refused:
        checkin.check_in(person, period, answers(1), "again", Settings())
    assert refused.value.reason == "already"
    assert db.session.execute(select(PendingAnswer.question, PendingAnswer.value)).all() == before
    assert len(before) == len(DEFAULT_QUESTIONS) and counts(db, period, org.teams["Alpha"]) == {}
    assert db.session.scalar(select(func.count()).select_from(PendingComment)) == 0


def test_the_next_period_takes_a_new_check_in(db, org, campaign_factory, check_ins, clock):
    campaign = campaign_factory(org)
    person = org.members["Alpha"][0]
    first = check_ins(campaign, [person])
    clock.forward(days=7)
    second = check_ins(campaign, [person])
    assert first.id != second.id
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 2


def test_a_check_in_after_the_period_closed_is_refused(db, org, campaign_factory, check_ins, clock):
    campaign = campaign_factory(org)
    period = check_ins(campaign, [])
    clock.forward(days=7)
    with pytest.raises(CheckinRefused) as refused:
        checkin.check_in(org.members["Alpha"][0], db.session.get(Period, period.id), answers(), None, Settings())
    assert refused.value.reason == "closed"
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 0


@pytest.mark.parametrize("bad", [answers(6), answers(0), {"go_home": 3}])
def test_answers_off_the_scale_or_missing_count_nothing(db, org, campaign_factory, check_ins, bad):
    campaign = campaign_factory(org)
    period = check_ins(campaign, [])
    with pytest.raises(ValueError):
        checkin.check_in(org.members["Alpha"][0], period, bad, None, Settings())
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 0
    assert waiting(db) == 0 and db.session.scalar(select(func.sum(AnswerCount.count))) is None


def test_people_outside_the_campaign_teams_cannot_check_in(db, org, make, campaign_factory, check_ins):
    campaign = campaign_factory(org, teams=[org.teams["Alpha"]])
    period = check_ins(campaign, [])
    with pytest.raises(CheckinRefused) as refused:
        checkin.check_in(org.members["Beta"][0], period, answers(), None, Settings())
    assert refused.value.reason == "not_eligible"


def test_a_draft_campaign_has_no_period(db, org, campaign_factory, clock):
    assert checkin.ensure_period(campaign_factory(org, started=False), clock.today()) is None


def test_ensure_period_is_idempotent(db, org, campaign_factory, clock):
    campaign = campaign_factory(org)
    first = checkin.ensure_period(campaign, clock.today())
    again = checkin.ensure_period(campaign, clock.today())
    assert first.id == again.id
    assert db.session.scalar(select(func.count()).select_from(Period)) == 1


# -- comments -------------------------------------------------------------------------------------

def comments(db) -> int:
    """Comments published and comments waiting."""
    return sum(db.session.scalar(select(func.count()).select_from(model)) for model in (Comment, PendingComment))


def test_a_comment_is_kept_for_the_whole_campaign_without_team_or_person(db, org, campaign_factory, check_ins, clock):
    campaign = campaign_factory(org)  # 14 people in the campaign: enough for comments
    check_ins(campaign, org.members["Alpha"][:1], comment="  The new rota helps.  ")
    waiting_comment = db.session.scalar(select(PendingComment))
    assert waiting_comment.text == "The new rota helps." and waiting_comment.division is None
    clock.forward(days=7)
    freeze_closed_periods(campaign.id)
    comment = db.session.scalar(select(Comment))
    assert comment.text == "The new rota helps." and comment.division is None


def test_no_comment_is_kept_when_the_group_is_smaller_than_the_comment_threshold(db, org_factory, campaign_factory, check_ins):
    small = org_factory({"Solo": ("Twente", 6)})  # 7 people with the manager: below 10
    campaign = campaign_factory(small)
    check_ins(campaign, small.members["Solo"][:1], comment="Only we could have written this")
    assert comments(db) == 0
    assert checkin.comment_group(campaign, small.teams["Solo"], Settings()) == (False, None)


def test_division_scoped_comments_go_to_the_division_when_it_is_big_enough(db, org_factory, campaign_factory, check_ins):
    org = org_factory({"A": ("Twente", 6), "B": ("Twente", 6), "C": ("IJssel-Vecht", 6)})
    campaign = campaign_factory(org, comment_scope="division")
    assert checkin.comment_group(campaign, org.teams["A"], Settings()) == (True, "Twente")
    assert checkin.comment_group(campaign, org.teams["C"], Settings()) == (False, "IJssel-Vecht")
    check_ins(campaign, org.members["A"][:1] + org.members["C"][:1], comment="Busy week")
    assert db.session.scalars(select(PendingComment.division)).all() == ["Twente"]


def test_comments_can_be_switched_off(db, org, campaign_factory, check_ins):
    campaign = campaign_factory(org, comments_enabled=False)
    check_ins(campaign, org.members["Alpha"][:1], comment="ignored")
    assert comments(db) == 0


def test_a_raised_comment_threshold_applies(db, org, campaign_factory):
    campaign = campaign_factory(org)
    assert checkin.comment_group(campaign, org.teams["Alpha"], Settings(min_comment_group=15)) == (False, None)


def test_open_campaigns_only_list_started_running_campaigns_of_ones_team(db, org, campaign_factory, clock):
    running = campaign_factory(org, name="Running")
    campaign_factory(org, name="Draft", started=False)
    campaign_factory(org, name="Later", starts_on=clock.today().replace(day=20))
    campaign_factory(org, name="Other teams", teams=[org.teams["Beta"]])
    assert checkin.open_campaigns_for(org.members["Alpha"][0]) == [running]

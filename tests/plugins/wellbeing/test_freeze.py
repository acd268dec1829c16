"""Closed periods are frozen: their division membership, check-ins and division sums never change."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from plugins.wellbeing import checkin, jobs, results
from plugins.wellbeing.checkin import CheckinRefused
from plugins.wellbeing.freeze import freeze_closed_periods
from plugins.wellbeing.models import AnswerCount, DivisionCount, Period, PeriodTeam
from plugins.wellbeing.settings import Settings
from tests.plugins.wellbeing.conftest import answers


@pytest.fixture
def org(org_factory):
    return org_factory({"Alpha": ("Twente", 6), "Beta": ("Twente", 6), "Gamma": (None, 6)})


def test_freezing_copies_teams_and_sums_divisions_once(db, org, campaign_factory, check_ins, clock):
    campaign = campaign_factory(org)
    check_ins(campaign, org.members["Alpha"][:5], answers(4))
    check_ins(campaign, org.members["Beta"][:2], answers(2))
    assert freeze_closed_periods(campaign.id) == []  # still open
    clock.forward(days=7)
    period_id = freeze_closed_periods(campaign.id)[0]
    assert freeze_closed_periods(campaign.id) == []
    teams = dict(db.session.execute(select(PeriodTeam.team_id, PeriodTeam.checkins)).all())
    assert teams == {org.teams["Alpha"].id: 5, org.teams["Beta"].id: 2, org.teams["Gamma"].id: 0}
    assert db.session.scalar(select(PeriodTeam.division).where(PeriodTeam.team_id == org.teams["Gamma"].id)) == ""
    sums = {(q, v): c for q, v, c in db.session.execute(
        select(DivisionCount.question, DivisionCount.value, DivisionCount.count)
        .where(DivisionCount.period_id == period_id, DivisionCount.division == "Twente"))}
    assert sums[("go_home", 4)] == 5 and sums[("go_home", 2)] == 2
    assert sum(sums.values()) == db.session.scalar(select(func.sum(AnswerCount.count)))


def test_a_check_in_cannot_reach_a_frozen_period(db, org, campaign_factory, check_ins, clock):
    campaign = campaign_factory(org)
    period = check_ins(campaign, org.members["Alpha"][:5])
    clock.forward(days=7)
    freeze_closed_periods(campaign.id)
    clock.forward(days=-7)  # even a clock that lags behind cannot open it again
    with pytest.raises(CheckinRefused):
        checkin.check_in(org.members["Alpha"][5], db.session.get(Period, period.id), answers(), None, Settings())
    assert db.session.scalar(select(func.sum(AnswerCount.count))) == 5 * len(answers())


def test_a_team_that_moves_division_later_does_not_change_the_past(db, org, campaign_factory, check_ins, clock):
    campaign = campaign_factory(org)
    check_ins(campaign, org.members["Alpha"][:5] + org.members["Beta"][:5] + org.members["Gamma"][:5])
    clock.forward(days=7)
    before_overview = [(line.division, line.result.checkins if line.result else None)
                       for line in results.overview(campaign, Settings()).lines]
    org.teams["Gamma"].region = "Twente"
    db.session.commit()
    after = results.overview(campaign, Settings())
    assert [(line.division, line.result.checkins if line.result else None) for line in after.lines] == before_overview
    twente = results.division_results(campaign, "Twente", Settings())
    assert {line.team.name for line in twente.teams} == {"Alpha", "Beta"}
    assert twente.selected.result.checkins == 10


def test_the_daily_job_freezes_closed_periods(db, org, campaign_factory, check_ins, clock):
    campaign = campaign_factory(org)
    check_ins(campaign, org.members["Alpha"][:1])
    clock.forward(days=7)
    jobs.run_checkins(org.foundation)
    assert db.session.scalars(select(Period.frozen).order_by(Period.starts_on)).all() == [True, False]

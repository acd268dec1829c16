"""Demo data (``flask journey demo``) and benchmark data (``flask journey generate``)."""
from __future__ import annotations

import random

from sqlalchemy import func, insert, select

from core.models import Foundation, Person, Team
from plugins.wellbeing import demo, results
from plugins.wellbeing.models import AnswerCount, Campaign, CheckinCount, Comment, Participation, Period, SupportContact
from plugins.wellbeing.settings import Settings


def invoke(runner, *args) -> None:
    result = runner.invoke(args=["journey", *args])
    assert result.exit_code == 0, result.output


def test_the_demo_has_a_weekly_campaign_with_trends_and_one_team_below_the_threshold(runner, db, clock):
    invoke(runner, "demo")
    ggz = db.session.scalar(select(Foundation).where(Foundation.slug == "ggz"))
    campaign = db.session.scalar(select(Campaign).where(Campaign.foundation_id == ggz.id))
    assert campaign.cadence == "weekly" and campaign.started and campaign.works_council_agreed and campaign.dpia_on_file
    teams = db.session.scalars(select(Team).where(Team.foundation_id == ggz.id).order_by(Team.id)).all()
    assert {t.id for t in campaign.teams} == {t.id for t in teams}

    closed = results.closed_periods(campaign)
    assert len(closed) >= 8
    shown_teams = {team.name for team in teams if results.team_results(campaign, team, Settings()).latest}
    never_shown = {team.name for team in teams} - shown_teams
    assert len(never_shown) == 1  # one team below the threshold
    manager = db.session.scalar(select(Person).where(Person.email == "manager.ggz@example.org"))
    assert manager.team.name in shown_teams
    assert len(results.overview(campaign, Settings()).comments) == 2

    current = db.session.scalar(select(Period).where(Period.campaign_id == campaign.id, Period.ends_on >= clock.today()))
    assert current is not None
    assert db.session.scalar(select(func.count()).select_from(Participation).where(Participation.period_id == current.id)) == 0
    assert db.session.scalar(select(func.count()).select_from(SupportContact).where(SupportContact.foundation_id == ggz.id)) == 4


def test_the_demo_tallies_agree_with_the_counters_and_the_ledger(runner, db):
    invoke(runner, "demo")
    for campaign in db.session.scalars(select(Campaign)):
        for question in campaign.questions:
            answered = db.session.scalar(select(func.sum(AnswerCount.count)).join(Period, Period.id == AnswerCount.period_id)
                                         .where(Period.campaign_id == campaign.id, AnswerCount.question == question))
            tallied = db.session.scalar(select(func.sum(CheckinCount.checkins)).join(Period, Period.id == CheckinCount.period_id)
                                        .where(Period.campaign_id == campaign.id))
            ledger = db.session.scalar(select(func.count()).select_from(Participation).join(Period, Period.id == Participation.period_id)
                                       .where(Period.campaign_id == campaign.id))
            assert answered == tallied == ledger > 0


def test_the_demo_accounts_can_check_in_to_the_open_period(runner, db, client):
    invoke(runner, "demo")
    from core.demo import DEMO_PASSWORD

    employee = db.session.scalar(select(Person).where(Person.email == "medewerker.ggz@example.org"))
    client.post("/auth/login", data={"email": employee.email, "password": DEMO_PASSWORD})
    campaign_id = db.session.scalar(select(Campaign.id).where(Campaign.foundation_id == employee.foundation_id))
    assert client.get(f"/wellbeing/checkin/{campaign_id}").status_code == 200


def test_the_benchmark_data_is_bulk_counters_for_every_team(db, make, enable_plugin, monkeypatch):
    monkeypatch.setattr(demo, "BATCH", 50)  # several INSERT batches even at this size
    foundation = make.foundation()
    enable_plugin("wellbeing", foundation)
    db.session.execute(insert(Team), [{"foundation_id": foundation.id, "name": f"Team {i}",
                                       "region": ("Twente", "IJssel-Vecht", None)[i % 3]} for i in range(40)])
    db.session.commit()
    demo.seed(foundation, [], random.Random(3), "bench")
    db.session.commit()
    campaign = db.session.scalar(select(Campaign).where(Campaign.foundation_id == foundation.id))
    assert len(campaign.teams) == 40
    assert len(results.closed_periods(campaign)) == demo.BENCH_WEEKS
    tallied_teams = db.session.scalar(select(func.count(func.distinct(CheckinCount.team_id))))
    assert tallied_teams > 30
    grid_rows = db.session.scalar(select(func.count()).select_from(AnswerCount))
    assert grid_rows == db.session.scalar(select(func.count()).select_from(CheckinCount)) * 20
    view = results.overview(campaign, Settings())
    assert any(line.result for line in view.lines)
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0

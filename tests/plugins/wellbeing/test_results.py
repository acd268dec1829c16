"""Results: what each page shows, trends, comments, actions, and a fixed number of queries."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from core.models import AuditEvent
from core.testing.querycount import count_queries
from plugins.wellbeing import results
from plugins.wellbeing.models import TeamAction
from plugins.wellbeing.settings import Settings
from tests.plugins.wellbeing.conftest import answers


@pytest.fixture
def org(org_factory):
    return org_factory({"Alpha": ("Twente", 7), "Beta": ("Twente", 7), "Gamma": ("IJssel-Vecht", 6)})


@pytest.fixture
def campaign(org, campaign_factory):
    return campaign_factory(org)


def test_a_team_result_has_distribution_average_and_trend(db, org, campaign, check_ins, clock):
    alpha, beta = org.members["Alpha"], org.members["Beta"]  # Beta keeps Alpha from being a complement
    check_ins(campaign, alpha[:3] + beta[:5], answers(5))
    check_ins(campaign, alpha[3:6], answers(3))
    clock.forward(days=7)
    check_ins(campaign, alpha[:5] + beta[:5], answers(2))
    clock.forward(days=7)
    view = results.team_results(campaign, org.teams["Alpha"], Settings())
    assert [row.result.checkins for row in view.rows] == [6, 5]
    first = view.rows[0].result.stats["go_home"]
    assert first.distribution == (0, 0, 3, 0, 3) and first.average == 4.0
    assert view.rows[1].result.stats["energy"].average == 2.0
    assert view.latest.period == view.rows[1].period


def test_the_open_period_is_never_shown(db, org, campaign, check_ins):
    check_ins(campaign, org.members["Alpha"], answers(4))
    view = results.team_results(campaign, org.teams["Alpha"], Settings())
    assert view.rows == [] and view.latest is None


def test_a_raised_threshold_hides_more(db, org, campaign, check_ins, clock):
    check_ins(campaign, org.members["Alpha"][:6] + org.members["Beta"][:6])
    clock.forward(days=7)
    assert results.team_results(campaign, org.teams["Alpha"], Settings(min_group=6)).latest is not None
    assert results.team_results(campaign, org.teams["Alpha"], Settings(min_group=7)).latest is None


def test_the_overview_shows_division_totals_with_enough_check_ins(db, org, campaign, check_ins, clock):
    check_ins(campaign, org.members["Alpha"][:3] + org.members["Beta"][:3], answers(4))
    check_ins(campaign, org.members["Gamma"][:4], answers(2))
    clock.forward(days=7)
    view = results.overview(campaign, Settings())
    lines = {line.division: line.result for line in view.lines}
    assert lines["Twente"].checkins == 6 and lines["Twente"].stats["support"].average == 4.0
    assert lines["IJssel-Vecht"] is None


def test_comments_are_shown_only_from_the_comment_threshold_and_shuffled(db, org, campaign, check_ins, clock):
    people = org.members["Alpha"] + org.members["Beta"]
    for index, person in enumerate(people[:9]):  # first period: 9 check-ins
        check_ins(campaign, [person], comment=f"early {index}")
    clock.forward(days=7)
    for index, person in enumerate(people[:10]):  # second period: 10 check-ins
        check_ins(campaign, [person], comment=f"later {index}")
    clock.forward(days=7)
    first, second = results.closed_periods(campaign)
    assert results.overview(campaign, Settings(), first.id).comments == []
    shown = results.overview(campaign, Settings(), second.id).comments
    assert sorted(shown) == sorted(f"later {i}" for i in range(10))
    orders = {tuple(results.overview(campaign, Settings()).comments) for _ in range(8)}
    assert len(orders) > 1  # shuffled at every look, so no order can be learnt


def test_division_comments_show_on_the_division_page_only(db, org, campaign_factory, check_ins, clock):
    campaign = campaign_factory(org, comment_scope="division")
    check_ins(campaign, org.members["Alpha"] + org.members["Beta"][:3], comment="about Twente")
    clock.forward(days=7)
    assert results.division_results(campaign, "Twente", Settings()).comments == ["about Twente"] * 10
    assert results.overview(campaign, Settings()).comments == []


def test_the_team_page_for_members_manager_and_hr(client, login, org, campaign, check_ins, clock):
    check_ins(campaign, org.members["Alpha"][:5] + org.members["Beta"][:5], answers(4))
    clock.forward(days=7)
    for viewer in (org.members["Alpha"][6], org.managers["Alpha"], org.hr):
        login(viewer)
        html = client.get(f"/wellbeing/results/team/{org.teams['Alpha'].id}").get_data(as_text=True)
        assert 'data-testid="team-result"' in html, viewer
        assert "data-wellbeing-chart" in html and "<caption>" in html
        assert "vendor/chartjs/chart.umd.min.js" in html and "<script>" not in html


def test_conversation_starters_follow_the_result(client, login, db, org, campaign, check_ins, clock):
    check_ins(campaign, org.members["Alpha"][:5] + org.members["Beta"][:5], answers(4, workload=1))
    clock.forward(days=7)
    org.managers["Alpha"].locale = "en"  # the starters are compared in their English source text
    db.session.commit()
    login(org.managers["Alpha"])
    html = client.get(f"/wellbeing/results/team/{org.teams['Alpha'].id}").get_data(as_text=True)
    assert "What could we stop, share or postpone?" in html
    assert "what gives energy back" not in html  # energy came out well: the other starter


def test_team_actions_are_recorded_for_the_team(client, login, db, org, campaign):
    login(org.members["Alpha"][0])
    team_id = org.teams["Alpha"].id
    response = client.post(f"/wellbeing/results/team/{team_id}/actions",
                           data={"text": "Ten minutes together every Monday", "campaign_id": campaign.id})
    assert response.status_code == 302
    action = db.session.scalar(select(TeamAction))
    assert action.team_id == team_id and action.campaign_id == campaign.id
    assert "person_id" not in TeamAction.__table__.columns
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "wellbeing.action_added"))
    client.post(f"/wellbeing/actions/{action.id}/done")
    db.session.expire_all()
    assert db.session.get(TeamAction, action.id).status == "done"
    html = client.get(f"/wellbeing/results/team/{team_id}").get_data(as_text=True)
    assert "Ten minutes together every Monday" in html


def test_an_empty_action_is_refused(client, login, db, org, campaign):
    login(org.managers["Alpha"])
    client.post(f"/wellbeing/results/team/{org.teams['Alpha'].id}/actions", data={"text": "  "})
    assert db.session.scalar(select(func.count()).select_from(TeamAction)) == 0


def test_nobody_adds_actions_for_a_team_they_cannot_see(client, login, db, org, campaign):
    login(org.members["Beta"][0])
    response = client.post(f"/wellbeing/results/team/{org.teams['Alpha'].id}/actions", data={"text": "Sneaky"})
    assert response.status_code == 403
    action = TeamAction(foundation_id=org.foundation.id, team_id=org.teams["Alpha"].id, text="Ours", created_on=org.hr.start_date)
    db.session.add(action)
    db.session.commit()
    assert client.post(f"/wellbeing/actions/{action.id}/done").status_code == 403


def test_the_csv_export_follows_the_same_suppression(client, login, org, campaign, check_ins, clock):
    check_ins(campaign, org.members["Alpha"][:6] + org.members["Beta"][:4], answers(4))
    check_ins(campaign, org.members["Gamma"][:5], answers(3))
    clock.forward(days=7)
    login(org.hr)
    response = client.get(f"/wellbeing/results/export.csv?campaign={campaign.id}")
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # a byte-order mark, so Dutch spreadsheets read it as UTF-8
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    shown = {(row["division"], row["team"]) for row in rows if row["shown"] == "yes"}
    assert shown == {("Twente", ""), ("IJssel-Vecht", ""), ("IJssel-Vecht", "Gamma")}
    assert {row["team"] for row in rows if row["shown"] == "no"} == {"Alpha", "Beta"}
    assert {row["average"] for row in rows if row["team"] == "Gamma"} == {"3,00"}  # a decimal comma


def test_the_csv_export_writes_formula_like_names_as_text(client, login, db, org, campaign, check_ins, clock):
    """A team or division named like a spreadsheet formula must not run as one (issue 12)."""
    gamma = org.teams["Gamma"]
    gamma.name, gamma.region = '=HYPERLINK("https://evil.example","Open")', "@Noord"
    db.session.commit()
    check_ins(campaign, org.members["Gamma"][:5], answers(3))
    clock.forward(days=7)
    login(org.hr)
    text = client.get(f"/wellbeing/results/export.csv?campaign={campaign.id}").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    teams = {row["team"] for row in rows if row["shown"] == "yes"}
    assert teams == {"", "'=HYPERLINK(\"https://evil.example\",\"Open\")"}  # the division total, and Gamma
    assert {row["division"] for row in rows} == {"Twente", "'@Noord"}
    assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for value in row.values())


def test_the_division_page_hides_what_subtraction_would_reveal(client, login, org, campaign, check_ins, clock):
    check_ins(campaign, org.members["Alpha"][:7], answers(4))
    check_ins(campaign, org.members["Beta"][:4], answers(1))
    clock.forward(days=7)
    login(org.hr)
    html = client.get(f"/wellbeing/results/division?campaign={campaign.id}&division=Twente").get_data(as_text=True)
    assert f'data-team="{org.teams["Alpha"].id}" data-suppressed' in html
    assert f'data-team="{org.teams["Beta"].id}" data-suppressed' in html
    assert "data-division-total data-suppressed" not in html


def test_an_unknown_division_is_not_found(client, login, org, campaign):
    login(org.hr)
    assert client.get(f"/wellbeing/results/division?campaign={campaign.id}&division=Nowhere").status_code == 404


def test_the_pages_work_before_any_campaign(client, login, org):
    login(org.hr)
    assert client.get("/wellbeing/results").status_code == 200
    assert client.get(f"/wellbeing/results/team/{org.teams['Alpha'].id}").status_code == 200


# -- a fixed number of queries ----------------------------------------------------------------------

def build(org_factory, campaign_factory, check_ins, clock, teams: int, periods: int, slug: str):
    org = org_factory({f"Team {i}": (("Twente", "IJssel-Vecht")[i % 2], 5) for i in range(teams)}, slug=slug)
    campaign = campaign_factory(org)
    for _ in range(periods):
        check_ins(campaign, [p for members in org.members.values() for p in members], answers(3))
        clock.forward(days=7)
    return org, campaign


@pytest.mark.parametrize("page", ["team", "division", "overview", "team_api", "division_api"])
def test_results_pages_run_the_same_number_of_queries_for_small_and_large_data(
        page, app, db, client, login, org_factory, campaign_factory, check_ins, clock):
    counts = []
    for teams, periods, slug in ((2, 1, "small"), (6, 4, "large")):
        start = clock.today()
        org, campaign = build(org_factory, campaign_factory, check_ins, clock, teams, periods, slug)
        team = org.teams["Team 0"]
        url = {
            "team": f"/wellbeing/results/team/{team.id}",
            "division": f"/wellbeing/results/division?campaign={campaign.id}&division=Twente",
            "overview": f"/wellbeing/results?campaign={campaign.id}",
            "team_api": f"/wellbeing/api/teams/{team.id}/results",
            "division_api": f"/wellbeing/api/divisions/results?campaign={campaign.id}&division=Twente",
        }[page]
        login(org.hr)
        client.get(url)  # warm caches that are not about the data
        with count_queries(db.engine) as statements:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(statements))
        clock.set(start, tick=False)
    assert counts[0] == counts[1], counts

"""The privacy acceptance tests of issue 7.

- Schema: no answer or comment table has a person, a team member, a time finer than the period,
  or a serial key; the ledger has the person and the period only.
- Every role tries every page, filter, export and API for an individual answer, and fails.
- 4 check-ins show nothing, 5 show; the division view cannot be undone by subtraction.
- The participation ledger cannot be listed; reminders: see test_jobs.py.
"""
from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import JSON, Date, DateTime, Integer, Interval, Time, Uuid, inspect

from core.extensions import db as _db
from core.models import FoundationPlugin, Person, RoleAssignment
from core.plugins import plugin_manager
from plugins.wellbeing import privacy
from plugins.wellbeing.freeze import freeze_closed_periods
from plugins.wellbeing.models import SupportContact, TalkRequest, TeamAction
from tests.plugins.wellbeing.conftest import answers

# Tables that hold answers (counters, check-in counts, comments, and both waiting to be folded in),
# the ledger, and the rest.
ANSWER_TABLES = {"wellbeing_answer_count", "wellbeing_checkin_count", "wellbeing_comment", "wellbeing_period_team",
                 "wellbeing_division_count", "wellbeing_pending_answer", "wellbeing_pending_comment"}
LEDGER = "wellbeing_participation"
OTHER_TABLES = {"wellbeing_campaign", "wellbeing_campaign_team", "wellbeing_period", "wellbeing_support_contact",
                "wellbeing_talk_request", "wellbeing_team_action"}
PERSONAL_WORDS = ("person", "member", "user", "employee", "author", "created_by", "email", "name")


def plugin_tables():
    return {name: table for name, table in _db.metadata.tables.items() if name.startswith("wellbeing_")}


def references_person(table) -> list[str]:
    return [col.name for col in table.columns
            if any(fk.column.table.name == "person" for fk in col.foreign_keys)
            or any(word in col.name for word in PERSONAL_WORDS)]


def time_columns(table) -> list[str]:
    return [col.name for col in table.columns if isinstance(col.type, (DateTime, Date, Time, Interval))]


def serial_key(table) -> bool:
    """A single integer primary key counts up in insertion order."""
    key = list(table.primary_key.columns)
    return len(key) == 1 and isinstance(key[0].type, Integer)


# -- schema -----------------------------------------------------------------------------------------

def test_every_wellbeing_table_is_classified_for_these_tests(app):
    assert set(plugin_tables()) == ANSWER_TABLES | {LEDGER} | OTHER_TABLES


@pytest.mark.parametrize("name", sorted(ANSWER_TABLES))
def test_answer_and_comment_tables_hold_no_person_time_or_order(app, name):
    table = plugin_tables()[name]
    assert references_person(table) == []
    assert time_columns(table) == []
    assert not serial_key(table)
    assert not any(isinstance(col.type, JSON) for col in table.columns)  # nothing hidden in a blob
    assert not {"team_member_id", "membership_id"} & set(table.columns.keys())
    assert table.dialect_options["sqlite"]["with_rowid"] is False  # no hidden rowid order on SQLite either


def test_comments_are_not_kept_per_team(app):
    for name in ("wellbeing_comment", "wellbeing_pending_comment"):
        assert "team_id" not in plugin_tables()[name].columns
        assert isinstance(plugin_tables()[name].c.id.type, Uuid)


def test_waiting_answers_are_keyed_by_a_random_check_in_key(app):
    table = plugin_tables()["wellbeing_pending_answer"]
    assert {col.name for col in table.primary_key.columns} == {"checkin", "question"}
    assert isinstance(table.c.checkin.type, Uuid)


def test_the_ledger_is_person_and_period_only(app):
    table = plugin_tables()[LEDGER]
    assert set(table.columns.keys()) == {"foundation_id", "period_id", "person_id"}
    assert {col.name for col in table.primary_key.columns} == {"period_id", "person_id"}
    assert time_columns(table) == [] and table.dialect_options["sqlite"]["with_rowid"] is False


def test_the_live_database_has_the_same_columns(app, db):
    """What the database really holds, not only what the models say."""
    inspector = inspect(db.engine)
    for name in ANSWER_TABLES:
        columns = {col["name"] for col in inspector.get_columns(name)}
        assert not [c for c in columns if any(word in c for word in PERSONAL_WORDS) or c.endswith("_at") or c.endswith("_on")]


def test_talk_requests_and_team_actions_refer_to_no_check_in(app):
    for model in (TalkRequest, TeamAction):
        targets = {fk.column.table.name for col in model.__table__.columns for fk in col.foreign_keys}
        assert not targets & (ANSWER_TABLES | {LEDGER, "wellbeing_period"}), model
    assert "person_id" not in TeamAction.__table__.columns


# -- every role, every page -------------------------------------------------------------------------

@pytest.fixture
def scenario(org_factory, campaign_factory, check_ins, clock, db, make):
    """Twente: Small (4 check-ins, all 1s), Mid (6, all 4s, hidden as Small's complement), Big
    (7, all 5s). IJssel-Vecht: Lone (1 check-in, all 2s, with a comment). The comment threshold is
    raised to 20, above the 18 check-ins, so no comment may show."""
    org = org_factory({"Small": ("Twente", 5), "Mid": ("Twente", 7), "Big": ("Twente", 8), "Lone": ("IJssel-Vecht", 5)})
    campaign = campaign_factory(org)
    row = db.session.query(FoundationPlugin).filter_by(foundation_id=org.foundation.id, plugin_key="wellbeing").one()
    row.settings = {"min_comment_group": 20}
    db.session.commit()
    period = check_ins(campaign, org.members["Small"][:4], answers(1))
    check_ins(campaign, org.members["Mid"][:6], answers(4))
    check_ins(campaign, org.members["Big"][:7], answers(5))
    from plugins.wellbeing.settings import settings_for
    check_ins(campaign, org.members["Lone"][:1], answers(2), comment="SECRET-LONE-COMMENT",
              settings=settings_for(org.foundation.id))
    clock.forward(days=7)
    freeze_closed_periods(campaign.id)  # as the daily job does: the period's last answers are folded in
    admin = make.person(org.foundation, role="group_admin")
    contact = SupportContact(foundation_id=org.foundation.id, kind="peer_support", name="Peer", person_id=org.hr.id)
    action = TeamAction(foundation_id=org.foundation.id, team_id=org.teams["Small"].id, text="Try", created_on=clock.today())
    db.session.add_all([contact, action])
    db.session.commit()
    return org, campaign, period, admin, contact, action


# The averages of the hidden groups alone, in every format a page, export or API writes them.
def forbidden(value: float) -> re.Pattern:
    whole = int(value)
    return re.compile(rf"(?<![\w.,-]){whole}[.,]00?(?![\w.,-])")


HIDDEN = {"Small": 1.0, "Mid": 4.0, "Lone": 2.0}


def get_urls(app, org, campaign, period, contact, action) -> list[str]:
    """Every GET route of the blueprint, with every id we have and every filter it reads."""
    ids = {
        "team_id": [t.id for t in org.teams.values()],
        "campaign_id": [campaign.id],
        "contact_id": [contact.id],
        "action_id": [action.id],
        "request_id": ["00000000-0000-0000-0000-000000000000"],
    }
    filters = [""] + [f"?campaign={campaign.id}&period={period.id}&division={d}&question=go_home&page=1&team={t.id}"
                      for d in ("Twente", "IJssel-Vecht", "-") for t in org.teams.values()]
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("wellbeing.") or "GET" not in rule.methods or rule.endpoint == "wellbeing.static":
            continue
        combos = [{}]
        for arg in rule.arguments:
            combos = [{**c, arg: value} for c in combos for value in ids[arg]]
        for combo in combos:
            path = rule.rule
            for arg, value in combo.items():
                path = re.sub(rf"<(?:\w+:)?{arg}>", str(value), path)
            urls += [path + query for query in filters]
    return urls


def test_no_role_obtains_an_individual_answer_from_any_page_filter_export_or_api(app, client, login, scenario):
    org, campaign, period, admin, contact, action = scenario
    viewers = {
        "member of Small": org.members["Small"][0],
        "manager of Small": org.managers["Small"],
        "member of Lone": org.members["Lone"][0],
        "manager of Lone": org.managers["Lone"],
        "HR admin": org.hr,
        "group admin": admin,
    }
    urls = get_urls(app, org, campaign, period, contact, action)
    assert len(urls) > 100
    hidden_team_ids = {org.teams[name].id for name in HIDDEN}
    seen_statuses = set()
    for role, person in viewers.items():
        login(person)
        for url in urls:
            response = client.get(url)
            seen_statuses.add(response.status_code)
            body = response.get_data(as_text=True)
            where = f"{role} {url}"
            assert "SECRET-LONE-COMMENT" not in body, where
            for name, average in HIDDEN.items():
                assert not forbidden(average).search(body), f"{where}: the average of {name} alone"
            assert 'data-testid="team-result"' not in body or not any(
                f"/results/team/{team_id}" in url for team_id in hidden_team_ids), where
            for team_id in hidden_team_ids:
                assert not re.search(rf'data-team="{team_id}"(?! data-suppressed)', body), where
            if response.is_json:
                _assert_hidden_in_json(response.get_json(), hidden_team_ids, where)
    assert 200 in seen_statuses and 403 in seen_statuses  # the tour reached pages and was refused others


def _assert_hidden_in_json(payload, hidden_team_ids, where):
    for team in payload.get("teams", []):
        if team["id"] in hidden_team_ids:
            assert team == {"id": team["id"], "name": team["name"], "shown": False}, where
    if "team" in payload and payload["team"]["id"] in hidden_team_ids:
        assert all(period == {k: period[k] for k in ("id", "starts_on", "ends_on", "shown")} and not period["shown"]
                   for period in payload["periods"]), where


def test_the_division_total_minus_the_shown_teams_is_a_group_of_enough_people(client, login, scenario):
    org, campaign, period, *_ = scenario
    login(org.hr)
    payload = client.get(f"/wellbeing/api/divisions/results?campaign={campaign.id}&division=Twente").get_json()
    total = payload["totals"][-1]
    shown = [team for team in payload["teams"] if team["shown"]]
    hidden = [team for team in payload["teams"] if not team["shown"]]
    assert total["shown"] and total["checkins"] == 17
    assert [team["name"] for team in shown] == ["Big"]
    remainder = total["checkins"] - sum(team["checkins"] for team in shown)
    assert len(hidden) >= 2 and remainder >= 5
    for key in ("go_home", "support"):
        rest = [t - sum(team["questions"][key]["distribution"][i] for team in shown)
                for i, t in enumerate(total["questions"][key]["distribution"])]
        assert rest == [4, 0, 0, 6, 0]  # Small and Mid together, not apart


def test_the_hidden_teams_pages_show_nothing_to_anyone(client, login, scenario):
    org, campaign, *_ = scenario
    for viewer in (org.members["Small"][0], org.managers["Small"], org.hr):
        login(viewer)
        html = client.get(f"/wellbeing/results/team/{org.teams['Small'].id}").get_data(as_text=True)
        assert 'data-testid="team-no-result"' in html and 'data-testid="team-result"' not in html


# -- 4 versus 5 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["member", "manager", "hr", "group_admin"])
def test_four_check_ins_show_nothing_and_five_show(who, org_factory, campaign_factory, check_ins, clock, client, login, make):
    org = org_factory({"Quad": ("Midden-IJssel", 6)})
    campaign = campaign_factory(org)
    viewer = {"member": org.members["Quad"][5], "manager": org.managers["Quad"], "hr": org.hr,
              "group_admin": make.person(org.foundation, role="group_admin")}[who]
    team_url = f"/wellbeing/results/team/{org.teams['Quad'].id}"
    check_ins(campaign, org.members["Quad"][:4], answers(3))
    clock.forward(days=7)
    login(viewer)
    html = client.get(team_url).get_data(as_text=True)
    assert 'data-testid="team-no-result"' in html
    assert client.get(f"/wellbeing/api/teams/{org.teams['Quad'].id}/results").get_json()["periods"][0]["shown"] is False

    check_ins(campaign, org.members["Quad"][:5], answers(3))
    clock.forward(days=7)
    html = client.get(team_url).get_data(as_text=True)
    assert 'data-testid="team-result"' in html
    assert "5 check-ins" in html or "5 check-ins." in html
    periods = client.get(f"/wellbeing/api/teams/{org.teams['Quad'].id}/results").get_json()["periods"]
    assert [p["shown"] for p in periods] == [False, True] and periods[1]["checkins"] == 5


# -- the ledger cannot be listed --------------------------------------------------------------------

def test_no_page_names_who_did_or_did_not_check_in(app, client, login, scenario):
    org, campaign, period, admin, contact, action = scenario
    people = [p for members in org.members.values() for p in members]
    urls = [u for u in get_urls(app, org, campaign, period, contact, action) if "?" not in u]
    for viewer in (org.managers["Small"], org.hr, admin):
        login(viewer)
        for url in urls:
            body = client.get(url).get_data(as_text=True)
            for person in people:
                assert person.email not in body and person.full_name not in body, (viewer.email, url, person.email)


def test_no_route_of_the_app_serves_the_ledger(app):
    """Only the check-in itself and the landing page read the ledger, and only for the signed-in
    person (``has_checked_in(current_user, ...)``)."""
    import pathlib

    views = pathlib.Path(app.root_path).parent / "plugins" / "wellbeing" / "views"
    sources = {path.name: path.read_text() for path in views.glob("*.py")}
    for name, text in sources.items():
        assert "Participation" not in text, name
        for call in re.findall(r"has_checked_in\(([^,]+),", text):
            assert call.strip() == "current_user", (name, call)


def test_the_privacy_export_has_only_ones_own_periods_and_talk_requests(db, scenario):
    org, campaign, period, admin, contact, action = scenario
    person = org.members["Small"][0]
    db.session.add(TalkRequest(foundation_id=org.foundation.id, person_id=person.id, contact_id=contact.id,
                               message="please", requested_on=date(2026, 3, 10)))
    db.session.commit()
    exported = privacy.export(person)
    assert exported["checked_in_periods"] == [
        {"campaign": campaign.name, "starts_on": period.starts_on.isoformat(), "ends_on": period.ends_on.isoformat()}]
    assert exported["talk_requests"] == [
        {"contact": "Peer", "requested_on": "2026-03-10", "handled_on": None, "message": "please"}]
    text = json.dumps(exported)
    assert "go_home" not in text and "answer" not in text.lower()
    assert privacy.export(org.members["Small"][4])["checked_in_periods"] == []  # did not check in
    assert privacy.export(org.hr)["receives_talk_requests_for"] == ["Peer"]


def test_privacy_erase_removes_the_ledger_rows_and_talk_requests_only(db, scenario):
    org, campaign, period, admin, contact, action = scenario
    person = org.members["Small"][0]
    db.session.add(TalkRequest(foundation_id=org.foundation.id, person_id=person.id, contact_id=contact.id,
                               requested_on=date(2026, 3, 10)))
    db.session.commit()
    hook = plugin_manager().all_hooks()
    hook.privacy_erase(person=person)
    hook.privacy_erase(person=org.hr)
    db.session.commit()
    assert privacy.export(person) == {"checked_in_periods": [], "talk_requests": [], "receives_talk_requests_for": []}
    assert db.session.get(SupportContact, contact.id).person_id is None
    assert privacy.export(org.members["Small"][1])["checked_in_periods"] != []
    from sqlalchemy import func, select

    from plugins.wellbeing.models import CheckinCount
    assert db.session.scalar(select(func.sum(CheckinCount.checkins))) == 18  # the counted answers stay


def test_hr_of_another_foundation_sees_nothing_of_this_one(client, login, scenario, org_factory):
    org, campaign, *_ = scenario
    other = org_factory({"Elsewhere": ("Twente", 5)})
    login(other.hr)
    assert client.get(f"/wellbeing/results/team/{org.teams['Big'].id}").status_code == 404
    assert client.get(f"/wellbeing/results?campaign={campaign.id}").status_code == 404
    assert client.get(f"/wellbeing/api/teams/{org.teams['Big'].id}/results").status_code == 404


def test_roles_of_the_fixture_are_what_the_tests_assume(db, scenario):
    org, campaign, period, admin, *_ = scenario
    roles = {(r.person_id, r.role) for r in db.session.query(RoleAssignment)}
    assert (admin.id, "group_admin") in roles and (org.hr.id, "hr_admin") in roles
    assert db.session.get(Person, org.members["Small"][0].id).team_id == org.teams["Small"].id

"""The people list's team filter where a foundation has more teams than a drop-down can hold:
a typed team name, with suggestions from ``/people/team-names``."""
from __future__ import annotations

import re

import pytest

from core.people import queries
from tests.core.people_support import build_org


@pytest.fixture
def org(make):
    return build_org(make)


@pytest.fixture
def many_teams(monkeypatch):
    """Foundation A's two teams count as "too many" for a drop-down."""
    monkeypatch.setattr(queries, "TEAM_SELECT_MAX", 1)


def _rows(page: str) -> list[str]:
    return re.findall(r'<tr data-person="(\d+)"', page)


def test_few_teams_are_a_drop_down(client, login, org):
    login(org.hr)
    page = client.get("/people/").get_data(as_text=True)
    assert '<select id="team" name="team">' in page
    assert f'<option value="{org.care.id}">Care</option>' in page
    assert "data-suggest" not in page and "suggest.js" not in page


def test_many_teams_are_a_typed_name_with_suggestions(client, login, org, many_teams):
    login(org.hr)
    page = client.get("/people/").get_data(as_text=True)
    assert '<select id="team"' not in page and "<option" not in page.split('id="team"')[1].split("</div>")[0]
    assert 'name="team_name"' in page and 'data-suggest="/people/team-names"' in page
    assert "js/suggest.js" in page


def test_typed_name_filters_by_the_team_of_that_name(client, login, org, make, many_teams):
    care_north = make.team(org.a, "Care North")
    north = make.person(org.a, care_north, last_name="Noord")
    login(org.hr)
    # a name picked from the suggestions means that team only, in any case
    exact = client.get("/people/", query_string={"team_name": "care"}).get_data(as_text=True)
    assert _rows(exact) == [str(org.nurse.id), str(org.manager.id)]
    # part of a name: every team whose name holds it
    part = client.get("/people/", query_string={"team_name": "ar"}).get_data(as_text=True)
    assert sorted(_rows(part)) == sorted(str(p.id) for p in (org.nurse, org.manager, north))
    assert 'value="ar"' in part  # what was typed stays in the field
    none = client.get("/people/", query_string={"team_name": "B team"}).get_data(as_text=True)
    assert _rows(none) == [] and "Anders" not in none  # another foundation's team matches nothing


def test_team_chosen_by_id_shows_its_name_and_filters_by_id(client, login, org, many_teams):
    login(org.hr)
    page = client.get(f"/people/?team={org.office.id}").get_data(as_text=True)
    assert _rows(page) == [str(org.clerk.id)]
    assert 'name="team_name" value="Office"' in page


@pytest.mark.parametrize("team", ["b_team", "99999999999999", "-1", "١٢"])
def test_unusable_team_id_is_ignored(client, login, org, many_teams, team):
    login(org.hr)
    value = str(org.b_team.id) if team == "b_team" else team
    response = client.get("/people/", query_string={"team": value})
    assert response.status_code == 200
    assert len(_rows(response.get_data(as_text=True))) == 4


def test_people_without_a_team(client, login, org, many_teams):
    login(org.hr)
    page = client.get("/people/?team=none").get_data(as_text=True)
    assert _rows(page) == [str(org.hr.id)]
    assert 'name="team" value="none" checked' in page


def test_export_applies_the_typed_team_name(client, login, org, many_teams):
    login(org.hr)
    export = client.get("/people/export.csv", query_string={"team_name": "Office"}).get_data(as_text=True)
    assert "kees@example.org" in export and "nina@example.org" not in export


def test_suggestions_are_the_visible_teams_holding_the_text(client, login, org, make):
    make.team(org.a, "Day care")
    make.team(org.a, "Care")  # the same name twice is suggested once
    login(org.hr)
    assert client.get("/people/team-names?q=car").get_json() == {"suggestions": ["Care", "Day care"]}
    assert client.get("/people/team-names?q=team").get_json() == {"suggestions": []}  # B's team stays hidden
    assert client.get("/people/team-names?q=100%").get_json() == {"suggestions": []}
    assert client.get("/people/team-names").get_json() == {"suggestions": []}


def test_a_manager_is_suggested_only_their_own_teams(client, login, org):
    login(org.manager)
    assert client.get("/people/team-names?q=e").get_json() == {"suggestions": ["Care"]}


def test_suggestions_need_the_permission(client, login, make, org):
    login(org.nurse)
    assert client.get("/people/team-names?q=care").status_code == 403

"""The people pages send as many SQL statements for 1,000 people as for 10 (no N+1)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, insert, select, update

from core.models import Person, Team
from core.testing.querycount import count_queries
from tests.core.people_support import build_org


@pytest.fixture
def org(make):
    return build_org(make)


def _add_people(db, org, count: int, start: int) -> None:
    """Bulk-insert people into foundation A, two per new team, so that the teams on a page grow
    with the organisation (a lazy load per team would show)."""
    team_ids = _add_teams(db, org, max(count // 2, 1), start)
    rows = [
        {"foundation_id": org.a.id, "team_id": team_ids[n % len(team_ids)], "first_name": f"Bulk{n}",
         "last_name": f"Person{start + n:05d}", "email": f"bulk{start + n}@example.org",
         "employee_number": f"B{start + n:05d}", "person_type": "employee", "status": "active", "locale": "nl",
         "session_version": 1, "login_enabled": True}
        for n in range(count)
    ]
    db.session.execute(insert(Person), rows)
    db.session.commit()


def _add_teams(db, org, count: int, start: int) -> list[int]:
    rows = [{"foundation_id": org.a.id, "name": f"Extra team {n:05d}", "region": "Twente", "parent_id": org.care.id}
            for n in range(start, start + count)]
    db.session.execute(insert(Team), rows)
    db.session.commit()
    return list(db.session.scalars(select(Team.id).where(Team.name.in_([r["name"] for r in rows]))))


def _give_teams_managers(db, org) -> None:
    """Every extra team gets its own manager: one of its members."""
    for team_id, person_id in db.session.execute(select(Person.team_id, func.min(Person.id)).group_by(Person.team_id)):
        db.session.execute(update(Team).where(Team.id == team_id).values(manager_id=person_id))
    db.session.commit()


def _statements(db, client, url: str) -> int:
    client.get(url)  # warm up: sign-in state, caches
    with count_queries(db.engine) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def _manage_every_team(db, manager) -> None:
    db.session.execute(update(Team).where(Team.foundation_id == manager.foundation_id).values(manager_id=manager.id))
    db.session.commit()


@pytest.mark.parametrize("who", ["hr", "manager"])
def test_people_list_does_not_grow_with_the_organisation(app, client, login, org, db, who):
    login(getattr(org, who))
    _add_people(db, org, 10, 0)
    _manage_every_team(db, org.manager)  # the manager sees everyone too; HR does anyway
    small = _statements(db, client, "/people/?q=bulk")
    _add_people(db, org, 990, 10)
    _manage_every_team(db, org.manager)
    large = _statements(db, client, "/people/?q=bulk")
    assert small == large
    page = client.get("/people/?q=bulk").get_data(as_text=True)
    assert len(re.findall(r"<tr data-person=", page)) == app.config["PAGE_SIZE"]
    assert "Extra team 00000" in page  # teams are shown, loaded with the people


def test_person_page_does_not_grow_with_the_organisation(client, login, org, db):
    login(org.hr)
    _add_people(db, org, 10, 0)
    small = _statements(db, client, f"/people/{org.nurse.id}")
    _add_people(db, org, 990, 10)
    assert _statements(db, client, f"/people/{org.nurse.id}") == small


def test_teams_list_does_not_grow_with_teams_or_people(client, login, org, db):
    login(org.hr)
    _add_people(db, org, 10, 0)
    _give_teams_managers(db, org)
    small = _statements(db, client, "/people/teams")
    _add_people(db, org, 990, 10)
    _give_teams_managers(db, org)
    assert _statements(db, client, "/people/teams") == small

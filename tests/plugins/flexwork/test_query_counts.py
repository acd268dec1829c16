"""The approval page, the team week view and the queue do a fixed number of queries, whatever the
team size (5 or 200 members, each with an agreement; rules, an approved swap, open requests)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.api import clock
from core.models import Person
from plugins.flexwork import request_flow
from plugins.flexwork.agreements import Terms
from plugins.flexwork.models import Agreement, CoverageRule, Swap
from plugins.flexwork.pattern import blocks_to_json
from plugins.flexwork.team_data import monday_of
from tests.plugins.flexwork.conftest import day_blocks, start_in_time


def grow_team(db, org, size: int) -> list[Person]:
    """Add members (each with an agreement) until the team has ``size``; returns the new ones."""
    current = db.session.scalar(select(func.count(Person.id)).where(Person.team_id == org.team.id))
    first = db.session.scalar(select(func.count(Person.id)))
    people = [Person(foundation_id=org.foundation.id, team_id=org.team.id, first_name=f"M{n}", last_name="Lid",
                     email=f"member{first + n}@example.test", status="active", job_title="Secretaresse",
                     start_date=date(2020, 1, 1)) for n in range(size - current)]
    db.session.add_all(people)
    db.session.flush()
    for n, person in enumerate(people):
        db.session.add(Agreement(foundation_id=org.foundation.id, person_id=person.id, contract_hours=Decimal(16),
                                 pattern=blocks_to_json(day_blocks([n % 5, (n + 2) % 5])), valid_from=date(2024, 1, 1)))
    db.session.commit()
    return people


def ask(db, person) -> int:
    request = request_flow.submit(person, request_flow.Proposal(
        ("times",), Terms(Decimal(24), Decimal(0), day_blocks((2, 3, 4))), start_in_time()), clock.today())
    db.session.commit()
    return request.id


@pytest.fixture
def busy_team(org, db):
    for label, minimum in (("Phone", 1), ("Desk", 2), ("Evening", 3)):
        db.session.add(CoverageRule(foundation_id=org.foundation.id, team_id=org.team.id, label=label, weekdays="01234",
                                    start_time="08:30", end_time="17:00", min_people=minimum))
    db.session.add(Swap(foundation_id=org.foundation.id, team_id=org.team.id, requester_id=org.anna.id, partner_id=org.bert.id,
                        week_start=monday_of(clock.today()), requester_day=0, partner_day=3, state="approved"))
    db.session.commit()
    return org


def count(client, count_queries, url) -> int:
    client.get(url)  # the first request of a session warms what is cached beyond a request
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return len(counter)


@pytest.mark.parametrize("page", ["decide", "week", "queue"])
def test_fixed_number_of_queries_whatever_the_team_size(client, login, busy_team, db, count_queries, page):
    org = busy_team
    counts = []
    for size in (5, 200):
        added = grow_team(db, org, size)
        request_ids = [ask(db, person) for person in added[: max(1, size // 20)]]
        login(org.manager)
        url = {"decide": f"/flexwork/approvals/{request_ids[0]}", "week": f"/flexwork/teams/{org.team.id}/week",
               "queue": "/flexwork/approvals"}[page]
        counts.append(count(client, count_queries, url))
    assert db.session.scalar(select(func.count(Person.id)).where(Person.team_id == org.team.id)) == 200
    assert counts[0] == counts[1], counts

"""The permission matrix of every page, foundation scoping (IDOR) and the switched-off plugin."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from core.api import clock
from core.plugin_switch import disable
from core.plugins import plugin_manager
from plugins.flexwork import request_flow, swaps
from plugins.flexwork.agreements import Terms
from plugins.flexwork.models import CoverageRule
from tests.plugins.flexwork.conftest import day_blocks, start_in_time

ROLES = ("employee", "manager", "hr", "other_manager", "outsider")


def person_for(org, role):
    return {"employee": org.anna, "manager": org.manager, "hr": org.hr, "other_manager": org.other_manager,
            "outsider": org.outsider}[role]


@pytest.fixture
def things(org, db):
    request = request_flow.submit(org.bert, request_flow.Proposal(
        ("times",), Terms(Decimal(24), Decimal(0), day_blocks((2, 3, 4))), start_in_time()), clock.today())
    rule = CoverageRule(foundation_id=org.foundation.id, team_id=org.team.id, label="Phone", weekdays="01234",
                        start_time="08:30", end_time="17:00", min_people=1)
    db.session.add(rule)
    monday = clock.today() + timedelta(days=14 - clock.today().weekday())
    swap = swaps.propose(org.anna, org.bert, monday, monday + timedelta(days=3))
    db.session.commit()
    return {"request": request.id, "rule": rule.id, "swap": swap.id, "team": org.team.id, "person": org.bert.id}


# (method, url template, expected status per role in ROLES order)
MATRIX = [
    ("get", "/flexwork/", (200, 200, 200, 200, 200)),
    ("get", "/flexwork/requests/new", (200, 200, 200, 200, 200)),  # HR works here too
    ("get", "/flexwork/requests/{request}", (404, 200, 200, 404, 404)),
    ("get", "/flexwork/approvals", (403, 200, 403, 200, 200)),
    ("get", "/flexwork/approvals/{request}", (403, 200, 403, 404, 404)),
    ("get", "/flexwork/overview", (403, 403, 200, 403, 403)),
    ("get", "/flexwork/teams", (200, 200, 200, 200, 200)),
    ("get", "/flexwork/teams/{team}/week", (200, 200, 200, 404, 404)),
    ("get", "/flexwork/teams/{team}/rules", (403, 200, 200, 404, 404)),
    ("post", "/flexwork/teams/{team}/rules/{rule}/delete", (403, 302, 302, 404, 404)),
    ("get", "/flexwork/swaps/{swap}", (200, 200, 200, 404, 404)),
    ("post", "/flexwork/swaps/{swap}/approve", (403, 302, 403, 404, 404)),  # manager: refused, not yet agreed
    ("get", "/flexwork/people/{person}/agreement", (403, 403, 200, 403, 403)),
    ("get", "/flexwork/calendar.ics", (200, 200, 200, 200, 200)),
]


@pytest.mark.parametrize(("method", "url", "expected"), MATRIX, ids=[f"{m} {u}" for m, u, _ in MATRIX])
def test_permission_matrix(client, login, org, things, method, url, expected):
    for role, status in zip(ROLES, expected, strict=True):
        login(person_for(org, role))
        response = getattr(client, method)(url.format(**things))
        assert response.status_code == status, f"{role}: {method} {url} -> {response.status_code}"


@pytest.mark.parametrize(("method", "url"), [(m, u) for m, u, _ in MATRIX])
def test_anonymous_visitors_are_sent_to_sign_in(client, org, things, method, url):
    response = getattr(client, method)(url.format(**things))
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_another_foundations_ids_are_not_found(client, login, org, things, make, db):
    """HR of the other foundation, guessing ids of this one."""
    hr_elsewhere = make.person(org.outsider_foundation, role="hr_admin")
    login(hr_elsewhere)
    for url in ("/flexwork/requests/{request}", "/flexwork/teams/{team}/week", "/flexwork/teams/{team}/rules",
                "/flexwork/swaps/{swap}", "/flexwork/people/{person}/agreement"):
        assert client.get(url.format(**things)).status_code == 404, url


def test_a_switched_off_plugin_answers_404(client, login, org, app, things):
    disable(plugin_manager(app), org.foundation, "flexwork")
    login(org.anna)
    assert client.get("/flexwork/").status_code == 404
    assert client.get("/flexwork/requests/{request}".format(**things)).status_code == 404
    page = client.get("/").get_data(as_text=True)
    assert 'href="/flexwork/"' not in page


def test_nav_and_widgets_for_an_employee_and_a_manager(client, login, org, things):
    login(org.anna)
    page = client.get("/").get_data(as_text=True)
    assert 'href="/flexwork/"' in page and "08:30" not in page  # the card summarises days, not times
    login(org.manager)
    page = client.get("/").get_data(as_text=True)
    assert 'href="/flexwork/approvals"' in page
    login(org.hr)
    assert 'href="/flexwork/overview"' in client.get("/").get_data(as_text=True)

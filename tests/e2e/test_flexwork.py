"""In a real browser: a secretary asks to move the day she shares with her colleague from Monday to
Wednesday; the manager sees the coverage impact and approves with a trial period; the secretary sees
her new agreement from its start date."""
from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from dateutil.relativedelta import relativedelta
from playwright.sync_api import expect
from sqlalchemy import select

from core.api import clock
from core.plugin_switch import enable
from core.plugins import plugin_manager
from plugins.flexwork.agreements import Terms, agreement_on, change_from
from plugins.flexwork.models import CoverageRule, FlexRequest
from plugins.flexwork.pattern import Block, parse_time

SCREENSHOT = "/tmp/e2e-flexwork-decide.png"


def office_days(days):
    return tuple(Block(d, parse_time("08:30"), parse_time("17:00"), "office") for d in days)


def path_of(page) -> str:
    return urlsplit(page.url).path


@pytest.mark.e2e
def test_overlapping_day_request_approved_with_trial(app, make, db, signed_in, console_errors):
    ggz = make.foundation("ggz", "GGZ")
    enable(plugin_manager(app), ggz, "flexwork")
    team = make.team(ggz, name="Secretariaat Zwolle")
    manager = make.manager(ggz, team)
    anna = make.person(ggz, team, first_name="Anna", job_title="Secretaresse", start_date=date(2020, 1, 1))
    bea = make.person(ggz, team, first_name="Bea", job_title="Secretaresse", start_date=date(2020, 1, 1))
    for person, days in ((anna, [0, 1, 2]), (bea, [0, 3, 4])):
        change_from(person, Terms(Decimal(24), Decimal(0), office_days(days)), date(2024, 1, 1))
    db.session.add(CoverageRule(foundation_id=ggz.id, team_id=team.id, label="Telefoon", weekdays="01234",
                                start_time="08:30", end_time="17:00", min_people=1, place="office"))
    db.session.commit()
    start = clock.today() + relativedelta(months=2, days=7)
    start += timedelta(days=(7 - start.weekday()) % 7)  # a Monday

    # The secretary asks: Monday becomes Wednesday, with a trial period.
    employee = signed_in(bea)
    employee.goto("/flexwork/")
    employee.click('main a[href="/flexwork/requests/new"]')
    form = employee.locator('form[data-testid="request-form"]')
    expect(form.locator("#blocks-0-day")).to_have_value("0")
    form.locator("#changes-1").check()  # working times
    form.locator("#blocks-0-day").select_option("2")
    form.locator("#start_date").fill(start.isoformat())
    form.locator("#trial_weeks").fill("8")
    with employee.expect_navigation():
        form.locator('button[name=action][value=submit]').click()
    assert re.fullmatch(r"/flexwork/requests/\d+", path_of(employee))
    expect(employee.locator('[data-testid="request-state"][data-state="submitted"]')).to_be_visible()

    # The manager sees the coverage impact and approves with a trial period.
    boss = signed_in(manager)
    boss.goto("/flexwork/approvals")
    queue = boss.locator('[data-testid="approval-queue"]')
    expect(queue.locator("tbody tr")).to_have_count(1)
    with boss.expect_navigation():
        queue.locator("tbody tr a").first.click()
    grid = boss.locator('[data-testid="coverage-grid"]')
    expect(grid.locator('td[data-cell="2-morning"].fw-changed')).to_contain_text("1 → 2")  # Wednesday gains Bea
    expect(grid.locator('td[data-cell="0-morning"].fw-changed')).to_contain_text("2 → 1")  # Monday keeps Anna
    expect(grid.locator("td.fw-gap")).to_have_count(0)
    expect(boss.locator('[data-testid="coverage-met"]')).to_be_visible()
    expect(boss.locator('[data-testid="pattern-compare"] tr.fw-changed')).to_have_count(2)
    boss.screenshot(path=SCREENSHOT, full_page=True)
    approve = boss.locator('form[data-testid="approve-form"]')
    expect(approve.locator("#trial_weeks")).to_have_value("8")
    with boss.expect_navigation():
        approve.locator('button[name=action][value=trial]').click()
    assert path_of(boss) == "/flexwork/approvals"
    expect(boss.locator("main .flash-success")).to_be_visible()

    db.session.rollback()  # see the server's commits
    request = db.session.scalar(select(FlexRequest))
    assert request.state == "approved" and request.trial_end == start + timedelta(weeks=8)
    assert [b.day for b in agreement_on(bea.id, start).blocks] == [2, 3, 4]

    # The secretary sees the new agreement from its start date.
    employee.goto("/flexwork/")
    upcoming = employee.locator('[data-testid="upcoming-agreement"]')
    expect(upcoming).to_have_count(1)
    rows = upcoming.locator("table tbody tr")
    expect(rows.nth(0).locator(".fw-free")).to_be_visible()  # Monday: free from then on
    expect(rows.nth(2).locator(".fw-block")).to_contain_text("08:30")  # Wednesday: at work
    expect(employee.locator('[data-testid="my-agreement"] > .table-wrap tbody tr').nth(0).locator(".fw-block")).to_be_visible()

    assert console_errors == []

"""In a real browser: an employee checks in on a phone; once the period has closed with five
check-ins, the manager sees the team's result, as a chart with its table."""
from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from core.models import utcnow
from core.testing.factories import Factory
from plugins.wellbeing import checkin
from plugins.wellbeing.models import Campaign
from plugins.wellbeing.questions import DEFAULT_QUESTIONS
from plugins.wellbeing.settings import Settings
from tests.e2e.conftest import LOCALE, _record_console_error

PHONE = {"width": 375, "height": 667}
MONDAY = date(2026, 3, 2)


def phone_page(e2e_browser, live_server, console_errors, person):
    context = e2e_browser.new_context(base_url=live_server.url, locale=LOCALE, viewport=PHONE,
                                      is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.on("console", lambda msg: _record_console_error(console_errors, page, msg))
    page.on("pageerror", lambda exc: console_errors.append(f"{page.url}: {exc}"))
    page.goto("/auth/login")
    page.fill("input[name=email]", person.email)
    page.fill("input[name=password]", Factory.PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    return context, page


@pytest.mark.e2e
def test_an_employee_checks_in_on_a_phone_and_the_manager_sees_the_team_result(
        make, db, enable_plugin, e2e_browser, live_server, live_app, signed_in, console_errors, clock):
    clock.set(MONDAY, tick=False)  # the live server runs in this process, so it reads the same clock
    foundation = make.foundation("ggz", "GGZ")
    enable_plugin("wellbeing", foundation)
    team = make.team(foundation, name="Behandelteam Hengelo", region="Twente")
    manager = make.manager(foundation, team)
    members = [make.person(foundation, team) for _ in range(6)]
    hr = make.person(foundation, role="hr_admin")
    campaign = Campaign(foundation_id=foundation.id, name="Hoe ga je naar huis?", cadence="weekly", starts_on=MONDAY,
                        questions=list(DEFAULT_QUESTIONS), works_council_agreed=True, dpia_on_file=True,
                        confirmed_by_id=hr.id, confirmed_at=utcnow())
    campaign.teams = [team]
    db.session.add(campaign)
    db.session.commit()
    period = checkin.ensure_period(campaign, MONDAY)
    db.session.commit()
    for colleague in members[1:5]:  # four colleagues checked in already
        checkin.check_in(colleague, period, {key: 4 for key in DEFAULT_QUESTIONS}, None, Settings())

    context, phone = phone_page(e2e_browser, live_server, console_errors, members[0])
    phone.goto("/wellbeing/")
    phone.click("[data-testid=checkin-link]")
    assert urlsplit(phone.url).path == f"/wellbeing/checkin/{campaign.id}"
    for index, key in enumerate(DEFAULT_QUESTIONS):
        phone.locator(f"label[for={key}-{3 if index else 2}]").tap()  # taps on the labels, as a thumb would
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing sideways
    phone.screenshot(path="/tmp/e2e-wellbeing-checkin.png", full_page=True)
    with phone.expect_navigation():
        phone.click("[data-testid=checkin-submit]")
    expect(phone.locator("[data-testid=checkin-thanks]")).to_be_visible()
    phone.goto(f"/wellbeing/checkin/{campaign.id}")
    expect(phone.locator("[data-testid=checkin-refused][data-reason=already]")).to_be_visible()
    context.close()

    boss = signed_in(manager)
    boss.goto(f"/wellbeing/results/team/{team.id}")
    expect(boss.locator("[data-testid=team-no-result]")).to_be_visible()  # the period is still open

    clock.forward(days=7)  # the period has closed
    boss.reload()
    result = boss.locator("[data-testid=team-result]")
    expect(result).to_be_visible()
    expect(result).to_contain_text("5")
    expect(boss.locator("table.wb-distribution")).to_be_visible()  # the accessible table beside the chart
    expect(boss.locator("table[data-wellbeing-chart][data-chart-drawn]")).to_have_count(2)
    expect(boss.locator(".wb-chart-canvas canvas[role=img]")).to_have_count(2)
    boss.screenshot(path="/tmp/e2e-wellbeing-results.png", full_page=True)

    assert console_errors == []

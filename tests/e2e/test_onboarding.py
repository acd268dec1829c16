"""In a real browser: a newcomer opens the invitation link before day one, sets a password, works
through onboarding tasks and sees the progress bar move; the manager then sees that progress."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from core.auth import invitations
from plugins.onboarding import journeys
from tests.plugins.onboarding.conftest import PDF, make_template, task

SCREENSHOT = "/tmp/e2e-onboarding.png"
PHONE_SCREENSHOT = "/tmp/e2e-onboarding-phone.png"
PASSWORD = "een lange zin die niemand raadt 2026"


def _progress(page) -> str:
    return page.locator("#journey-progress").get_attribute("value")


def _card(page, journey, title):
    task_id = next(t.id for t in journey.tasks if t.title == title)
    return page.locator(f"#task-{task_id}")


@pytest.mark.e2e
def test_newcomer_works_through_onboarding_and_the_manager_sees_it(
    app, db, make, enable_plugin, new_page, signed_in, console_errors, clock
):
    ggz = make.foundation("ggz", "GGZ")
    enable_plugin("onboarding", ggz)
    team = make.team(ggz, "FACT-team Deventer")
    manager = make.manager(ggz, team)
    newcomer = make.person(
        ggz,
        team,
        first_name="Noor",
        last_name="Nieuwenhuis",
        status="preboarding",
        start_date=clock.today() + timedelta(days=7),
        password_hash=None,
    )
    template = make_template(
        db,
        ggz,
        [
            task("Gedragscode lezen", -5, "confirm", document_text="Wij zijn **respectvol** naar cliënten."),
            task("VOG uploaden", -5, "upload", allowed_types=["pdf"], max_size_mb=2),
            task("Praktische gegevens", -3, "form", questions=["Welke naam wil je op je badge?"]),
            task("Werkplek regelen", -2, role="manager"),
        ],
    )
    journey = journeys.start_journey(newcomer, template, newcomer.start_date)
    db.session.commit()
    with app.test_request_context():
        invite_path = urlsplit(invitations.issue(newcomer, "welcome")).path
    db.session.commit()

    page = new_page()
    page.goto(invite_path)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=confirm]", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert urlsplit(page.url).path == "/"
    expect(page.locator("[data-testid=onboarding-widget]")).to_contain_text("0")
    page.click('main a[href="/onboarding/"]')
    expect(page.locator("main h1")).to_contain_text("Noor")
    assert _progress(page) == "0"

    confirm = _card(page, journey, "Gedragscode lezen")
    expect(confirm.locator(".task-document strong")).to_have_text("respectvol")
    confirm.locator("input[type=checkbox]").check()
    with page.expect_navigation():
        confirm.locator("button[type=submit]").click()
    assert _progress(page) == "1"

    upload = _card(page, journey, "VOG uploaden")
    upload.locator("input[type=file]").set_input_files(
        {"name": "vog.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    with page.expect_navigation():
        upload.locator("button[type=submit]").click()
    assert _progress(page) == "2"
    expect(_card(page, journey, "VOG uploaden").locator("a", has_text="vog.pdf")).to_be_visible()

    form = _card(page, journey, "Praktische gegevens")
    form.locator("textarea").fill("Noor N.")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert _progress(page) == "3"
    expect(_card(page, journey, "Praktische gegevens").locator("dd")).to_have_text("Noor N.")
    page.screenshot(path=SCREENSHOT, full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=PHONE_SCREENSHOT, full_page=True)

    boss = signed_in(manager)
    boss.goto("/onboarding/team")
    card = boss.locator(f'[data-journey="{journey.id}"]')
    expect(card).to_contain_text("Noor Nieuwenhuis")
    assert card.locator("progress").get_attribute("value") == "3"
    assert card.locator("progress").get_attribute("max") == "4"
    expect(boss.locator(f"#task-{journey.tasks[3].id}")).to_be_visible()  # the manager's own task

    assert console_errors == []

"""The newcomer's story with the keyboard alone: from the invitation link to a finished task, every
step reached with Tab and taken with Enter or Space, and the focus always visible."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from core.auth import invitations
from plugins.onboarding import journeys
from tests.plugins.onboarding.conftest import make_template, task

PASSWORD = "een lange zin die niemand raadt 2026"
MAX_TABS = 80


def _tab_to(page, selector: str) -> None:
    """Press Tab until the focused element matches ``selector``; fail when it never does."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            outline = page.evaluate("""() => { const style = getComputedStyle(document.activeElement);
                return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
                    || style.boxShadow !== 'none'; }""")
            assert outline, f"{selector} has focus but shows no focus ring"
            return
    pytest.fail(f"Tab never reached {selector} on {page.url}")


@pytest.mark.e2e
def test_a_newcomer_finishes_a_task_with_the_keyboard_alone(app, db, make, enable_plugin, new_page, clock):
    ggz = make.foundation("ggz", "GGZ")
    enable_plugin("onboarding", ggz)
    team = make.team(ggz, "FACT-team Deventer")
    newcomer = make.person(ggz, team, first_name="Noor", status="preboarding",
                           start_date=clock.today() + timedelta(days=7), password_hash=None)
    template = make_template(db, ggz, [task("Gedragscode lezen", -5, "confirm", document_text="Wij zijn respectvol.")])
    journey = journeys.start_journey(newcomer, template, newcomer.start_date)
    db.session.commit()
    task_id = journey.tasks[0].id
    with app.test_request_context():
        invite_path = urlsplit(invitations.issue(newcomer, "welcome")).path
    db.session.commit()

    page = new_page()
    page.goto(invite_path)
    _tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    _tab_to(page, "input[name=confirm]")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/"

    _tab_to(page, 'a[href="/onboarding/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/onboarding/"

    _tab_to(page, f"#task-{task_id} input[type=checkbox]")
    page.keyboard.press("Space")
    _tab_to(page, f"#task-{task_id} button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#journey-progress")).to_have_attribute("value", "1")

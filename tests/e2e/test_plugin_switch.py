"""In a real browser: an HR admin switches the example plugin on for their foundation only."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.models import FoundationPlugin

SCREENSHOT = "/tmp/e2e-plugins.png"
HELLO_LINK = 'header nav a[href="/hello/"]'


def path_of(page) -> str:
    return urlsplit(page.url).path


@pytest.mark.e2e
def test_hr_admin_switches_hello_on_for_own_foundation_only(signed_in, console_errors, make, db):
    ggz, welzijn = make.foundation("ggz", "GGZ"), make.foundation("welzijn", "Welzijn")
    hr_admin = make.person(ggz, role="hr_admin")
    colleague = make.person(ggz, make.team(ggz))
    outsider = make.person(welzijn, make.team(welzijn))

    admin = signed_in(hr_admin)
    admin.click("header nav.main-menu details.dropdown summary")  # the administration drop-down
    admin.click('header nav.main-menu a[href="/admin/plugins"]')
    row = admin.locator('tr[data-plugin="hello"][data-foundation="ggz"]')
    expect(row.locator(".status-off")).to_be_visible()
    # An HR admin administers only their own foundation.
    expect(admin.locator('tr[data-foundation="welzijn"]')).to_have_count(0)

    row.locator('a[href="/admin/plugins/hello/ggz/confirm"]').click()
    expect(admin).to_have_url(re.compile(r"/admin/plugins/hello/ggz/confirm$"))
    with admin.expect_navigation():
        admin.click('main form[action="/admin/plugins/hello/ggz"] button[type=submit]')  # posts the CSRF token
    assert path_of(admin) == "/admin/plugins"
    expect(row.locator(".status-on")).to_be_visible()
    expect(admin.locator("main .flash-success")).to_be_visible()
    admin.screenshot(path=SCREENSHOT, full_page=True)
    db.session.rollback()  # end this thread's transaction: the server committed in its own
    switches = db.session.execute(select(FoundationPlugin.foundation_id, FoundationPlugin.enabled)
                                  .where(FoundationPlugin.plugin_key == "hello")).all()
    assert switches == [(ggz.id, True)]

    employee = signed_in(colleague)
    expect(employee.locator(HELLO_LINK)).to_have_count(1)
    employee.click(HELLO_LINK)
    expect(employee).to_have_url(re.compile(r"/hello/$"))
    employee.fill("input[name=text]", "Goedemorgen allemaal")
    with employee.expect_navigation():
        employee.click("main form button[type=submit]")
    expect(employee.locator("main li", has_text="Goedemorgen allemaal")).to_be_visible()

    other = signed_in(outsider)
    expect(other.locator(HELLO_LINK)).to_have_count(0)
    assert other.goto("/hello/").status == 404

    assert console_errors == []

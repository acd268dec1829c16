"""In a real browser: HR finds a team among too many for a drop-down by typing part of its name."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.people import queries


@pytest.mark.e2e
def test_team_filter_suggests_names_while_typing(signed_in, console_errors, make, db, monkeypatch):
    monkeypatch.setattr(queries, "TEAM_SELECT_MAX", 2)
    ggz, welzijn = make.foundation("ggz", "GGZ"), make.foundation("welzijn", "Welzijn")
    hr_admin = make.person(ggz, role="hr_admin")
    crisis, day_care, _office = make.team(ggz, "Crisisdienst Twente"), make.team(ggz, "Dagbesteding"), make.team(ggz, "Kantoor")
    make.team(welzijn, "Crisisopvang Welzijn")
    on_call = make.person(ggz, crisis, last_name="Visser")
    make.person(ggz, day_care, last_name="Jansen")

    page = signed_in(hr_admin)
    page.goto("/people/")
    field = page.locator("#team")
    expect(field).to_have_attribute("name", "team_name")
    field.press_sequentially("cris", delay=30)
    options = page.locator("datalist#team-names option")
    expect(options).to_have_count(1)  # the other foundation's crisis team is never suggested
    expect(options.first).to_have_attribute("value", "Crisisdienst Twente")

    field.fill("Crisisdienst Twente")  # what choosing the suggestion puts in the field
    with page.expect_navigation():
        page.click("main form[role=search] button[type=submit]")
    expect(page.locator("tr[data-person]")).to_have_count(1)
    expect(page.locator(f'tr[data-person="{on_call.id}"]')).to_be_visible()
    expect(field).to_have_value("Crisisdienst Twente")
    assert console_errors == []

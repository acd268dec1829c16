"""In a real browser: an employee enrols in a session, the trainer marks attendance, the employee
downloads the certificate and sees the requirement turn compliant, and HR sees the matrix change."""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.api import clock
from core.plugin_switch import enable
from core.plugins import plugin_manager
from plugins.learning.models import Course, CourseSession, Requirement

SCREENSHOT = "/tmp/e2e-learning.png"


@pytest.mark.e2e
def test_enrol_attend_certificate_compliance(app, signed_in, console_errors, make, db):
    ggz = make.foundation("ggz", "GGZ")
    team = make.team(ggz, "Kliniek Almelo")
    employee = make.person(ggz, team, first_name="Mila", last_name="Werkman")
    trainer = make.person(ggz, team, first_name="Tom", last_name="Trainer")
    hr = make.person(ggz, role="hr_admin")
    enable(plugin_manager(app), ggz, "learning")
    course = Course(code="BHV", title="Bedrijfshulpverlening", format="classroom", validity_months=12, grace_days=30)
    db.session.add(course)
    db.session.flush()
    requirement = Requirement(foundation_id=ggz.id, title="BHV", courses=[course])
    start = (clock.local_now() + timedelta(days=5)).replace(hour=9, minute=0, second=0)
    session = CourseSession(foundation_id=ggz.id, course_id=course.id, starts_at=start, ends_at=start + timedelta(hours=4),
                            location="Hengelo", capacity=8, trainer_id=trainer.id)
    db.session.add_all([requirement, session])
    db.session.commit()
    matrix_cell = f'tr[data-person="{employee.email}"] td[data-requirement="{requirement.id}"] .ln-status'
    my_requirement = f'tr[data-requirement="{requirement.id}"] .ln-status'

    # HR sees the employee overdue before anything happened.
    admin = signed_in(hr)
    admin.goto("/learning/compliance")
    expect(admin.locator(matrix_cell)).to_have_attribute("data-status", "overdue")

    # The employee finds the course and enrols in the session.
    me = signed_in(employee)
    me.click('header nav a[href="/learning/"]')
    expect(me.locator(my_requirement)).to_have_attribute("data-status", "overdue")
    me.goto(f"/learning/courses/{course.id}")
    me.click(f'a[href="/learning/sessions/{session.id}"]')
    with me.expect_navigation():
        me.click('[data-testid="enrol"]')
    expect(me.locator('[data-testid="my-status"]')).to_be_visible()
    expect(me.locator(".flash-success")).to_be_visible()

    # The session takes place (time passes: it moves into the past).
    db.session.rollback()  # the server committed the enrolment in its own transaction
    moved = db.session.get(CourseSession, session.id)
    moved.starts_at, moved.ends_at = start - timedelta(days=7), start - timedelta(days=7) + timedelta(hours=4)
    db.session.commit()

    # The trainer registers attendance.
    coach = signed_in(trainer)
    coach.goto("/learning/")
    coach.click(f'[data-testid="attendance-{session.id}"]')
    expect(coach).to_have_url(re.compile(rf"/learning/sessions/{session.id}/attendance$"))
    row = coach.locator(f'tr[data-person="{employee.email}"]')
    row.locator("select[name$=-attendance]").select_option("present")
    row.locator("select[name$=-result]").select_option("passed")
    with coach.expect_navigation():
        coach.click("main form button[type=submit]")
    expect(coach.locator(".flash-success")).to_be_visible()

    # The employee downloads the certificate and sees the requirement compliant.
    me.goto("/learning/")
    expect(me.locator(my_requirement)).to_have_attribute("data-status", "compliant")
    me.click('section[aria-labelledby="records"] a[href^="/learning/records/"]')
    with me.expect_download() as download:
        me.click('[data-testid="certificate"]')
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename.startswith("certificate-")

    # HR sees the matrix change.
    admin.reload()
    expect(admin.locator(matrix_cell)).to_have_attribute("data-status", "compliant")
    admin.screenshot(path=SCREENSHOT, full_page=True)
    assert console_errors == []

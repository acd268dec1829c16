"""The demo organisation and the command line around it."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core import workdays
from core.models import Foundation, Notification, Person, RoleAssignment, Team
from core.plugins import plugin_manager

DEMO_ACCOUNTS = [
    "admin@example.org", "hr.ggz@example.org", "hr.welzijn@example.org", "hr.forensisch@example.org",
    "manager.ggz@example.org", "medewerker.ggz@example.org", "nieuw.ggz@example.org", "vrijwilliger.welzijn@example.org",
]


def test_demo_seeds_the_organisation_once(app, runner, db):
    result = runner.invoke(args=["journey", "demo"])
    assert result.exit_code == 0, result.output
    assert "journey-demo" in result.output and "admin@example.org" in result.output
    assert sorted(db.session.scalars(select(Foundation.slug))) == ["forensisch", "ggz", "welzijn"]
    assert 50 <= db.session.scalar(select(func.count(Person.id))) <= 70
    assert {t.region for t in db.session.scalars(select(Team))} == {"Twente", "Midden-IJssel", "IJssel-Vecht"}
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.kind == "core.message")) == len(DEMO_ACCOUNTS)
    again = runner.invoke(args=["journey", "demo"])
    assert again.exit_code == 0 and "already" in again.output
    assert db.session.scalar(select(func.count(Foundation.id))) == 3


def test_demo_accounts_sign_in_with_their_roles(app, runner, db):
    runner.invoke(args=["journey", "demo"])
    for email in DEMO_ACCOUNTS:
        client = app.test_client()
        response = client.post("/auth/login", data={"email": email, "password": "journey-demo"})
        assert response.status_code == 302, email
    roles = dict(db.session.execute(
        select(Person.email, RoleAssignment.role).join(RoleAssignment, RoleAssignment.person_id == Person.id)
    ).all())
    assert roles["admin@example.org"] == "group_admin" and roles["hr.welzijn@example.org"] == "hr_admin"
    manager = db.session.scalar(select(Person).where(Person.email == "manager.ggz@example.org"))
    newcomer = db.session.scalar(select(Person).where(Person.email == "nieuw.ggz@example.org"))
    assert manager.team.manager_id == manager.id and newcomer.team_id == manager.team_id
    assert newcomer.status == "preboarding"
    assert db.session.scalar(select(Person.person_type).where(Person.email == "vrijwilliger.welzijn@example.org")) == "volunteer"


def test_demo_enables_the_installed_built_in_plugins_per_foundation(app, runner, db):
    from core.demo import FOUNDATIONS

    runner.invoke(args=["journey", "demo"])
    manager = plugin_manager(app)
    for slug, _name, wanted in FOUNDATIONS:
        foundation = db.session.scalar(select(Foundation).where(Foundation.slug == slug))
        assert manager.enabled_keys(foundation.id) == {k for k in wanted if k in manager.plugins}


def test_create_admin(runner, make, db):
    make.foundation(slug="ggz")
    result = runner.invoke(args=["journey", "create-admin", "--email", "Boss@Example.org", "--foundation", "ggz"],
                           input="a very long admin password\na very long admin password\n")
    assert result.exit_code == 0, result.output
    person = db.session.scalar(select(Person).where(Person.email == "boss@example.org"))
    assert db.session.scalar(select(RoleAssignment.role).where(RoleAssignment.person_id == person.id)) == "group_admin"


def test_create_admin_refuses_a_weak_password_and_changes_nothing(runner, make, db):
    make.foundation(slug="ggz")
    result = runner.invoke(args=["journey", "create-admin", "--email", "boss@example.org", "--foundation", "ggz"],
                           input="password\npassword\n")
    assert result.exit_code != 0
    assert db.session.scalar(select(func.count(Person.id))) == 0


@pytest.mark.parametrize("today", [date(2026, 3, 2) + timedelta(days=n) for n in range(7)])  # Monday to Sunday
def test_the_demo_newcomer_starts_on_a_working_day_whatever_day_it_is_seeded(app, runner, db, clock, today):
    clock.set(datetime(today.year, today.month, today.day, 10, 0))
    assert runner.invoke(args=["journey", "demo"]).exit_code == 0
    newcomer = db.session.scalar(select(Person).where(Person.email == "nieuw.ggz@example.org")
                                 .execution_options(all_tenants=True))
    assert workdays.is_working_day(newcomer.start_date)
    assert timedelta(days=7) <= newcomer.start_date - today <= timedelta(days=10)

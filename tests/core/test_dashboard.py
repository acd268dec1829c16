"""The dashboard: greeting, plugin widgets, and a bounded number of queries."""
from __future__ import annotations

import re

from sqlalchemy import insert

from core.models import Person
from core.plugin_switch import enable
from core.plugins import plugin_manager
from core.testing.querycount import count_queries


def _add_people(db, foundation, team, n):
    start = db.session.scalar(db.select(db.func.coalesce(db.func.max(Person.id), 0))) + 1
    db.session.execute(insert(Person), [
        {"id": start + i, "foundation_id": foundation.id, "team_id": team.id, "first_name": "Bulk", "last_name": f"P{i}",
         "email": f"bulk{start + i}@example.test", "status": "active", "person_type": "employee",
         "locale": "nl", "session_version": 1, "login_enabled": True}
        for i in range(n)
    ])
    db.session.commit()


def test_dashboard_greets_and_shows_widgets_of_enabled_plugins(app, client, make, login):
    a = make.foundation()
    person = make.person(a, first_name="Saskia")
    enable(plugin_manager(app), a, "hello")
    login(person)
    html = client.get("/").get_data(as_text=True)
    assert "Saskia" in html and "/hello/" in html


def test_dashboard_queries_do_not_grow_with_the_organisation(app, client, make, login, db):
    a = make.foundation()
    team = make.team(a)
    hr = make.person(a, team, role="hr_admin")
    enable(plugin_manager(app), a, "hello")
    login(hr)
    counts = []
    for extra in (10, 990):
        _add_people(db, a, team, extra)
        client.get("/")  # warm caches
        with count_queries(db.engine) as statements:
            assert client.get("/").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def _administration_menu(html: str) -> list[str]:
    menu = re.search(r'<nav aria-label="[^"]+" class="main-menu">(.*?)</nav>', html, re.S).group(1)
    dropdown = re.search(r'<details class="dropdown">(.*?)</details>', menu, re.S)
    return re.findall(r'<a href="(/admin/[^"]*)"', dropdown.group(1)) if dropdown else []


def test_administration_pages_are_one_drop_down_of_what_one_may_open(client, make, login):
    a = make.foundation()
    for person, expected in [
        (make.person(a), []),
        (make.person(a, role="hr_admin"), ["/admin/plugins", "/admin/audit"]),
        (make.person(a, role="group_admin"), ["/admin/plugins", "/admin/audit", "/admin/outbox", "/admin/jobs"]),
    ]:
        login(person)
        html = client.get("/").get_data(as_text=True)
        assert _administration_menu(html) == expected
        client.post("/auth/logout")


def test_the_accessibility_statement_is_open_to_everyone_and_linked_from_every_page(app, client, make, login):
    statement = client.get("/accessibility")
    assert statement.status_code == 200
    assert "WCAG 2.1" in statement.get_data(as_text=True)
    assert 'href="/accessibility"' in client.get("/auth/login").get_data(as_text=True)
    app.config["ACCESSIBILITY_CONTACT"] = "toegankelijkheid@example.org"
    try:
        assert "toegankelijkheid@example.org" in client.get("/accessibility").get_data(as_text=True)
    finally:
        app.config["ACCESSIBILITY_CONTACT"] = None

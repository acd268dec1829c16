"""Roles per foundation, the teams a manager manages, and what a request remembers of them."""
from __future__ import annotations

from core.extensions import db as _db
from core.models import RoleAssignment
from core.permissions import admin_foundation_ids, has_permission, managed_team_ids, managed_teams, roles_of
from core.plugins import plugin_manager
from core.testing.querycount import count_queries


def test_roles_per_foundation(app, make, db):
    a, b = make.foundation(), make.foundation()
    employee = make.person(a)
    manager = make.person(a)
    make.team(a, "Care", manager=manager)
    hr = make.person(a, role="hr_admin")
    group = make.person(b, role="group_admin")
    assert roles_of(employee, a.id) == {"employee"}
    assert roles_of(employee, b.id) == frozenset()
    assert roles_of(manager, a.id) == {"employee", "manager"}
    assert roles_of(hr, a.id) == {"employee", "hr_admin"} and roles_of(hr, b.id) == frozenset()
    assert roles_of(group, a.id) == {"group_admin"}
    assert admin_foundation_ids(hr) == {a.id} and admin_foundation_ids(group) is None
    assert admin_foundation_ids(employee) == frozenset()
    assert has_permission(manager, "core.view_people", a.id) and not has_permission(manager, "core.view_all_people", a.id)


def test_managed_teams_are_those_of_the_foundation_by_name(make, db):
    a, b = make.foundation(), make.foundation()
    manager = make.person(a)
    zorg, acute = make.team(a, "Zorg", manager=manager), make.team(a, "Acute zorg", manager=manager)
    make.team(a, "Other")
    elsewhere = make.team(b, "Elsewhere", manager=manager)
    assert managed_teams(manager, a.id) == [acute, zorg]
    assert managed_team_ids(manager, b.id) == {elsewhere.id}
    # a team elsewhere does not make one a manager there: only members of a foundation hold roles in it
    assert "manager" not in roles_of(manager, b.id)


def test_outside_a_request_nothing_is_remembered(make, db):
    a = make.foundation()
    person = make.person(a)
    assert roles_of(person, a.id) == {"employee"}
    make.team(a, manager=person)
    db.session.add(RoleAssignment(person_id=person.id, role="hr_admin", foundation_id=a.id))
    db.session.commit()
    assert roles_of(person, a.id) == {"employee", "manager", "hr_admin"}


def test_a_request_reads_roles_teams_and_plugin_state_once(app, make, db):
    a = make.foundation()
    person = make.person(a)
    make.team(a, manager=person)
    with app.test_request_context():
        roles_of(person, a.id)
        plugin_manager().enabled_keys(a.id)
        with count_queries(_db.engine) as statements:
            for _ in range(3):
                roles_of(person, a.id)
                admin_foundation_ids(person)
                managed_teams(person, a.id)
                plugin_manager().enabled_keys(a.id)
                plugin_manager().settings("hello", a.id)
        assert statements == []


def test_saved_plugin_state_is_read_again_after_forget_state(app, make, db):
    from core.models import FoundationPlugin

    a = make.foundation()
    with app.test_request_context():
        assert plugin_manager().settings("hello", a.id) == {}
        db.session.add(FoundationPlugin(foundation_id=a.id, plugin_key="hello", enabled=True,
                                        settings={"greeting": "Hoi"}))
        db.session.commit()
        assert plugin_manager().settings("hello", a.id) == {}  # still this request's reading
        plugin_manager().forget_state()
        assert plugin_manager().settings("hello", a.id) == {"greeting": "Hoi"}
        assert "hello" in plugin_manager().enabled_keys(a.id)
        plugin_manager().settings("hello", a.id)["greeting"] = "changed"  # a copy: the reading stays
        assert plugin_manager().settings("hello", a.id) == {"greeting": "Hoi"}

"""Foundation scoping is central: a request sees only the foundations its person may see."""
from __future__ import annotations

from sqlalchemy import select

from core import tenancy
from core.models import Person, Team


def _names(app, scope):
    with app.test_request_context():
        tenancy.set_scope(scope)
        return sorted(p.email for p in tenancy.db.session.scalars(select(Person)))


def test_queries_in_a_request_see_only_the_scope(app, make, db):
    a, b = make.foundation(), make.foundation()
    pa, pb = make.person(a), make.person(b)
    assert _names(app, frozenset({a.id})) == [pa.email]
    assert _names(app, frozenset({b.id})) == [pb.email]  # no cached criteria from the previous scope
    assert _names(app, None) == sorted([pa.email, pb.email])
    assert _names(app, frozenset()) == []


def test_joins_and_relationships_are_scoped_too(app, make, db):
    a, b = make.foundation(), make.foundation()
    team_b = make.team(b)
    make.person(b, team_b)
    with app.test_request_context():
        tenancy.set_scope(frozenset({a.id}))
        assert db.session.scalars(select(Team).join(Person, Person.team_id == Team.id)).all() == []


def test_get_or_404_hides_other_foundations(app, make, db):
    import pytest
    from werkzeug.exceptions import NotFound

    a, b = make.foundation(), make.foundation()
    pb = make.person(b)
    with app.test_request_context():
        tenancy.set_scope(frozenset({a.id}))
        with pytest.raises(NotFound):
            tenancy.get_or_404(Person, pb.id)
        tenancy.set_scope(frozenset({b.id}))
        assert tenancy.get_or_404(Person, pb.id).email == pb.email


def test_explicit_cross_foundation_lookups_say_so(app, make, db):
    b = make.foundation()
    pb = make.person(b)
    with app.test_request_context():
        tenancy.set_scope(frozenset())
        found = db.session.scalar(select(Person).where(Person.id == pb.id).execution_options(all_tenants=True))
        assert found is not None


def test_outside_requests_nothing_is_filtered(make, db):
    a, b = make.foundation(), make.foundation()
    make.person(a), make.person(b)
    assert len(db.session.scalars(select(Person)).all()) == 2


def test_group_admin_switches_the_acting_foundation(app, client, make, login):
    from core.plugin_switch import enable
    from core.plugins import plugin_manager

    a, b = make.foundation(), make.foundation()
    enable(plugin_manager(app), b, "hello")
    login(make.person(a, role="group_admin"))
    assert client.get("/hello/").status_code == 404
    assert client.post("/foundation", data={"foundation_id": b.id}).status_code == 302
    assert client.get("/hello/").status_code == 200


def test_employees_cannot_switch_to_another_foundation(client, make, login):
    a, b = make.foundation(), make.foundation()
    login(make.person(a))
    assert client.post("/foundation", data={"foundation_id": b.id}).status_code == 404

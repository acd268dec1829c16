"""Switching plugins per foundation: the admin page, the CLI, requirements, no restart."""
from __future__ import annotations

import types

import pytest

from core.hookspecs import hookimpl
from core.models import AuditEvent, FoundationPlugin
from core.plugin_switch import SwitchRefused, disable, enable
from core.plugins import plugin_manager


def _flash(response) -> str:
    page = response.get_data(as_text=True)
    start = page.index(">", page.index('class="flash')) + 1
    return page[start:page.index("</p>", start)]


@pytest.fixture
def needy(app):
    """A plugin 'needy' that requires 'hello', registered for one test."""
    module = types.ModuleType("needy_plugin")
    module.__file__ = __file__
    module.KEY, module.REQUIRES, module.TITLE = "needy", ("hello",), {"nl": "Veeleisend", "en": "Needy"}
    module.privacy_export = hookimpl(lambda person: {})
    module.privacy_erase = hookimpl(lambda person: None)
    manager = plugin_manager(app)
    manager.register(module)
    yield module
    manager.pm.unregister(name="needy")
    del manager.plugins["needy"]


def test_hr_admin_switches_a_plugin_on_and_off_without_restart(client, make, login, db):
    a = make.foundation()
    hr, employee = make.person(a, role="hr_admin"), make.person(a)
    login(hr)
    page = client.get("/admin/plugins").get_data(as_text=True)
    assert f'data-plugin="hello" data-foundation="{a.slug}"' in page
    assert client.get(f"/admin/plugins/hello/{a.slug}/confirm").status_code == 200
    switched_on = client.post(f"/admin/plugins/hello/{a.slug}", data={"action": "enable"}, follow_redirects=True)
    assert _flash(switched_on) == f"Aangezet voor {a.name}: Hallo."  # its name, never its key
    login(employee)
    assert client.get("/hello/").status_code == 200
    login(hr)
    switched_off = client.post(f"/admin/plugins/hello/{a.slug}", data={"action": "disable"}, follow_redirects=True)
    assert _flash(switched_off).startswith(f"Hallo staat nu uit voor {a.name}.")
    login(employee)
    assert client.get("/hello/").status_code == 404
    actions = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.action.like("plugin.%")).order_by(AuditEvent.id)).all()
    assert actions == ["plugin.enabled", "plugin.disabled"]


def test_switching_off_keeps_the_data(app, client, make, login, db):
    from journey_hello.models import HelloGreeting

    a = make.foundation()
    person = make.person(a, role="hr_admin")
    enable(plugin_manager(app), a, "hello")
    login(person)
    client.post("/hello/", data={"text": "Goedemorgen"})
    disable(plugin_manager(app), a, "hello")
    assert db.session.scalar(db.select(HelloGreeting.text)) == "Goedemorgen"
    enable(plugin_manager(app), a, "hello")
    assert "Goedemorgen" in client.get("/hello/").get_data(as_text=True)


def test_hr_admin_cannot_switch_another_foundation(client, make, login, db):
    a, b = make.foundation(), make.foundation()
    login(make.person(a, role="hr_admin"))
    assert f'data-foundation="{b.slug}"' not in client.get("/admin/plugins").get_data(as_text=True)
    assert client.post(f"/admin/plugins/hello/{b.slug}", data={"action": "enable"}).status_code == 404
    assert client.get(f"/admin/plugins/hello/{b.slug}/confirm").status_code == 404
    assert db.session.scalar(db.select(FoundationPlugin.id)) is None


def test_group_admin_sees_every_foundation(client, make, login):
    a, b = make.foundation(), make.foundation()
    login(make.person(a, role="group_admin"))
    page = client.get("/admin/plugins").get_data(as_text=True)
    assert f'data-foundation="{a.slug}"' in page and f'data-foundation="{b.slug}"' in page
    assert client.post(f"/admin/plugins/hello/{b.slug}", data={"action": "enable"}).status_code == 302


def test_employees_may_not_open_plugin_admin(client, make, login):
    a = make.foundation()
    login(make.person(a))
    assert client.get("/admin/plugins").status_code == 403
    assert client.post(f"/admin/plugins/hello/{a.slug}", data={"action": "enable"}).status_code == 403


def test_unknown_plugin_or_foundation_is_404(client, make, login):
    a = make.foundation()
    login(make.person(a, role="group_admin"))
    assert client.get(f"/admin/plugins/nope/{a.slug}/confirm").status_code == 404
    assert client.get("/admin/plugins/hello/nope/confirm").status_code == 404


def test_requirements_are_named_and_offered(app, client, make, login, needy, db):
    a = make.foundation()
    login(make.person(a, role="hr_admin"))
    page = client.get(f"/admin/plugins/needy/{a.slug}/confirm").get_data(as_text=True)
    assert 'name="with_requirements"' in page and "heeft Hallo nodig" in page
    with pytest.raises(SwitchRefused) as refused:
        enable(plugin_manager(app), a, "needy")
    assert refused.value.keys == ["hello"]
    client.post(f"/admin/plugins/needy/{a.slug}", data={"action": "enable", "with_requirements": "1"})
    assert plugin_manager(app).enabled_keys(a.id) == {"hello", "needy"}


def test_switching_off_a_required_plugin_is_refused_with_its_name(app, client, make, login, needy, db):
    a = make.foundation()
    enable(plugin_manager(app), a, "needy", with_requirements=True)
    login(make.person(a, role="hr_admin"))
    response = client.post(f"/admin/plugins/hello/{a.slug}", data={"action": "disable"}, follow_redirects=True)
    assert "Veeleisend" in _flash(response)
    assert plugin_manager(app).is_enabled("hello", a.id)


def test_cli_enables_and_disables(app, runner, make):
    a = make.foundation(slug="ggz")
    result = runner.invoke(args=["journey", "plugins", "enable", "hello", "--foundation", "ggz"])
    assert result.exit_code == 0, result.output
    assert plugin_manager(app).is_enabled("hello", a.id)
    listing = runner.invoke(args=["journey", "plugins", "list"]).output
    assert "hello 1.0.0 on: ggz" in listing
    result = runner.invoke(args=["journey", "plugins", "disable", "hello", "--foundation", "ggz"])
    assert result.exit_code == 0 and not plugin_manager(app).is_enabled("hello", a.id)


@pytest.mark.parametrize("args,message", [
    (["enable", "nope", "--foundation", "ggz"], "no installed plugin nope"),
    (["enable", "hello", "--foundation", "nope"], "unknown foundation 'nope'"),
    (["disable", "hello", "--foundation", "nope"], "unknown foundation 'nope'"),
    (["enable", "Bad Key!", "--foundation", "ggz"], "no installed plugin"),
])
def test_cli_bad_input_is_refused_and_changes_nothing(runner, make, db, args, message):
    make.foundation(slug="ggz")
    result = runner.invoke(args=["journey", "plugins", *args])  # in English, like the rest of the command line
    assert result.exit_code != 0
    assert message in result.output.replace("\n", " ")
    assert db.session.scalar(db.select(FoundationPlugin.id)) is None


def test_cli_refuses_missing_requirements(runner, make, needy):
    make.foundation(slug="ggz")
    result = runner.invoke(args=["journey", "plugins", "enable", "needy", "--foundation", "ggz"])
    assert result.exit_code != 0 and "hello" in result.output
    result = runner.invoke(args=["journey", "plugins", "enable", "needy", "--foundation", "ggz", "--with-requirements"])
    assert result.exit_code == 0 and "hello, needy" in result.output

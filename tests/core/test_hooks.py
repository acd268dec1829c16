"""One test per hookspec (the meta-test in test_plugin_contract.py checks that each exists)."""
from __future__ import annotations

import random

from core import events
from core.extensions import db
from core.hookspecs import hookimpl
from core.permissions import all_permissions, has_permission
from core.plugin_switch import disable, enable
from core.plugins import plugin_manager


def _on(app, foundation, key="spy"):
    enable(plugin_manager(app), foundation, key)


def test_hook_register_blueprints(app, client, make, login, spy):
    a, b = make.foundation(), make.foundation()
    _on(app, a)
    login(make.person(a))
    assert client.get("/spy/").get_data(as_text=True) == "spy landing"
    login(make.person(b))
    assert client.get("/spy/").status_code == 404


def test_hook_register_permissions(app, make, spy):
    assert all_permissions()["spy.use"].default_roles == ("employee",)
    a = make.foundation()
    person = make.person(a)
    with app.test_request_context():
        assert has_permission(person, "spy.use", a.id)
        assert not has_permission(person, "core.manage_plugins", a.id)


def test_hook_register_cli_commands(runner, spy):
    result = runner.invoke(args=["journey", "spy-hello"])
    assert result.exit_code == 0
    assert "spy says hello" in result.output


def test_hook_register_jobs(app, make, spy):
    """The scheduler's own tests are tests/core/test_jobs.py; here: a plugin job runs where it is on."""
    from core.job_runs import run_job
    from core.jobs import registered_jobs

    a, _off = make.foundation(), make.foundation()
    _on(app, a)
    assert registered_jobs(app)["spy.sweep"].owner == "spy"
    run_job(registered_jobs(app)["spy.sweep"], runner="test")
    assert spy.calls("job") == [{"foundation": a.id}]


def test_hook_register_notification_kinds(app, make, spy):
    """A plugin's kinds (and core's, from core.builtin) are known; notify() refuses any other."""
    import pytest

    from core.notifications import all_kinds, get_kind, notify

    with app.test_request_context():
        owners = {kind.key: kind.owner for kind in all_kinds()}
        assert owners["spy.greeting"] == "spy" and owners["core.message"] == "core"
        assert get_kind("spy.greeting").default_channel == "in_app"
        person = make.person(make.foundation())
        assert notify(person, "spy.greeting", "Hi").channel == "in_app"
        with pytest.raises(KeyError, match="spy.undeclared"):
            notify(person, "spy.undeclared", "Hi")


def test_hook_plugin_settings_form(app, client, make, login, spy):
    a = make.foundation()
    _on(app, a)
    login(make.person(a, role="hr_admin"))
    assert client.post(f"/admin/plugins/spy/{a.slug}/settings", data={"threshold": "3"}).status_code == 400  # refused: a form error
    assert plugin_manager(app).settings("spy", a.id) == {}
    response = client.post(f"/admin/plugins/spy/{a.slug}/settings", data={"threshold": "7"})
    assert response.status_code == 302
    assert plugin_manager(app).settings("spy", a.id) == {"threshold": 7}


def test_hook_nav_items(app, client, make, login, spy):
    a, b = make.foundation(), make.foundation()
    _on(app, a)
    login(make.person(a))
    assert "SpyNav" in client.get("/").get_data(as_text=True)
    login(make.person(b))
    spy.CALLS.clear()
    assert "SpyNav" not in client.get("/").get_data(as_text=True)
    assert spy.calls("nav_items") == []


def test_hook_dashboard_widgets(app, client, make, login, spy):
    a, b = make.foundation(), make.foundation()
    _on(app, a)
    person = make.person(a)
    login(person)
    html = client.get("/").get_data(as_text=True)
    assert "SpyWidget" in html and '<p class="spy-widget">42</p>' in html
    assert spy.calls("dashboard_widgets") == [{"user": person.id, "foundation": a.id}]
    login(make.person(b))
    assert "SpyWidget" not in client.get("/").get_data(as_text=True)


def test_hook_person_sections(app, client, make, login, spy):
    a = make.foundation()
    _on(app, a)
    hr = make.person(a, role="hr_admin")
    person = make.person(a)
    login(hr)
    html = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "SpySection" in html and '<p class="spy-section">7</p>' in html
    assert spy.calls("person_sections") == [{"person": person.id, "viewer": hr.id}]


def _fire_and_commit(name, foundation, **kwargs):
    events.fire(name, foundation.id, **kwargs)
    events.commit()


def test_hook_person_hired(app, make, spy):
    a, b = make.foundation(), make.foundation()
    _on(app, a)
    person_a, person_b = make.person(a), make.person(b)
    _fire_and_commit("person_hired", a, person=person_a)
    _fire_and_commit("person_hired", b, person=person_b)
    assert spy.calls("person_hired") == [{"person": person_a.id}]


def test_hook_person_transferred(app, make, spy):
    a = make.foundation()
    _on(app, a)
    old, new = make.team(a), make.team(a)
    person = make.person(a, new)
    _fire_and_commit("person_transferred", a, person=person, from_team=old, to_team=new)
    assert spy.calls("person_transferred") == [{"person": person.id, "from_team": old.id, "to_team": new.id}]


def test_hook_person_changed(app, make, spy):
    from datetime import date

    from core.people.service import update_person

    a = make.foundation()
    _on(app, a)
    person = make.person(a, start_date=date(2027, 1, 4))
    update_person(person, {"start_date": date(2027, 2, 1), "job_title": "Verpleegkundige"})
    [call] = spy.calls("person_changed")
    assert call["person"] == person.id
    assert call["changes"]["start_date"] == (date(2027, 1, 4), date(2027, 2, 1))
    assert set(call["changes"]) == {"start_date", "job_title"}


def test_hook_person_leaving(app, make, spy):
    a = make.foundation()
    _on(app, a)
    person = make.person(a)
    _fire_and_commit("person_leaving", a, person=person)
    assert spy.calls("person_leaving") == [{"person": person.id}]


def test_events_wait_for_commit_and_vanish_on_rollback(app, make, spy):
    a = make.foundation()
    _on(app, a)
    person = make.person(a)
    events.fire("person_leaving", a.id, person=person)
    assert spy.calls("person_leaving") == []
    db.session.rollback()
    events.commit()
    assert spy.calls("person_leaving") == []


class _Listener:
    def __init__(self):
        self.seen = []

    @hookimpl
    def person_hired(self, person):
        self.seen.append(person.id)


def test_a_failing_listener_does_not_stop_the_others(app, make, spy):
    a = make.foundation()
    _on(app, a)
    spy.FAIL_ON.add("person_hired")
    listener = _Listener()
    manager = plugin_manager(app)
    manager.pm.register(listener, name="listener")  # not a Journey plugin, so never gated
    try:
        person = make.person(a)
        _fire_and_commit("person_hired", a, person=person)
    finally:
        manager.pm.unregister(name="listener")
    assert spy.calls("person_hired") == [{"person": person.id}]
    assert listener.seen == [person.id]


def test_hook_plugin_enabled(app, make, spy):
    a = make.foundation()
    _on(app, a)
    assert spy.calls("plugin_enabled") == [{"foundation": a.id, "key": "spy"}]


def test_hook_plugin_disabled(app, make, spy):
    a = make.foundation()
    manager = plugin_manager(app)
    _on(app, a)
    enable(manager, a, "hello")
    disable(manager, a, "hello")
    assert spy.calls("plugin_disabled") == [{"foundation": a.id, "key": "hello"}]


def test_hook_privacy_export(app, make, spy):
    a = make.foundation()  # spy stays off: privacy hooks reach every installed plugin
    person = make.person(a)
    results = plugin_manager(app).all_hooks().privacy_export(person=person)
    assert {"spied": True} in results
    assert spy.calls("privacy_export") == [{"person": person.id}]


def test_hook_privacy_erase(app, make, spy):
    a = make.foundation()
    person = make.person(a)
    plugin_manager(app).all_hooks().privacy_erase(person=person)
    assert spy.calls("privacy_erase") == [{"person": person.id}]


def test_hook_seed_demo(app, make, spy):
    a, b = make.foundation(), make.foundation()
    _on(app, a)
    manager = plugin_manager(app)
    for foundation in (a, b):
        manager.hook_for(foundation.id).seed_demo(foundation=foundation, people=[1, 2], rng=random.Random(1), scale="demo")
    assert spy.calls("seed_demo") == [{"foundation": a.id, "people": 2, "scale": "demo"}]

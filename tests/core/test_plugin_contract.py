"""Meta-tests of the plugin contract: documented, tested, enforced at start-up."""
from __future__ import annotations

import importlib
import inspect
import types
from pathlib import Path

import pytest
from flask import Blueprint
from sqlalchemy import Integer
from sqlalchemy.orm import DeclarativeBase, mapped_column

from core import PROJECT_ROOT, events, hookspecs
from core.contributions import Permission
from core.hookspecs import hookimpl
from core.plugins import PluginError, PluginManager, plugin_manager
from tests.conftest import PLUGINS


def _spec_modules() -> dict[str, types.ModuleType]:
    """Core's hookspecs and those the suite's plugins declare (``HOOKSPECS``), by owner."""
    modules = {"core": hookspecs}
    for name in PLUGINS:
        plugin = importlib.import_module(name)
        if getattr(plugin, "HOOKSPECS", None) is not None:
            modules[plugin.KEY] = plugin.HOOKSPECS
    return modules


SPECS = sorted(
    (owner, name, fn) for owner, module in _spec_modules().items() for name, fn in vars(module).items()
    if inspect.isfunction(fn) and hasattr(fn, "journey_spec")
)
HOOKS = [name for owner, name, _fn in SPECS if owner == "core"]
IDS = [f"{owner}.{name}" for owner, name, _fn in SPECS]


def _signature(fn) -> str:
    return f"{fn.__name__}({', '.join(inspect.signature(fn).parameters)})"


def test_there_are_hooks():
    assert {"nav_items", "privacy_export", "seed_demo"} <= set(HOOKS)
    assert "training_completed" in {name for _owner, name, _fn in SPECS}  # learning's own


@pytest.mark.parametrize("owner, name, fn", SPECS, ids=IDS)
def test_every_hookspec_is_typed_and_documented_per_parameter(owner, name, fn):
    """pytest's style: a type for every parameter and the result, a `:param:` line for each parameter,
    and the calling rule."""
    doc = inspect.getdoc(fn) or ""
    signature = inspect.signature(fn)
    assert signature.return_annotation is not inspect.Signature.empty
    for parameter in signature.parameters.values():
        assert parameter.annotation is not inspect.Parameter.empty, parameter.name
        assert f":param {parameter.name}:" in doc, parameter.name
    assert "Calling rule:" in doc


@pytest.mark.parametrize("owner, name, fn", SPECS, ids=IDS)
def test_every_hookspec_is_in_the_plugin_docs_with_its_signature(owner, name, fn):
    docs = (PROJECT_ROOT / "docs" / "plugins.md").read_text()
    assert f"`{_signature(fn)}`" in docs


@pytest.mark.parametrize("owner, name, fn", SPECS, ids=IDS)
def test_every_hookspec_is_exercised_by_a_test(owner, name, fn):
    """Core's hooks in tests/core/test_hooks.py, a plugin's own in its tests/plugins/<key>/."""
    folder = PROJECT_ROOT / "tests" / ("core" if owner == "core" else f"plugins/{owner}")
    files = [folder / "test_hooks.py"] if owner == "core" else sorted(folder.glob("test_*.py"))
    assert any(f"def test_hook_{name}(" in path.read_text() for path in files), \
        f"write a test named test_hook_{name} in {folder.relative_to(PROJECT_ROOT)}"


def test_every_installed_plugin_implements_the_privacy_hooks(app):
    for key in plugin_manager(app).plugins:
        plugin = plugin_manager(app).pm.get_plugin(key)
        names = {impl.plugin_name for hook in ("privacy_export", "privacy_erase")
                 for impl in getattr(plugin_manager(app).pm.hook, hook).get_hookimpls()}
        assert key in names, plugin


def _plugin(key="extra", **attrs) -> types.ModuleType:
    module = types.ModuleType(f"plugin_{key}")
    module.__file__ = str(Path(__file__))
    module.KEY = key
    module.privacy_export = hookimpl(lambda person: {})
    module.privacy_erase = hookimpl(lambda person: None)
    for name, value in attrs.items():
        setattr(module, name, value)
    return module


def test_a_plugin_without_privacy_hooks_is_refused():
    module = _plugin()
    del module.privacy_erase
    with pytest.raises(PluginError, match="privacy_erase"):
        PluginManager().register(module)


def test_a_misspelt_hook_fails_at_start_up():
    manager = PluginManager()
    manager.register(_plugin(nav_itmes=hookimpl(lambda user, foundation: [])))
    with pytest.raises(Exception, match="nav_itmes"):
        manager.load(autoload=False, extra=[])


def test_a_plugin_key_must_be_an_identifier():
    with pytest.raises(PluginError, match="KEY"):
        PluginManager().register(_plugin(key="Bad-Key"))


def test_a_requirement_must_be_installed():
    manager = PluginManager()
    manager.register(_plugin(REQUIRES=("missing",)))
    with pytest.raises(PluginError, match="requires missing"):
        manager.load(autoload=False, extra=[])


def test_the_blueprint_must_carry_the_plugin_key(app):
    manager = PluginManager()
    manager.register(_plugin(register_blueprints=hookimpl(lambda: [Blueprint("other", __name__)])))
    with pytest.raises(PluginError, match="blueprint must be named 'extra'"):
        manager.init_app(app)


def test_permissions_must_carry_the_plugin_key(app):
    manager = PluginManager()
    manager.register(_plugin(register_permissions=hookimpl(lambda: [Permission("other.thing", "x")])))
    with pytest.raises(PluginError, match="must start with 'extra.'"):
        manager.init_app(app)


def test_plugin_tables_must_carry_the_plugin_key():
    class Base(DeclarativeBase):
        pass

    class Unprefixed(Base):
        __tablename__ = "unprefixed_thing"
        __module__ = "plugin_tabled"
        id = mapped_column(Integer, primary_key=True)

    module = _plugin(key="tabled")
    module.__name__ = "plugin_tabled"
    manager = PluginManager()
    manager.register(module)
    with pytest.raises(PluginError, match="table 'unprefixed_thing' must start with 'tabled_'"):
        manager.check_tables(Base.registry.mappers)


def test_a_disabled_plugin_never_serves_its_foundation(app, client, make, login, spy):
    """Off for B: no routes, no nav, no widgets, no events, no demo data; privacy still reaches it."""
    from core.plugin_switch import enable

    a, b = make.foundation(), make.foundation()
    enable(plugin_manager(app), a, "spy")
    spy.CALLS.clear()
    person_b = make.person(b)
    login(person_b)
    assert client.get("/").status_code == 200
    assert client.get("/spy/").status_code == 404
    for name, kwargs in (("person_hired", {"person": person_b}), ("person_leaving", {"person": person_b}),
                         ("person_transferred", {"person": person_b, "from_team": None, "to_team": None})):
        events.fire(name, b.id, **kwargs)
    events.commit()
    plugin_manager(app).hook_for(b.id).seed_demo(foundation=b, people=[], rng=None, scale="demo")
    assert spy.CALLS == []
    plugin_manager(app).all_hooks().privacy_export(person=person_b)
    assert [name for name, _ in spy.CALLS] == ["privacy_export"]

"""Journey plugin ``hello``: the smallest complete plugin, to copy when writing your own.

It adds a page at /hello/ where people leave a greeting for their foundation, a menu item, a
dashboard widget and a permission, with its own table and migration lineage. It has the shape of
every plugin (docs/plugins.md, "The shape of a plugin"): this module holds the metadata and the
hook implementations only, and imports the rest when a hook is called.
"""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from core.api import NavItem, Permission, Widget, hookimpl

KEY = "hello"
TITLE = {"nl": "Hallo", "en": "Hello"}
DESCRIPTION = {
    "nl": "Voorbeeldplug-in: laat een groet achter voor je collega's.",
    "en": "Example plugin: leave a greeting for your colleagues.",
}
REQUIRES: tuple[str, ...] = ()


@hookimpl
def register_blueprints():
    from journey_hello.views import bp

    return [bp]


@hookimpl
def register_permissions():
    return [Permission("hello.greet", _l("Leave a greeting"), ("employee",))]


@hookimpl
def nav_items(user, foundation):
    return [NavItem(label=str(_l("Hello")), url=url_for("hello.index"), order=90)]


@hookimpl
def dashboard_widgets(user, foundation):
    from journey_hello import greetings

    return [Widget(title=str(_l("Greetings")), template="hello/widget.html",
                   context={"count": greetings.count(foundation.id)}, order=90)]


@hookimpl
def privacy_export(person):
    from journey_hello import privacy

    return privacy.export(person)


@hookimpl
def privacy_erase(person):
    from journey_hello import privacy

    privacy.erase(person)


@hookimpl
def seed_demo(foundation, people, rng, scale):
    from journey_hello import demo

    demo.seed(foundation, people, rng, scale)

"""A test plugin that records every hook call, to prove what core calls and when."""
from __future__ import annotations

import click
from flask import Blueprint
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import NumberRange

from core.contributions import JobSpec, NavItem, NotificationKind, Permission, PersonSection, Widget
from core.hookspecs import hookimpl

KEY = "spy"
TITLE = {"nl": "Spion", "en": "Spy"}
DESCRIPTION = "Records hook calls in tests."
CALLS: list[tuple[str, dict]] = []
FAIL_ON: set[str] = set()  # hook names that raise, to test isolation

bp = Blueprint(KEY, __name__, template_folder="templates")


@bp.route("/")
def index():
    return "spy landing"


def _record(name: str, **kwargs):
    CALLS.append((name, kwargs))
    if name in FAIL_ON:
        raise RuntimeError(f"spy fails on {name}")


def calls(name: str) -> list[dict]:
    return [kwargs for hook, kwargs in CALLS if hook == name]


class SpySettings(FlaskForm):
    threshold = IntegerField("Threshold", validators=[NumberRange(min=5)])


@hookimpl
def register_blueprints():
    return [bp]


@hookimpl
def register_permissions():
    return [Permission("spy.use", "Use the spy", ("employee",))]


@hookimpl
def register_notification_kinds():
    return [NotificationKind("spy.greeting", "A colleague greets you", "in_app"),
            NotificationKind("spy.contract_end", "A contract ends", "email")]


@hookimpl
def register_cli_commands(cli):
    @cli.command("spy-hello")
    def spy_hello():
        click.echo("spy says hello")


@hookimpl
def register_jobs():
    sweep = lambda foundation: _record("job", foundation=foundation.id)  # noqa: E731
    return [JobSpec("spy.sweep", sweep, {"cron": {"hour": 5}}, per_foundation=True)]


@hookimpl
def plugin_settings_form():
    return SpySettings


@hookimpl
def nav_items(user, foundation):
    _record("nav_items", user=user.id, foundation=foundation.id)
    return [NavItem(label="SpyNav", url="/spy/", order=5)]


@hookimpl
def dashboard_widgets(user, foundation):
    _record("dashboard_widgets", user=user.id, foundation=foundation.id)
    return [Widget(title="SpyWidget", template="spy_widget.html", context={"n": 42})]


@hookimpl
def person_sections(person, viewer):
    _record("person_sections", person=person.id, viewer=viewer.id)
    return [PersonSection(key="spy", title="SpySection", template="spy_section.html", context={"n": 7})]


@hookimpl
def person_hired(person):
    _record("person_hired", person=person.id)


@hookimpl
def person_transferred(person, from_team, to_team):
    _record("person_transferred", person=person.id, from_team=getattr(from_team, "id", None), to_team=getattr(to_team, "id", None))


@hookimpl
def person_changed(person, changes):
    _record("person_changed", person=person.id, changes=changes)


@hookimpl
def person_leaving(person):
    _record("person_leaving", person=person.id)


@hookimpl
def plugin_enabled(foundation, key):
    _record("plugin_enabled", foundation=foundation.id, key=key)


@hookimpl
def plugin_disabled(foundation, key):
    _record("plugin_disabled", foundation=foundation.id, key=key)


@hookimpl
def privacy_export(person):
    _record("privacy_export", person=person.id)
    return {"spied": True}


@hookimpl
def privacy_erase(person):
    _record("privacy_erase", person=person.id)


@hookimpl
def seed_demo(foundation, people, rng, scale):
    _record("seed_demo", foundation=foundation.id, people=len(people), scale=scale)

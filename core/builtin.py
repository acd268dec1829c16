"""Core's own contributions, made through the same hooks as any plugin's (as Datasette registers its
default plugins): the scheduled jobs, the notification kind, the permissions, the command-line
commands and the menu items of core. The plugin manager registers this module under the name
``core``; it is never gated, since core is on everywhere.
"""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from core.contributions import NavItem, NotificationKind
from core.hookspecs import hookimpl
from core.permissions import CORE_PERMISSIONS, has_permission

KEY = "core"
# The administration drop-down of the menu: (permission, endpoint, label).
ADMIN_MENU = [
    ("core.manage_plugins", "admin.plugins", _l("Plugins")),
    ("core.view_audit", "admin.audit_log", _l("Audit log")),
    ("core.view_outbox", "admin.outbox", _l("Outbox")),
    ("core.view_jobs", "admin.jobs", _l("Jobs")),
]


@hookimpl
def register_permissions():
    return CORE_PERMISSIONS


@hookimpl
def register_jobs():
    from core.core_jobs import JOBS

    return JOBS


@hookimpl
def register_notification_kinds():
    return [NotificationKind("core.message", _l("Messages from your organisation"), "email")]


@hookimpl
def register_cli_commands(cli):
    from core.people.cli import import_people_command
    from core.scheduler_cli import add_scheduler_commands

    cli.add_command(import_people_command)
    add_scheduler_commands(cli)


@hookimpl
def nav_items(user, foundation):
    items = []
    if has_permission(user, "core.view_people", foundation.id):
        items.append(NavItem(label=str(_l("People")), url=url_for("people.index"), order=900))
    for order, (permission, endpoint, label) in enumerate(ADMIN_MENU):
        if has_permission(user, permission, foundation.id):
            items.append(NavItem(label=str(label), url=url_for(endpoint), order=order, menu="admin"))
    return items

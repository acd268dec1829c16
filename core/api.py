"""The plugin API: the one module of core that plugins import, and the part of core that is
promised to stay. Names are only added here; a change that would break a plugin is announced in
docs/plugins.md first. Everything else in core is internal and may change.

    from core.api import clock, db, hookimpl, ...   # see docs/plugins.md, "The plugin API"
"""
from __future__ import annotations

from flask import current_app

from core import clock, workdays
from core.audit import record as record_audit
from core.contributions import JobSpec, NavItem, NotificationKind, Permission, PersonSection, Widget
from core.csv_files import CsvLayout, FileProblem, ImportResult, ImportRow, parse_date, parse_decimal, read_import
from core.demo import DEMO_EMAILS
from core.events import commit as commit_and_fire
from core.events import fire as fire_event
from core.exports import XlsxSheet, csv_chunks, csv_response, safe_text, xlsx_response
from core.extensions import csrf, db
from core.forms import DecimalCommaField, choices, optional_id
from core.hookspecs import hookimpl, hookspec
from core.input_guard import accepts_files, accepts_json
from core.markdown import render_markdown
from core.models import PERSON_STATUSES, PERSON_TYPES, ROLES, Foundation, Person, RoleAssignment, Team, TenantScoped
from core.notifications import Draft, notify, notify_many
from core.pending_files import discard as discard_pending_file
from core.pending_files import load as load_pending_file
from core.pending_files import save as save_pending_file
from core.permissions import (
    acting_foundation_id,
    all_permissions,
    has_permission,
    managed_team_ids,
    managed_teams,
    permission_required,
)
from core.plugins import public_view
from core.redirects import local_target
from core.reminders import DateReminder, run_date_reminders
from core.request_cache import remember as remember_for_request
from core.tenancy import get_or_404, set_scope
from core.uploads import FileType, UploadFolder, UploadRefused, read_checked


def is_enabled(key: str, foundation_id: int | None) -> bool:
    """Whether plugin ``key`` is installed and switched on for the foundation."""
    return current_app.extensions["journey.plugins"].is_enabled(key, foundation_id)


def plugin_settings(key: str, foundation_id: int) -> dict:
    """Plugin ``key``'s saved settings for the foundation (empty when never saved)."""
    return current_app.extensions["journey.plugins"].settings(key, foundation_id)


__all__ = [
    # the plugin contract
    "hookimpl", "hookspec", "JobSpec", "NavItem", "NotificationKind", "Permission", "PersonSection", "Widget",
    "is_enabled", "plugin_settings", "public_view",
    # the database, core's models and foundation scoping
    "db", "TenantScoped", "Foundation", "Person", "RoleAssignment", "Team",
    "PERSON_STATUSES", "PERSON_TYPES", "ROLES", "get_or_404", "set_scope", "remember_for_request",
    # who may do what
    "acting_foundation_id", "all_permissions", "has_permission", "managed_team_ids", "managed_teams",
    "permission_required", "csrf", "accepts_json",
    # lifecycle events, audit, notifications and date reminders
    "commit_and_fire", "fire_event", "record_audit", "Draft", "notify", "notify_many", "DateReminder", "run_date_reminders",
    # time: clock.today(), clock.now(), clock.local_now(), clock.utcnow(), clock.ZONE; Dutch working days:
    # workdays.is_working_day(day), workdays.next_working_day(day, step=1), workdays.due_date(...), ...
    "clock", "workdays",
    # files: uploads, CSV imports, exports
    "FileType", "UploadFolder", "UploadRefused", "accepts_files", "read_checked",
    "save_pending_file", "load_pending_file", "discard_pending_file",
    "CsvLayout", "FileProblem", "ImportResult", "ImportRow", "parse_date", "parse_decimal", "read_import",
    "XlsxSheet", "csv_chunks", "csv_response", "safe_text", "xlsx_response",
    # forms and text
    "DecimalCommaField", "choices", "optional_id", "render_markdown",
    # where to go after a form: a same-origin path from ``next``, or None
    "local_target",
    # demo data
    "DEMO_EMAILS",
]

"""Write audit events. Callers pass no secrets: details hold ids, names and changed field names."""
from __future__ import annotations

from flask import has_request_context
from flask_login import current_user

from core.extensions import db
from core.models import AuditEvent


def record(action: str, target=None, foundation_id: int | None = None, details: dict | None = None, actor=None) -> AuditEvent:
    """Add an audit event to the current transaction (it commits with the change it describes)."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    if foundation_id is None and target is not None:
        foundation_id = getattr(target, "foundation_id", None)
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        actor_label=actor.email if actor is not None else None,
        target_type=type(target).__name__.lower() if target is not None else None,
        target_id=str(target.id) if target is not None and target.id is not None else None,
        target_label=_label(target),
        foundation_id=foundation_id,
        details=details or {},
    )
    db.session.add(event)
    return event


def _label(target) -> str | None:
    if target is None:
        return None
    for attr in ("email", "slug", "name", "key"):
        value = getattr(target, attr, None)
        if value:
            return str(value)
    return None

"""Foundation scoping, in one place.

Inside a request, every ORM SELECT of a ``TenantScoped`` model is limited to the foundations the
signed-in person may see (their own; HR admins also those they administer; group admins all).
An anonymous request sees no tenant rows at all. Code that must look across foundations on
purpose (login by e-mail, invitation links, jobs) says so with ``execution_options(all_tenants=True)``.
Outside requests (CLI, jobs, tests' set-up) nothing is filtered.
"""
from __future__ import annotations

from flask import abort, g, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from core.extensions import db
from core.models import TenantScoped


def set_scope(foundation_ids: frozenset[int] | None) -> None:
    """``None`` means all foundations (group admins)."""
    g.tenant_ids = foundation_ids


def current_scope():
    if not has_request_context():
        return None
    return g.get("tenant_ids", frozenset())


@event.listens_for(Session, "do_orm_execute")
def _scope_tenant_rows(state: ORMExecuteState) -> None:
    if not state.is_select or state.execution_options.get("all_tenants"):
        return
    if state.is_column_load:  # refreshing an object already loaded is not a new look-up
        return
    ids = current_scope()
    if ids is None:
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantScoped, lambda cls: cls.foundation_id.in_(ids), include_aliases=True
        )
    )


def get_or_404(model, ident):
    """Load by primary key within the current scope; another foundation's row is simply not found."""
    obj = db.session.execute(db.select(model).filter_by(id=ident)).scalar_one_or_none()
    if obj is None:
        abort(404)
    return obj

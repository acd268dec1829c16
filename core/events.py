"""Lifecycle events: queued during a transaction, fired to the gated plugins after it commits.

``fire(...)`` only queues. ``commit()`` commits and then dispatches; events of a transaction that
rolls back are dropped. Each plugin implementation runs on its own: one that raises is logged,
its changes rolled back, and the others still run.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session

from core.extensions import db

log = logging.getLogger(__name__)
_PENDING = "journey_pending_events"
_READY = "journey_ready_events"


@dataclass
class QueuedEvent:
    name: str
    foundation_id: int
    kwargs: dict


def fire(name: str, foundation_id: int, **kwargs) -> None:
    """Queue event ``name`` for the plugins on in ``foundation_id``; it fires after commit."""
    db.session.info.setdefault(_PENDING, []).append(QueuedEvent(name, foundation_id, kwargs))


def commit() -> None:
    """Commit the session, then fire the events the transaction queued."""
    db.session.commit()
    dispatch_ready()


def dispatch_ready() -> None:
    session = db.session()
    while session.info.get(_READY):
        queued = session.info[_READY].pop(0)
        _dispatch(queued)


def _dispatch(queued: QueuedEvent) -> None:
    from core.plugins import plugin_manager

    manager = plugin_manager()
    caller = getattr(manager.hook_for(queued.foundation_id), queued.name)
    for impl in caller.get_hookimpls():
        try:
            impl.function(**{k: v for k, v in queued.kwargs.items() if k in impl.argnames})
            db.session.commit()
        except Exception:  # one plugin's failure must not reach the others or the request
            db.session.rollback()
            log.exception("plugin %s failed on event %s", impl.plugin_name, queued.name)
    # events queued by listeners and committed above are dispatched by the caller's loop


@event.listens_for(Session, "after_commit")
def _promote(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.info.setdefault(_READY, []).extend(pending)


@event.listens_for(Session, "after_rollback")
def _drop(session: Session) -> None:
    session.info.pop(_PENDING, None)

"""The registry of notification kinds, one per app, filled at start-up from the
``register_notification_kinds`` hook (core's own kinds come through the same hook, from
``core.builtin``). A kind's key starts with its owner: ``core.message``, ``learning.expiry``.
"""
from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from core.contributions import NotificationKind
from core.models.notifications import CHANNELS

CHANNEL_TITLES = {
    "in_app": _l("In the app only"),
    "email": _l("E-mail immediately"),
    "digest": _l("Daily digest e-mail"),
}
_EXTENSION = "journey.notification_kinds"


class KindError(ValueError):
    """A declared kind breaks the rules; raised at start-up."""


def init_app(app: Flask, manager) -> None:
    """Collect core's and every plugin's kinds (``manager`` is the app's plugin manager)."""
    for owner in manager.owners:
        for kinds in manager.call_one(owner, "register_notification_kinds"):
            register_kinds(app, owner, kinds or ())


def register_kinds(app: Flask, owner: str, kinds: Iterable[NotificationKind]) -> None:
    """Add ``owner``'s kinds to the app's registry; a malformed or doubled kind fails start-up."""
    registry = app.extensions.setdefault(_EXTENSION, {})
    for kind in kinds:
        if not isinstance(kind, NotificationKind):
            raise KindError(f"{owner}: register_notification_kinds must return NotificationKind items, got {kind!r}")
        if kind.owner != owner or "." not in kind.key or len(kind.key) > 80:
            raise KindError(f"notification kind {kind.key!r} must be '{owner}.<name>', at most 80 characters")
        if kind.default_channel not in CHANNELS:
            raise KindError(f"notification kind {kind.key!r}: unknown channel {kind.default_channel!r}")
        if kind.key in registry:
            raise KindError(f"notification kind {kind.key!r} is registered twice")
        registry[kind.key] = kind


def get_kind(key: str) -> NotificationKind:
    try:
        return current_app.extensions[_EXTENSION][key]
    except KeyError:
        raise KeyError(f"unknown notification kind {key!r}; declare it in register_notification_kinds()") from None


def all_kinds() -> list[NotificationKind]:
    return sorted(current_app.extensions.get(_EXTENSION, {}).values(), key=lambda kind: kind.key)

"""The registry of notification kinds: a key, a title people recognise on their preferences page,
and the delivery a person gets until they choose another.

Core registers its kinds below; a plugin registers its own at import time of its module, with keys
starting with its plugin key::

    from flask_babel import lazy_gettext as _l
    from core.notifications import register_kind

    register_kind("learning.expiry", _l("A certificate is about to expire"), default_channel="email")

The registry is a constant table of the code (like the hook specs), so it is shared by every app
in the process; registering the same kind again with the same values is harmless.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from core.models.notifications import CHANNELS

CHANNEL_TITLES = {
    "in_app": _l("In the app only"),
    "email": _l("E-mail immediately"),
    "digest": _l("Daily digest e-mail"),
}


@dataclass(frozen=True)
class NotificationKind:
    key: str
    title: str
    default_channel: str = "email"

    @property
    def owner(self) -> str:
        """``core`` or the key of the plugin that declared the kind."""
        return self.key.split(".", 1)[0]


_KINDS: dict[str, NotificationKind] = {}


def register_kind(key: str, title, default_channel: str = "email") -> NotificationKind:
    if "." not in key or len(key) > 80:
        raise ValueError(f"notification kind {key!r} must be '<plugin or core>.<name>', at most 80 characters")
    if default_channel not in CHANNELS:
        raise ValueError(f"notification kind {key!r}: unknown channel {default_channel!r}")
    kind = NotificationKind(key, title, default_channel)
    known = _KINDS.get(key)
    if known is not None and known != kind:
        raise ValueError(f"notification kind {key!r} is registered twice with different values")
    _KINDS[key] = kind
    return kind


def get_kind(key: str) -> NotificationKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise KeyError(f"unknown notification kind {key!r}; register it with register_kind()") from None


def all_kinds() -> list[NotificationKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.key)


register_kind("core.message", _l("Messages from your organisation"), "email")

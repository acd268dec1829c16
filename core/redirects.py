"""Where a ``next`` parameter may send someone: only to a path on this site.

A browser drops tabs and line breaks anywhere in a URL and reads a backslash as a slash, so
``/\t/evil.example`` is ``//evil.example`` to it: another site. The target is therefore read as a
browser would read it before it is judged.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

_BROWSER_DROPS = re.compile(r"[\t\n\r]")


def local_target(target: str | None) -> str | None:
    """``target`` as a same-origin path (with query and fragment), or None when it could lead
    anywhere else or is not a path."""
    if not target:
        return None
    cleaned = _BROWSER_DROPS.sub("", target)
    if "\\" in cleaned or any(ord(ch) < 32 or ord(ch) == 127 for ch in cleaned):
        return None
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return cleaned

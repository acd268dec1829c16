"""Uploaded files (a CSV import) kept on the server between the preview and the confirmation.

The browser gets nothing it could alter: the file lies in the instance folder under a random name,
and only that name sits in the (signed) session of the person who uploaded it. Confirming reads
the same bytes back and checks them again; files left behind are removed after a day.
"""
from __future__ import annotations

import os
import re
import secrets
import time
from contextlib import suppress
from pathlib import Path

from flask import current_app

MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,}$")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _path(token: str) -> Path | None:
    return _folder() / f"{token}.csv" if _TOKEN.match(token or "") else None


def save(content: bytes) -> str:
    """Store ``content``; returns the token that names it."""
    _remove_stale()
    token = secrets.token_urlsafe(32)
    fd = os.open(_path(token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(content)
    return token


def load(token: str) -> bytes | None:
    path = _path(token)
    try:
        return path.read_bytes() if path else None
    except FileNotFoundError:
        return None


def discard(token: str) -> None:
    path = _path(token)
    if path:
        path.unlink(missing_ok=True)


def _remove_stale() -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in _folder().glob("*.csv"):
        with suppress(FileNotFoundError):  # another request may remove it first
            if path.stat().st_mtime < cutoff:
                path.unlink()

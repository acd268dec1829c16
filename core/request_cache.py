"""Values worked out once per request: a person's roles and teams, a foundation's plugins.

A page asks them many times (the layout, the view, every plugin's widget). Outside a request (a
job, the CLI, a test calling a function directly) nothing is kept, so nothing there goes stale.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import g, has_request_context

T = TypeVar("T")
_PREFIX = "_request_cache_"


def remember(bucket: str, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, reused for the same ``bucket`` and ``key`` until the request ends."""
    if not has_request_context():
        return compute()
    cache = g.setdefault(_PREFIX + bucket, {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def forget(bucket: str) -> None:
    """Drop what ``bucket`` holds, after a change to what it was computed from."""
    if has_request_context():
        g.pop(_PREFIX + bucket, None)

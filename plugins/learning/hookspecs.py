"""Hooks the ``learning`` plugin declares for other plugins (``HOOKSPECS`` of the plugin module).

Listeners in other plugins mark their implementation ``@hookimpl(optionalhook=True)``, so they
still start when ``learning`` is not installed. Like core's lifecycle events, these fire after
the database commit, only to the plugins switched on for the person's foundation, each
implementation on its own.
"""
from __future__ import annotations

from core.hookspecs import hookspec


@hookspec
def training_completed(person, course, record):
    """``person`` (a ``Person``) has a verified training record ``record`` for ``course``: a
    trainer marked them present, HR verified or imported it, or e-learning reported it over xAPI.
    Fired after commit, foundation-gated, isolated. ``record.expires_on`` may be None (the course
    does not expire)."""

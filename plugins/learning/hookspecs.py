"""Hooks the ``learning`` plugin declares for other plugins; the plugin module names this module
``HOOKSPECS``.

Listeners in other plugins mark their implementation ``@hookimpl(optionalhook=True)``, so they
still start when ``learning`` is not installed. Like core's lifecycle events, these fire after
the database commit, only to the plugins switched on for the person's foundation, each
implementation on its own.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.api import hookspec

if TYPE_CHECKING:
    from core.api import Person
    from plugins.learning.models import Course, TrainingRecord


@hookspec
def training_completed(person: Person, course: Course, record: TrainingRecord) -> None:
    """``person`` has a verified training record for ``course``: a trainer marked them present
    (and not failed), HR verified or imported the record, or e-learning reported it over xAPI.

    :param person: the person who completed the course.
    :param course: the course completed.
    :param record: the verified record; ``record.expires_on`` is None when the course does not
        expire.

    Calling rule: after commit, gated by the person's foundation, each implementation isolated.
    """


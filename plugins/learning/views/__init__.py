"""The ``learning`` blueprint, its template filter and page context; importing this package
registers the routes of the view modules, one per audience."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint
from flask_babel import format_datetime

from core.api import clock
from plugins.learning import KEY
from plugins.learning.compliance import NEVER
from plugins.learning.vocabulary import (
    ATTENDANCE,
    ENROLMENT_STATUSES,
    FORMATS,
    RECORD_STATUSES,
    RESULTS,
    SOURCES,
    STATUSES,
    UNITS,
)

bp = Blueprint(KEY, __name__, template_folder="../templates")


@bp.app_template_filter("learning_datetime")
def learning_datetime(value: datetime | None, fmt: str = "EEE d MMM yyyy, HH:mm") -> str:
    """Session times are naive local times; Flask-Babel would take a naive time for UTC."""
    return format_datetime(value.replace(tzinfo=clock.ZONE), fmt) if value else ""


@bp.context_processor
def _labels() -> dict:
    """The vocabulary's labels, for every page of the blueprint."""
    return {
        "status_labels": STATUSES, "enrolment_labels": ENROLMENT_STATUSES, "record_labels": RECORD_STATUSES,
        "source_labels": SOURCES, "attendance_labels": ATTENDANCE, "result_labels": RESULTS, "units": UNITS,
        "formats": FORMATS, "never": NEVER,
    }


# The view modules register their routes on ``bp``, so they load once it exists.
from plugins.learning.views import (  # noqa: F401
    admin,
    api,
    hr_catalogue,
    hr_compliance,
    hr_records,
    hr_sessions,
    mine,
    mine_catalogue,
    mine_records,
    mine_sessions,
    public,
    team_approvals,
    team_compliance,
    trainer,
)

__all__ = ["bp"]

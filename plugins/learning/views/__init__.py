"""The ``learning`` blueprint, its template filter and page context; importing this package
registers the routes of the view modules, one per audience."""
from __future__ import annotations

from flask import Blueprint

from plugins.learning import KEY
from plugins.learning.compliance import NEVER
from plugins.learning.dates import local_datetime, utc_datetime
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


bp.add_app_template_filter(local_datetime, "learning_datetime")
bp.add_app_template_filter(utc_datetime, "learning_moment")


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

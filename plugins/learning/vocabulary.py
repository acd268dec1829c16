"""The words of the learning domain, with their labels."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from core.api import FileType

FORMATS = {
    "e-learning": _l("E-learning"),
    "classroom": _l("Classroom"),
    "blended": _l("Blended"),
    "external": _l("External"),
}

ENROLMENT_STATUSES = {
    "requested": _l("Awaiting manager approval"),
    "enrolled": _l("Enrolled"),
    "waitlisted": _l("On the waiting list"),
    "cancelled": _l("Cancelled"),
    "rejected": _l("Not approved"),
}
OPEN_ENROLMENT = ("requested", "enrolled", "waitlisted")

ATTENDANCE = {"present": _l("Present"), "absent": _l("Absent"), "no_show": _l("No-show")}
RESULTS = {"passed": _l("Passed"), "failed": _l("Not passed")}

SOURCES = {
    "session": _l("Session"),
    "import": _l("Import"),
    "xapi": _l("E-learning (xAPI)"),
    "manual": _l("Entered by hand"),
}
RECORD_STATUSES = {
    "pending": _l("Awaiting verification"),
    "verified": _l("Verified"),
    "rejected": _l("Rejected"),
}

UNITS = {"points": _l("points"), "hours": _l("hours")}

# Compliance statuses, in the order of urgency used for sorting and colours.
STATUSES = {
    "overdue": _l("Overdue"),
    "expired": _l("Expired (grace period)"),
    "missing": _l("Missing"),
    "expiring": _l("Expiring"),
    "compliant": _l("Compliant"),
}
EXPIRING_WITHIN_DAYS = 90
FORECAST_HORIZONS = (30, 60, 90)

# Evidence uploads (a certificate): the types accepted and the size limit.
EVIDENCE_TYPES = (
    FileType("pdf", "PDF", ("pdf",), sniffed="pdf", content_type="application/pdf"),
    FileType("jpg", "JPEG", ("jpg", "jpeg"), sniffed="jpg", content_type="image/jpeg"),
    FileType("png", "PNG", ("png",), sniffed="png", content_type="image/png"),
)
EVIDENCE_MAX_MB = 10
IMPORT_MAX_MB = 20  # a CSV file of old records

# What a training record holds, however it arrives (a form, the CSV import, xAPI): a score of at
# most this much, and dates within these years, where date arithmetic (expiry, grace) stays safe.
MAX_SCORE = 1000
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2199, 12, 31)

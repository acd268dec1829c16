"""The words of the onboarding domain: template kinds, who does a task, task types, phases, file types."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.api import FileType

KINDS = {
    "onboarding": _l("Onboarding"),
    "transfer": _l("Transfer to another team"),
    "offboarding": _l("Offboarding"),
    "volunteer": _l("Volunteer onboarding"),
}
# Kinds whose newcomers get an invitation before they start (the offset rule applies to them).
INVITED_KINDS = ("onboarding", "volunteer")

ROLES = {
    "newcomer": _l("The newcomer"),
    "manager": _l("The manager"),
    "buddy": _l("The buddy"),
    "hr": _l("HR"),
    "person": _l("A named person"),
}

TASK_TYPES = {
    "checkbox": _l("Checkbox"),
    "confirm": _l("Read and confirm a document"),
    "upload": _l("Upload a document"),
    "form": _l("Answer a short form"),
    "meeting": _l("Meeting"),
    "course": _l("Course (completed in Learning)"),
}

JOURNEY_STATUSES = {
    "open": _l("In progress"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
}

TASK_STATUSES = {"open": _l("To do"), "done": _l("Done"), "skipped": _l("Skipped")}


FILE_TYPES = {
    "pdf": FileType("pdf", "PDF", ("pdf",), sniffed="pdf", content_type="application/pdf"),
    "jpg": FileType("jpg", "JPEG", ("jpg", "jpeg"), sniffed="jpg", content_type="image/jpeg"),
    "png": FileType("png", "PNG", ("png",), sniffed="png", content_type="image/png"),
    "docx": FileType(
        "docx",
        "Word (.docx)",
        ("docx",),
        sniffed="docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}
MAX_UPLOAD_MB = 20  # the largest limit a task may set

# Phases of a journey, by a task's offset in days from the start date: (key, upper bound, titles).
PHASES = (
    ("before", -1, _l("Before day one"), _l("Before the last day")),
    ("day_one", 0, _l("First day"), _l("Last day")),
    ("week", 7, _l("First week"), _l("After leaving")),
    ("month", 31, _l("First month"), _l("After leaving")),
    ("quarter", None, _l("First three months"), _l("After leaving")),
)


def phase_of(offset_days: int) -> str:
    for key, upper, _title, _leaving in PHASES:
        if upper is None or offset_days <= upper:
            return key
    return PHASES[-1][0]


def phase_titles(kind: str) -> dict[str, str]:
    """Offboarding counts towards the last day; the other kinds from the first."""
    leaving = kind == "offboarding"
    titles: dict[str, str] = {}
    for key, _upper, title, leaving_title in PHASES:
        titles[key] = leaving_title if leaving else title
    return titles

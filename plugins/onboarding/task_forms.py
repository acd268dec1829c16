"""The right input for each type of task, and what a filled-in one means."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_wtf import FlaskForm

from core.api import clock
from plugins.onboarding.forms import ActionForm, ConfirmForm, MeetingForm, UploadForm, answer_form
from plugins.onboarding.models import OnboardingJourneyTask

DONE_BY_HAND = ("checkbox", "meeting")


def prefix(task: OnboardingJourneyTask) -> str:
    return f"t{task.id}"


def form_for(task: OnboardingJourneyTask, submitted: bool = False) -> FlaskForm | None:
    """The form that completes ``task``, bound to the request only when it is the one submitted.
    Course tasks have none: they complete when Learning reports the course done."""
    kwargs = {"prefix": prefix(task)}
    if not submitted:
        kwargs["formdata"] = None
    if task.task_type in DONE_BY_HAND:
        return ActionForm(**kwargs)
    if task.task_type == "confirm":
        return ConfirmForm(**kwargs)
    if task.task_type == "upload":
        return UploadForm(**kwargs)
    if task.task_type == "form":
        return answer_form(task.config.get("questions", []), **kwargs)
    return None


def meeting_form(task: OnboardingJourneyTask, submitted: bool = False) -> MeetingForm:
    kwargs = {"prefix": prefix(task) + "m"}
    if not submitted:
        kwargs["formdata"] = None
        if task.meeting_at is not None:
            kwargs.update(day=task.meeting_at.date(), at=task.meeting_at.time())
    return MeetingForm(**kwargs)


def response_of(task: OnboardingJourneyTask, form: FlaskForm) -> dict:
    """What to keep of a valid submission (uploads are stored separately)."""
    if task.task_type == "confirm":
        return {"confirmed_at": clock.utcnow().isoformat(timespec="seconds")}
    if task.task_type == "form":
        questions = task.config.get("questions", [])
        return {"answers": [{"question": q, "answer": form[f"q{i}"].data.strip()} for i, q in enumerate(questions)]}
    return {}


def meeting_time(form: MeetingForm) -> datetime:
    return datetime.combine(form.day.data, form.at.data)


def no_form_message() -> str:
    return _("This task completes by itself when the course is completed in Learning.")

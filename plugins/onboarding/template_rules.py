"""The rules a template must keep: no tasks waiting on each other in a circle, nothing due before
the newcomer is invited, and each task type with what it needs."""

from __future__ import annotations

from graphlib import CycleError, TopologicalSorter

from flask_babel import gettext as _

from plugins.onboarding.vocabulary import FILE_TYPES, INVITED_KINDS, MAX_UPLOAD_MB

MAX_QUESTIONS = 20
MAX_QUESTION_LENGTH = 300


def dependency_cycle(graph: dict[int, set[int]]) -> list[int] | None:
    """A cycle in ``{task: tasks it waits for}`` as a list of tasks (first one repeated), or None."""
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        return list(reversed(error.args[1]))
    return None


def cycle_message(cycle: list[int], titles: dict[int, str]) -> str:
    return _("These tasks would wait for each other: %(tasks)s.", tasks=" → ".join(titles[t] for t in cycle))


def offset_problem(kind: str, invite_days: int, offset_days: int) -> str | None:
    """A task due before the invitation could never be done in time."""
    if kind in INVITED_KINDS and offset_days < -invite_days:
        return _(
            "This task would be due %(days)d days before the start date, but newcomers are invited "
            "only %(invite)d days before it.",
            days=-offset_days,
            invite=invite_days,
        )
    return None


def early_tasks(kind: str, invite_days: int, tasks) -> list:
    """Tasks of a template that would fall before the invitation with these settings."""
    return [task for task in tasks if offset_problem(kind, invite_days, task.offset_days)]


def config_for(task_type: str, values: dict) -> tuple[dict, dict[str, str]]:
    """The ``config`` a task of ``task_type`` stores, from form values; and problems by field."""
    builder = _BUILDERS.get(task_type)
    return builder(values) if builder else ({}, {})


def _confirm(values: dict) -> tuple[dict, dict[str, str]]:
    config = {"document_text": (values.get("document_text") or "").strip()}
    if values.get("document_file_id"):
        config["document_file_id"] = values["document_file_id"]
    if not config["document_text"] and "document_file_id" not in config:
        return config, {"document_text": _("Write the document here or attach it as a file.")}
    return config, {}


def _upload(values: dict) -> tuple[dict, dict[str, str]]:
    allowed = [key for key in values.get("allowed_types") or [] if key in FILE_TYPES]
    size = values.get("max_size_mb")
    config = {"allowed_types": allowed, "max_size_mb": size}
    problems = {}
    if not allowed:
        problems["allowed_types"] = _("Choose at least one type of file.")
    if not isinstance(size, int) or not 1 <= size <= MAX_UPLOAD_MB:
        problems["max_size_mb"] = _("Choose a size between 1 and %(max)d MB.", max=MAX_UPLOAD_MB)
    return config, problems


def _form(values: dict) -> tuple[dict, dict[str, str]]:
    questions = [line.strip() for line in (values.get("questions") or "").splitlines() if line.strip()]
    problems = {}
    if not questions:
        problems["questions"] = _("Write at least one question, one per line.")
    elif len(questions) > MAX_QUESTIONS:
        problems["questions"] = _("At most %(n)d questions.", n=MAX_QUESTIONS)
    elif any(len(q) > MAX_QUESTION_LENGTH for q in questions):
        problems["questions"] = _("A question has at most %(n)d characters.", n=MAX_QUESTION_LENGTH)
    return {"questions": questions}, problems


def _meeting(values: dict) -> tuple[dict, dict[str, str]]:
    time = values.get("meeting_time")
    minutes = values.get("meeting_minutes")
    problems = {}
    if time is None:
        problems["meeting_time"] = _("Enter a time of day.")
    if not isinstance(minutes, int) or not 5 <= minutes <= 480:
        problems["meeting_minutes"] = _("A meeting lasts between 5 and 480 minutes.")
    return {"time": time.strftime("%H:%M") if time else None, "minutes": minutes}, problems


def _course(values: dict) -> tuple[dict, dict[str, str]]:
    code = (values.get("course_code") or "").strip()
    if not code:
        return {"course_code": code}, {"course_code": _("Enter the code of the course in Learning.")}
    return {"course_code": code}, {}


_BUILDERS = {"confirm": _confirm, "upload": _upload, "form": _form, "meeting": _meeting, "course": _course}

"""What the onboarding views share (no routes): the signed-in user, where to go next, stored
files as downloads, the task cards of the own, team and HR pages, and a journey's detail page,
which managers and HR share."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.api import choices, clock, local_target
from plugins.onboarding import access, journeys, queries, task_forms, uploads
from plugins.onboarding.forms import ApplyTemplateForm, BuddyForm, ReassignForm, StartDateForm
from plugins.onboarding.models import OnboardingFile
from plugins.onboarding.vocabulary import (
    FILE_TYPES,
    JOURNEY_STATUSES,
    PHASES,
    ROLES,
    TASK_STATUSES,
    phase_of,
    phase_titles,
)


def actor():
    return current_user._get_current_object()


def safe_next(default: str | None = None) -> str:
    """Where to go after a form: a local path from ``next``, else ``default`` (the landing page)."""
    target = local_target(request.form.get("next") or request.args.get("next"))
    return target or default or url_for("onboarding.index")


def page_number() -> int:
    return max(request.args.get("page", 1, type=int), 1)


def send_stored(file: OnboardingFile):
    """A stored file, always as a download under its original name (never shown inline)."""
    response = send_file(
        uploads.path_of(file),
        mimetype=file.content_type,
        as_attachment=True,
        download_name=file.original_name,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


# -- task cards -------------------------------------------------------------------------------------


def phase_groups(journey, tasks) -> list[tuple[str, list]]:
    """Tasks by phase, in order; phases with the same title (after leaving) are one group."""
    titles = phase_titles(journey.kind)
    groups: list[tuple[str, list]] = []
    for key, *_rest in PHASES:
        in_phase = [task for task in tasks if phase_of(task.offset_days) == key]
        if not in_phase:
            continue
        if groups and groups[-1][0] == titles[key]:
            groups[-1][1].extend(in_phase)
        else:
            groups.append((titles[key], in_phase))
    return groups


def task_board(
    tasks, failed: tuple[int, object] | None = None, failed_meeting: tuple[int, object] | None = None
) -> dict:
    """What the task cards need: who may act, the forms, which wait, files and documents."""
    user = actor()
    doable = {task.id for task in tasks if access.may_do(user, task)}
    locked = queries.locked_task_ids(tasks)
    forms, meeting_forms = {}, {}
    for task in tasks:
        if task.id in doable and task.status == "open" and task.id not in locked:
            forms[task.id] = task_forms.form_for(task)
            if task.task_type == "meeting":
                meeting_forms[task.id] = task_forms.meeting_form(task)
    if failed:
        forms[failed[0]] = failed[1]
    if failed_meeting:
        meeting_forms[failed_meeting[0]] = failed_meeting[1]
    files, documents = queries.task_files(tasks)
    return {
        "doable": doable,
        "locked": locked,
        "forms": forms,
        "meeting_forms": meeting_forms,
        "files": files,
        "documents": documents,
        "today": clock.today(),
        "who": lambda task: who_does(task, user),
        "upload_rules": upload_rules,
    }


def who_does(task, user) -> str:
    if task.assignee_id is not None and task.assignee is not None:
        return _("You") if task.assignee_id == user.id else task.assignee.full_name
    if task.assignee_role == "buddy":
        return _("The buddy (not chosen yet)")
    if task.assignee_role in ("manager", "person", "newcomer"):
        return _("Nobody yet (HR assigns it)")
    return str(ROLES["hr"])


@dataclass(frozen=True)
class UploadRules:
    accept: str
    labels: str
    max_mb: int


def upload_rules(task) -> UploadRules:
    kinds = [FILE_TYPES[key] for key in task.config.get("allowed_types", []) if key in FILE_TYPES]
    return UploadRules(
        accept=",".join("." + ext for kind in kinds for ext in kind.extensions),
        labels=", ".join(kind.label for kind in kinds),
        max_mb=task.config.get("max_size_mb", 5),
    )


# -- a journey's detail page ------------------------------------------------------------------------


def buddy_form(members, journey) -> BuddyForm:
    """Choosing a journey's buddy among ``members`` (the newcomer's team), the current one chosen."""
    form = BuddyForm(prefix=f"b{journey.id}", formdata=None, buddy_id=journey.buddy_id)
    form.buddy_id.choices = choices(
        ((p.id, p.full_name) for p in members if p.id != journey.person_id), _("Choose a colleague")
    )
    return form


def render_journey(journey_id: int, reassign_failed=None, start_form=None, status: int = 200):
    """The journey page; HR's forms on it come back with their errors through ``reassign_failed``
    (task id, form) and ``start_form``."""
    user = actor()
    journey = access.overseen_journey_or_404(user, journey_id)
    tasks = queries.journey_tasks(journey)
    is_hr = access.is_hr(user, journey.foundation_id)
    members = queries.team_members([journey.person.team_id] if journey.person.team_id else [])
    apply_form = None
    if is_hr:
        apply_form = ApplyTemplateForm(formdata=None, template_id=journey.template_id)
        apply_form.template_id.choices = choices(
            (t.id, t.name)
            for t in queries.templates_of(journey.foundation_id)
            if t.active or t.id == journey.template_id
        )
    done, total = journeys.progress(tasks)
    reassign_forms = {t.id: ReassignForm(prefix=f"r{t.id}", formdata=None) for t in tasks if t.status == "open"}
    if reassign_failed:
        reassign_forms[reassign_failed[0]] = reassign_failed[1]
    return render_template(
        "onboarding/journey.html",
        journey=journey,
        groups=phase_groups(journey, tasks),
        done=done,
        total=total,
        is_hr=is_hr,
        buddy_form=buddy_form(members, journey),
        apply_form=apply_form,
        start_form=start_form or StartDateForm(formdata=None, start_date=journey.start_date),
        reassign_forms=reassign_forms,
        statuses=JOURNEY_STATUSES,
        task_statuses=TASK_STATUSES,
        outdated=journey.template is not None and journey.template.version != journey.template_version,
        person_start_differs=journey.kind in ("onboarding", "volunteer")
        and journey.person.start_date is not None
        and journey.person.start_date != journey.start_date,
        **task_board(tasks),
    ), status

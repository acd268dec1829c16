"""HR's template editor: templates, their tasks in order, documents, copies from other
foundations (group administrators), and bringing running journeys up to date on request."""

from __future__ import annotations

from datetime import time

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from core.api import (
    PERSON_TYPES,
    UploadRefused,
    accepts_files,
    acting_foundation_id,
    choices,
    db,
    get_or_404,
    permission_required,
)
from plugins.onboarding import access, journeys, queries, template_editing, uploads
from plugins.onboarding.forms import TaskForm, TemplateForm
from plugins.onboarding.models import OnboardingFile, OnboardingJourney, OnboardingTemplate, OnboardingTemplateTask
from plugins.onboarding.views import bp
from plugins.onboarding.views.common import actor, send_stored
from plugins.onboarding.vocabulary import FILE_TYPES, KINDS, MAX_UPLOAD_MB, ROLES, TASK_TYPES

DOCUMENT_TYPES = ["pdf", "docx"]
DOCUMENT_MAX_MB = 10


def template_or_404(template_id: int) -> OnboardingTemplate:
    template = get_or_404(OnboardingTemplate, template_id)
    if template.foundation_id != acting_foundation_id():
        abort(404)
    return template


def _task_or_404(template: OnboardingTemplate, task_id: int) -> OnboardingTemplateTask:
    task = next((t for t in template.tasks if t.id == task_id), None)
    if task is None:
        abort(404)
    return task


def _show_errors(form, invalid: template_editing.Invalid) -> None:
    for name, message in invalid.errors.items():
        form[name].errors = list(form[name].errors) + [message]


def _running(template: OnboardingTemplate) -> tuple[int, int]:
    """Open journeys planned with this template, and how many of them on an older version."""
    total, outdated = db.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((OnboardingJourney.template_version < template.version, 1), else_=0)), 0),
        ).where(OnboardingJourney.template_id == template.id, OnboardingJourney.status == "open")
    ).one()
    return total, int(outdated)


@bp.route("/templates/")
@permission_required(access.MANAGE)
def templates():
    return render_template(
        "onboarding/templates.html", templates=queries.templates_of(acting_foundation_id()), kinds=KINDS,
        person_types=PERSON_TYPES,
    )


@bp.route("/templates/new", methods=["GET", "POST"])
@permission_required(access.MANAGE)
def new_template():
    return _template_form(None)


@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@permission_required(access.MANAGE)
def edit_template(template_id: int):
    return _template_form(template_or_404(template_id))


def _template_form(template: OnboardingTemplate | None):
    form = TemplateForm(obj=template)
    if request.method == "GET" and template is not None:
        form.person_type.data = template.person_type or ""
        form.team_name.data = template.team.name if template.team else ""
    if form.validate_on_submit():
        try:
            if template is None:
                template = template_editing.create_template(acting_foundation_id(), form.values(), actor())
            else:
                template_editing.update_template(template, form.values(), actor())
        except template_editing.Invalid as invalid:
            db.session.rollback()
            _show_errors(form, invalid)
        else:
            flash(_("The template is saved."), "success")
            return redirect(url_for("onboarding.template", template_id=template.id))
    return render_template("onboarding/template_form.html", form=form, template=template), 400 if form.errors else 200


@bp.route("/templates/<int:template_id>")
@permission_required(access.MANAGE)
def template(template_id: int):
    template = db.session.scalar(
        select(OnboardingTemplate)
        .where(OnboardingTemplate.id == template_id)
        .options(
            selectinload(OnboardingTemplate.tasks).selectinload(OnboardingTemplateTask.depends_on),
            selectinload(OnboardingTemplate.tasks).selectinload(OnboardingTemplateTask.assignee_person),
        )
    )
    if template is None or template.foundation_id != acting_foundation_id():
        abort(404)
    running, outdated = _running(template)
    documents = {
        f.id: f for f in db.session.scalars(select(OnboardingFile).where(OnboardingFile.template_id == template.id))
    }
    return render_template(
        "onboarding/template.html",
        template=template,
        running=running,
        outdated=outdated,
        documents=documents,
        kinds=KINDS,
        person_types=PERSON_TYPES,
        roles=ROLES,
        task_types=TASK_TYPES,
        file_types=FILE_TYPES,
    )


# -- tasks ------------------------------------------------------------------------------------------


@bp.route("/templates/<int:template_id>/tasks/new", methods=["GET", "POST"])
@permission_required(access.MANAGE)
@accepts_files(MAX_UPLOAD_MB)
def new_task(template_id: int):
    return _task_form(template_or_404(template_id), None)


@bp.route("/templates/<int:template_id>/tasks/<int:task_id>/edit", methods=["GET", "POST"])
@permission_required(access.MANAGE)
@accepts_files(MAX_UPLOAD_MB)
def edit_task(template_id: int, task_id: int):
    template = template_or_404(template_id)
    return _task_form(template, _task_or_404(template, task_id))


def _task_form(template: OnboardingTemplate, task: OnboardingTemplateTask | None):
    form = TaskForm(obj=task)
    others = [t for t in template.tasks if task is None or t.id != task.id]
    form.depends_on.choices = choices((t.id, t.title) for t in others)
    course_available = template_editing.course_tasks_available(template.foundation_id)
    if not course_available and (task is None or task.task_type != "course"):
        form.task_type.choices = [c for c in form.task_type.choices if c.value != "course"]
    if request.method == "GET" and task is not None:
        _fill_from(form, task)
    if form.validate_on_submit():
        try:
            document = _document(form)
            template_editing.save_task(template, form.values(), task, document=document, actor=actor())
        except UploadRefused as refused:
            form.document_file.errors = [str(refused)]
        except template_editing.Invalid as invalid:
            db.session.rollback()
            _show_errors(form, invalid)
        else:
            flash(_("The task is saved."), "success")
            return redirect(url_for("onboarding.template", template_id=template.id))
    document = None
    if task is not None and (task.config or {}).get("document_file_id"):
        document = db.session.get(OnboardingFile, task.config["document_file_id"])
    return render_template(
        "onboarding/task_form.html",
        form=form,
        template=template,
        task=task,
        document=document,
        course_available=course_available,
    ), 400 if form.errors else 200


def _document(form: TaskForm):
    """A checked document file for a read-and-confirm task, or None when none was chosen."""
    upload = form.document_file.data
    if form.task_type.data != "confirm" or upload is None or not upload.filename:
        return None
    return uploads.read_checked(upload, DOCUMENT_TYPES, DOCUMENT_MAX_MB)


def _fill_from(form: TaskForm, task: OnboardingTemplateTask) -> None:
    config = task.config or {}
    form.assignee_email.data = task.assignee_person.email if task.assignee_person else ""
    form.depends_on.data = [d.id for d in task.depends_on]
    form.allowed_types.data = config.get("allowed_types", [])
    form.max_size_mb.data = config.get("max_size_mb", 5)
    form.questions.data = "\n".join(config.get("questions", []))
    form.document_text.data = config.get("document_text", "")
    if config.get("time"):
        hours, minutes = config["time"].split(":")
        form.meeting_time.data = time(int(hours), int(minutes))
    form.meeting_minutes.data = config.get("minutes", 30)
    form.course_code.data = config.get("course_code", "")


@bp.route("/templates/<int:template_id>/tasks/<int:task_id>/move", methods=["POST"])
@permission_required(access.MANAGE)
def move_task(template_id: int, task_id: int):
    template = template_or_404(template_id)
    step = -1 if request.form.get("direction") == "up" else 1
    template_editing.move_task(_task_or_404(template, task_id), step, actor())
    return redirect(url_for("onboarding.template", template_id=template.id) + f"#ttask-{task_id}")


@bp.route("/templates/<int:template_id>/tasks/<int:task_id>/delete", methods=["POST"])
@permission_required(access.MANAGE)
def delete_task(template_id: int, task_id: int):
    template = template_or_404(template_id)
    task = _task_or_404(template, task_id)
    title = task.title
    template_editing.delete_task(task, actor())
    flash(_("The task %(task)s is removed from the template. Running journeys keep it.", task=title), "success")
    return redirect(url_for("onboarding.template", template_id=template.id))


@bp.route("/templates/<int:template_id>/files/<int:file_id>")
@permission_required(access.MANAGE)
def template_document(template_id: int, file_id: int):
    template = template_or_404(template_id)
    file = db.session.get(OnboardingFile, file_id)
    if file is None or file.template_id != template.id:
        abort(404)
    return send_stored(file)


@bp.route("/templates/<int:template_id>/apply", methods=["POST"])
@permission_required(access.MANAGE)
def apply_to_running(template_id: int):
    """Only on HR's explicit request: open journeys of this template take its current tasks."""
    template = template_or_404(template_id)
    running = db.session.scalars(
        select(OnboardingJourney)
        .where(
            OnboardingJourney.template_id == template.id,
            OnboardingJourney.status == "open",
            OnboardingJourney.template_version != template.version,
        )
        .options(selectinload(OnboardingJourney.tasks), selectinload(OnboardingJourney.person))
    ).all()
    for journey in running:
        journeys.apply_template(journey, template, actor())
    db.session.commit()
    flash(
        ngettext(
            "%(num)d running journey now follows this template.",
            "%(num)d running journeys now follow this template.",
            len(running),
        ),
        "success",
    )
    return redirect(url_for("onboarding.template", template_id=template.id))


# -- copies from other foundations ------------------------------------------------------------------


@bp.route("/templates/copy")
@permission_required(access.COPY)
def copy_choices():
    others = db.session.scalars(
        select(OnboardingTemplate)
        .where(OnboardingTemplate.foundation_id != acting_foundation_id())
        .options(selectinload(OnboardingTemplate.tasks), selectinload(OnboardingTemplate.foundation))
        .order_by(OnboardingTemplate.foundation_id, OnboardingTemplate.name)
    ).all()
    return render_template("onboarding/template_copy.html", templates=others, kinds=KINDS)


@bp.route("/templates/copy/<int:template_id>", methods=["POST"])
@permission_required(access.COPY)
def copy_template(template_id: int):
    source = get_or_404(OnboardingTemplate, template_id)
    if source.foundation_id == acting_foundation_id():
        abort(404)
    copy = template_editing.copy_template(source, acting_foundation_id(), actor())
    flash(_("The copy is saved, switched off until you have checked it."), "success")
    return redirect(url_for("onboarding.template", template_id=copy.id))

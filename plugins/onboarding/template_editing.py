"""Changing templates: their settings, their tasks and order, and copies from another foundation.

Every change is checked first (``Invalid`` carries field errors and nothing is saved), raises the
template's version and is audited. Running journeys keep the plan they have: see
``journeys.apply_template`` for bringing them up to date when HR asks.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from core.api import Person, Team, clock, db, is_enabled, record_audit
from plugins.onboarding import template_rules, uploads
from plugins.onboarding.models import OnboardingFile, OnboardingJourneyTask, OnboardingTemplate, OnboardingTemplateTask
from plugins.onboarding.vocabulary import KINDS, ROLES, TASK_TYPES

TEMPLATE_FIELDS = ("name", "kind", "person_type", "team_id", "job_title", "invite_days_before_start", "active")
TASK_FIELDS = ("title", "description", "task_type", "assignee_role", "offset_days", "required")


class Invalid(ValueError):
    """``errors`` maps field names to messages; nothing was saved."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def course_tasks_available(foundation_id: int) -> bool:
    """Course tasks complete through the ``learning`` plugin, so only where it is switched on."""
    return is_enabled("learning", foundation_id)


def _touch(template: OnboardingTemplate) -> None:
    template.version = (template.version or 0) + 1
    template.updated_at = clock.utcnow()


# -- templates ------------------------------------------------------------------------------------


def _template_problems(foundation_id: int, values: dict, template: OnboardingTemplate | None) -> dict[str, str]:
    """Problems of the values; also turns ``team_name`` into ``values["team_id"]``."""
    problems = {}
    if not (values.get("name") or "").strip():
        problems["name"] = _("Enter a name.")
    if values.get("kind") not in KINDS:
        problems["kind"] = _("Choose a kind of journey.")
    name = values.get("team_name")
    if name:
        team_id = db.session.scalar(
            select(Team.id).where(Team.foundation_id == foundation_id, func.lower(Team.name) == name.lower())
        )
        if team_id is None:
            problems["team_name"] = _("There is no team with this name in this foundation.")
        values["team_id"] = team_id
    else:
        values["team_id"] = None
    invite_days = values.get("invite_days_before_start")
    if template is not None and "kind" not in problems and isinstance(invite_days, int):
        early = template_rules.early_tasks(values["kind"], invite_days, template.tasks)
        if early:
            problems["invite_days_before_start"] = _(
                "The task %(task)s is due %(days)d days before the start date, before the invitation.",
                task=early[0].title,
                days=-early[0].offset_days,
            )
    return problems


def create_template(foundation_id: int, values: dict, actor=None) -> OnboardingTemplate:
    problems = _template_problems(foundation_id, values, None)
    if problems:
        raise Invalid(problems)
    template = OnboardingTemplate(foundation_id=foundation_id, **{k: values[k] for k in TEMPLATE_FIELDS})
    template.name = template.name.strip()
    db.session.add(template)
    db.session.flush()
    record_audit("onboarding.template_created", template, foundation_id, {"kind": template.kind}, actor=actor)
    db.session.commit()
    return template


def update_template(template: OnboardingTemplate, values: dict, actor=None) -> None:
    problems = _template_problems(template.foundation_id, values, template)
    if problems:
        raise Invalid(problems)
    changed = sorted(k for k in TEMPLATE_FIELDS if getattr(template, k) != values[k])
    for name in changed:
        setattr(template, name, values[name])
    template.name = template.name.strip()
    if changed:
        _touch(template)
        record_audit("onboarding.template_updated", template, template.foundation_id, {"fields": changed}, actor=actor)
    db.session.commit()


# -- tasks ----------------------------------------------------------------------------------------


def _named_person(foundation_id: int, email: str | None) -> Person | None:
    email = (email or "").strip().lower()
    if not email:
        return None
    return db.session.scalar(
        select(Person).where(Person.foundation_id == foundation_id, func.lower(Person.email) == email)
    )


def _dependency_problem(
    template: OnboardingTemplate, task: OnboardingTemplateTask | None, wanted: list[int]
) -> str | None:
    graph = {t.id: {d.id for d in t.depends_on} for t in template.tasks}
    node = task.id if task is not None else 0  # 0 stands for the task being added
    graph[node] = set(wanted)
    titles = {t.id: t.title for t in template.tasks} | {0: _("this task")}
    cycle = template_rules.dependency_cycle(graph)
    return template_rules.cycle_message(cycle, titles) if cycle else None


def save_task(
    template: OnboardingTemplate, values: dict, task: OnboardingTemplateTask | None = None, document=None, actor=None
) -> OnboardingTemplateTask:
    """Add (``task`` None) or change a task. ``document`` is ``(bytes, FileType, name)`` from
    ``uploads.read_checked`` for a read-and-confirm task's file."""
    foundation_id = template.foundation_id
    if values.get("task_type") != "confirm":
        document = None
    problems: dict[str, str] = {}
    if not (values.get("title") or "").strip():
        problems["title"] = _("Enter a title.")
    task_type = values.get("task_type")
    if task_type not in TASK_TYPES:
        problems["task_type"] = _("Choose a type of task.")
    elif task_type == "course" and not course_tasks_available(foundation_id):
        problems["task_type"] = _("Course tasks need the Learning plugin, which is off for this foundation.")
    role = values.get("assignee_role")
    if role not in ROLES:
        problems["assignee_role"] = _("Choose who does the task.")
    named = _named_person(foundation_id, values.get("assignee_email")) if role == "person" else None
    if role == "person" and named is None:
        problems["assignee_email"] = _("Enter the e-mail address of a person of this foundation.")
    offset = values.get("offset_days")
    if not isinstance(offset, int):
        problems["offset_days"] = _("Enter a whole number of days.")
    elif problem := template_rules.offset_problem(template.kind, template.invite_days_before_start, offset):
        problems["offset_days"] = problem
    known = {t.id: t for t in template.tasks}
    wanted = [i for i in values.get("depends_on") or [] if i in known]
    if problem := _dependency_problem(template, task, wanted):
        problems["depends_on"] = problem
    config_values = dict(values)
    if task is not None and task.task_type == "confirm" and "document_file_id" in (task.config or {}):
        config_values.setdefault("document_file_id", task.config["document_file_id"])
    if document is not None:
        config_values["document_file_id"] = "new"
    config, config_problems = template_rules.config_for(task_type, config_values)
    problems.update(config_problems)
    if problems:
        raise Invalid(problems)

    created = task is None
    if created:
        task = OnboardingTemplateTask(
            foundation_id=foundation_id,
            template=template,
            position=max((t.position for t in template.tasks), default=0) + 1,
        )
        db.session.add(task)
    for name in TASK_FIELDS:
        setattr(task, name, values[name])
    task.title = task.title.strip()
    task.description = task.description or ""
    task.assignee_person_id = named.id if named is not None else None
    task.depends_on = [known[i] for i in wanted]
    if document is not None:
        content, kind, name = document
        stored = uploads.store(content, kind, name, foundation_id, uploaded_by=actor, template_id=template.id)
        db.session.flush()
        config["document_file_id"] = stored.id
    task.config = config
    _touch(template)
    db.session.flush()
    record_audit(
        "onboarding.task_added" if created else "onboarding.task_changed",
        template,
        foundation_id,
        {"task_id": task.id, "title": task.title},
        actor=actor,
    )
    db.session.commit()  # should it fail, the stored file goes again
    return task


def delete_task(task: OnboardingTemplateTask, actor=None) -> None:
    """Remove a task; tasks that waited for it no longer do. Journeys keep their copy."""
    template = task.template
    for other in template.tasks:
        if task in other.depends_on:
            other.depends_on.remove(task)
    # The database would set these to NULL too, but SQLite may not enforce foreign keys.
    db.session.execute(
        update(OnboardingJourneyTask)
        .where(OnboardingJourneyTask.template_task_id == task.id)
        .values(template_task_id=None)
    )
    template.tasks.remove(task)
    for position, other in enumerate(template.tasks, 1):
        other.position = position
    _touch(template)
    record_audit("onboarding.task_deleted", template, template.foundation_id, {"title": task.title}, actor=actor)
    db.session.commit()


def move_task(task: OnboardingTemplateTask, step: int, actor=None) -> bool:
    """Swap a task with its neighbour (``step`` -1 up, +1 down); False at either end."""
    tasks = list(task.template.tasks)
    index = tasks.index(task)
    other = index + step
    if not 0 <= other < len(tasks):
        return False
    tasks[index].position, tasks[other].position = tasks[other].position, tasks[index].position
    _touch(task.template)
    record_audit(
        "onboarding.task_moved", task.template, task.foundation_id, {"title": task.title, "step": step}, actor=actor
    )
    db.session.commit()
    return True


# -- copies ---------------------------------------------------------------------------------------


def copy_template(source: OnboardingTemplate, foundation_id: int, actor=None) -> OnboardingTemplate:
    """A copy of another foundation's template for ``foundation_id``, switched off until HR has
    looked at it. What belongs to the other foundation does not travel: its team, its named people
    (their tasks go to HR); course tasks only where Learning is on."""
    learning = course_tasks_available(foundation_id)
    copy = OnboardingTemplate(
        foundation_id=foundation_id,
        name=_("%(name)s (copy)", name=source.name)[:200],
        kind=source.kind,
        person_type=source.person_type,
        team_id=None,
        job_title=source.job_title,
        invite_days_before_start=source.invite_days_before_start,
        active=False,
    )
    db.session.add(copy)
    db.session.flush()
    documents = {
        f.id: f for f in db.session.scalars(select(OnboardingFile).where(OnboardingFile.template_id == source.id))
    }
    clones: dict[int, OnboardingTemplateTask] = {}
    for task in source.tasks:
        if task.task_type == "course" and not learning:
            continue
        config = dict(task.config or {})
        if config.get("document_file_id") in documents:
            new_file = uploads.copy(documents[config["document_file_id"]], foundation_id, template_id=copy.id)
            db.session.flush()
            config["document_file_id"] = new_file.id
        clones[task.id] = OnboardingTemplateTask(
            foundation_id=foundation_id,
            template=copy,
            position=len(clones) + 1,
            title=task.title,
            description=task.description,
            task_type=task.task_type,
            assignee_role="hr" if task.assignee_role == "person" else task.assignee_role,
            offset_days=task.offset_days,
            required=task.required,
            config=config,
        )
        db.session.add(clones[task.id])
    for task in source.tasks:
        if task.id in clones:
            clones[task.id].depends_on = [clones[d.id] for d in task.depends_on if d.id in clones]
    record_audit(
        "onboarding.template_copied",
        copy,
        foundation_id,
        {"from_template": source.id, "from_foundation": source.foundation_id},
        actor=actor,
    )
    db.session.commit()
    return copy

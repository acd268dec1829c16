"""Journeys: started from the best-matching template, planned on working days, worked through.

Nothing here commits except where a docstring says so; views and listeners commit (listeners
through core's event dispatch). Changes by HR are audited.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from core.api import Person, Team, clock, db, notify, plugin_settings, record_audit, workdays
from plugins.onboarding import notices, uploads
from plugins.onboarding.models import (
    OnboardingFeedback,
    OnboardingFile,
    OnboardingJourney,
    OnboardingJourneyTask,
    OnboardingTemplate,
    OnboardingTemplateTask,
)

FINISHED = ("done", "skipped")
DEFAULT_MEETING_TIME = "10:00"
DEFAULT_BACKDATE_DAYS = 30
REMIND_WORKING_DAYS = 2


class TaskRefused(ValueError):
    """The task cannot change this way now; the message says why."""


# -- choosing a template ----------------------------------------------------------------------------


def matches(template: OnboardingTemplate, person: Person) -> bool:
    return (
        (template.person_type is None or template.person_type == person.person_type)
        and (template.team_id is None or template.team_id == person.team_id)
        and (template.job_title is None or (person.job_title or "").lower() == template.job_title.lower())
    )


def specificity(template: OnboardingTemplate) -> int:
    return sum(value is not None for value in (template.person_type, template.team_id, template.job_title))


def best_template(person: Person, kinds: tuple[str, ...]) -> OnboardingTemplate | None:
    """The most specific active template of the first of ``kinds`` that has a match (ties: oldest)."""
    templates = db.session.scalars(
        select(OnboardingTemplate).where(
            OnboardingTemplate.foundation_id == person.foundation_id,
            OnboardingTemplate.kind.in_(kinds),
            OnboardingTemplate.active.is_(True),
        )
    ).all()
    for kind in kinds:
        candidates = [t for t in templates if t.kind == kind and matches(t, person)]
        if candidates:
            return max(candidates, key=lambda t: (specificity(t), -t.id))
    return None


# -- planning ---------------------------------------------------------------------------------------


def manager_id_of(person: Person) -> int | None:
    if person.team_id is None:
        return None
    return db.session.scalar(select(Team.manager_id).where(Team.id == person.team_id))


def _assignee(role: str, journey: OnboardingJourney, manager_id: int | None, named_id: int | None) -> int | None:
    return {
        "newcomer": journey.person_id,
        "manager": manager_id,
        "buddy": journey.buddy_id,
        "person": named_id,
    }.get(role)  # HR's tasks belong to every HR administrator: no single assignee


def plan(task: OnboardingJourneyTask, journey: OnboardingJourney) -> None:
    """Set the task's dates from the journey's start date (never before the journey began)."""
    task.due_date = workdays.due_date(journey.start_date, task.offset_days, not_before=journey.invited_on)
    task.remind_on = workdays.working_days_before(task.due_date, REMIND_WORKING_DAYS)
    if task.task_type == "meeting":
        hours, minutes = (int(part) for part in ((task.config or {}).get("time") or DEFAULT_MEETING_TIME).split(":"))
        task.meeting_at = datetime.combine(task.due_date, time(hours, minutes))


def _copy_fields(task: OnboardingJourneyTask, source: OnboardingTemplateTask, seqs: dict[int, int]) -> None:
    task.title = source.title
    task.description = source.description
    task.task_type = source.task_type
    task.offset_days = source.offset_days
    task.required = source.required
    task.config = dict(source.config or {})
    task.depends_on = sorted(seqs[d.id] for d in source.depends_on if d.id in seqs)


def open_journey_of_kind(person: Person, kind: str) -> OnboardingJourney | None:
    """The journey of this kind (onboarding, transfer, offboarding) that ``person`` is on now."""
    return db.session.scalar(
        select(OnboardingJourney).where(
            OnboardingJourney.person_id == person.id, OnboardingJourney.kind == kind, OnboardingJourney.status == "open"
        ).limit(1)
    )


def start_journey(person: Person, template: OnboardingTemplate, start_date: date, actor=None) -> OnboardingJourney:
    """Plan a journey for ``person`` from ``template``; tells the manager. Audited when by hand."""
    journey = OnboardingJourney(
        foundation_id=person.foundation_id,
        person_id=person.id,
        template_id=template.id,
        template_version=template.version,
        name=template.name,
        kind=template.kind,
        status="open",
        start_date=start_date,
        invited_on=clock.today(),
        started_by_id=actor.id if actor is not None else None,
    )
    db.session.add(journey)
    manager_id = manager_id_of(person)
    seqs = {source.id: seq for seq, source in enumerate(template.tasks, 1)}
    for source in template.tasks:
        task = OnboardingJourneyTask(
            foundation_id=person.foundation_id,
            seq=seqs[source.id],
            template_task_id=source.id,
            assignee_role=source.assignee_role,
        )
        _copy_fields(task, source, seqs)
        task.assignee_id = _assignee(source.assignee_role, journey, manager_id, source.assignee_person_id)
        plan(task, journey)
        journey.tasks.append(task)
    refresh_status(journey)
    db.session.flush()
    if actor is not None:
        record_audit(
            "onboarding.journey_started",
            person,
            person.foundation_id,
            {"journey_id": journey.id, "template": template.name},
            actor=actor,
        )
    _tell_manager(journey, person, manager_id)
    return journey


def _tell_manager(journey: OnboardingJourney, person: Person, manager_id: int | None) -> None:
    manager = db.session.get(Person, manager_id) if manager_id else None
    if manager is None or manager.id == person.id:
        return
    notify(
        manager,
        notices.JOURNEY_STARTED,
        _l(
            "%(name)s: %(journey)s from %(date)s",
            name=person.full_name,
            journey=journey.name,
            date=format_date(journey.start_date),
        ),
        _l("Choose a buddy and look at the tasks that are yours."),
        url=f"/onboarding/journeys/{journey.id}",
        dedupe_key=f"{notices.JOURNEY_STARTED}:{journey.id}",
    )


def has_open_journey(person: Person, kinds: tuple[str, ...]) -> bool:
    return (
        db.session.scalar(
            select(OnboardingJourney.id)
            .where(
                OnboardingJourney.person_id == person.id,
                OnboardingJourney.kind.in_(kinds),
                OnboardingJourney.status == "open",
            )
            .limit(1)
        )
        is not None
    )


# -- lifecycle events -------------------------------------------------------------------------------


def _start_automatically(person: Person, kinds: tuple[str, ...], start_date: date) -> OnboardingJourney | None:
    if has_open_journey(person, kinds):
        return None
    template = best_template(person, kinds)
    return start_journey(person, template, start_date) if template is not None else None


def on_hired(person: Person) -> OnboardingJourney | None:
    """A new person gets an onboarding (volunteers: a volunteer) journey, unless they started
    long ago: an import of the existing staff must not send everyone through onboarding."""
    today = clock.today()
    start = person.start_date or today
    backdate = plugin_settings("onboarding", person.foundation_id).get("backdate_days", DEFAULT_BACKDATE_DAYS)
    if person.status not in ("preboarding", "active") or start < today - timedelta(days=backdate):
        return None
    kinds = ("volunteer", "onboarding") if person.person_type == "volunteer" else ("onboarding",)
    return _start_automatically(person, kinds, start)


def on_transferred(person: Person, from_team, to_team) -> OnboardingJourney | None:
    """A move between two teams (not a first placement) starts a transfer journey today."""
    if from_team is None or to_team is None or from_team.id == to_team.id:
        return None
    return _start_automatically(person, ("transfer",), clock.today())


def on_leaving(person: Person) -> OnboardingJourney | None:
    """Offboarding is planned towards the last working day."""
    return _start_automatically(person, ("offboarding",), person.end_date or clock.today())


def on_dates_changed(person: Person, changes: dict) -> int:
    """A moved start or end date re-plans the open journeys planned from the old date (onboarding
    and transfer journeys from the start date, offboarding from the end date). Returns how many."""
    moved = 0
    for field in ("start_date", "end_date"):
        old, new = changes.get(field, (None, None))
        if old is None or new is None:
            continue
        journeys = db.session.scalars(
            select(OnboardingJourney).where(
                OnboardingJourney.person_id == person.id,
                OnboardingJourney.status == "open",
                OnboardingJourney.start_date == old,
            )
        )
        for journey in journeys:
            replan(journey, new, actor=None)
            moved += 1
    return moved


# -- state ------------------------------------------------------------------------------------------


def locked_ids(tasks) -> set[int]:
    """Ids of open tasks still waiting for an open task they depend on."""
    open_seqs = {task.seq for task in tasks if task.status == "open"}
    return {task.id for task in tasks if task.status == "open" and open_seqs.intersection(task.depends_on or ())}


def progress(tasks) -> tuple[int, int]:
    """(done, total): skipped tasks count for neither."""
    counted = [task for task in tasks if task.status != "skipped"]
    return sum(task.status == "done" for task in counted), len(counted)


def refresh_status(journey: OnboardingJourney) -> None:
    """Completed once every required task (or, without any, every task) is done or skipped."""
    if journey.status == "cancelled":
        return
    tasks = journey.tasks
    deciding = [task for task in tasks if task.required] or tasks
    finished = bool(deciding) and all(task.status in FINISHED for task in deciding)
    if finished and journey.status != "completed":
        journey.status, journey.completed_at = "completed", clock.utcnow()
    elif not finished and journey.status == "completed":
        journey.status, journey.completed_at = "open", None


def is_overdue(task: OnboardingJourneyTask, today: date | None = None) -> bool:
    return task.status == "open" and task.due_date < (today or clock.today())


# -- working on a task ------------------------------------------------------------------------------


def complete_task(task: OnboardingJourneyTask, actor, response: dict | None = None, in_order: bool = True) -> None:
    """Mark done. ``in_order=False`` for facts reported from elsewhere (a course completed in
    Learning is completed, whatever the order of the plan)."""
    if task.status != "open":
        raise TaskRefused(_l("This task is already closed."))
    if in_order and task.id in locked_ids(task.journey.tasks):
        raise TaskRefused(_l("This task waits for another task to be done first."))
    if task.journey.status == "cancelled":
        raise TaskRefused(_l("This journey was cancelled."))
    task.status, task.done_at = "done", clock.utcnow()
    task.done_by_id = actor.id if actor is not None else None
    task.response = {**(task.response or {}), **(response or {})}
    refresh_status(task.journey)


def propose_meeting(task: OnboardingJourneyTask, when: datetime) -> None:
    if task.status != "open":
        raise TaskRefused(_l("This task is already closed."))
    task.meeting_at = when


def skip_task(task: OnboardingJourneyTask, actor) -> None:
    if task.status != "open":
        raise TaskRefused(_l("Only an open task can be skipped."))
    task.status, task.done_at, task.done_by_id = "skipped", clock.utcnow(), actor.id
    refresh_status(task.journey)
    _audit(task, "onboarding.task_skipped", actor)


def reopen_task(task: OnboardingJourneyTask, actor) -> None:
    if task.status == "open":
        raise TaskRefused(_l("This task is already open."))
    if task.journey.status == "cancelled":
        raise TaskRefused(_l("This journey was cancelled."))
    task.status, task.done_at, task.done_by_id = "open", None, None
    refresh_status(task.journey)
    _audit(task, "onboarding.task_reopened", actor)


def reassign_task(task: OnboardingJourneyTask, person: Person, actor) -> None:
    if task.status != "open":
        raise TaskRefused(_l("Only an open task can be given to someone else."))
    previous = task.assignee_id
    task.assignee_id = person.id
    _audit(task, "onboarding.task_reassigned", actor, {"from": previous, "to": person.id})


def _audit(task: OnboardingJourneyTask, action: str, actor, extra: dict | None = None) -> None:
    details = {"journey_id": task.journey_id, "task_id": task.id, "title": task.title} | (extra or {})
    record_audit(action, task.journey.person, task.foundation_id, details, actor=actor)


# -- changing a journey -----------------------------------------------------------------------------


def set_buddy(journey: OnboardingJourney, buddy: Person, actor) -> None:
    """The buddy takes over the open buddy tasks, and is told."""
    journey.buddy_id = buddy.id
    for task in journey.tasks:
        if task.assignee_role == "buddy" and task.status == "open":
            task.assignee_id = buddy.id
    record_audit(
        "onboarding.buddy_chosen",
        journey.person,
        journey.foundation_id,
        {"journey_id": journey.id, "buddy": buddy.id},
        actor=actor,
    )
    notify(
        buddy,
        notices.BUDDY_CHOSEN,
        _l("You are the buddy of %(name)s", name=journey.person.full_name),
        _l(
            "%(name)s starts on %(date)s. Your tasks are on your onboarding page.",
            name=journey.person.full_name,
            date=format_date(journey.start_date),
        ),
        url="/onboarding/",
        dedupe_key=f"{notices.BUDDY_CHOSEN}:{journey.id}:{buddy.id}",
    )


def replan(journey: OnboardingJourney, start_date: date, actor) -> int:
    """A new start date moves every open task; returns how many moved."""
    previous = journey.start_date
    journey.start_date = start_date
    moved = 0
    for task in journey.tasks:
        if task.status == "open":
            before = task.due_date
            plan(task, journey)
            moved += task.due_date != before
    record_audit(
        "onboarding.journey_replanned",
        journey.person,
        journey.foundation_id,
        {"journey_id": journey.id, "from": previous.isoformat(), "to": start_date.isoformat()},
        actor=actor,
    )
    return moved


def apply_template(journey: OnboardingJourney, template: OnboardingTemplate, actor) -> None:
    """Bring an open journey to ``template`` as it is now: open tasks take the template's version,
    new tasks are added, open tasks the template no longer has are removed. Done and skipped tasks
    stay as they are."""
    if journey.status == "cancelled":
        raise TaskRefused(_l("This journey was cancelled."))
    existing = {task.template_task_id: task for task in journey.tasks if task.template_task_id is not None}
    wanted = {source.id for source in template.tasks}
    for task in list(journey.tasks):
        if task.status == "open" and task.template_task_id not in wanted:
            _remove_task(journey, task)
    next_seq = max((task.seq for task in journey.tasks), default=0) + 1
    seqs: dict[int, int] = {}
    for source in template.tasks:
        if source.id in existing and existing[source.id] in journey.tasks:
            seqs[source.id] = existing[source.id].seq
        else:
            seqs[source.id] = next_seq
            next_seq += 1
    manager_id = manager_id_of(journey.person)
    for source in template.tasks:
        task = existing.get(source.id)
        new = task is None or task not in journey.tasks
        if new:
            task = OnboardingJourneyTask(
                foundation_id=journey.foundation_id, seq=seqs[source.id], template_task_id=source.id
            )
        elif task.status != "open":
            continue
        if new or task.assignee_role != source.assignee_role:
            task.assignee_role = source.assignee_role
            task.assignee_id = _assignee(source.assignee_role, journey, manager_id, source.assignee_person_id)
        _copy_fields(task, source, seqs)
        plan(task, journey)
        if new:
            journey.tasks.append(task)  # only once complete: a lazy load may flush it
    journey.template_id, journey.template_version, journey.name = template.id, template.version, template.name
    refresh_status(journey)
    record_audit(
        "onboarding.template_applied",
        journey.person,
        journey.foundation_id,
        {"journey_id": journey.id, "template": template.name, "version": template.version},
        actor=actor,
    )


def _remove_task(journey: OnboardingJourney, task: OnboardingJourneyTask) -> None:
    files = db.session.scalars(select(OnboardingFile).where(OnboardingFile.journey_task_id == task.id)).all()
    uploads.discard_after_commit([f.stored_name for f in files])
    for file in files:
        db.session.delete(file)
    journey.tasks.remove(task)


def cancel_journey(journey: OnboardingJourney, actor) -> None:
    if journey.status == "cancelled":
        raise TaskRefused(_l("This journey was cancelled."))
    journey.status, journey.cancelled_at = "cancelled", clock.utcnow()
    record_audit(
        "onboarding.journey_cancelled", journey.person, journey.foundation_id, {"journey_id": journey.id}, actor=actor
    )


def delete_journeys(journey_ids: list[int]) -> int:
    """Delete journeys with their tasks and files (files leave the disk after the commit).
    Feedback stays for the template's figures, no longer linked to anyone."""
    if not journey_ids:
        return 0
    files = db.session.scalars(
        select(OnboardingFile.stored_name).where(OnboardingFile.journey_id.in_(journey_ids))
    ).all()
    uploads.discard_after_commit(files)
    db.session.execute(
        update(OnboardingFeedback)
        .where(OnboardingFeedback.journey_id.in_(journey_ids))
        .values(journey_id=None, comment=None),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        delete(OnboardingFile).where(OnboardingFile.journey_id.in_(journey_ids)),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        delete(OnboardingJourneyTask).where(OnboardingJourneyTask.journey_id.in_(journey_ids)),
        execution_options={"synchronize_session": False},
    )
    result = db.session.execute(
        delete(OnboardingJourney).where(OnboardingJourney.id.in_(journey_ids)),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount

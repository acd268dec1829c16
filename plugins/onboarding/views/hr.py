"""HR: every journey of the foundation, HR's own tasks, starting a journey by hand, the figures,
and the changes HR makes to a journey (each audited)."""

from __future__ import annotations

from dataclasses import asdict

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select

from core.api import Person, acting_foundation_id, choices, clock, db, permission_required
from plugins.onboarding import access, journeys, queries, stats
from plugins.onboarding.feedback import MIN_ANSWERS
from plugins.onboarding.forms import (
    ApplyTemplateForm,
    JourneyFilterForm,
    ReassignForm,
    StartDateForm,
    StartJourneyForm,
)
from plugins.onboarding.models import OnboardingTemplate
from plugins.onboarding.views import bp
from plugins.onboarding.views.common import actor, page_number, render_journey, safe_next, task_board
from plugins.onboarding.vocabulary import JOURNEY_STATUSES, KINDS


def _filter() -> tuple[JourneyFilterForm, queries.JourneyFilter]:
    form = JourneyFilterForm(request.args)
    form.template.choices = choices(
        ((t.id, t.name) for t in queries.templates_of(acting_foundation_id())), _("Any template")
    )
    form.validate()
    wanted = queries.JourneyFilter(
        status=form.status.data if not form.status.errors else "",
        team=(form.team.data or "").strip() if not form.team.errors else "",
        template=form.template.data or "",
        overdue=bool(form.overdue.data),
    )
    return form, wanted


@bp.route("/hr/")
@permission_required(access.MANAGE)
def overview():
    today = clock.today()
    form, wanted = _filter()
    page = db.paginate(
        queries.journeys_select(acting_foundation_id(), wanted, today),
        page=page_number(),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    args = {name: value for name, value in asdict(wanted).items() if value}
    return render_template(
        "onboarding/hr_overview.html",
        form=form,
        page=page,
        args=args,
        figures=queries.figures([j.id for j in page.items], today),
        statuses={key: str(title) for key, title in JOURNEY_STATUSES.items()},  # translated once, not per row
        today=today,
    )


@bp.route("/hr/tasks")
@permission_required(access.MANAGE)
def hr_tasks():
    page = db.paginate(
        queries.hr_tasks_select(acting_foundation_id()),
        page=page_number(),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template("onboarding/hr_tasks.html", page=page, **task_board(list(page.items)))


@bp.route("/hr/stats")
@permission_required(access.MANAGE)
def figures():
    return render_template(
        "onboarding/hr_stats.html",
        figures=stats.template_figures(acting_foundation_id(), clock.today()),
        kinds=KINDS,
        min_answers=MIN_ANSWERS,
    )


# -- starting by hand -------------------------------------------------------------------------------


@bp.route("/hr/start", methods=["GET", "POST"])
@permission_required(access.MANAGE)
def start():
    foundation_id = acting_foundation_id()
    form = StartJourneyForm(email=request.args.get("email"))
    form.template_id.choices = choices(
        ((t.id, f"{t.name} ({KINDS[t.kind]})") for t in queries.templates_of(foundation_id) if t.active),
        _("Best match for the person"),
    )
    if form.validate_on_submit():
        person = db.session.scalar(
            select(Person).where(
                Person.foundation_id == foundation_id, func.lower(Person.email) == form.email.data.strip().lower()
            )
        )
        template = _chosen_template(form, person, foundation_id)
        if person is None:
            form.email.errors.append(_("There is no one with this e-mail address in this foundation."))
        elif template is None:
            form.template_id.errors.append(_("No template fits this person; choose one."))
        elif (running := journeys.open_journey_of_kind(person, template.kind)) is not None:
            form.email.errors.append(_("%(name)s is already on this kind of journey: %(journey)s, started %(date)s.",
                                       name=person.full_name, journey=running.name, date=format_date(running.start_date)))
        else:
            start_date = (
                form.start_date.data
                or (person.end_date if template.kind == "offboarding" else None)
                or person.start_date
                or clock.today()
            )
            journey = journeys.start_journey(person, template, start_date, actor=actor())
            db.session.commit()
            flash(_("The journey of %(name)s is started.", name=person.full_name), "success")
            return redirect(url_for("onboarding.journey", journey_id=journey.id))
    return render_template("onboarding/hr_start.html", form=form), 400 if form.errors else 200


def _chosen_template(form: StartJourneyForm, person: Person | None, foundation_id: int) -> OnboardingTemplate | None:
    if form.template_id.data:
        return db.session.scalar(
            select(OnboardingTemplate).where(
                OnboardingTemplate.id == form.template_id.data, OnboardingTemplate.foundation_id == foundation_id
            )
        )
    if person is None:
        return None
    kinds = ("volunteer", "onboarding") if person.person_type == "volunteer" else ("onboarding",)
    return journeys.best_template(person, kinds)


# -- changing a journey -----------------------------------------------------------------------------


def _hr_journey(journey_id: int):
    journey = access.journey_or_404(journey_id)
    queries.journey_tasks(journey)
    return journey


@bp.route("/journeys/<int:journey_id>/start-date", methods=["POST"])
@permission_required(access.MANAGE)
def change_start_date(journey_id: int):
    journey = _hr_journey(journey_id)
    form = StartDateForm()
    if not form.validate_on_submit():
        return render_journey(journey.id, start_form=form, status=400)
    moved = journeys.replan(journey, form.start_date.data, actor())
    db.session.commit()
    flash(
        ngettext(
            "The start date is changed; %(num)d open task moved.",
            "The start date is changed; %(num)d open tasks moved.",
            moved,
        ),
        "success",
    )
    return redirect(url_for("onboarding.journey", journey_id=journey.id))


@bp.route("/journeys/<int:journey_id>/apply", methods=["POST"])
@permission_required(access.MANAGE)
def apply_template(journey_id: int):
    journey = _hr_journey(journey_id)
    form = ApplyTemplateForm()
    template = db.session.scalar(
        select(OnboardingTemplate).where(
            OnboardingTemplate.id == (form.template_id.data if form.validate_on_submit() else None),
            OnboardingTemplate.foundation_id == journey.foundation_id,
        )
    )
    if template is None:
        flash(_("Choose a template of this foundation."), "error")
    else:
        try:
            journeys.apply_template(journey, template, actor())
        except journeys.TaskRefused as refused:
            flash(str(refused), "error")
        else:
            db.session.commit()
            flash(_("The open tasks now follow %(template)s.", template=template.name), "success")
    return redirect(url_for("onboarding.journey", journey_id=journey.id))


@bp.route("/journeys/<int:journey_id>/cancel", methods=["POST"])
@permission_required(access.MANAGE)
def cancel(journey_id: int):
    journey = _hr_journey(journey_id)
    try:
        journeys.cancel_journey(journey, actor())
    except journeys.TaskRefused as refused:
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash(_("The journey is cancelled."), "success")
    return redirect(url_for("onboarding.journey", journey_id=journey.id))


def _task_change(task_id: int, change):
    task = access.task_or_404(task_id)
    queries.journey_tasks(task.journey)
    try:
        change(task, actor())
    except journeys.TaskRefused as refused:
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash(_("Saved: %(task)s", task=task.title), "success")
    return redirect(safe_next(url_for("onboarding.journey", journey_id=task.journey_id)) + f"#task-{task.id}")


@bp.route("/tasks/<int:task_id>/skip", methods=["POST"])
@permission_required(access.MANAGE)
def skip(task_id: int):
    return _task_change(task_id, journeys.skip_task)


@bp.route("/tasks/<int:task_id>/reopen", methods=["POST"])
@permission_required(access.MANAGE)
def reopen(task_id: int):
    return _task_change(task_id, journeys.reopen_task)


@bp.route("/tasks/<int:task_id>/reassign", methods=["POST"])
@permission_required(access.MANAGE)
def reassign(task_id: int):
    task = access.task_or_404(task_id)
    form = ReassignForm(prefix=f"r{task.id}")
    person = None
    if form.validate_on_submit():
        person = db.session.scalar(
            select(Person).where(
                Person.foundation_id == task.foundation_id, func.lower(Person.email) == form.email.data.strip().lower()
            )
        )
        if person is None:
            form.email.errors.append(_("There is no one with this e-mail address in this foundation."))
    if person is None:
        return render_journey(task.journey_id, reassign_failed=(task.id, form), status=400)
    return _task_change(task_id, lambda t, who: journeys.reassign_task(t, person, who))

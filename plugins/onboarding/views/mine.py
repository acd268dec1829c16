"""Everyone's onboarding page: one's own journey (also before the first day) and the tasks one
does for others; doing a task in place; files, calendar entries and the feedback check."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.api import UploadRefused, accepts_files, acting_foundation_id, clock, db, get_or_404, has_permission
from plugins.onboarding import access, feedback, journeys, queries, task_forms, uploads
from plugins.onboarding.forms import FeedbackForm
from plugins.onboarding.meetings import meeting_ics
from plugins.onboarding.models import OnboardingFile
from plugins.onboarding.views import bp
from plugins.onboarding.views.common import actor, phase_groups, safe_next, send_stored, task_board
from plugins.onboarding.vocabulary import MAX_UPLOAD_MB


def render_index(failed=None, failed_meeting=None, feedback_form=None, status: int = 200):
    user = actor()
    journey = queries.current_journey(user.id)
    if journey is not None and journey.foundation_id != acting_foundation_id():
        journey = None
    tasks = queries.journey_tasks(journey) if journey is not None else []
    assigned = queries.assigned_tasks(user.id, journey.id if journey is not None else None)
    board = task_board(tasks + assigned, failed, failed_meeting)
    checkpoints, done, total = [], 0, 0
    if journey is not None:
        done, total = journeys.progress(tasks)
        checkpoints = feedback.due_checkpoints(journey, feedback.answered_checkpoints(journey.id), board["today"])
    if checkpoints and feedback_form is None:
        feedback_form = FeedbackForm(formdata=None)
    next_task = next(
        (t for t in tasks if t.status == "open" and t.id in board["doable"] and t.id not in board["locked"]), None
    )
    return render_template(
        "onboarding/index.html",
        journey=journey,
        groups=phase_groups(journey, tasks) if journey else [],
        assigned=assigned,
        done=done,
        total=total,
        next_task=next_task,
        checkpoint=checkpoints[0] if checkpoints else None,
        feedback_form=feedback_form,
        is_hr=has_permission(user, access.MANAGE),
        is_manager=has_permission(user, access.TEAM),
        **board,
    ), status


@bp.route("/")
@login_required
def index():
    return render_index()


# -- doing a task -----------------------------------------------------------------------------------


@bp.route("/tasks/<int:task_id>", methods=["POST"])
@login_required
@accepts_files(MAX_UPLOAD_MB)
def do_task(task_id: int):
    user = actor()
    task = access.task_to_do_or_404(user, task_id)
    form = task_forms.form_for(task, submitted=True)
    if form is None:
        flash(task_forms.no_form_message(), "error")
        return redirect(safe_next())
    if not form.validate_on_submit():
        return render_index(failed=(task.id, form), status=400)
    try:
        if task.task_type == "upload":
            content, kind, name = uploads.read_checked(
                form.file.data, task.config.get("allowed_types", []), task.config.get("max_size_mb", 5)
            )
            journeys.complete_task(task, user, {"file_name": name})
            uploads.store(
                content,
                kind,
                name,
                task.foundation_id,
                uploaded_by=user,
                journey_id=task.journey_id,
                journey_task_id=task.id,
            )
        else:
            journeys.complete_task(task, user, task_forms.response_of(task, form))
    except UploadRefused as refused:
        db.session.rollback()
        form.file.errors = [str(refused)]
        return render_index(failed=(task.id, form), status=400)
    except journeys.TaskRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(safe_next())
    db.session.commit()  # should it fail, the stored file goes again
    flash(_("Done: %(task)s", task=task.title), "success")
    return redirect(safe_next() + f"#task-{task.id}")


@bp.route("/tasks/<int:task_id>/meeting", methods=["POST"])
@login_required
def propose_meeting(task_id: int):
    task = access.task_to_do_or_404(actor(), task_id)
    if task.task_type != "meeting":
        abort(404)
    form = task_forms.meeting_form(task, submitted=True)
    if not form.validate_on_submit():
        return render_index(failed_meeting=(task.id, form), status=400)
    try:
        journeys.propose_meeting(task, task_forms.meeting_time(form))
    except journeys.TaskRefused as refused:
        flash(str(refused), "error")
        return redirect(safe_next())
    db.session.commit()
    flash(_("The meeting is planned."), "success")
    return redirect(safe_next() + f"#task-{task.id}")


# -- files and calendar entries ---------------------------------------------------------------------


@bp.route("/files/<int:file_id>")
@login_required
def download(file_id: int):
    """An uploaded file, for those who may see its journey."""
    file = get_or_404(OnboardingFile, file_id)
    if file.journey_id is None:
        abort(404)
    access.viewable_journey_or_404(actor(), file.journey_id)
    return send_stored(file)


@bp.route("/tasks/<int:task_id>/document")
@login_required
def document(task_id: int):
    """The document of a read-and-confirm task."""
    task = access.task_or_404(task_id)
    access.viewable_journey_or_404(actor(), task.journey_id)
    file = db.session.get(OnboardingFile, (task.config or {}).get("document_file_id") or 0)
    if file is None or file.foundation_id != task.foundation_id:
        abort(404)
    return send_stored(file)


@bp.route("/tasks/<int:task_id>/meeting.ics")
@login_required
def meeting_calendar(task_id: int):
    task = access.task_or_404(task_id)
    journey = access.viewable_journey_or_404(actor(), task.journey_id)
    if task.task_type != "meeting" or task.meeting_at is None:
        abort(404)
    body = meeting_ics(task, request.host.split(":")[0], [journey.person, task.assignee])
    return (
        body,
        200,
        {
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": f'attachment; filename="meeting-{task.id}.ics"',
        },
    )


# -- feedback ---------------------------------------------------------------------------------------


@bp.route("/journeys/<int:journey_id>/feedback/<int:checkpoint>", methods=["POST"])
@login_required
def give_feedback(journey_id: int, checkpoint: int):
    journey = access.journey_or_404(journey_id)
    if journey.person_id != current_user.id:
        abort(404)
    form = FeedbackForm()
    if not form.validate_on_submit():
        return render_index(feedback_form=form, status=400)
    try:
        feedback.save(
            journey, checkpoint, {q: form[q].data for q in feedback.QUESTIONS}, form.comment.data, clock.today()
        )
    except feedback.FeedbackRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("onboarding.index"))
    db.session.commit()
    flash(_("Thank you for your answers."), "success")
    return redirect(url_for("onboarding.index"))

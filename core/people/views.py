"""People and teams (HR): lists, person pages, forms, HR actions, CSV import and export."""
from __future__ import annotations

from dataclasses import asdict

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    stream_with_context,
    url_for,
)
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core import audit, background, pending_files
from core.extensions import db
from core.input_guard import accepts_files
from core.models import PERSON_STATUSES, PERSON_TYPES, BackgroundTask, Person, RoleAssignment, Team
from core.people import csv_import, queries, service
from core.people.csv_export import people_csv
from core.people.forms import ImportForm, PersonForm, TeamForm
from core.permissions import acting_foundation_id, managed_teams, permission_required
from core.plugins import plugin_manager

bp = Blueprint("people", __name__)

MAX_IMPORT_BYTES = 5 * 1024 * 1024
IMPORT_SESSION_KEY = "people_import"
LINK_PURPOSES = ("welcome", "reset")
TEAM_SUGGESTIONS = 20
TEAM_FIELD_OF = {"manager_id": "manager"}  # service field -> team form field


def _actor():
    return current_user._get_current_object()


def _page_number() -> int:
    return max(request.args.get("page", 1, type=int), 1)


def _show_errors(form, invalid: service.Invalid, field_of: dict[str, str] | None = None) -> None:
    """Service errors onto the form's fields (``field_of`` renames where they differ)."""
    for name, message in invalid.errors.items():
        form[(field_of or {}).get(name, name)].errors.append(message)


# -- people list and export -----------------------------------------------------------------------

@bp.route("/")
@permission_required("core.view_people")
def index():
    team_ids = queries.visible_team_ids(current_user)
    wanted = queries.PeopleFilter.from_args(request.args)
    team_filter = queries.resolve_team_filter(team_ids, wanted)
    page = db.paginate(queries.people_select(team_ids, wanted), page=_page_number(),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False, count=False)
    page.total = queries.people_count(team_ids, wanted)
    args = {name: value for name, value in asdict(wanted).items() if value}
    return render_template("people/index.html", wanted=wanted, team_filter=team_filter, no_team=queries.NO_TEAM,
                           page=page, args=args, types=PERSON_TYPES, statuses=PERSON_STATUSES,
                           max_search=queries.MAX_SEARCH)


@bp.route("/team-names")
@permission_required("core.view_people")
def team_names():
    """Suggestions for the typed team filter: names of the teams one sees that contain ``q``."""
    text = request.args.get("q", "").strip()[:queries.MAX_SEARCH]
    names = queries.team_suggestions(queries.visible_team_ids(current_user), text, TEAM_SUGGESTIONS) if text else []
    return jsonify(suggestions=names)


@bp.route("/export.csv")
@permission_required("core.view_people")
def export_csv():
    team_ids = queries.visible_team_ids(current_user)
    wanted = queries.PeopleFilter.from_args(request.args)
    queries.resolve_team_filter(team_ids, wanted)
    audit.record("people.exported", foundation_id=acting_foundation_id(),
                 details={"filter": {k: v for k, v in asdict(wanted).items() if v}})
    db.session.commit()
    return Response(
        stream_with_context(people_csv(queries.people_select(team_ids, wanted))),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="people.csv"'},
    )


# -- one person -----------------------------------------------------------------------------------

def _roles(person: Person) -> tuple[list[RoleAssignment], list[Team]]:
    """The roles granted to the person and the teams they manage."""
    granted = db.session.scalars(
        select(RoleAssignment).where(RoleAssignment.person_id == person.id).options(joinedload(RoleAssignment.foundation))
    ).all()
    return granted, managed_teams(person, person.foundation_id)


@bp.route("/<int:person_id>")
@permission_required("core.view_people")
def person(person_id: int):
    person = queries.person_or_404(current_user, person_id)
    hook = plugin_manager().hook_for(person.foundation_id)
    sections = [s for found in hook.person_sections(person=person, viewer=_actor()) for s in found]
    sections.sort(key=lambda s: (s.order, s.title))
    granted, managed = _roles(person)
    return render_template("people/person.html", person=person, sections=sections, granted=granted, managed=managed,
                           types=PERSON_TYPES, statuses=PERSON_STATUSES, format_decimal=format_decimal)


@bp.route("/new", methods=["GET", "POST"])
@permission_required("core.manage_people")
def create_person():
    form = PersonForm()
    form.set_teams(queries.team_choices(None))
    if form.validate_on_submit():
        try:
            created = service.create_person(acting_foundation_id(), form.data, actor=_actor())
        except service.Invalid as invalid:
            _show_errors(form, invalid)
        else:
            flash(_("%(name)s is added.", name=created.full_name), "success")
            return redirect(url_for("people.person", person_id=created.id))
    return render_template("people/person_form.html", form=form, person=None), 400 if form.errors else 200


@bp.route("/<int:person_id>/edit", methods=["GET", "POST"])
@permission_required("core.manage_people")
def edit_person(person_id: int):
    person = queries.person_or_404(current_user, person_id)
    form = PersonForm(obj=person)
    form.set_teams(queries.team_choices(None))
    if form.validate_on_submit():
        try:
            changed = service.update_person(person, form.data, actor=_actor())
        except service.Invalid as invalid:
            _show_errors(form, invalid)
        else:
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("people.person", person_id=person.id))
    return render_template("people/person_form.html", form=form, person=person), 400 if form.errors else 200


@bp.route("/<int:person_id>/invitation", methods=["POST"])
@permission_required("core.issue_invitations")
def issue_invitation(person_id: int):
    person = queries.person_or_404(current_user, person_id)
    purpose = request.form.get("purpose")
    if purpose not in LINK_PURPOSES:
        abort(400)
    url = service.issue_link(person, purpose, actor=_actor())
    # Shown on this answer only, never carried in the session cookie (signed, not encrypted); for a
    # newcomer whose e-mail address does not work yet. The database holds only a hash of it.
    return render_template("people/link_issued.html", person=person, url=url, purpose=purpose,
                           days=current_app.config["INVITATION_DAYS"])


@bp.route("/<int:person_id>/login", methods=["POST"])
@permission_required("core.manage_people")
def set_login(person_id: int):
    person = queries.person_or_404(current_user, person_id)
    action = request.form.get("action")
    if action not in ("enable", "disable"):
        abort(400)
    if action == "disable" and person.id == current_user.id:
        flash(_("You cannot switch off your own login."), "error")
    else:
        service.set_login_enabled(person, action == "enable", actor=_actor())
        flash(_("Login switched on.") if action == "enable" else _("Login switched off; all sessions are ended."), "success")
    return redirect(url_for("people.person", person_id=person.id))


@bp.route("/<int:person_id>/privacy-export", methods=["POST"])
@permission_required("core.privacy")
def privacy_export(person_id: int):
    person = queries.person_or_404(current_user, person_id)
    body = service.privacy_export(person, actor=_actor())
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="privacy-export-{person.id}.json"'})


@bp.route("/<int:person_id>/erase", methods=["GET", "POST"])
@permission_required("core.privacy")
def privacy_erase(person_id: int):
    """Erasure on request (GDPR art. 17): asks HR to type the e-mail address to confirm."""
    person = queries.person_or_404(current_user, person_id)
    if person.id == current_user.id:
        abort(404)
    error = None
    if request.method == "POST":
        if (request.form.get("confirm_email") or "").strip().lower() != person.email.lower():
            error = _("Type the e-mail address %(email)s exactly to confirm.", email=person.email)
        else:
            service.privacy_erase(person, actor=_actor())
            flash(_("The personal data are erased."), "success")
            return redirect(url_for("people.index"))
    return render_template("people/erase.html", person=person, error=error), 400 if error else 200


# -- teams ----------------------------------------------------------------------------------------

@bp.route("/teams")
@permission_required("core.view_people")
def teams():
    page = db.paginate(queries.teams_select(queries.visible_team_ids(current_user)), page=_page_number(),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    counts = queries.member_counts([team.id for team in page.items])
    return render_template("people/teams.html", page=page, counts=counts, no_team=queries.NO_TEAM)


def _team_form(team: Team | None) -> TeamForm:
    data = None
    if team is not None:
        data = {"name": team.name, "region": team.region or "", "parent_id": team.parent_id,
                "manager": team.manager.email if team.manager else ""}
    form = TeamForm(data=data)
    form.set_teams([(i, name) for i, name in queries.team_choices(None) if team is None or i != team.id])
    return form


def _team_values(form: TeamForm) -> dict | None:
    """The form's values with the typed manager found in the foundation; None if not found."""
    values = dict(form.data, manager_id=None)
    reference = (form.manager.data or "").strip()
    if reference:
        manager = service.find_person(acting_foundation_id(), reference)
        if manager is None:
            form.manager.errors.append(_("No person of this foundation has this e-mail address or employee number."))
            return None
        values["manager_id"] = manager.id
    return values


@bp.route("/teams/new", methods=["GET", "POST"])
@permission_required("core.manage_people")
def create_team():
    form = _team_form(None)
    if form.validate_on_submit() and (values := _team_values(form)) is not None:
        try:
            service.create_team(acting_foundation_id(), values, actor=_actor())
        except service.Invalid as invalid:
            _show_errors(form, invalid, TEAM_FIELD_OF)
        else:
            flash(_("Team %(name)s is added.", name=form.name.data), "success")
            return redirect(url_for("people.teams"))
    return render_template("people/team_form.html", form=form, team=None), 400 if form.errors else 200


@bp.route("/teams/<int:team_id>/edit", methods=["GET", "POST"])
@permission_required("core.manage_people")
def edit_team(team_id: int):
    team = queries.team_or_404(team_id)
    form = _team_form(team)
    if form.validate_on_submit() and (values := _team_values(form)) is not None:
        try:
            changed = service.update_team(team, values, actor=_actor())
        except service.Invalid as invalid:
            _show_errors(form, invalid, TEAM_FIELD_OF)
        else:
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("people.teams"))
    return render_template("people/team_form.html", form=form, team=team), 400 if form.errors else 200


# -- CSV import: upload, preview, confirm ---------------------------------------------------------

def _pending_import() -> tuple[dict, bytes] | None:
    """The upload waiting for confirmation in this session and acting foundation, with its bytes."""
    pending = session.get(IMPORT_SESSION_KEY)
    if not pending or pending.get("foundation_id") != acting_foundation_id():
        return None
    content = pending_files.load(pending.get("token", ""))
    return (pending, content) if content is not None else None


def _forget_import() -> None:
    pending = session.pop(IMPORT_SESSION_KEY, None)
    if pending:
        pending_files.discard(pending.get("token", ""))


@bp.route("/import", methods=["GET", "POST"])
@permission_required("core.import_people")
@accepts_files(MAX_IMPORT_BYTES // 2**20)
def import_upload():
    form = ImportForm()
    if form.validate_on_submit():
        content = form.file.data.read(MAX_IMPORT_BYTES + 1)
        if len(content) > MAX_IMPORT_BYTES:
            form.file.errors.append(_("The file is larger than %(mb)d MB.", mb=MAX_IMPORT_BYTES // 2**20))
        else:
            _forget_import()
            session[IMPORT_SESSION_KEY] = {
                "token": pending_files.save(content),
                "foundation_id": acting_foundation_id(),
                "filename": form.file.data.filename or "",
            }
            return redirect(url_for("people.import_preview"))
    return render_template("people/import.html", form=form, columns=csv_import.COLUMNS), 400 if form.errors else 200


@bp.route("/import/preview")
@permission_required("core.import_people")
def import_preview():
    pending = _pending_import()
    if pending is None:
        flash(_("Upload a file first."), "info")
        return redirect(url_for("people.import_upload"))
    info, content = pending
    result = csv_import.check(acting_foundation_id(), content)
    return render_template("people/import_preview.html", result=result, filename=info["filename"])


@bp.route("/import/confirm", methods=["POST"])
@permission_required("core.import_people")
def import_confirm():
    pending = _pending_import()
    if pending is None:
        flash(_("Upload a file first."), "info")
        return redirect(url_for("people.import_upload"))
    info, content = pending
    background_above = current_app.config["IMPORT_BACKGROUND_ROWS"]
    result = csv_import.import_people(acting_foundation_id(), content, actor=_actor(), background_above=background_above)
    if not result.ok:
        flash(_("Nothing is imported: the file has problems."), "error")
        return render_template("people/import_preview.html", result=result, filename=info["filename"]), 400
    _forget_import()
    flash(ngettext("%(num)d person is imported.", "%(num)d people are imported.", result.imported), "success")
    if result.task_id is not None:
        return redirect(url_for("people.import_progress", task_id=result.task_id))
    return redirect(url_for("people.index"))


def _import_task_or_404(task_id: int) -> BackgroundTask:
    """An import's background task of the acting foundation."""
    task = db.session.scalar(select(BackgroundTask).where(
        BackgroundTask.id == task_id, BackgroundTask.kind == background.EVENTS,
        BackgroundTask.foundation_id == acting_foundation_id(),
    ))
    if task is None:
        abort(404)
    return task


def _progress_text(task: BackgroundTask) -> str:
    if task.state == "queued":
        return _("Waiting for the background work to start.")
    if task.state == "running":
        return _("The modules are preparing the new people: %(done)d of %(total)d.", done=task.done, total=task.total)
    if task.state == "failed":
        return _("The preparation stopped with an error, which is recorded for the administrators. "
                 "The people themselves are imported.")
    text = ngettext("The modules have prepared the new person.", "The modules have prepared all %(num)d new people.",
                    task.total)
    if task.failed:
        text += " " + ngettext("For %(num)d person a module reported an error, which is recorded for the administrators.",
                               "For %(num)d people a module reported an error, which is recorded for the administrators.",
                               task.failed)
    return text


@bp.route("/import/progress/<int:task_id>")
@permission_required("core.import_people")
def import_progress(task_id: int):
    """Follows the background work of a large import; polls the status with script, else refreshes."""
    task = _import_task_or_404(task_id)
    return render_template("people/import_progress.html", task=task, text=_progress_text(task))


@bp.route("/import/progress/<int:task_id>/status")
@permission_required("core.import_people")
def import_status(task_id: int):
    task = _import_task_or_404(task_id)
    return jsonify(background.status(task) | {"text": _progress_text(task)})


@bp.route("/import/cancel", methods=["POST"])
@permission_required("core.import_people")
def import_cancel():
    _forget_import()
    return redirect(url_for("people.import_upload"))

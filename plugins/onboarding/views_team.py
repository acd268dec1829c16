"""The manager's view (newcomers of my teams, my tasks, choosing a buddy) and a journey's detail
page, which managers and HR share; HR's buttons on it are in views_hr."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import func, select

from core.extensions import db
from core.models import Person
from core.permissions import acting_foundation_id, managed_team_ids, permission_required
from core.reminders import local_today
from plugins.onboarding import access, journeys, queries
from plugins.onboarding.blueprint import actor, bp, safe_next
from plugins.onboarding.forms import ApplyTemplateForm, BuddyForm, ReassignForm, StartDateForm, choices
from plugins.onboarding.views_newcomer import phase_groups, task_board
from plugins.onboarding.vocabulary import JOURNEY_STATUSES, TASK_STATUSES


def buddy_form(members, journey, formdata=None) -> BuddyForm:
    kwargs = {"prefix": f"b{journey.id}"}
    if formdata is None:
        kwargs["formdata"] = None
        kwargs["buddy_id"] = journey.buddy_id
    form = BuddyForm(**kwargs)
    form.buddy_id.choices = choices(
        ((p.id, p.full_name) for p in members if p.id != journey.person_id), _("Choose a colleague")
    )
    return form


@bp.route("/team")
@permission_required(access.TEAM)
def team():
    user = actor()
    team_ids = managed_team_ids(user, acting_foundation_id())
    team_journeys = queries.team_journeys(team_ids)
    members = queries.team_members(team_ids)
    by_team: dict[int, list[Person]] = {}
    for member in members:
        by_team.setdefault(member.team_id, []).append(member)
    assigned = queries.assigned_tasks(user.id)
    return render_template(
        "onboarding/team.html",
        journeys=team_journeys,
        figures=queries.figures([j.id for j in team_journeys], local_today()),
        buddy_forms={j.id: buddy_form(by_team.get(j.person.team_id, []), j) for j in team_journeys},
        assigned=assigned,
        **task_board(assigned),
    )


def _chosen_buddy(journey, form: BuddyForm) -> Person | None:
    email = (form.buddy_email.data or "").strip().lower()
    if email:
        where = func.lower(Person.email) == email
    elif form.buddy_id.data:
        where = Person.id == form.buddy_id.data
    else:
        return None
    buddy = db.session.scalar(select(Person).where(where, Person.foundation_id == journey.foundation_id))
    if buddy is None or buddy.id == journey.person_id or buddy.status not in ("active", "leaving"):
        return None
    return buddy


@bp.route("/journeys/<int:journey_id>/buddy", methods=["POST"])
@login_required
def choose_buddy(journey_id: int):
    journey = access.overseen_journey_or_404(actor(), journey_id)
    form = BuddyForm(prefix=f"b{journey.id}")
    form.buddy_id.choices = []
    if not form.validate_on_submit() or (buddy := _chosen_buddy(journey, form)) is None:
        flash(_("Choose a colleague of this foundation (not the newcomer) as buddy."), "error")
        return redirect(safe_next(url_for("onboarding.journey", journey_id=journey.id)))
    journeys.set_buddy(journey, buddy, actor())
    db.session.commit()
    flash(_("%(buddy)s is the buddy of %(name)s.", buddy=buddy.full_name, name=journey.person.full_name), "success")
    return redirect(safe_next(url_for("onboarding.journey", journey_id=journey.id)))


@bp.route("/journeys/<int:journey_id>")
@login_required
def journey(journey_id: int):
    return render_journey(journey_id)


def render_journey(journey_id: int, reassign_failed=None, start_form=None, status: int = 200):
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

"""The manager's view (newcomers of my teams, my tasks, choosing a buddy) and a journey's detail
page, which managers and HR share (drawn by common.render_journey); HR's buttons on it are in hr."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import func, select

from core.api import Person, acting_foundation_id, clock, db, managed_team_ids, permission_required
from plugins.onboarding import access, journeys, queries
from plugins.onboarding.forms import BuddyForm
from plugins.onboarding.views import bp
from plugins.onboarding.views.common import actor, buddy_form, render_journey, safe_next, task_board


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
        figures=queries.figures([j.id for j in team_journeys], clock.today()),
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

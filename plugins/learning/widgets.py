"""Dashboard widgets and the section on a person's page. Each is a fixed number of queries."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from core.api import Person, PersonSection, Widget, acting_foundation_id, clock, db, has_permission, managed_team_ids
from plugins.learning import compliance, learner, snapshot
from plugins.learning.models import Enrolment, TrainingRecord
from plugins.learning.records import may_see_person
from plugins.learning.vocabulary import STATUSES

ATTENTION = ("overdue", "expired", "expiring", "missing")


def _headline(line: learner.RequirementLine) -> str:
    title, days = line.requirement.title, line.days_left
    if line.cell.status == "expiring":
        return ngettext("%(title)s expires in %(num)d day", "%(title)s expires in %(num)d days", days, title=title)
    if line.cell.status == "expired":
        return ngettext("%(title)s expired %(num)d day ago", "%(title)s expired %(num)d days ago", -days, title=title)
    if line.cell.status == "overdue":
        return _("%(title)s is overdue", title=title)
    return _("%(title)s is still to do", title=title)


def mine(user, foundation) -> Widget:
    lines = learner.requirement_lines(user, clock.today())
    urgent = [line for line in lines if line.cell.status in ATTENTION]
    alerts = [{"text": _headline(line), "status": line.cell.status,
              "course_id": line.requirement.courses[0].id if line.requirement.courses else None} for line in urgent[:3]]
    upcoming = learner.upcoming_enrolments(user, clock.local_now(), limit=1)
    return Widget(title=_("My training"), template="learning/widget_mine.html", order=40,
                  context={"alerts": alerts, "compliant": len(lines) - len(urgent), "total": len(lines),
                           "next": upcoming[0] if upcoming else None, "statuses": STATUSES})


def team(user, foundation) -> Widget | None:
    team_ids = managed_team_ids(user, foundation.id)
    if not team_ids:
        return None
    requirements = compliance.requirements_of(foundation.id)
    scope = compliance.Scope(foundation.id, team_ids=team_ids)
    totals = compliance.total_counts(compliance.counts(scope, requirements, clock.today()))
    pending = db.session.scalar(
        select(func.count(Enrolment.id)).join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.status == "requested", Person.team_id.in_(team_ids))
    )
    return Widget(title=_("Training in my teams"), template="learning/widget_team.html", order=41,
                  context={"totals": totals, "statuses": STATUSES, "pending": pending})


def hr(user, foundation) -> Widget:
    requirements = compliance.requirements_of(foundation.id)
    per_requirement, _as_of = snapshot.foundation_counts(foundation.id, requirements, clock.today())
    totals = compliance.total_counts(per_requirement)
    pending = db.session.scalar(select(func.count(TrainingRecord.id)).where(
        TrainingRecord.foundation_id == foundation.id, TrainingRecord.status == "pending"))
    return Widget(title=_("Mandatory training"), template="learning/widget_hr.html", order=42,
                  context={"overdue": totals.get("overdue", 0), "expired": totals.get("expired", 0), "pending": pending})


def dashboard(user, foundation) -> list[Widget]:
    widgets = []
    if has_permission(user, "learning.enrol", foundation.id):
        widgets.append(mine(user, foundation))
    if has_permission(user, "learning.view_team", foundation.id):
        widgets.append(team(user, foundation))
    if has_permission(user, "learning.manage", foundation.id):
        widgets.append(hr(user, foundation))
    return [w for w in widgets if w is not None]


def person_section(person, viewer) -> list[PersonSection]:
    fid = acting_foundation_id()
    if person.id == viewer.id or not may_see_person(viewer, person, fid):
        return []
    return [PersonSection(key="learning", title=_("Training"), template="learning/person_section.html", order=40,
                          context={"lines": learner.requirement_lines(person, clock.today()),
                                   "records": learner.records_of(person, limit=10), "statuses": STATUSES,
                                   "never": compliance.NEVER})]

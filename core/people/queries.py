"""Who sees whom, and the queries behind the people and team lists.

HR (``core.view_all_people``) sees everyone of the acting foundation; a manager sees only the
people of the teams they manage. Every list loads its related rows eagerly, so the number of
statements does not grow with the organisation.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload

from core import tenancy
from core.extensions import db
from core.models import PERSON_STATUSES, PERSON_TYPES, Person, Team
from core.permissions import acting_foundation_id, has_permission

NO_TEAM = "none"  # filter value for people without a team
MAX_SEARCH = 200


def visible_team_ids(viewer) -> frozenset[int] | None:
    """``None`` when the viewer sees the whole acting foundation, else the teams they manage."""
    foundation_id = acting_foundation_id()
    if has_permission(viewer, "core.view_all_people", foundation_id):
        return None
    return frozenset(
        db.session.scalars(select(Team.id).where(Team.manager_id == viewer.id, Team.foundation_id == foundation_id))
    )


def person_or_404(viewer, person_id: int) -> Person:
    """A person of the acting foundation the viewer may see; anything else is not found."""
    person = tenancy.get_or_404(Person, person_id)
    team_ids = visible_team_ids(viewer)
    if person.foundation_id != acting_foundation_id() or (team_ids is not None and person.team_id not in team_ids):
        abort(404)
    return person


def team_or_404(team_id: int) -> Team:
    team = tenancy.get_or_404(Team, team_id)
    if team.foundation_id != acting_foundation_id():
        abort(404)
    return team


@dataclass
class PeopleFilter:
    """The list's search and filters, from the query string; an unknown value means no filter."""

    q: str = ""
    team: str = ""  # a team id, NO_TEAM or "" for all
    person_type: str = ""
    status: str = ""

    @classmethod
    def from_args(cls, args, teams: list[tuple[int, str]]) -> PeopleFilter:
        def pick(name: str, allowed) -> str:
            value = args.get(name, "")
            return value if value in allowed else ""

        return cls(
            q=args.get("q", "").strip()[:MAX_SEARCH],
            team=pick("team", {NO_TEAM} | {str(team_id) for team_id, _name in teams}),
            person_type=pick("person_type", PERSON_TYPES),
            status=pick("status", PERSON_STATUSES),
        )


def people_select(team_ids: frozenset[int] | None, wanted: PeopleFilter) -> Select:
    """People of the acting foundation (limited to ``team_ids`` unless None), filtered, by name."""
    return (
        select(Person)
        .where(people_where(team_ids, wanted))
        .options(joinedload(Person.team))
        .order_by(func.lower(Person.last_name), func.lower(Person.first_name), Person.id)
    )


def people_count(team_ids: frozenset[int] | None, wanted: PeopleFilter) -> int:
    """How many people ``people_select`` finds, counted on the person table alone (no join, no
    order): a paginator's count of the whole select costs more than the page itself."""
    return db.session.scalar(select(func.count(Person.id)).where(people_where(team_ids, wanted)))


def people_where(team_ids: frozenset[int] | None, wanted: PeopleFilter):
    conditions = [Person.foundation_id == acting_foundation_id()]
    if team_ids is not None:
        conditions.append(Person.team_id.in_(team_ids))
    for word in wanted.q.split():
        conditions.append(or_(
            Person.first_name.icontains(word, autoescape=True),
            Person.last_name.icontains(word, autoescape=True),
            Person.email.icontains(word, autoescape=True),
            Person.employee_number.icontains(word, autoescape=True),
        ))
    if wanted.team == NO_TEAM:
        conditions.append(Person.team_id.is_(None))
    elif wanted.team:
        conditions.append(Person.team_id == int(wanted.team))
    if wanted.person_type:
        conditions.append(Person.person_type == wanted.person_type)
    if wanted.status:
        conditions.append(Person.status == wanted.status)
    return and_(*conditions)


def teams_select(team_ids: frozenset[int] | None) -> Select:
    """Teams of the acting foundation (limited to ``team_ids`` unless None) with manager and parent."""
    query = (
        select(Team)
        .where(Team.foundation_id == acting_foundation_id())
        .options(joinedload(Team.manager), joinedload(Team.parent))
        .order_by(func.lower(Team.name), Team.id)
    )
    if team_ids is not None:
        query = query.where(Team.id.in_(team_ids))
    return query


def member_counts(team_ids: list[int]) -> dict[int, int]:
    """Current members (everyone but those who left) per team, in one statement."""
    if not team_ids:
        return {}
    rows = db.session.execute(
        select(Person.team_id, func.count(Person.id))
        .where(Person.team_id.in_(team_ids), Person.status != "left")
        .group_by(Person.team_id)
    )
    return dict(rows.all())


def team_choices(team_ids: frozenset[int] | None) -> list[tuple[int, str]]:
    """(id, name) of the teams one may pick, for filters and forms."""
    query = select(Team.id, Team.name).where(Team.foundation_id == acting_foundation_id()).order_by(func.lower(Team.name))
    if team_ids is not None:
        query = query.where(Team.id.in_(team_ids))
    return [(team_id, name) for team_id, name in db.session.execute(query)]

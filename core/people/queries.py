"""Who sees whom, and the queries behind the people and team lists.

HR (``core.view_all_people``) sees everyone of the acting foundation; a manager sees only the
people of the teams they manage. Every list loads its related rows eagerly, so the number of
statements does not grow with the organisation.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from core import tenancy
from core.extensions import db
from core.models import PERSON_STATUSES, PERSON_TYPES, Person, Team
from core.permissions import acting_foundation_id, has_permission, managed_team_ids

NO_TEAM = "none"  # filter value for people without a team
MAX_SEARCH = 200
TEAM_SELECT_MAX = 200  # beyond this many teams the filter takes a typed name, with suggestions
MAX_ID = 2**31 - 1  # the largest id a database integer holds


def visible_team_ids(viewer) -> frozenset[int] | None:
    """``None`` when the viewer sees the whole acting foundation, else the teams they manage."""
    foundation_id = acting_foundation_id()
    if has_permission(viewer, "core.view_all_people", foundation_id):
        return None
    return managed_team_ids(viewer, foundation_id)


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
    team_name: str = ""  # typed where a foundation has too many teams for a drop-down
    person_type: str = ""
    status: str = ""

    @classmethod
    def from_args(cls, args) -> PeopleFilter:
        def pick(name: str, allowed) -> str:
            value = args.get(name, "")
            return value if value in allowed else ""

        team = args.get("team", "")
        return cls(
            q=args.get("q", "").strip()[:MAX_SEARCH],
            team=team if team == NO_TEAM or (team.isascii() and team.isdigit() and int(team) <= MAX_ID) else "",
            team_name=args.get("team_name", "").strip()[:MAX_SEARCH],
            person_type=pick("person_type", PERSON_TYPES),
            status=pick("status", PERSON_STATUSES),
        )


@dataclass
class TeamFilter:
    """What the team filter shows: a drop-down of ``choices``, or (``choices`` None, too many teams)
    a typed name, showing ``label`` for a team chosen by id elsewhere (the teams page)."""

    choices: list[tuple[int, str]] | None
    label: str = ""


def resolve_team_filter(team_ids: frozenset[int] | None, wanted: PeopleFilter) -> TeamFilter:
    """The team filter for the page; a team id the viewer cannot see is dropped from ``wanted``."""
    choices = team_choices(team_ids, limit=TEAM_SELECT_MAX + 1)
    if len(choices) > TEAM_SELECT_MAX:
        choices = None
    if wanted.team in ("", NO_TEAM):
        return TeamFilter(choices)
    team_id = int(wanted.team)
    label = dict(choices).get(team_id) if choices is not None else team_name(team_ids, team_id)
    if label is None:
        wanted.team = ""
    return TeamFilter(choices, label or "")


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
    order, ``count(*)`` so an index-only scan serves it): a paginator's count of the whole select
    costs more than the page itself."""
    return db.session.scalar(select(func.count()).select_from(Person).where(people_where(team_ids, wanted)))


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
    if wanted.team_name:
        conditions.append(Person.team_id.in_(teams_named(team_ids, wanted.team_name)))
    if wanted.person_type:
        conditions.append(Person.person_type == wanted.person_type)
    if wanted.status:
        conditions.append(Person.status == wanted.status)
    return and_(*conditions)


def _team_visible(team_ids: frozenset[int] | None):
    """A team of the acting foundation, among ``team_ids`` unless None."""
    in_foundation = Team.foundation_id == acting_foundation_id()
    return in_foundation if team_ids is None else and_(in_foundation, Team.id.in_(team_ids))


def teams_named(team_ids: frozenset[int] | None, text: str) -> Select:
    """Ids of the visible teams called ``text`` (any case) or, when none is, whose name contains it:
    a name picked from the suggestions means that team, not every team whose name begins so."""
    exact = select(Team.id).where(_team_visible(team_ids), func.lower(Team.name) == text.lower())
    if db.session.scalar(select(exact.exists())):
        return exact
    return select(Team.id).where(_team_visible(team_ids), Team.name.icontains(text, autoescape=True))


def team_name(team_ids: frozenset[int] | None, team_id: int) -> str | None:
    """The name of a visible team, else None."""
    return db.session.scalar(select(Team.name).where(_team_visible(team_ids), Team.id == team_id))


def team_suggestions(team_ids: frozenset[int] | None, text: str, limit: int) -> list[str]:
    """Names of visible teams containing ``text``, those starting with it first."""
    starts = func.lower(Team.name).startswith(text.lower(), autoescape=True)
    return list(db.session.scalars(
        select(Team.name).where(_team_visible(team_ids), Team.name.icontains(text, autoescape=True))
        .group_by(Team.name).order_by(case((starts, 0), else_=1), func.lower(Team.name)).limit(limit)
    ))


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


def team_choices(team_ids: frozenset[int] | None, limit: int | None = None) -> list[tuple[int, str]]:
    """(id, name) of the teams one may pick, for filters and forms; at most ``limit``."""
    query = select(Team.id, Team.name).where(_team_visible(team_ids)).order_by(func.lower(Team.name)).limit(limit)
    return [(team_id, name) for team_id, name in db.session.execute(query)]

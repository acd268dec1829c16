"""The reads behind the pages. Each loads what its page shows in a fixed number of statements,
however many journeys the foundation has: related rows are joined or loaded in one go, and
task figures come from one grouped query for the journeys on the page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from core.api import Person, Team, db
from plugins.onboarding.models import OnboardingFile, OnboardingJourney, OnboardingJourneyTask, OnboardingTemplate

ASSIGNED_LIMIT = 100


@dataclass(frozen=True)
class Figures:
    """Task figures of one journey."""

    done: int = 0
    total: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


# -- one person's view ------------------------------------------------------------------------------


def current_journey(person_id: int) -> OnboardingJourney | None:
    """The person's open journey (the latest if several), else the latest closed one."""
    return db.session.scalar(
        select(OnboardingJourney)
        .where(OnboardingJourney.person_id == person_id)
        .options(
            joinedload(OnboardingJourney.buddy),
            joinedload(OnboardingJourney.person).joinedload(Person.team).joinedload(Team.manager),
        )
        .order_by(
            case((OnboardingJourney.status == "open", 0), else_=1),
            OnboardingJourney.start_date.desc(),
            OnboardingJourney.id.desc(),
        )
        .limit(1)
    )


def open_journey(person_id: int, foundation_id: int) -> OnboardingJourney | None:
    """The person's open journey in a foundation (the latest if several), without its relations:
    the dashboard asks this of everyone, and most have none."""
    return db.session.scalar(
        select(OnboardingJourney)
        .where(OnboardingJourney.person_id == person_id, OnboardingJourney.foundation_id == foundation_id,
               OnboardingJourney.status == "open")
        .order_by(OnboardingJourney.start_date.desc(), OnboardingJourney.id.desc())
        .limit(1)
    )


def journey_tasks(journey: OnboardingJourney) -> list[OnboardingJourneyTask]:
    """The journey's tasks in order with their assignees; also fills ``journey.tasks``."""
    tasks = db.session.scalars(
        select(OnboardingJourneyTask)
        .where(OnboardingJourneyTask.journey_id == journey.id)
        .options(joinedload(OnboardingJourneyTask.assignee))
        .order_by(OnboardingJourneyTask.seq)
    ).all()
    set_committed_value(journey, "tasks", list(tasks))
    return list(tasks)


def task_files(tasks: list[OnboardingJourneyTask]) -> tuple[dict[int, list[OnboardingFile]], dict[int, OnboardingFile]]:
    """Uploads by task id, and the documents the tasks refer to by file id (one statement)."""
    task_ids = [task.id for task in tasks]
    document_ids = [
        task.config.get("document_file_id") for task in tasks if (task.config or {}).get("document_file_id")
    ]
    rows = db.session.scalars(
        select(OnboardingFile)
        .where((OnboardingFile.journey_task_id.in_(task_ids)) | (OnboardingFile.id.in_(document_ids)))
        .order_by(OnboardingFile.uploaded_at)
    ).all()
    uploads: dict[int, list[OnboardingFile]] = {}
    documents: dict[int, OnboardingFile] = {}
    for row in rows:
        if row.journey_task_id is not None:
            uploads.setdefault(row.journey_task_id, []).append(row)
        if row.id in document_ids:
            documents[row.id] = row
    return uploads, documents


def assigned_tasks(person_id: int, exclude_journey_id: int | None = None) -> list[OnboardingJourneyTask]:
    """Open tasks of other people's journeys that ``person_id`` does, soonest first."""
    query = (
        select(OnboardingJourneyTask)
        .join(OnboardingJourneyTask.journey)
        .join(OnboardingJourney.person)
        .where(
            OnboardingJourneyTask.assignee_id == person_id,
            OnboardingJourneyTask.status == "open",
            OnboardingJourney.status == "open",
            OnboardingJourney.person_id != person_id,
        )
        .options(contains_eager(OnboardingJourneyTask.journey).contains_eager(OnboardingJourney.person))
        .order_by(OnboardingJourneyTask.due_date, OnboardingJourneyTask.id)
        .limit(ASSIGNED_LIMIT)
    )
    if exclude_journey_id is not None:
        query = query.where(OnboardingJourneyTask.journey_id != exclude_journey_id)
    return list(db.session.scalars(query))


# -- figures ----------------------------------------------------------------------------------------


def figures(journey_ids: list[int], today: date) -> dict[int, Figures]:
    """Done, counted (not skipped) and overdue tasks per journey, in one grouped statement."""
    if not journey_ids:
        return {}
    task = OnboardingJourneyTask
    rows = db.session.execute(
        select(
            task.journey_id,
            func.sum(case((task.status == "done", 1), else_=0)),
            func.sum(case((task.status != "skipped", 1), else_=0)),
            func.sum(case((and_(task.status == "open", task.due_date < today), 1), else_=0)),
        )
        .where(task.journey_id.in_(journey_ids))
        .group_by(task.journey_id)
    )
    return {
        journey_id: Figures(int(done or 0), int(total or 0), int(overdue or 0))
        for journey_id, done, total, overdue in rows
    }


def overdue_journeys(foundation_id: int, today: date) -> Select:
    """Ids of journeys with an open task past its due date (from the tasks' due-date index: overdue
    tasks are few, journeys many)."""
    return select(OnboardingJourneyTask.journey_id).where(
        OnboardingJourneyTask.foundation_id == foundation_id,
        OnboardingJourneyTask.status == "open",
        OnboardingJourneyTask.due_date < today,
    )


# -- HR ---------------------------------------------------------------------------------------------


@dataclass
class JourneyFilter:
    status: str = ""
    team: str = ""
    template: str = ""
    overdue: bool = False


def journeys_select(foundation_id: int, wanted: JourneyFilter, today: date) -> Select:
    """The foundation's journeys, filtered, newest start first, with person, team and template.
    Filters are subqueries, so the page's count needs no join."""
    query = (
        select(OnboardingJourney)
        .where(OnboardingJourney.foundation_id == foundation_id)
        # Loaded after the page is cut, so a deep page does not join every row before it.
        .options(
            selectinload(OnboardingJourney.person).joinedload(Person.team), selectinload(OnboardingJourney.template)
        )
        .order_by(OnboardingJourney.start_date.desc(), OnboardingJourney.id.desc())
    )
    if wanted.status:
        query = query.where(OnboardingJourney.status == wanted.status)
    if wanted.team:
        teams = select(Team.id).where(
            Team.foundation_id == foundation_id, Team.name.icontains(wanted.team, autoescape=True)
        )
        query = query.where(OnboardingJourney.person_id.in_(select(Person.id).where(Person.team_id.in_(teams))))
    if wanted.template.isdigit():
        query = query.where(OnboardingJourney.template_id == int(wanted.template))
    if wanted.overdue:
        query = query.where(
            OnboardingJourney.status == "open", OnboardingJourney.id.in_(overdue_journeys(foundation_id, today))
        )
    return query


def templates_of(foundation_id: int) -> list[OnboardingTemplate]:
    return list(
        db.session.scalars(
            select(OnboardingTemplate)
            .where(OnboardingTemplate.foundation_id == foundation_id)
            .order_by(OnboardingTemplate.kind, OnboardingTemplate.name)
        )
    )


def hr_tasks_select(foundation_id: int) -> Select:
    """Open tasks of open journeys without an assignee: HR's own, or a buddy's not yet chosen."""
    return (
        select(OnboardingJourneyTask)
        .join(OnboardingJourneyTask.journey)
        .join(OnboardingJourney.person)
        .where(
            OnboardingJourneyTask.foundation_id == foundation_id,
            OnboardingJourneyTask.assignee_id.is_(None),
            OnboardingJourneyTask.status == "open",
            OnboardingJourney.status == "open",
        )
        .options(contains_eager(OnboardingJourneyTask.journey).contains_eager(OnboardingJourney.person))
        .order_by(OnboardingJourneyTask.due_date, OnboardingJourneyTask.id)
    )


def overdue_count(foundation_id: int, today: date) -> int:
    return (
        db.session.scalar(
            select(func.count())  # count(*): the covering indexes answer it without the tables
            .select_from(OnboardingJourneyTask)
            .join(OnboardingJourneyTask.journey)
            .where(
                OnboardingJourneyTask.foundation_id == foundation_id,
                OnboardingJourneyTask.status == "open",
                OnboardingJourneyTask.due_date < today,
                OnboardingJourney.status == "open",
            )
        )
        or 0
    )


# -- managers ---------------------------------------------------------------------------------------


def team_journeys(team_ids: list[int]) -> list[OnboardingJourney]:
    """Open journeys of the people in these teams, soonest start first."""
    if not team_ids:
        return []
    return list(
        db.session.scalars(
            select(OnboardingJourney)
            .join(OnboardingJourney.person)
            .where(Person.team_id.in_(team_ids), OnboardingJourney.status == "open")
            .options(
                contains_eager(OnboardingJourney.person).joinedload(Person.team), joinedload(OnboardingJourney.buddy)
            )
            .order_by(OnboardingJourney.start_date, OnboardingJourney.id)
        )
    )


def team_members(team_ids: list[int]) -> list[Person]:
    """Possible buddies: the active people of these teams."""
    if not team_ids:
        return []
    return list(
        db.session.scalars(
            select(Person)
            .where(Person.team_id.in_(team_ids), Person.status == "active")
            .order_by(Person.last_name, Person.first_name)
        )
    )


def starting_between(team_ids: list[int], first: date, last: date) -> int:
    if not team_ids:
        return 0
    return (
        db.session.scalar(
            select(func.count(OnboardingJourney.id))
            .join(OnboardingJourney.person)
            .where(
                Person.team_id.in_(team_ids),
                OnboardingJourney.status == "open",
                OnboardingJourney.kind.in_(("onboarding", "volunteer")),
                OnboardingJourney.start_date.between(first, last),
            )
        )
        or 0
    )


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def locked_task_ids(tasks: list[OnboardingJourneyTask]) -> set[int]:
    """Ids of the open ``tasks`` still waiting for an open task of their journey (one statement for
    all their journeys)."""
    journey_ids = {task.journey_id for task in tasks if task.depends_on}
    if not journey_ids:
        return set()
    open_seqs: dict[int, set[int]] = {}
    rows = db.session.execute(
        select(OnboardingJourneyTask.journey_id, OnboardingJourneyTask.seq).where(
            OnboardingJourneyTask.journey_id.in_(journey_ids), OnboardingJourneyTask.status == "open"
        )
    )
    for journey_id, seq in rows:
        open_seqs.setdefault(journey_id, set()).add(seq)
    return {
        task.id
        for task in tasks
        if task.status == "open" and open_seqs.get(task.journey_id, set()).intersection(task.depends_on or ())
    }

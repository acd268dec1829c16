"""The newcomer page and the HR overview run a fixed number of statements, whether the foundation
has 10 journeys or 1,000."""

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event, insert

from core.models import Person
from plugins.onboarding.models import OnboardingJourney, OnboardingJourneyTask


@contextmanager
def counted(db):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def add_journeys(db, org, template, n: int, helper_id: int, today: date) -> None:
    """``n`` more newcomers with journeys (bulk) starting ``today``, each with a task for ``helper_id``,
    some overdue."""
    people = db.session.scalars(
        insert(Person).returning(Person.id, sort_by_parameter_order=True),
        [
            {
                "foundation_id": org.foundation.id,
                "team_id": org.team.id,
                "first_name": "N",
                "last_name": f"{i:05d}",
                "email": f"bulk{i}-{n}@example.org",
                "status": "preboarding",
                "start_date": today + timedelta(days=i % 30),
            }
            for i in range(n)
        ],
    ).all()
    table = OnboardingJourney.__table__
    journey_ids = db.session.scalars(
        insert(table).returning(table.c.id, sort_by_parameter_order=True),
        [
            {
                "foundation_id": org.foundation.id,
                "person_id": pid,
                "template_id": template.id,
                "template_version": 1,
                "name": template.name,
                "kind": "onboarding",
                "status": "open",
                "start_date": today,
                "invited_on": today,
                "buddy_id": helper_id,
            }
            for pid in people
        ],
    ).all()
    rows = []
    for journey_id, pid in zip(journey_ids, people, strict=True):
        for seq, source in enumerate(template.tasks, 1):
            due = today + timedelta(days=source.offset_days)
            rows.append(
                {
                    "foundation_id": org.foundation.id,
                    "journey_id": journey_id,
                    "seq": seq,
                    "template_task_id": source.id,
                    "title": source.title,
                    "description": "",
                    "task_type": source.task_type,
                    "assignee_role": source.assignee_role,
                    "offset_days": source.offset_days,
                    "assignee_id": helper_id if source.assignee_role == "buddy" else pid,
                    "due_date": due,
                    "remind_on": due,
                    "required": True,
                    "depends_on": [4] if seq == 6 else [],
                    "config": dict(source.config),
                    "status": "open",
                    "response": {},
                }
            )
    db.session.execute(insert(OnboardingJourneyTask.__table__), rows)
    db.session.commit()


def _statements(client, db, url) -> int:
    with counted(db) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize(
    "who, url",
    [
        ("newcomer", "/onboarding/"),
        ("buddy", "/onboarding/"),
        ("hr", "/onboarding/hr/"),
        ("hr", "/onboarding/hr/?overdue=y&status=open"),
    ],
)
def test_statements_do_not_grow_with_the_journeys(client, db, login, clock, org, template, journey, who, url):
    login(getattr(org, who))
    add_journeys(db, org, template, 10, org.buddy.id, clock.today())
    few = _statements(client, db, url)
    add_journeys(db, org, template, 990, org.buddy.id, clock.today())
    many = _statements(client, db, url)
    assert many == few, f"{url} as {who}: {few} statements with 10 journeys, {many} with 1,000"

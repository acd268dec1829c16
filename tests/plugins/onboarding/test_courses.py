"""Course tasks complete when Learning reports the course done (its ``training_completed`` hook)."""

import ast
from pathlib import Path

import pytest

from core import events
from core.extensions import db
from plugins.learning.models import Course, TrainingRecord
from plugins.onboarding import journeys
from tests.plugins.onboarding.conftest import make_template, task, task_named


def _course(code: str, title: str = "Course") -> Course:
    """A Learning course: events are recorded in the database, so their arguments are real rows."""
    course = Course(code=code, title=title)
    db.session.add(course)
    db.session.commit()
    return course


def _report(person, course):
    """What Learning does when a training record is verified."""
    record = TrainingRecord(foundation_id=person.foundation_id, person_id=person.id, course_id=course.id,
                            completed_on=course.created_at.date(), source="manual")
    db.session.add(record)
    db.session.flush()
    events.fire("training_completed", person.foundation_id, person=person, course=course, record=record)
    events.commit()


@pytest.fixture
def course_journey(db, org, clock):
    """The newcomer's journey from today: an intro, then two course tasks."""
    template = make_template(
        db,
        org.foundation,
        [
            task("Intro"),
            task("E-learning AVG", 3, "course", course_code="AVG"),
            task("BHV", 10, "course", course_code="BHV"),
        ],
        after={1: [0]},
    )
    started = journeys.start_journey(org.newcomer, template, clock.today())
    db.session.commit()
    return started


def test_a_reported_course_completes_the_matching_task(db, org, course_journey):
    journey = course_journey
    _report(org.newcomer, _course("avg", "Privacy"))
    db.session.expire_all()
    assert task_named(journey, "E-learning AVG").status == "done"  # even before "Intro": it happened
    assert task_named(journey, "BHV").status == "open"


def test_a_course_can_be_named_by_its_id(db, org, course_journey):
    journey = course_journey
    course = _course("BHV-2026")
    task_named(journey, "BHV").config = {"course_code": str(course.id)}
    db.session.commit()
    _report(org.newcomer, course)
    db.session.expire_all()
    assert task_named(journey, "BHV").status == "done"


def test_another_persons_course_changes_nothing(db, org, course_journey):
    journey = course_journey
    _report(org.buddy, _course("AVG"))
    db.session.expire_all()
    assert task_named(journey, "E-learning AVG").status == "open"


def test_the_last_course_completes_the_journey(db, org, course_journey):
    journey = course_journey
    journeys.complete_task(task_named(journey, "Intro"), org.newcomer)
    db.session.commit()
    for code in ("AVG", "BHV"):
        _report(org.newcomer, _course(code))
    db.session.expire_all()
    assert journey.status == "completed"


def test_a_course_task_cannot_be_ticked_off_by_hand(client, db, login, org, course_journey):
    journey = course_journey
    course = task_named(journey, "BHV")
    login(org.newcomer)
    client.post(f"/onboarding/tasks/{course.id}")
    db.session.refresh(course)
    assert course.status == "open"


def test_onboarding_never_imports_learning():
    package = Path(journeys.__file__).parent
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            assert not any(
                name.startswith("plugins.learning") or name.startswith("journey_learning") for name in names
            ), path

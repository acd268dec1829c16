"""Demo data (``flask journey demo``) and benchmark data (``flask journey generate``)."""

import random
from datetime import timedelta

from sqlalchemy import func, select

from core.models import Foundation, Person
from plugins.onboarding import demo, uploads
from plugins.onboarding.models import (
    OnboardingFeedback,
    OnboardingFile,
    OnboardingJourney,
    OnboardingJourneyTask,
    OnboardingTemplate,
)


def _invoke(runner, *args):
    result = runner.invoke(args=["journey", *args])
    assert result.exit_code == 0, result.output


def _slug_of(db, foundation_id):
    return db.session.get(Foundation, foundation_id).slug


def test_the_demo_has_templates_and_journeys_in_every_state(runner, db, clock):
    _invoke(runner, "demo")
    templates = {(_slug_of(db, t.foundation_id), t.name): t for t in db.session.scalars(select(OnboardingTemplate))}
    assert {
        ("ggz", "Inwerken zorgprofessionals GGZ"),
        ("ggz", "Inwerken ondersteunende diensten"),
        ("welzijn", "Inwerken vrijwilligers welzijn"),
    } <= set(templates)
    for slug in ("ggz", "welzijn", "forensisch"):
        kinds = {t.kind for (s, _name), t in templates.items() if s == slug}
        assert {"onboarding", "transfer", "offboarding"} <= kinds
    vog = templates[("welzijn", "Inwerken vrijwilligers welzijn")]
    assert any(t.task_type == "upload" and "VOG" in t.title for t in vog.tasks)

    ggz = db.session.scalar(select(Foundation).where(Foundation.slug == "ggz"))
    states = set(db.session.scalars(select(OnboardingJourney.status).where(OnboardingJourney.foundation_id == ggz.id)))
    assert states == {"open", "completed", "cancelled"}
    kinds = set(db.session.scalars(select(OnboardingJourney.kind).where(OnboardingJourney.foundation_id == ggz.id)))
    assert {"onboarding", "transfer", "offboarding"} <= kinds
    overdue = db.session.scalar(
        select(func.count(OnboardingJourneyTask.id)).where(
            OnboardingJourneyTask.foundation_id == ggz.id,
            OnboardingJourneyTask.status == "open",
            OnboardingJourneyTask.due_date < clock.today(),
        )
    )
    assert overdue >= 1
    answers = db.session.scalar(
        select(func.count(OnboardingFeedback.id)).where(
            OnboardingFeedback.foundation_id == ggz.id, OnboardingFeedback.checkpoint == 30
        )
    )
    assert answers >= 5


def test_the_demo_newcomer_starts_in_seven_days_with_a_buddy_and_a_document(runner, db, clock):
    _invoke(runner, "demo")
    noor = db.session.scalar(select(Person).where(Person.email == "nieuw.ggz@example.org"))
    [journey] = db.session.scalars(select(OnboardingJourney).where(OnboardingJourney.person_id == noor.id)).all()
    assert journey.status == "open" and journey.start_date == clock.today() + timedelta(days=7)
    assert journey.buddy.email == "medewerker.ggz@example.org"
    assert journey.tasks[0].status == "done"
    stored = db.session.scalar(select(OnboardingFile).where(OnboardingFile.journey_id == journey.id))
    assert uploads.path_of(stored).read_bytes().startswith(b"%PDF")


def test_benchmark_data_is_bulk_inserted_for_starters_leavers_and_a_share(db, make, enable_plugin, clock):
    foundation = make.foundation("ggz", "GGZ")
    enable_plugin("onboarding", foundation)
    team = make.team(foundation)
    today = clock.today()
    people = [
        make.person(foundation, team, status="preboarding", start_date=today + timedelta(days=9)) for _ in range(5)
    ]
    people += [make.person(foundation, team, status="leaving", end_date=today + timedelta(days=20)) for _ in range(3)]
    people += [make.person(foundation, team) for _ in range(100)]
    demo.seed(foundation, [p.id for p in people], random.Random(3), "bench")
    assert db.session.scalar(select(func.count(OnboardingTemplate.id))) >= 3  # made, as none existed
    rows = db.session.execute(
        select(OnboardingJourney.person_id, OnboardingJourney.kind, OnboardingJourney.status)
    ).all()
    by_person = {person_id: (kind, status) for person_id, kind, status in rows}
    assert all(by_person[p.id][0] == "onboarding" for p in people[:5])
    assert all(by_person[p.id][0] == "offboarding" for p in people[5:8])
    assert 0 < len(by_person) - 8 < 30  # a share of the others
    assert {status for _kind, status in by_person.values()} <= {"open", "completed"}
    tasks = db.session.scalar(select(func.count(OnboardingJourneyTask.id)))
    assert tasks >= len(by_person) * 4

"""Demo and benchmark data (``seed_demo``).

The catalogue, registers and the leadership path are group-wide, made once by the first
foundation seeded. Per foundation: requirements, sessions past and future, and records chosen so
that every compliance status occurs (the demo employee's BHV expires in 21 days). Demo records
are written directly, without ``training_completed``: they are history, not news. Only ``rng``
is used for chance, so a seed gives the same data.
"""
from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import insert, select

from core.api import Person, clock, db, workdays
from plugins.learning.models import (
    Course,
    CourseSession,
    Enrolment,
    LearningPath,
    PathStep,
    Register,
    Registration,
    Requirement,
    TrainingRecord,
)
from plugins.learning.records import CODE_ALPHABET, expiry_for

BATCH = 5000
REGISTERS = [
    # code, name, cycle months, required, unit
    ("BIG", "BIG-register", 60, Decimal("2080"), "hours"),
    ("KRVV", "Kwaliteitsregister V&V", 60, Decimal("184"), "points"),
]
COURSES = [
    # code, title, category, format, hours, validity, grace, register, points, approval, xAPI activity, description
    ("BHV", "Bedrijfshulpverlening (BHV)", "Veiligheid", "classroom", 8, 12, 30, None, None, False, None,
     "Eerste hulp, ontruimen en brand blussen. **Jaarlijkse herhaling** verplicht voor BHV'ers."),
    ("AGR", "Agressiehantering", "Veiligheid", "classroom", 6, 24, 0, None, None, False, None,
     "Signaleren, de-escaleren en veilig handelen bij agressie. Met trainingsacteurs."),
    ("BLS", "Basic Life Support (reanimatie)", "Zorg", "blended", 3, 12, 14, "KRVV", 3, False, None,
     "Reanimatie en AED volgens de richtlijn van de Nederlandse Reanimatie Raad. Jaarlijkse herhaling is een advies."),
    ("MED", "Medicatieveiligheid", "Zorg", "e-learning", 4, 24, 0, "KRVV", 4, False,
     "https://elearning.example.org/medicatieveiligheid",
     "Veilig voorbereiden, toedienen en registreren van medicatie."),
    ("AVG", "E-learning privacy en AVG", "Privacy", "e-learning", 1.5, 24, 30, None, None, False,
     "https://elearning.example.org/privacy-avg",
     "Wat de AVG vraagt van zorgmedewerkers: beroepsgeheim, datalekken, delen met ketenpartners."),
    ("LEAD1", "Leiderschap 1: Coachend leidinggeven", "Leiderschap", "classroom", 16, None, 0, None, None, True, None,
     "Het eerste deel van het leiderschapsprogramma."),
    ("LEAD2", "Leiderschap 2: Teamdynamiek", "Leiderschap", "blended", 12, None, 0, None, None, True, None,
     "Het tweede deel: samenwerking, conflict en vertrouwen in teams."),
    ("LEAD3", "Leiderschap 3: Verandermanagement", "Leiderschap", "classroom", 12, None, 0, None, None, True, None,
     "Het derde deel: veranderen met je team."),
]
LOCATIONS = ["Hengelo, Leemslagen 2", "Deventer, Brinkgreverweg 69", "Zwolle, Dokter van Heesweg 2", "Almelo, Bornerbroeksestraat 1"]
NURSE_TITLES = ("Verpleegkundige", "Forensisch verpleegkundige")


def _code(rng) -> str:
    raw = "".join(rng.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def ensure_catalogue() -> dict[str, Course]:
    """The group-wide registers, courses and leadership path (made once)."""
    registers = {r.code: r for r in db.session.scalars(select(Register).where(Register.foundation_id.is_(None)))}
    for code, name, months, required, unit in REGISTERS:
        if code not in registers:
            registers[code] = Register(code=code, name=name, cycle_months=months, points_required=required, unit=unit)
            db.session.add(registers[code])
    db.session.flush()
    courses = {c.code: c for c in db.session.scalars(select(Course).where(Course.foundation_id.is_(None)))}
    for code, title, category, fmt, hours, months, grace, register, points, approval, activity, text in COURSES:
        if code not in courses:
            courses[code] = Course(
                code=code, title=title, category=category, format=fmt, duration_hours=Decimal(str(hours)),
                provider="Academie Journey", cost=Decimal("750") if code.startswith("LEAD") else None,
                register_id=registers[register].id if register else None,
                accreditation_points=Decimal(points) if points else None, validity_months=months, grace_days=grace,
                needs_approval=approval, xapi_activity_id=activity, description=text,
            )
            db.session.add(courses[code])
    db.session.flush()
    if db.session.scalar(select(LearningPath.id).where(LearningPath.foundation_id.is_(None)).limit(1)) is None:
        db.session.add(LearningPath(
            title="Leiderschapsprogramma", description="Drie modules voor (aankomend) leidinggevenden.",
            steps=[PathStep(course=courses[c], position=n) for n, c in enumerate(("LEAD1", "LEAD2", "LEAD3"), start=1)],
        ))
    return courses


def ensure_requirements(foundation, courses: dict[str, Course]) -> None:
    if db.session.scalar(select(Requirement.id).where(Requirement.foundation_id == foundation.id).limit(1)):
        return
    wanted = [("BHV", "BHV", None, "employee", 90), ("Privacy en AVG", "AVG", None, None, 30)]
    titles = set(db.session.scalars(select(Person.job_title).where(Person.foundation_id == foundation.id,
                                                                   Person.job_title.in_(NURSE_TITLES)).distinct()))
    wanted += [("Reanimatie (BLS)", "BLS", title, None, 60) for title in sorted(titles)]
    if foundation.slug.startswith("forensisch"):
        wanted.append(("Agressiehantering", "AGR", None, None, 90))
    for title, code, job_title, person_type, days in wanted:
        db.session.add(Requirement(foundation_id=foundation.id, title=title, job_title=job_title, person_type=person_type,
                                   within_days=days, courses=[courses[code]]))


def _record(foundation_id: int, person_id: int, course: Course, completed_on: date, source: str, rng, **extra) -> dict:
    expires_on, grace_until = expiry_for(course, completed_on)
    return {
        "foundation_id": foundation_id, "person_id": person_id, "course_id": course.id, "completed_on": completed_on,
        "expires_on": expires_on, "grace_until": grace_until, "score": None, "source": source, "status": "verified",
        "session_id": None, "register_id": course.register_id, "points": course.accreditation_points,
        "verification_code": _code(rng), "evidence_name": None, "evidence_stored": None, "evidence_type": None,
        "note": "", "created_by_id": None, "verified_by_id": None, "verified_at": clock.utcnow(), "created_at": clock.utcnow(),
        **extra,
    }


def _completed_for(status: str, course: Course, today: date, rng) -> date | None:
    """A completion date that gives ``status`` today for a course with a validity."""
    months = course.validity_months
    if status == "compliant":
        return today - relativedelta(months=rng.randint(1, max(1, months - 4)))
    if status == "expiring":
        return today - relativedelta(months=months) + timedelta(days=rng.randint(10, 80))
    if status == "expired":
        return today - relativedelta(months=months) - timedelta(days=rng.randint(1, max(1, course.grace_days - 1)))
    if status == "overdue":
        return today - relativedelta(months=months) - timedelta(days=course.grace_days + rng.randint(20, 200))
    return None


def seed_demo_data(foundation, people: list[int], rng) -> None:
    today = clock.today()
    courses = ensure_catalogue()
    ensure_requirements(foundation, courses)
    persons = db.session.scalars(select(Person).where(Person.id.in_(people)).order_by(Person.id)).all()
    trainers = [p for p in persons if p.status == "active"][:3]
    sessions = _demo_sessions(foundation, courses, trainers, today, rng)
    records = []
    order = ("compliant", "compliant", "expiring", "expired", "overdue", "compliant", "missing")
    states = {code: itertools.cycle(order[n:] + order[:n]) for n, code in enumerate(("BHV", "AVG", "BLS"))}
    for person in persons:
        if person.status == "preboarding":
            continue  # a newcomer: everything still "missing" within the deadline
        if person.email.startswith("medewerker."):  # the widget of the demo: "BHV expires in 21 days"
            completed = today + timedelta(days=21) - relativedelta(months=12)
            records.append(_record(foundation.id, person.id, courses["BHV"], completed, "import", rng))
        else:
            for code in ("BHV", "AVG") + (("BLS",) if person.job_title in NURSE_TITLES else ()):
                completed = _completed_for(next(states[code]), courses[code], today, rng)
                if completed is not None:
                    records.append(_record(foundation.id, person.id, courses[code], completed,
                                           "xapi" if code == "AVG" else "import", rng))
        if person.job_title in NURSE_TITLES:
            db.session.add(Registration(foundation_id=foundation.id, person_id=person.id, register_id=courses["BLS"].register_id,
                                        number=f"{rng.randint(10**10, 10**11 - 1)}",
                                        cycle_start=today - relativedelta(years=rng.randint(1, 4)),
                                        cycle_end=today + relativedelta(years=1, months=rng.randint(0, 11)),
                                        points_required=Decimal("184")))
            if rng.random() < 0.6:
                records.append(_record(foundation.id, person.id, courses["MED"], today - timedelta(days=rng.randint(30, 300)),
                                       "xapi", rng))
    _attend_past_sessions(foundation, sessions, persons, rng, records)
    if records:
        db.session.execute(insert(TrainingRecord.__table__), records)
    hr_case = next((p for p in persons if p.status == "active" and p.job_title not in NURSE_TITLES), None)
    if hr_case is not None:  # an external course waiting for HR's check
        db.session.execute(insert(TrainingRecord.__table__), [_record(
            foundation.id, hr_case.id, courses["LEAD1"], today - timedelta(days=20), "manual", rng, status="pending",
            verification_code=None, verified_at=None, note="Extern gevolgd bij een hogeschool.")])


def _demo_sessions(foundation, courses, trainers, today: date, rng) -> list[CourseSession]:
    sessions = []
    for code in ("BHV", "BLS", "AGR", "LEAD1"):
        for offset in (-60, -20, 14, 35, 70):
            day = workdays.next_working_day(today + timedelta(days=offset + rng.randint(0, 4)))
            start = datetime.combine(day, time(9, 0))
            session = CourseSession(
                foundation_id=foundation.id, course_id=courses[code].id, starts_at=start,
                ends_at=start + timedelta(hours=min(8, float(courses[code].duration_hours or 4))),
                location=rng.choice(LOCATIONS), capacity=rng.choice((8, 12, 16)),
                trainer_id=rng.choice(trainers).id if trainers else None,
            )
            db.session.add(session)
            sessions.append(session)
    db.session.flush()
    return sessions


def _attend_past_sessions(foundation, sessions, persons, rng, records: list[dict]) -> None:
    """Past sessions have their attendance registered; future ones have enrolments."""
    active = [p for p in persons if p.status == "active"]
    upcoming: set[tuple[int, int]] = set()  # (person, course): one upcoming session per course each
    for session in sessions:
        people = rng.sample(active, min(len(active), session.capacity // 2))
        past = session.starts_at.date() < clock.today()
        for person in people:
            if not past:
                if (person.id, session.course_id) in upcoming:
                    continue
                upcoming.add((person.id, session.course_id))
            present = rng.random() < 0.85
            db.session.add(Enrolment(
                foundation_id=foundation.id, session_id=session.id, person_id=person.id, status="enrolled",
                attendance=("present" if present else rng.choice(("absent", "no_show"))) if past else None,
                result=("passed" if present else None) if past else None,
            ))
            if past and present and session.course.validity_months is None:  # the expiring courses are seeded above
                records.append(_record(foundation.id, person.id, session.course, session.ends_at.date(), "session", rng,
                                       session_id=session.id))


def seed_bench_data(foundation, people: list[int], rng) -> None:
    """Requirements for the foundation and records for most people, bulk-inserted in batches."""
    today = clock.today()
    courses = ensure_catalogue()
    ensure_requirements(foundation, courses)
    trainer = people[0] if people else None
    for code in ("BHV", "BLS"):
        for offset in (-30, 10, 40):
            start = datetime.combine(workdays.next_working_day(today + timedelta(days=offset)), time(9, 0))
            db.session.add(CourseSession(foundation_id=foundation.id, course_id=courses[code].id, starts_at=start,
                                         ends_at=start + timedelta(hours=4), location=rng.choice(LOCATIONS),
                                         capacity=16, trainer_id=trainer))
    rows = _bench_records(foundation.id, people, courses, today, rng)
    while batch := list(itertools.islice(rows, BATCH)):
        db.session.execute(insert(TrainingRecord.__table__), batch)


def _bench_records(foundation_id: int, people: list[int], courses, today: date, rng):
    for person_id in people:
        for code, share in (("BHV", 0.85), ("AVG", 0.9), ("BLS", 0.3)):
            if rng.random() < share:
                course = courses[code]
                completed = today - timedelta(days=rng.randint(0, 30 * (course.validity_months + 6)))
                yield _record(foundation_id, person_id, course, completed, "import", rng)

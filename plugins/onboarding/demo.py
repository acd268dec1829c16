"""Demo and benchmark data: templates per foundation, journeys in every state.

Demo ("demo"): GGZ clinical staff, support staff, a welzijn volunteer journey with a VOG upload,
a transfer and an offboarding template per foundation; journeys open (one with an overdue task),
completed with feedback, cancelled, a transfer, an offboarding, and nieuw.ggz@example.org
starting in seven days. Benchmark ("bench"): journeys bulk-inserted for the people who start or
leave and for a share of the others, in batches. Texts are Dutch: they are data, not interface.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from sqlalchemy import insert, select

from core.api import DEMO_EMAILS, Person, Team, clock, db, workdays
from plugins.onboarding import journeys, uploads
from plugins.onboarding.feedback import CHECKPOINTS
from plugins.onboarding.models import (
    OnboardingFeedback,
    OnboardingJourney,
    OnboardingJourneyTask,
    OnboardingTemplate,
    OnboardingTemplateTask,
)
from plugins.onboarding.template_editing import course_tasks_available
from plugins.onboarding.vocabulary import FILE_TYPES

BATCH = 5000
BENCH_SHARE = 0.06  # of the active people, who get a journey as if recently hired
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

CODE_OF_CONDUCT = """## Gedragscode

- We behandelen cliënten en collega's met respect.
- Wat je over cliënten weet, blijft binnen de behandelrelatie (**beroepsgeheim**).
- Incidenten meld je via de MIC-procedure.

Lees ook het [privacyreglement](https://www.autoriteitpersoonsgegevens.nl/).
"""


def _task(title, offset, task_type="checkbox", role="newcomer", required=True, after=(), description="", **config):
    return {
        "title": title,
        "offset_days": offset,
        "task_type": task_type,
        "assignee_role": role,
        "required": required,
        "after": after,
        "description": description,
        "config": config,
    }


UPLOAD_ID = {"allowed_types": ["pdf", "jpg", "png"], "max_size_mb": 5}
CLINICAL = [
    _task(
        "Kopie identiteitsbewijs uploaden",
        -10,
        "upload",
        description="Een scan of foto van je paspoort of ID-kaart.",
        **UPLOAD_ID,
    ),
    _task("Diploma en BIG-registratie uploaden", -10, "upload", allowed_types=["pdf"], max_size_mb=10),
    _task("Gedragscode en privacyreglement lezen", -7, "confirm", document_text=CODE_OF_CONDUCT),
    _task(
        "Praktische gegevens doorgeven",
        -7,
        "form",
        questions=["Op welke dagen werk je?", "Heb je wensen voor de lunch?", "Welke naam wil je op je naambadge?"],
    ),
    _task("Werkplek, laptop en toegang tot het EPD regelen", -5, role="manager"),
    _task("Personeelsdossier compleet maken", -3, role="hr", after=(0, 1)),
    _task("Welkomstgesprek met je leidinggevende", 0, "meeting", role="manager", time="09:30", minutes=60),
    _task("Koffie met je buddy", 2, "meeting", role="buddy", time="10:30", minutes=30),
    _task("E-learning Privacy en AVG", 5, "course", course_code="AVG"),
    _task("Meelopen met een collega op de afdeling", 10, after=(6,)),
    _task("Evaluatiegesprek na de eerste maand", 30, "meeting", role="manager", time="14:00", minutes=45),
    _task("Eindgesprek inwerkperiode", 85, "meeting", role="manager", time="14:00", minutes=60, required=False),
]
SUPPORT = [
    _task("Kopie identiteitsbewijs uploaden", -7, "upload", **UPLOAD_ID),
    _task(
        "Huisregels lezen",
        -5,
        "confirm",
        document_text="Welkom bij de ondersteunende diensten. **Werktijden**: 8.30–17.00.",
    ),
    _task("Account en telefoon aanvragen", -5, role="manager"),
    _task("Rondleiding door het gebouw", 0, "meeting", role="buddy", time="09:00", minutes=30),
    _task("Kennismaken met de afdelingen", 5, after=(3,)),
    _task("Evaluatiegesprek na de eerste maand", 30, "meeting", role="manager", time="11:00", minutes=30),
]
VOLUNTEER = [
    _task(
        "Verklaring Omtrent het Gedrag (VOG) uploaden",
        -14,
        "upload",
        allowed_types=["pdf"],
        max_size_mb=5,
        description="Vraag de VOG aan via Justis; wij vergoeden de kosten.",
    ),
    _task(
        "Vrijwilligersovereenkomst lezen en bevestigen",
        -7,
        "confirm",
        document_text="Je zet je vrijwillig in; we maken afspraken over **tijd**, **taken** en **onkosten**.",
    ),
    _task("Kennismaking op het vrijwilligerspunt", 0, "meeting", role="buddy", time="10:00", minutes=45),
    _task("Eerste activiteit samen met je buddy", 7, after=(2,)),
    _task("Hoe bevalt het? Korte vragenlijst", 30, "form", questions=["Wat gaat goed?", "Wat kan beter?"]),
]
TRANSFER = [
    _task("Overdracht van lopende zaken", -5, role="newcomer"),
    _task("Toegang tot het nieuwe team regelen", -2, role="manager"),
    _task("Kennismaking met het nieuwe team", 0, "meeting", role="manager", time="09:30", minutes=30),
    _task("Afspraken met je nieuwe buddy", 5, "meeting", role="buddy", time="13:00", minutes=30),
]
OFFBOARDING = [
    _task("Exitgesprek plannen", -20, role="hr"),
    _task(
        "Exitvragenlijst invullen",
        -10,
        "form",
        questions=["Waarom ga je weg?", "Wat zou je ons aanraden?"],
        required=False,
    ),
    _task("Overdracht van cliënten en taken", -5, role="newcomer"),
    _task("Toegang, pas en sleutels intrekken", 0, role="manager", after=(2,)),
    _task("Laptop en telefoon inleveren", 0),
    _task("Eindafrekening en getuigschrift", 7, role="hr"),
]
# (name, kind, tasks, criteria); criteria "team" names a team index in core's demo teams
TEMPLATES = {
    "ggz": [
        ("Inwerken zorgprofessionals GGZ", "onboarding", CLINICAL, {"person_type": "employee"}),
        ("Inwerken ondersteunende diensten", "onboarding", SUPPORT, {"person_type": "employee", "team": 2}),
    ],
    "welzijn": [
        ("Inwerken vrijwilligers welzijn", "volunteer", VOLUNTEER, {"person_type": "volunteer"}),
        ("Inwerken sociaal werk", "onboarding", SUPPORT, {"person_type": "employee"}),
    ],
    "forensisch": [
        ("Inwerken forensische zorg", "onboarding", CLINICAL, {"person_type": "employee"}),
    ],
}
COMMON = [("Overstap naar een ander team", "transfer", TRANSFER, {}), ("Uit dienst", "offboarding", OFFBOARDING, {})]


def seed(foundation, people: list[int], rng, scale: str) -> None:
    if scale == "demo":
        seed_demo_data(foundation, people, rng)
    elif scale == "bench":
        seed_bench_data(foundation, people, rng)


# -- templates --------------------------------------------------------------------------------------


def create_templates(foundation) -> list[OnboardingTemplate]:
    teams = list(db.session.scalars(select(Team).where(Team.foundation_id == foundation.id).order_by(Team.id)))
    learning = course_tasks_available(foundation.id)
    made = []
    for name, kind, specs, criteria in TEMPLATES.get(foundation.slug, TEMPLATES["ggz"][:1]) + COMMON:
        team_index = criteria.get("team")
        template = OnboardingTemplate(
            foundation_id=foundation.id,
            name=name,
            kind=kind,
            person_type=criteria.get("person_type"),
            team_id=teams[team_index].id if team_index is not None and team_index < len(teams) else None,
            invite_days_before_start=14,
        )
        db.session.add(template)
        tasks: dict[int, OnboardingTemplateTask] = {}  # by index in specs
        for index, spec in enumerate(specs):
            if spec["task_type"] == "course" and not learning:
                continue
            tasks[index] = OnboardingTemplateTask(
                foundation_id=foundation.id,
                template=template,
                position=len(tasks) + 1,
                title=spec["title"],
                description=spec["description"],
                task_type=spec["task_type"],
                assignee_role=spec["assignee_role"],
                offset_days=spec["offset_days"],
                required=spec["required"],
                config=dict(spec["config"]),
            )
        for index, task in tasks.items():
            task.depends_on = [tasks[i] for i in specs[index]["after"] if i in tasks]
        db.session.add_all(tasks.values())
        made.append(template)
    db.session.flush()
    return made


# -- demo -------------------------------------------------------------------------------------------

# (days from today to the start, what happens); the completed ones share the first template, so
# that its feedback has enough answers to be shown.
SCENARIOS = [(5, "upcoming"), (-20, "overdue"), (-45, "open"), (-60, "cancelled")]
COMPLETED = 6


def seed_demo_data(foundation, people: list[int], rng) -> None:
    templates = create_templates(foundation)
    by_kind = {}
    for template in templates:
        by_kind.setdefault(template.kind, template)
    accounts = DEMO_EMAILS
    members = db.session.scalars(select(Person).where(Person.id.in_(people)).order_by(Person.id)).all()
    today = clock.today()
    newcomer = next((p for p in members if p.email == "nieuw.ggz@example.org"), None)
    if newcomer is not None:
        _demo_newcomer(newcomer, today, rng)
    pool = [p for p in members if p.status == "active" and p.email not in accounts]
    rng.shuffle(pool)
    pool.sort(key=lambda p: p.person_type != "volunteer")  # the upcoming one then shows a missing VOG
    fits = {
        p.id: journeys.best_template(
            p, ("volunteer", "onboarding") if p.person_type == "volunteer" else ("onboarding",)
        )
        for p in pool
    }
    main = templates[0]
    finished = [p for p in reversed(pool[1:]) if fits[p.id] is main][:COMPLETED]
    others = [p for p in pool if p not in finished]
    for (days, state), person in zip(SCENARIOS, others, strict=False):
        if fits[person.id] is not None:
            _demo_journey(person, fits[person.id], today + timedelta(days=days), state, today, rng)
    for person in finished:
        _demo_journey(person, main, today - timedelta(days=rng.randint(120, 200)), "completed", today, rng)
    for kind, days, person in zip(("transfer", "offboarding"), (-3, 20), others[len(SCENARIOS) :], strict=False):
        if kind in by_kind:
            _demo_journey(person, by_kind[kind], today + timedelta(days=days), "open", today, rng)
    db.session.flush()


def _demo_newcomer(person: Person, today: date, rng) -> None:
    """nieuw.ggz@example.org: starts in a week, has a buddy, has uploaded the ID copy."""
    template = journeys.best_template(person, ("onboarding",))
    if template is None:
        return
    journey = journeys.start_journey(person, template, person.start_date or today + timedelta(days=7))
    buddy = db.session.scalar(select(Person).where(Person.email == "medewerker.ggz@example.org"))
    if buddy is not None:
        journeys.set_buddy(journey, buddy, None)
    _finish(journey.tasks[0], today, rng)
    journeys.refresh_status(journey)


def _demo_journey(person: Person, template: OnboardingTemplate, start: date, state: str, today: date, rng) -> None:
    start = workdays.next_working_day(start)  # nobody starts on a Saturday
    journey = journeys.start_journey(person, template, start)
    if state == "upcoming":  # invited two days ago, nothing done yet: a required document is missing
        _backdate(journey, today - timedelta(days=2))
        return
    _backdate(journey, min(start - timedelta(days=14), today))
    for task in journey.tasks:
        if task.due_date < today or state == "completed":
            _finish(task, min(task.due_date + timedelta(days=rng.choice((-2, -1, 0, 0, 0, 0, 1, 3))), today), rng)
    if state == "overdue":
        late = next(
            (t for t in journey.tasks if t.status == "done" and t.assignee_role in ("newcomer", "manager")), None
        )
        if late is not None:
            late.status, late.done_at, late.done_by_id, late.response = "open", None, None, {}
    journeys.refresh_status(journey)
    if state == "cancelled":
        journey.status, journey.cancelled_at = "cancelled", clock.utcnow()
    if state == "completed":
        journey.completed_at = max(t.done_at for t in journey.tasks)
        db.session.flush()
        for checkpoint in CHECKPOINTS:
            db.session.add(
                OnboardingFeedback(
                    foundation_id=journey.foundation_id,
                    journey_id=journey.id,
                    template_id=journey.template_id,
                    checkpoint=checkpoint,
                    welcome=rng.randint(3, 5),
                    clarity=rng.randint(2, 5),
                    support=rng.randint(3, 5),
                    answered_at=datetime.combine(start + timedelta(days=checkpoint), time(12)),
                )
            )


def _backdate(journey: OnboardingJourney, invited_on: date) -> None:
    """As if the journey had begun on ``invited_on``: plan the tasks again from then."""
    journey.invited_on = invited_on
    journey.created_at = datetime.combine(invited_on, time(9))
    for task in journey.tasks:
        journeys.plan(task, journey)


def _finish(task: OnboardingJourneyTask, when: date, rng) -> None:
    task.status, task.done_by_id = "done", task.assignee_id
    task.done_at = datetime.combine(when, time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))))
    if task.task_type == "confirm":
        task.response = {"confirmed_at": task.done_at.isoformat(timespec="seconds")}
    elif task.task_type == "form":
        task.response = {
            "answers": [{"question": q, "answer": "Zie mijn toelichting."} for q in task.config["questions"]]
        }
    elif task.task_type == "upload":
        task.response = {"file_name": "document.pdf"}
        db.session.flush()
        uploads.store(
            DEMO_PDF,
            FILE_TYPES["pdf"],
            "document.pdf",
            task.foundation_id,
            journey_id=task.journey_id,
            journey_task_id=task.id,
        )


# -- benchmark --------------------------------------------------------------------------------------


def seed_bench_data(foundation, people: list[int], rng) -> None:
    """Journeys for everyone starting or leaving and a share of the others, bulk-inserted."""
    templates = db.session.scalars(
        select(OnboardingTemplate).where(
            OnboardingTemplate.foundation_id == foundation.id, OnboardingTemplate.active.is_(True)
        )
    ).all() or create_templates(foundation)
    by_kind = {}
    for template in templates:
        by_kind.setdefault(template.kind, template)
    plans = {t.id: _template_plan(t) for t in templates}
    managers = dict(
        db.session.execute(select(Team.id, Team.manager_id).where(Team.foundation_id == foundation.id)).all()
    )
    today = clock.today()
    rows = _bench_people(foundation.id, people)
    while batch := list(itertools.islice(rows, BATCH // 10)):
        journeys_rows, owners = [], []
        for person_id, status, person_type, team_id, end_date in batch:
            choice = _bench_journey(status, person_type, end_date, today, by_kind, rng)
            if choice is None:
                continue
            template, start, closed = choice
            journeys_rows.append(
                {
                    "foundation_id": foundation.id,
                    "person_id": person_id,
                    "template_id": template.id,
                    "template_version": template.version,
                    "name": template.name,
                    "kind": template.kind,
                    "status": "completed" if closed else "open",
                    "start_date": start,
                    "invited_on": start - timedelta(days=14),
                    "created_at": datetime.combine(start - timedelta(days=14), time(9)),
                    "completed_at": datetime.combine(start + timedelta(days=90), time(12)) if closed else None,
                }
            )
            owners.append((person_id, managers.get(team_id), template, closed))
        if not journeys_rows:
            continue
        table = OnboardingJourney.__table__
        ids = db.session.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), journeys_rows).all()
        task_rows = [
            row
            for journey_id, journey_row, owner in zip(ids, journeys_rows, owners, strict=True)
            for row in _bench_tasks(journey_id, journey_row, owner, plans, today, rng)
        ]
        for start in range(0, len(task_rows), BATCH):
            db.session.execute(insert(OnboardingJourneyTask.__table__), task_rows[start : start + BATCH])
        db.session.commit()


def _bench_people(foundation_id: int, people: list[int]):
    for start in range(0, len(people), BATCH):
        chunk = people[start : start + BATCH]
        yield from db.session.execute(
            select(Person.id, Person.status, Person.person_type, Person.team_id, Person.end_date)
            .where(Person.foundation_id == foundation_id, Person.id.between(chunk[0], chunk[-1]))
            .order_by(Person.id)
        ).all()


def _bench_journey(status, person_type, end_date, today, by_kind, rng):
    """(template, start date, completed) for one generated person, or None."""
    newcomer = (
        by_kind.get("volunteer") if person_type == "volunteer" and "volunteer" in by_kind else by_kind.get("onboarding")
    )
    if status == "preboarding" and newcomer is not None:
        return newcomer, workdays.next_working_day(today + timedelta(days=rng.randint(1, 60))), False
    if status == "leaving" and "offboarding" in by_kind:
        return by_kind["offboarding"], end_date or today + timedelta(days=30), False
    if status == "active" and newcomer is not None and rng.random() < BENCH_SHARE:
        days_ago = rng.randint(0, 200)
        return newcomer, today - timedelta(days=days_ago), days_ago > 100
    return None


def _template_plan(template: OnboardingTemplate) -> list[dict]:
    seqs = {task.id: seq for seq, task in enumerate(template.tasks, 1)}
    return [
        {
            "seq": seqs[task.id],
            "template_task_id": task.id,
            "title": task.title,
            "description": task.description,
            "task_type": task.task_type,
            "assignee_role": task.assignee_role,
            "offset_days": task.offset_days,
            "required": task.required,
            "config": dict(task.config or {}),
            "depends_on": sorted(seqs[d.id] for d in task.depends_on if d.id in seqs),
        }
        for task in template.tasks
    ]


@lru_cache(maxsize=4096)
def _dates(start: date, offset: int, invited_on: date) -> tuple[date, date]:
    due = workdays.due_date(start, offset, not_before=invited_on)
    return due, workdays.working_days_before(due, journeys.REMIND_WORKING_DAYS)


def _bench_tasks(journey_id: int, journey: dict, owner, plans, today: date, rng) -> list[dict]:
    person_id, manager_id, template, closed = owner
    assignees = {"newcomer": person_id, "manager": manager_id}
    rows = []
    for step in plans[template.id]:
        due, remind = _dates(journey["start_date"], step["offset_days"], journey["invited_on"])
        done = closed or (due < today and rng.random() < 0.85)
        rows.append(
            {
                **step,
                "foundation_id": journey["foundation_id"],
                "journey_id": journey_id,
                "assignee_id": assignees.get(step["assignee_role"]),
                "due_date": due,
                "remind_on": remind,
                "status": "done" if done else "open",
                "done_at": datetime.combine(due, time(12)) if done else None,
                "done_by_id": None,
                "response": {},
                "meeting_at": None,
            }
        )
    return rows

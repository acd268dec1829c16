"""Demo and benchmark data.

"demo": an agreement for everyone with contract hours; in the secretariat team ("Secretariaat
Zwolle") a phone-coverage rule and the two secretaries' overlapping-day request, pending with a
trial period proposed; a request near its decision deadline; one deemed granted by the law.
"bench": agreements bulk-inserted for all generated people, and open requests for some of them.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import insert, select

from core.api import Person, Team, clock, db
from plugins.flexwork import wfw
from plugins.flexwork.agreements import Terms, change_from
from plugins.flexwork.jobs import grant_overdue
from plugins.flexwork.models import Agreement, CoverageRule, FlexRequest
from plugins.flexwork.pattern import Block, blocks_to_json, parse_time
from plugins.flexwork.request_flow import Proposal, submit

SECRETARIAT = "Secretariaat Zwolle"
SECRETARY = "Secretaresse"
DEMO_EMPLOYEE = "medewerker.ggz@example.org"
BATCH = 5000
DAY_START = parse_time("08:30")


def day_blocks(days, start="08:30", end="17:00", place="office") -> tuple[Block, ...]:
    return tuple(Block(d, parse_time(start), parse_time(end), place) for d in days)


def pattern_for(hours: float, rng: random.Random) -> tuple[Block, ...]:
    """Whole days of at most 8 hours from Monday on, one of them at home now and then."""
    days = max(1, min(5, round(hours / 8)))
    minutes = round(hours * 60 / days)
    chosen = sorted(rng.sample(range(5), days))
    home = rng.choice(chosen) if rng.random() < 0.4 else None
    return tuple(Block(d, DAY_START, DAY_START + minutes, "home" if d == home else "office") for d in chosen)


def first_monday_after(day: date) -> date:
    return day + timedelta(days=7 - day.weekday())


def seed(foundation, people: list[int], rng: random.Random, scale: str) -> None:
    if scale == "bench":
        seed_bench(foundation, people, rng)
    else:
        seed_demo(foundation, people, rng)


# -- demo ---------------------------------------------------------------------------------------

def seed_demo(foundation, people: list[int], rng: random.Random) -> None:
    today = clock.today()
    persons = db.session.scalars(select(Person).where(Person.id.in_(people)).order_by(Person.id)).all()
    team = db.session.scalar(select(Team).where(Team.foundation_id == foundation.id, Team.name == SECRETARIAT))
    secretaries = _secretaries(team, persons, today)
    since = today - timedelta(days=365)
    for person in persons:
        if person.contract_hours is None or person.status == "left":
            continue
        hours = float(person.contract_hours)
        blocks, flex = secretaries.get(person.id) or pattern_for(hours, rng), Decimal(0)
        if person.email == DEMO_EMPLOYEE:  # three fixed days plus hours she plans herself
            blocks, flex = day_blocks([0, 1, 3], "08:30", "16:30"), Decimal(hours) - 24
        change_from(person, Terms(Decimal(hours), flex, blocks), max(since, person.start_date or since))
    db.session.flush()
    if team is not None and len(secretaries) == 2:
        _overlap_request(team, [p for p in persons if p.id in secretaries][1], today)
    _near_deadline(persons, today, rng)
    _deemed_granted(foundation, persons, today, rng)


def _secretaries(team: Team | None, persons, today: date) -> dict[int, tuple[Block, ...]]:
    """Two members of the secretariat become its secretaries (24 hours, overlapping on Monday) and the
    team gets its phone rule; returns their patterns by person id."""
    if team is None:
        return {}
    db.session.add(CoverageRule(foundation_id=team.foundation_id, team_id=team.id, label="Telefoon secretariaat",
                                weekdays="01234", start_time="08:30", end_time="17:00", min_people=1, place="office",
                                job_title=SECRETARY))
    members = [p for p in persons if p.team_id == team.id and p.id != team.manager_id and p.contract_hours is not None]
    patterns = {}
    for person, days in zip(members[:2], ([0, 1, 2], [0, 3, 4]), strict=False):
        person.job_title, person.contract_hours = SECRETARY, 24
        if person.start_date is None or person.start_date > today - timedelta(weeks=60):
            person.start_date = today - timedelta(weeks=60)
        patterns[person.id] = day_blocks(days)
    return patterns


def _overlap_request(team: Team, second: Person, today: date) -> None:
    """The second secretary moves the day they share from Monday to Wednesday, on trial."""
    start = first_monday_after(today + relativedelta(months=2))
    submit(second, Proposal(("times",), Terms(Decimal(24), Decimal(0), day_blocks([2, 3, 4])), start, trial_weeks=8,
                            motivation="Samen op woensdag: overdracht en teamoverleg. De telefoon blijft elke dag bezet."), today)


def _candidates(persons, rng: random.Random, count: int) -> list[Person]:
    pool = [p for p in persons if p.contract_hours is not None and p.status == "active" and p.job_title != SECRETARY
            and p.team_id is not None and p.email != DEMO_EMPLOYEE]
    return rng.sample(pool, min(count, len(pool)))


def _near_deadline(persons, today: date, rng: random.Random) -> None:
    """Asked two months ahead; the decision is due in three days."""
    for person in _candidates(persons, rng, 1):
        start = today + timedelta(days=3) + relativedelta(months=1)
        submitted = wfw.latest_request_date(start) - timedelta(days=4)
        hours = Decimal(person.contract_hours) - 4
        request = submit(person, Proposal(("hours",), Terms(hours, Decimal(0), pattern_for(float(hours), rng)), start,
                                          motivation="Minder uren om mantelzorg te kunnen geven."), submitted)
        request.created_at = clock.utcnow() - timedelta(days=(today - submitted).days)


def _deemed_granted(foundation, persons, today: date, rng: random.Random) -> None:
    """Nobody decided in time: the law granted it."""
    for person in _candidates(persons, rng, 1):
        start = today + timedelta(days=10)
        submitted = wfw.latest_request_date(start) - timedelta(days=7)
        hours = Decimal(person.contract_hours)
        submit(person, Proposal(("times",), Terms(hours, Decimal(0), pattern_for(float(hours), rng)), start,
                                motivation="Andere dagen i.v.m. de schooltijden van de kinderen."), submitted)
    db.session.commit()
    grant_overdue(foundation.id, today)


# -- bench --------------------------------------------------------------------------------------

TEMPLATES = {hours: [blocks_to_json(pattern_for(hours, random.Random(seed))) for seed in range(8)]
             for hours in (16, 24, 28, 32, 36)}


def seed_bench(foundation, people: list[int], rng: random.Random) -> None:
    """Agreements for everyone with hours, and an open request for one in fifty, in batches."""
    today = clock.today()
    since = today - timedelta(days=400)
    ids = sorted(people)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        rows = db.session.execute(
            select(Person.id, Person.contract_hours, Person.start_date)
            .where(Person.id.in_(chunk), Person.contract_hours.is_not(None), Person.status != "left")
        ).all()
        agreements, requests = [], []
        for person_id, hours, started in rows:
            pattern = rng.choice(TEMPLATES.get(int(hours)) or TEMPLATES[32])
            agreements.append({"foundation_id": foundation.id, "person_id": person_id, "contract_hours": hours,
                               "flex_hours": 0, "pattern": pattern, "valid_from": max(since, started or since),
                               "valid_to": None, "created_at": clock.utcnow()})
            if rng.random() < 0.02:
                requests.append(_bench_request(foundation.id, person_id, hours, started, today, rng))
        if agreements:
            db.session.execute(insert(Agreement.__table__), agreements)
        if requests:
            db.session.execute(insert(FlexRequest.__table__), requests)
        db.session.commit()


def _bench_request(foundation_id: int, person_id: int, hours, started, today: date, rng: random.Random) -> dict:
    start = today + timedelta(days=rng.randint(20, 120))
    submitted = min(today, wfw.latest_request_date(start))
    assessment = wfw.assess(start, submitted, started)
    kind = rng.choice(("hours", "times", "place"))
    return {
        "foundation_id": foundation_id, "person_id": person_id, "kind": kind,
        "state": rng.choice(("submitted", "in_review")), "contract_hours": hours, "flex_hours": 0,
        "pattern": rng.choice(TEMPLATES[32]), "start_date": start, "end_date": None, "trial_weeks": None,
        "motivation": "", "submitted_on": submitted, "decision_deadline": assessment.deadline,
        "hours_or_times": kind != "place", "in_time": assessment.in_time, "service_ok": assessment.service_ok,
        "conditions": "", "reject_reason": "", "created_at": clock.utcnow(),
    }

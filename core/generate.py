"""A synthetic organisation at scale (``flask journey generate``), for benchmarks.

It starts from the demo organisation on an empty database (so the demo accounts sign in), then
bulk-inserts teams and people per foundation in batches, so memory stays bounded whatever the
count. The first member of every generated team manages it. Last, every enabled plugin adds its
own data through ``seed_demo(scale="bench")``. The same seed on an empty database gives the same
organisation.
"""
from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta

from sqlalchemy import func, insert, select, text, update

from core import clock
from core.demo import FIRST_NAMES, JOB_TITLES, LAST_NAMES, seed_demo_organisation
from core.extensions import db
from core.models import REGIONS, Foundation, Person, Team

BATCH = 5000  # rows built and sent per executemany: memory stays bounded
TEAM_SIZE = 15
SHARES = (0.6, 0.25, 0.15)  # people per foundation, roughly like the group
STATUSES = ("active", "preboarding", "leaving", "left")
STATUS_WEIGHTS = (90, 3, 4, 3)
MANAGER_TITLE = "Teammanager"


def generate_organisation(manager, count: int, seed: int, progress: Callable[[int], None] = lambda steps: None) -> list[str]:
    """Generate ``count`` people; returns lines to print. ``progress(steps)`` is told of the work
    done, ``2 * count`` steps in all: each person inserted, then each person the plugins filled in."""
    lines = []
    if db.session.scalar(select(Foundation.id).limit(1)) is None:
        lines += seed_demo_organisation(manager, rng_seed=seed)
    rng = random.Random(f"generate:{seed}")  # not the demo's stream: replaying it would repeat its values
    foundations = db.session.scalars(select(Foundation).order_by(Foundation.id)).all()
    next_id = (db.session.scalar(select(func.max(Person.id))) or 0) + 1
    people: dict[int, range] = {}
    teams = 0
    for foundation, share in zip(foundations, _split(count, len(foundations)), strict=True):
        ids = range(next_id, next_id + share)
        people[foundation.id] = ids
        if share:
            team_ids = _insert_teams(foundation, max(1, share // TEAM_SIZE), rng)
            _insert_people(foundation, ids, team_ids, rng, progress)
            _appoint_managers(team_ids, ids)
            teams += len(team_ids)
        db.session.commit()
        next_id += share
    _move_sequence_past_max("person")
    for foundation in foundations:
        if people[foundation.id]:
            hook = manager.hook_for(foundation.id)
            hook.seed_demo(foundation=foundation, people=list(people[foundation.id]), rng=rng, scale="bench")
            db.session.commit()
        progress(len(people[foundation.id]))
    _analyze()
    lines.append(f"generated {count} people in {teams} teams of {len(foundations)} foundations")
    return lines


def _split(count: int, parts: int) -> list[int]:
    """``count`` over ``parts`` foundations by SHARES; the last takes what rounding leaves."""
    weights = [SHARES[min(i, len(SHARES) - 1)] for i in range(parts)]
    total = sum(weights)
    sizes = [int(count * w / total) for w in weights[:-1]]
    return sizes + [count - sum(sizes)]


def _insert_teams(foundation: Foundation, n: int, rng: random.Random) -> list[int]:
    rows = [{"foundation_id": foundation.id, "name": f"Team {foundation.slug} {i + 1:04d}", "region": rng.choice(REGIONS)}
            for i in range(n)]
    statement = insert(Team).returning(Team.id, sort_by_parameter_order=True)
    return list(db.session.scalars(statement, rows))


def _insert_people(foundation: Foundation, ids: range, team_ids: list[int], rng: random.Random,
                   progress: Callable[[int], None]) -> None:
    rows = _person_rows(foundation, ids, team_ids, rng)
    # A Core insert on the table: the ORM's bulk insert splits batches wherever a row has a None.
    while batch := list(itertools.islice(rows, BATCH)):
        db.session.execute(insert(Person.__table__), batch)
        progress(len(batch))


def _person_rows(foundation: Foundation, ids: range, team_ids: list[int], rng: random.Random) -> Iterator[dict]:
    """People go round the teams in turn, so person ``ids[i]`` is the first member of team ``i``."""
    today = clock.today()
    titles = JOB_TITLES.get(foundation.slug, ["Medewerker"])
    for index, person_id in enumerate(ids):
        manages = index < len(team_ids)
        status = "active" if manages else rng.choices(STATUSES, STATUS_WEIGHTS)[0]
        volunteer = not manages and rng.random() < 0.25
        start, end = _dates(status, today, rng)
        yield {
            "id": person_id, "foundation_id": foundation.id, "team_id": team_ids[index % len(team_ids)],
            "person_type": "volunteer" if volunteer else "employee", "status": status,
            "first_name": rng.choice(FIRST_NAMES), "last_name": rng.choice(LAST_NAMES),
            "email": f"p{person_id}@bench.example.org",
            "employee_number": None if volunteer else f"B{person_id:07d}",
            "job_title": MANAGER_TITLE if manages else rng.choice(titles),
            "start_date": start, "end_date": end,
            "contract_hours": None if volunteer else rng.choice((16, 24, 28, 32, 36)),
            "locale": "nl", "session_version": 1, "login_enabled": True,
        }


def _dates(status: str, today: date, rng: random.Random) -> tuple[date, date | None]:
    """Start and end dates that agree with the status."""
    if status == "preboarding":
        return today + timedelta(days=rng.randint(1, 60)), None
    start = today - timedelta(days=rng.randint(30, 9000))
    if status == "leaving":
        return start, today + timedelta(days=rng.randint(1, 90))
    if status == "left":
        return start, today - timedelta(days=rng.randint(1, 29))
    return start, None


def _appoint_managers(team_ids: list[int], ids: range) -> None:
    db.session.execute(update(Team), [{"id": team_id, "manager_id": ids[i]} for i, team_id in enumerate(team_ids)])


def _analyze() -> None:
    """Fresh planner statistics: right after a bulk load they still describe empty tables."""
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def _move_sequence_past_max(table: str) -> None:
    """Explicit ids bypass PostgreSQL's sequence; move it past them. (SQLite takes max + 1 itself.)"""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))
        db.session.commit()

"""A synthetic organisation at scale (``flask journey generate``), for benchmarks.

It starts from the demo organisation (so the demo accounts sign in), then bulk-inserts teams and
people in batches, and lets every enabled plugin add its data through ``seed_demo(scale="bench")``.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from core.demo import FIRST_NAMES, JOB_TITLES, LAST_NAMES, TEAMS, seed_demo_organisation
from core.extensions import db
from core.models import Foundation, Person, Team

BATCH = 5000
TEAM_SIZE = 15


def generate_organisation(manager, count: int, seed: int) -> list[str]:
    lines = []
    if db.session.scalar(select(func.count(Foundation.id))) == 0:
        lines += seed_demo_organisation(manager, rng_seed=seed)
    rng = random.Random(seed)
    foundations = db.session.scalars(select(Foundation).order_by(Foundation.id)).all()
    today = date.today()
    start_id = (db.session.scalar(select(func.max(Person.id))) or 0) + 1
    # Spread people over the foundations roughly like the group: 60% / 25% / 15%.
    shares = [0.6, 0.25, 0.15][: len(foundations)]
    new_ids: dict[int, list[int]] = {f.id: [] for f in foundations}
    made = 0
    for f_index, foundation in enumerate(foundations):
        share = count - made if f_index == len(foundations) - 1 else int(count * shares[f_index])
        team_ids = _make_teams(foundation, max(1, share // TEAM_SIZE), rng)
        rows = []
        for n in range(share):
            person_id = start_id + made + n
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            rows.append({
                "id": person_id, "foundation_id": foundation.id, "team_id": team_ids[n % len(team_ids)],
                "person_type": "volunteer" if rng.random() < 0.25 else "employee",
                "status": rng.choices(["active", "preboarding", "leaving", "left"], [90, 3, 4, 3])[0],
                "first_name": first, "last_name": last, "email": f"p{person_id}@bench.example.org",
                "employee_number": f"B{person_id:07d}", "job_title": rng.choice(JOB_TITLES.get(foundation.slug, ["Medewerker"])),
                "start_date": today - timedelta(days=rng.randint(-30, 9000)), "contract_hours": rng.choice([16, 24, 32, 36]),
                "locale": "nl", "session_version": 1, "login_enabled": True,
            })
            new_ids[foundation.id].append(person_id)
            if len(rows) >= BATCH:
                db.session.execute(insert(Person), rows)
                rows = []
        if rows:
            db.session.execute(insert(Person), rows)
        made += share
        db.session.commit()
    _reset_sequence()
    for foundation in foundations:
        hook = manager.hook_for(foundation.id)
        hook.seed_demo(foundation=foundation, people=new_ids[foundation.id], rng=rng, scale="bench")
        db.session.commit()
    lines.append(f"generated {made} people in {len(foundations)} foundations")
    return lines


def _make_teams(foundation: Foundation, n: int, rng: random.Random) -> list[int]:
    regions = sorted({region for teams in TEAMS.values() for _name, region in teams})
    db.session.execute(insert(Team), [
        {"foundation_id": foundation.id, "name": f"Team {foundation.slug} {i + 1:04d}", "region": rng.choice(regions)}
        for i in range(n)
    ])
    return list(db.session.scalars(
        select(Team.id).where(Team.foundation_id == foundation.id, Team.name.like(f"Team {foundation.slug} %"))
    ))


def _reset_sequence() -> None:
    """Explicit ids bypass PostgreSQL's sequence; move it past them."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(db.text("SELECT setval(pg_get_serial_sequence('person', 'id'), (SELECT MAX(id) FROM person))"))
        db.session.commit()

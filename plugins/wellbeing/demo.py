"""Demo and benchmark data.

``demo``: a weekly campaign for the foundation's teams, started ten weeks ago, with simulated
check-ins in every closed period (the current one is left open for the demo accounts). One team
stays below the threshold. Also support contacts, comments and a team action.

``bench``: a weekly campaign over every team of the foundation with eight closed periods of
counters, bulk-inserted in batches (no ledger: the benchmark reads results, not who took part).
"""
from __future__ import annotations

import itertools
from collections import Counter
from datetime import timedelta

from sqlalchemy import insert, select

from core.api import Person, RoleAssignment, Team, clock, db
from plugins.wellbeing.checkin import ELIGIBLE_STATUSES, division_of
from plugins.wellbeing.freeze import freeze_closed_periods
from plugins.wellbeing.models import (
    AnswerCount,
    Campaign,
    CheckinCount,
    Comment,
    Participation,
    Period,
    SupportContact,
    TeamAction,
    campaign_team,
)
from plugins.wellbeing.periods import periods_until
from plugins.wellbeing.questions import DEFAULT_QUESTIONS, SCALE

BATCH = 5000
DEMO_WEEKS = 10
BENCH_WEEKS = 8
COMMENTS = [
    "Fijne sfeer in het team deze week, ondanks de drukte.",
    "De roosterwijzigingen op het laatste moment kosten veel energie.",
    "Goed dat we de intervisie weer hebben opgepakt.",
    "Te weinig tijd voor verslaglegging, dat schuift door naar de avond.",
    "Ik merk dat collega's elkaar goed helpen bij lastige cliëntsituaties.",
    "De nieuwe werkplekken op kantoor zijn een verbetering.",
]


def seed(foundation, people: list[int], rng, scale: str) -> None:
    if scale == "demo":
        _seed_demo(foundation, rng)
    elif scale == "bench":
        _seed_bench(foundation, rng)


def _hr_admin_id(foundation_id: int) -> int | None:
    return db.session.scalar(select(RoleAssignment.person_id).where(
        RoleAssignment.role == "hr_admin", RoleAssignment.foundation_id == foundation_id).limit(1))


def _campaign(foundation, name: str, weeks: int, rng) -> tuple[Campaign, list[Period]]:
    today = clock.today()
    starts_on = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks)  # a Monday
    campaign = Campaign(
        foundation_id=foundation.id, name=name, cadence="weekly", starts_on=starts_on, ends_on=None,
        questions=list(DEFAULT_QUESTIONS), comments_enabled=True, comment_scope="foundation",
        works_council_agreed=True, dpia_on_file=True, dpia_reference="DPIA-welzijn-2026 (demo)",
        confirmed_by_id=_hr_admin_id(foundation.id), confirmed_at=clock.utcnow(),
    )
    db.session.add(campaign)
    db.session.flush()
    periods = [
        Period(foundation_id=foundation.id, campaign_id=campaign.id, starts_on=first, ends_on=last,
               opening_sent=True, reminder_sent=last < today)
        for first, last in periods_until("weekly", starts_on, None, today)
    ]
    db.session.add_all(periods)
    db.session.flush()
    return campaign, periods


def _answers(rng, mood: float) -> dict[str, int]:
    return {key: min(max(round(rng.gauss(mood, 0.9)), 1), 5) for key in DEFAULT_QUESTIONS}


def _seed_demo(foundation, rng) -> None:
    today = clock.today()
    teams = db.session.scalars(select(Team).where(Team.foundation_id == foundation.id).order_by(Team.id)).all()
    if not teams:
        return
    campaign, periods = _campaign(foundation, "Hoe ga je naar huis? (demo)", DEMO_WEEKS, rng)
    db.session.execute(insert(campaign_team), [{"campaign_id": campaign.id, "team_id": t.id} for t in teams])
    members = {
        team.id: list(db.session.scalars(select(Person.id).where(
            Person.team_id == team.id, Person.status.in_(ELIGIBLE_STATUSES)).order_by(Person.id)))
        for team in teams
    }
    # One team stays below the threshold, to show what suppression looks like. It is one alone in
    # its division, so that no sibling (such as the demo manager's team) is hidden as its complement.
    per_division = Counter(division_of(team) for team in teams)
    small_team = ([team for team in teams if per_division[division_of(team)] == 1] or teams)[-1].id
    moods = {team.id: rng.uniform(2.8, 4.1) for team in teams}
    counts: Counter = Counter()
    tallies: Counter = Counter()
    ledger = []
    for index, period in enumerate(p for p in periods if p.ends_on < today):
        for team in teams:
            eligible = members[team.id]
            if len(eligible) < 5 or team.id == small_team:
                taking_part = rng.sample(eligible, min(len(eligible), rng.randint(2, 4)))
            else:
                taking_part = rng.sample(eligible, rng.randint(5, len(eligible)))
            mood = moods[team.id] + 0.05 * index * (1 if team.id % 2 else -1)
            for person_id in taking_part:
                for key, value in _answers(rng, mood).items():
                    counts[(period.id, team.id, key, value)] += 1
                ledger.append({"foundation_id": foundation.id, "period_id": period.id, "person_id": person_id})
            tallies[(period.id, team.id)] = len(taking_part)
        for text in rng.sample(COMMENTS, 2):
            db.session.add(Comment(foundation_id=foundation.id, period_id=period.id, division=None, text=text))
    _insert_counts(foundation.id, counts, tallies)
    db.session.execute(insert(Participation), ledger)
    freeze_closed_periods(campaign.id)
    _seed_contacts(foundation)
    db.session.add(TeamAction(foundation_id=foundation.id, team_id=teams[0].id, campaign_id=campaign.id,
                              text="Elke maandag tien minuten samen de week doorlopen", created_on=today))


def _insert_counts(foundation_id: int, counts: Counter, tallies: Counter) -> None:
    """The full grid of counters (zeros too, as check-ins create them) and the check-in tallies."""
    def count_rows():
        for (period_id, team_id) in tallies:
            for key in DEFAULT_QUESTIONS:
                for value in SCALE:
                    yield {"foundation_id": foundation_id, "period_id": period_id, "team_id": team_id,
                           "question": key, "value": value, "count": counts[(period_id, team_id, key, value)]}

    rows = count_rows()
    while batch := list(itertools.islice(rows, BATCH)):
        db.session.execute(insert(AnswerCount.__table__), batch)
    tally_rows = ({"foundation_id": foundation_id, "period_id": p, "team_id": t, "checkins": n}
                  for (p, t), n in tallies.items())
    while batch := list(itertools.islice(tally_rows, BATCH)):
        db.session.execute(insert(CheckinCount.__table__), batch)


def _seed_contacts(foundation) -> None:
    db.session.add_all([
        SupportContact(foundation_id=foundation.id, kind="confidential_advisor", name="Vertrouwenspersoon (demo)",
                       description="Luistert vertrouwelijk bij ongewenste omgangsvormen en zorgen over je werk.",
                       how_to_reach="vertrouwenspersoon@example.org", person_id=_hr_admin_id(foundation.id), position=1),
        SupportContact(foundation_id=foundation.id, kind="company_doctor", name="Bedrijfsarts (demo)",
                       description="Spreekuur over gezondheid en werk; wat je bespreekt blijft tussen jou en de arts.",
                       how_to_reach="088 000 00 00", position=2),
        SupportContact(foundation_id=foundation.id, kind="employee_assistance", name="Employee assistance (demo)",
                       description="Kortdurende, anonieme ondersteuning door een externe partij.",
                       how_to_reach="https://example.org/ondersteuning", position=3),
        SupportContact(foundation_id=foundation.id, kind="peer_support", name="Collegiale opvang (demo)",
                       description="Collega's die na een ingrijpende gebeurtenis met je meedenken.",
                       how_to_reach="Via je teammanager", position=4),
    ])


def _seed_bench(foundation, rng) -> None:
    team_ids = list(db.session.scalars(select(Team.id).where(Team.foundation_id == foundation.id).order_by(Team.id)))
    if not team_ids:
        return
    today = clock.today()
    campaign, periods = _campaign(foundation, "Benchmark check-ins", BENCH_WEEKS, rng)
    links = ({"campaign_id": campaign.id, "team_id": team_id} for team_id in team_ids)
    while batch := list(itertools.islice(links, BATCH)):
        db.session.execute(insert(campaign_team), batch)
    weights = (1, 2, 4, 5, 3)
    counts: Counter = Counter()
    tallies: Counter = Counter()
    for period in (p for p in periods if p.ends_on < today):
        for team_id in team_ids:
            n = rng.randint(0, 14)
            if not n:
                continue
            tallies[(period.id, team_id)] = n
            for key in DEFAULT_QUESTIONS:
                for value in rng.choices(SCALE, weights, k=n):
                    counts[(period.id, team_id, key, value)] += 1
        _insert_counts(foundation.id, counts, tallies)
        counts.clear()
        tallies.clear()
        db.session.commit()
    freeze_closed_periods(campaign.id)
    _seed_contacts(foundation)

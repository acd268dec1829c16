"""The demo organisation: three foundations, teams in three regions, about 60 people."""
from __future__ import annotations

import random
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from core import clock, workdays
from core.auth.passwords import hash_password
from core.extensions import db
from core.models import Foundation, Person, Team
from core.notifications import notify
from core.people.accounts import grant_role
from core.plugin_switch import enable

DEMO_PASSWORD = "journey-demo"  # demo data only; printed when seeded

FOUNDATIONS = [
    ("ggz", "GGZ & ondersteunende diensten", ["onboarding", "learning", "flexwork", "wellbeing"]),
    ("welzijn", "WMO/welzijn", ["onboarding", "learning", "wellbeing"]),
    ("forensisch", "Forensische zorg", ["onboarding", "learning", "flexwork"]),
]
TEAMS = {
    "ggz": [("Behandelteam Angst Hengelo", "Twente"), ("FACT-team Deventer", "Midden-IJssel"),
            ("Secretariaat Zwolle", "IJssel-Vecht"), ("Kliniek Almelo", "Twente")],
    "welzijn": [("Buurtteam Enschede", "Twente"), ("Mantelzorg Raalte", "Midden-IJssel"),
                ("Vrijwilligerspunt Kampen", "IJssel-Vecht")],
    "forensisch": [("FPA Afdeling Oost", "Twente"), ("Ambulant Forensisch Zwolle", "IJssel-Vecht")],
}
FIRST_NAMES = ["Anouk", "Bram", "Chantal", "Daan", "Esther", "Floor", "Gijs", "Hanna", "Ilse", "Joost", "Kim",
               "Lars", "Maaike", "Niels", "Olga", "Pieter", "Quinten", "Roos", "Sander", "Tessa", "Ugur", "Vera",
               "Wouter", "Yara", "Zeynep", "Mohamed", "Fatima", "Sven", "Lotte", "Ruben"]
LAST_NAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "de Boer", "Bos", "Vos",
              "Peters", "Hendriks", "van Dijk", "Kok", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "Kaya"]
JOB_TITLES = {
    "ggz": ["GZ-psycholoog", "Verpleegkundige", "Psychiater", "Ervaringsdeskundige", "Secretaresse"],
    "welzijn": ["Sociaal werker", "Buurtcoach", "Consulent mantelzorg"],
    "forensisch": ["Sociotherapeut", "Forensisch verpleegkundige", "Reclasseringswerker"],
}
# (email, first, last, foundation, team index or None, type, status, role)
ACCOUNTS = [
    ("admin@example.org", "Ada", "Beheer", "ggz", None, "employee", "active", "group_admin"),
    ("hr.ggz@example.org", "Hanneke", "Ruiter", "ggz", None, "employee", "active", "hr_admin"),
    ("hr.welzijn@example.org", "Henk", "Welling", "welzijn", None, "employee", "active", "hr_admin"),
    ("hr.forensisch@example.org", "Hilde", "Vos", "forensisch", None, "employee", "active", "hr_admin"),
    ("manager.ggz@example.org", "Marco", "Meulenbelt", "ggz", 0, "employee", "active", "manager"),
    ("medewerker.ggz@example.org", "Mila", "Werkman", "ggz", 0, "employee", "active", None),
    ("nieuw.ggz@example.org", "Noor", "Nieuwenhuis", "ggz", 0, "employee", "preboarding", None),
    ("vrijwilliger.welzijn@example.org", "Vincent", "Vrijman", "welzijn", 2, "volunteer", "active", None),
]
PEOPLE_PER_TEAM = 6
DEMO_EMAILS = {account[0] for account in ACCOUNTS}


def seed_demo_organisation(manager, rng_seed: int = 2026) -> list[str]:
    """Create the demo; returns lines to print (the accounts)."""
    rng = random.Random(rng_seed)
    today = clock.today()
    foundations, teams = {}, {}
    for slug, name, _plugins in FOUNDATIONS:
        foundation = Foundation(slug=slug, name=name)
        db.session.add(foundation)
        db.session.flush()
        foundations[slug] = foundation
        teams[slug] = []
        for team_name, region in TEAMS[slug]:
            team = Team(foundation_id=foundation.id, name=team_name, region=region)
            db.session.add(team)
            teams[slug].append(team)
    db.session.flush()

    password_hash = hash_password(DEMO_PASSWORD)
    people: dict[str, list[Person]] = {slug: [] for slug in foundations}
    for email, first, last, slug, team_index, person_type, status, role in ACCOUNTS:
        foundation = foundations[slug]
        person = Person(
            foundation_id=foundation.id, email=email, first_name=first, last_name=last, person_type=person_type,
            status=status, team_id=teams[slug][team_index].id if team_index is not None else None,
            job_title="HR-adviseur" if role == "hr_admin" else rng.choice(JOB_TITLES[slug]),
            start_date=workdays.next_working_day(today + timedelta(days=7)) if status == "preboarding" else today - timedelta(days=rng.randint(200, 4000)),
            contract_hours=32 if person_type == "employee" else None, password_hash=password_hash,
            employee_number=None if person_type == "volunteer" else f"{slug[:2].upper()}{len(people[slug]) + 1:05d}",
        )
        db.session.add(person)
        db.session.flush()
        people[slug].append(person)
        if role in ("group_admin", "hr_admin"):
            grant_role(person, role, None if role == "group_admin" else foundation)
        if role == "manager":
            teams[slug][team_index].manager_id = person.id

    for slug, foundation in foundations.items():
        for index, team in enumerate(teams[slug]):
            members = [p for p in people[slug] if p.team_id == team.id]
            for n in range(PEOPLE_PER_TEAM - len(members)):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                volunteer = slug == "welzijn" and index == 2
                person = Person(
                    foundation_id=foundation.id, team_id=team.id,
                    first_name=first, last_name=last,
                    email=f"{first}.{last}.{slug}{index}{n}@example.org".lower().replace(" ", ""),
                    person_type="volunteer" if volunteer else "employee",
                    status="active", job_title=rng.choice(JOB_TITLES[slug]),
                    start_date=today - timedelta(days=rng.randint(30, 6000)),
                    contract_hours=None if volunteer else rng.choice([16, 24, 28, 32, 36]),
                    employee_number=None if volunteer else f"{slug[:2].upper()}{len(people[slug]) + 1:05d}",
                )
                db.session.add(person)
                db.session.flush()
                people[slug].append(person)
                if team.manager_id is None:
                    team.manager_id = person.id
    db.session.commit()

    for slug, _name, wanted in FOUNDATIONS:
        for key in wanted:
            if key in manager.plugins:
                enable(manager, foundations[slug], key, with_requirements=True)
        hook = manager.hook_for(foundations[slug].id)
        hook.seed_demo(foundation=foundations[slug], people=[p.id for p in people[slug]], rng=rng, scale="demo")
        db.session.commit()

    _welcome_notifications([p for group in people.values() for p in group if p.email in DEMO_EMAILS])
    total = sum(len(v) for v in people.values())
    lines = [f"demo organisation: {len(foundations)} foundations, {sum(len(t) for t in teams.values())} teams, {total} people",
             f"sign in at the accounts below with password {DEMO_PASSWORD!r}:"]
    lines += [f"  {email:36} {role or person_type}" for email, *_rest, person_type, _status, role in ACCOUNTS]
    return lines


def _welcome_notifications(accounts: list[Person]) -> None:
    """So the demo shows the notification list and, after the outbox job, the e-mail outbox."""
    for person in accounts:
        notify(person, "core.message", _l("Welcome to Journey"),
               _l("This is the demo organisation. Look around: every account has its own view."),
               url="/", dedupe_key="demo.welcome")
    db.session.commit()

"""Small factories for tests: ``make.foundation()``, ``make.person(...)``, ``make.team(...)``."""
from __future__ import annotations

import itertools
from datetime import date

from core.auth.passwords import hash_password
from core.models import Foundation, Person, Team
from core.people.accounts import grant_role


class Factory:
    PASSWORD = "correct horse battery staple"
    _hash = None
    _seq = itertools.count(1)

    def __init__(self, db):
        self.db = db

    @classmethod
    def password_hash(cls) -> str:
        if cls._hash is None:
            cls._hash = hash_password(cls.PASSWORD)
        return cls._hash

    def foundation(self, slug: str | None = None, name: str | None = None) -> Foundation:
        n = next(self._seq)
        foundation = Foundation(slug=slug or f"f{n}", name=name or f"Foundation {n}")
        self.db.session.add(foundation)
        self.db.session.commit()
        return foundation

    def team(self, foundation: Foundation, name: str | None = None, manager: Person | None = None, **fields) -> Team:
        team = Team(foundation_id=foundation.id, name=name or f"Team {next(self._seq)}",
                    manager_id=manager.id if manager else None, **fields)
        self.db.session.add(team)
        self.db.session.commit()
        return team

    def person(self, foundation: Foundation, team: Team | None = None, role: str | None = None, **fields) -> Person:
        n = next(self._seq)
        values = {
            "first_name": f"Test{n}", "last_name": f"Person{n}", "email": f"person{n}@example.test",
            "status": "active", "person_type": "employee", "start_date": date(2024, 1, 1),
            "password_hash": self.password_hash(),
        }
        values.update(fields)
        person = Person(foundation_id=foundation.id, team_id=team.id if team else None, **values)
        self.db.session.add(person)
        self.db.session.flush()
        if role == "group_admin":
            grant_role(person, "group_admin")
        elif role == "hr_admin":
            grant_role(person, "hr_admin", foundation)
        self.db.session.commit()
        return person

    def manager(self, foundation: Foundation, team: Team | None = None) -> Person:
        team = team or self.team(foundation)
        person = self.person(foundation, team)
        team.manager_id = person.id
        self.db.session.commit()
        return person

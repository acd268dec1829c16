"""Accounts: roles and administrators."""
from __future__ import annotations

from sqlalchemy import func, select

from core.auth.passwords import hash_password, password_problem
from core.extensions import db
from core.models import Foundation, Person, RoleAssignment


def grant_role(person: Person, role: str, foundation: Foundation | None = None) -> RoleAssignment:
    foundation_id = foundation.id if foundation is not None else None
    existing = db.session.scalar(
        select(RoleAssignment).where(
            RoleAssignment.person_id == person.id, RoleAssignment.role == role, RoleAssignment.foundation_id.is_(foundation_id)
            if foundation_id is None else RoleAssignment.foundation_id == foundation_id,
        )
    )
    if existing:
        return existing
    assignment = RoleAssignment(person_id=person.id, role=role, foundation_id=foundation_id)
    db.session.add(assignment)
    return assignment


def make_group_admin(foundation: Foundation, email: str, first_name: str, last_name: str, password: str) -> Person:
    email = email.strip().lower()
    problem = password_problem(password, email)
    if problem:
        raise ValueError(problem)
    person = db.session.scalar(select(Person).where(func.lower(Person.email) == email))
    if person is None:
        person = Person(foundation_id=foundation.id, email=email, first_name=first_name, last_name=last_name, status="active")
        db.session.add(person)
    person.password_hash = hash_password(password)
    db.session.flush()
    grant_role(person, "group_admin")
    db.session.commit()
    return person

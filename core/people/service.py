"""People and teams: creating and changing them, with their rules, audit and lifecycle events.

The views, the CSV import and the CLI all go through here, so every rule lives in one place.
Each public change runs in one transaction; its lifecycle events fire after the commit.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import contextmanager
from decimal import Decimal

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from core import audit, events
from core.auth import invitations
from core.extensions import db
from core.models import PERSON_STATUSES, PERSON_TYPES, REGIONS, Invitation, Person, RoleAssignment, Team
from core.notifications import privacy as notification_privacy
from core.notifications.mail import queue_mail
from core.plugins import plugin_manager

PERSON_FIELDS = (
    "first_name", "last_name", "email", "person_type", "status", "team_id", "employee_number",
    "job_title", "start_date", "end_date", "contract_hours", "locale",
)
REQUIRED_FIELDS = ("first_name", "last_name", "email")
TEAM_FIELDS = ("name", "region", "parent_id", "manager_id")
MAX_CONTRACT_HOURS = Decimal(60)  # the Working Hours Act's weekly maximum
_CHUNK = 500  # bound for IN (...) lists


class Invalid(ValueError):
    """The change breaks a rule; ``errors`` maps field names to messages. Nothing was saved."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


# -- rules ----------------------------------------------------------------------------------------

def _max_length(name: str) -> int | None:
    column = Person.__table__.c.get(name)
    return getattr(column.type, "length", None) if column is not None else None


def _email_problem(email: str) -> str | None:
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return _("Enter a valid e-mail address.")
    return None


def rule_problems(values: dict, check_email_format: bool = True) -> dict[str, str]:
    """Problems of one person's values that need no database."""
    problems = {}
    for name, value in values.items():
        limit = _max_length(name)
        if isinstance(value, str) and limit and len(value) > limit:
            problems[name] = _("At most %(n)d characters.", n=limit)
    for name in REQUIRED_FIELDS:
        if not values.get(name):
            problems[name] = _("This field is required.")
    if check_email_format and "email" not in problems and (problem := _email_problem(values["email"])):
        problems["email"] = problem
    if values.get("person_type") not in PERSON_TYPES:
        problems["person_type"] = _("Choose one of: %(choices)s.", choices=", ".join(PERSON_TYPES))
    if values.get("status") not in PERSON_STATUSES:
        problems["status"] = _("Choose one of: %(choices)s.", choices=", ".join(PERSON_STATUSES))
    if values.get("locale") not in current_app.config["LANGUAGES"]:
        problems["locale"] = _("Choose one of: %(choices)s.", choices=", ".join(current_app.config["LANGUAGES"]))
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        problems["end_date"] = _("The end date is before the start date.")
    hours = values.get("contract_hours")
    if hours is not None and not 0 <= hours <= MAX_CONTRACT_HOURS:
        problems["contract_hours"] = _("Contract hours must be between 0 and %(max)d.", max=MAX_CONTRACT_HOURS)
    return problems


def _chunks(items: list) -> Iterable[list]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def taken_emails(emails: Iterable[str], except_person_id: int | None = None) -> set[str]:
    """Those of ``emails`` (lower case) that someone already uses, in any foundation."""
    taken = set()
    for chunk in _chunks(sorted(set(emails))):
        query = select(func.lower(Person.email)).where(func.lower(Person.email).in_(chunk))
        if except_person_id is not None:
            query = query.where(Person.id != except_person_id)
        taken.update(db.session.scalars(query.execution_options(all_tenants=True)))
    return taken


def taken_employee_numbers(foundation_id: int, numbers: Iterable[str], except_person_id: int | None = None) -> set[str]:
    """Those of ``numbers`` already used in the foundation."""
    taken = set()
    for chunk in _chunks(sorted(set(numbers))):
        query = select(Person.employee_number).where(
            Person.foundation_id == foundation_id, Person.employee_number.in_(chunk)
        )
        if except_person_id is not None:
            query = query.where(Person.id != except_person_id)
        taken.update(db.session.scalars(query.execution_options(all_tenants=True)))
    return taken


def _team_of(foundation_id: int, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    return db.session.scalar(
        select(Team).where(Team.id == team_id, Team.foundation_id == foundation_id).execution_options(all_tenants=True)
    )


def person_problems(foundation_id: int, values: dict, person: Person | None = None) -> dict[str, str]:
    """Every rule for one person, including uniqueness and the team's foundation."""
    # An address already on file is not re-judged: only a new or changed one must be valid.
    new_email = person is None or values["email"] != normalise_email(person.email)
    problems = rule_problems(values, check_email_format=new_email)
    except_id = person.id if person is not None else None
    if "email" not in problems and taken_emails([values["email"]], except_id):
        problems["email"] = _("This e-mail address is already in use.")
    number = values.get("employee_number")
    if number and taken_employee_numbers(foundation_id, [number], except_id):
        problems["employee_number"] = _("This employee number is already in use in this foundation.")
    if values.get("team_id") is not None and _team_of(foundation_id, values["team_id"]) is None:
        problems["team_id"] = _("Choose a team of this foundation.")
    return problems


def clean_person_values(values: dict) -> dict:
    """Known fields only; e-mail in lower case, blank text as None."""
    cleaned = {}
    for name in PERSON_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if isinstance(value, str):
            value = value.strip() or None
        cleaned[name] = value
    cleaned["email"] = normalise_email(values.get("email"))
    cleaned.setdefault("person_type", "employee")
    cleaned.setdefault("status", "active")
    cleaned["locale"] = cleaned.get("locale") or "nl"
    return cleaned


# -- people ---------------------------------------------------------------------------------------

def new_person(foundation_id: int, values: dict) -> Person:
    """Add a checked person to the session and queue ``person_hired``; the caller commits."""
    person = Person(foundation_id=foundation_id, **values)
    db.session.add(person)
    events.fire("person_hired", foundation_id, person=person)
    return person


@contextmanager
def _races_as_invalid(recheck):
    """A unique constraint hit by a concurrent change becomes the field errors ``recheck`` finds."""
    try:
        yield
    except IntegrityError:
        db.session.rollback()
        problems = recheck()
        if problems:
            raise Invalid(problems) from None
        raise


def create_person(foundation_id: int, values: dict, actor=None) -> Person:
    values = clean_person_values(values)
    problems = person_problems(foundation_id, values)
    if problems:
        raise Invalid(problems)
    person = new_person(foundation_id, values)
    with _races_as_invalid(lambda: person_problems(foundation_id, values)):
        db.session.flush()
        audit.record("person.created", person, actor=actor,
                     details={"fields": sorted(k for k, v in values.items() if v is not None)})
        events.commit()
    return person


def update_person(person: Person, values: dict, actor=None) -> list[str]:
    """Apply ``values`` (fields left out keep their value); returns the names of the changed fields."""
    values = clean_person_values({name: getattr(person, name) for name in PERSON_FIELDS} | values)
    problems = person_problems(person.foundation_id, values, person)
    if problems:
        raise Invalid(problems)
    old_team, old_end = person.team, person.end_date
    changed = [name for name, value in values.items() if getattr(person, name) != value]
    if not changed:
        return []
    changes = {name: (getattr(person, name), values[name]) for name in changed}
    for name in changed:
        setattr(person, name, values[name])
    events.fire("person_changed", person.foundation_id, person=person, changes=changes)
    if "team_id" in changed:
        person.team = _team_of(person.foundation_id, person.team_id)
        events.fire("person_transferred", person.foundation_id, person=person, from_team=old_team, to_team=person.team)
    if old_end is None and person.end_date is not None:
        if person.status != "left":
            person.status = "leaving"
            if "status" not in changed:
                changed.append("status")
        events.fire("person_leaving", person.foundation_id, person=person)
    audit.record("person.updated", person, actor=actor, details={"fields": sorted(changed)})
    with _races_as_invalid(lambda: person_problems(person.foundation_id, values, person)):
        events.commit()
    return changed


def set_login_enabled(person: Person, enabled: bool, actor=None) -> None:
    """Switch a person's login on or off; either way their open sessions end."""
    person.login_enabled = enabled
    person.end_sessions()
    audit.record("person.login_enabled" if enabled else "person.login_disabled", person, actor=actor)
    db.session.commit()


def issue_link(person: Person, purpose: str, actor) -> str:
    """A welcome or password-reset link, e-mailed to the person in their language; the audit
    trail names the purpose, never the token."""
    url = invitations.issue(person, purpose, created_by=actor)
    subject = _l("Welcome to Journey") if purpose == "welcome" else _l("Set a new password for Journey")
    queue_mail(person, subject, "invitation", url=url, purpose=purpose, days=current_app.config["INVITATION_DAYS"])
    audit.record("invitation.issued", person, actor=actor, details={"purpose": purpose})
    db.session.commit()
    return url


def privacy_export(person: Person, actor=None) -> str:
    """Everything held about ``person`` as JSON: core's data and each installed plugin's, by key."""
    hook = plugin_manager().all_hooks().privacy_export  # ungated: data stays when a plugin is off
    data = {
        "person": {name: getattr(person, name) for name in PERSON_FIELDS if name != "team_id"}
        | {"id": person.id, "foundation": person.foundation.slug, "team": person.team.name if person.team else None,
           "created_at": person.created_at, "last_login_at": person.last_login_at},
        "roles": [
            {"role": role, "foundation_id": fid}
            for role, fid in db.session.execute(
                select(RoleAssignment.role, RoleAssignment.foundation_id).where(RoleAssignment.person_id == person.id)
            )
        ],
        "notifications": notification_privacy.export_person(person),
        "plugins": {impl.plugin_name: impl.function(person=person) for impl in hook.get_hookimpls()
                    if not (impl.hookwrapper or impl.wrapper)},
    }
    audit.record("person.privacy_exported", person, actor=actor)
    db.session.commit()
    return json.dumps(data, default=str, indent=2, ensure_ascii=False, sort_keys=True)


ERASED_NAME = "—"


def privacy_erase(person: Person, actor) -> None:
    """Erase what Journey holds about ``person``, in one transaction: every installed plugin's data
    (switched on or not), notifications and e-mails, links and roles; the person row stays, without
    anything that identifies them, so counts and audit history still add up."""
    plugin_manager().all_hooks().privacy_erase(person=person)
    notification_privacy.erase_person(person)
    for model in (Invitation, RoleAssignment):
        db.session.execute(delete(model).where(model.person_id == person.id), execution_options={"synchronize_session": False})
    db.session.execute(update(Team).where(Team.manager_id == person.id).values(manager_id=None)
                       .execution_options(synchronize_session=False, all_tenants=True))
    person.first_name, person.last_name = ERASED_NAME, ERASED_NAME
    person.email = f"erased-{person.id}@erased.invalid"
    person.employee_number = person.job_title = person.password_hash = None
    person.login_enabled, person.status = False, "left"
    person.end_sessions()
    audit.record("person.erased", person, actor=actor)
    db.session.commit()


# -- teams ----------------------------------------------------------------------------------------

def _descendant_ids(foundation_id: int, team_id: int) -> set[int]:
    """Ids of the teams below ``team_id`` (one query for the whole foundation's tree)."""
    children: dict[int, list[int]] = {}
    rows = db.session.execute(
        select(Team.id, Team.parent_id).where(Team.foundation_id == foundation_id).execution_options(all_tenants=True)
    )
    for child, parent in rows:
        children.setdefault(parent, []).append(child)
    found, todo = set(), [team_id]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def team_problems(foundation_id: int, values: dict, team: Team | None = None) -> dict[str, str]:
    problems = {}
    name = values.get("name")
    if not name:
        problems["name"] = _("Enter a name.")
    else:
        same_name = select(Team.id).where(Team.foundation_id == foundation_id, func.lower(Team.name) == name.lower())
        if team is not None:
            same_name = same_name.where(Team.id != team.id)
        if db.session.scalar(same_name.execution_options(all_tenants=True).limit(1)) is not None:
            problems["name"] = _("This foundation already has a team with this name.")
    if values.get("region") is not None and values["region"] not in REGIONS:
        problems["region"] = _("Choose one of: %(choices)s.", choices=", ".join(REGIONS))
    parent_id = values.get("parent_id")
    if parent_id is not None:
        if _team_of(foundation_id, parent_id) is None:
            problems["parent_id"] = _("Choose a team of this foundation.")
        elif team is not None and (parent_id == team.id or parent_id in _descendant_ids(foundation_id, team.id)):
            problems["parent_id"] = _("A team cannot be placed under itself or one of its own teams.")
    manager_id = values.get("manager_id")
    if manager_id is not None:
        manager = db.session.get(Person, manager_id, execution_options={"all_tenants": True})
        if manager is None or manager.foundation_id != foundation_id:
            problems["manager_id"] = _("Choose a person of this foundation.")
    return problems


def find_person(foundation_id: int, reference: str) -> Person | None:
    """The person of the foundation with this e-mail address or, failing that, employee number."""
    reference = reference.strip()
    for condition in (func.lower(Person.email) == reference.lower(), Person.employee_number == reference):
        person = db.session.scalar(
            select(Person).where(Person.foundation_id == foundation_id, condition).execution_options(all_tenants=True)
        )
        if person is not None:
            return person
    return None


def _clean_team_values(values: dict) -> dict:
    cleaned = {}
    for name in TEAM_FIELDS:
        value = values.get(name)
        cleaned[name] = (value.strip() or None) if isinstance(value, str) else value
    return cleaned


def create_team(foundation_id: int, values: dict, actor=None) -> Team:
    values = _clean_team_values(values)
    problems = team_problems(foundation_id, values)
    if problems:
        raise Invalid(problems)
    team = Team(foundation_id=foundation_id, **values)
    db.session.add(team)
    db.session.flush()
    audit.record("team.created", team, actor=actor, details={"fields": sorted(k for k, v in values.items() if v is not None)})
    db.session.commit()
    return team


def update_team(team: Team, values: dict, actor=None) -> list[str]:
    """Apply ``values`` (fields left out keep their value); returns the names of the changed fields."""
    values = _clean_team_values({name: getattr(team, name) for name in TEAM_FIELDS} | values)
    problems = team_problems(team.foundation_id, values, team)
    if problems:
        raise Invalid(problems)
    changed = [name for name, value in values.items() if getattr(team, name) != value]
    if changed:
        for name in changed:
            setattr(team, name, values[name])
        audit.record("team.updated", team, actor=actor, details={"fields": sorted(changed)})
        db.session.commit()
    return changed

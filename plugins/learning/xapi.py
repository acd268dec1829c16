"""xAPI 1.0.3: statements from e-learning content become training records.

A foundation's e-learning posts statements with a token HR created for it (``Authorization:
Bearer <token>``, or Basic with the token as user name or password). Only ``completed`` and
``passed`` about a known course activity, by a person of that foundation (``actor.mbox``), are
accepted; anything else is refused with the reason and nothing is stored. A batch is all or
nothing. The statement id makes a statement idempotent: a replay stores nothing new (and a
different statement under a known id is a conflict).
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core.api import Person, clock, commit_and_fire, db
from plugins.learning.catalogue import visible_to
from plugins.learning.models import ApiToken, Course, XapiStatement
from plugins.learning.records import create_record
from plugins.learning.vocabulary import FIRST_DATE, MAX_SCORE

VERSION = "1.0.3"
VERBS = ("http://adlnet.gov/expapi/verbs/completed", "http://adlnet.gov/expapi/verbs/passed")
TOKEN_PREFIX = "lrn_"
MAX_STATEMENTS = 500
# Properties the LRS sets itself: left out when comparing a replay with the stored statement.
LRS_PROPERTIES = ("stored", "authority", "version")
CENTS = Decimal("0.01")  # a record's score has two decimals


class StatementRejected(ValueError):
    """The request cannot be accepted; the message says why (answered with 400)."""


class StatementConflict(ValueError):
    """A known statement id arrived with different content (answered with 409)."""


# -- tokens ---------------------------------------------------------------------------------------

def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(foundation_id: int, name: str, actor) -> tuple[ApiToken, str]:
    """A new token; the secret is returned once and only its hash is kept."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(foundation_id=foundation_id, name=name, token_hash=token_hash(secret), hint=secret[:8],
                     created_by_id=actor.id if actor is not None else None)
    db.session.add(token)
    return token, secret


def _secret_from(header: str) -> str | None:
    scheme, _sep, value = (header or "").partition(" ")
    if scheme.lower() == "bearer":
        return value.strip() or None
    if scheme.lower() == "basic":
        try:
            user, _colon, password = base64.b64decode(value.strip(), validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return password or user or None
    return None


def authenticate(header: str) -> ApiToken | None:
    """The live token named by an Authorization header. Runs before any foundation is known,
    hence across foundations on purpose."""
    secret = _secret_from(header)
    if not secret:
        return None
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == token_hash(secret), ApiToken.revoked_at.is_(None))
        .execution_options(all_tenants=True)
    )
    if token is not None:
        token.last_used_at = clock.utcnow()
    return token


# -- statements -----------------------------------------------------------------------------------

@dataclass
class Accepted:
    statement_id: str
    content_hash: str
    person: Person
    course: Course
    completed_on: date
    score: Decimal | None


def _content_hash(statement: dict) -> str:
    canonical = {k: v for k, v in statement.items() if k not in LRS_PROPERTIES}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _statement_id(statement: dict, where: str) -> str:
    raw = statement.get("id")
    if raw is None:
        return str(uuid.uuid4())  # the LRS assigns one (xAPI 1.0.3, 2.2)
    try:
        return str(uuid.UUID(str(raw)))
    except ValueError:
        raise StatementRejected(f"{where}: id is not a UUID") from None


def _email(statement: dict, where: str) -> str:
    actor = statement.get("actor")
    mbox = actor.get("mbox") if isinstance(actor, dict) else None
    if not isinstance(mbox, str) or not mbox.lower().startswith("mailto:") or "@" not in mbox:
        raise StatementRejected(f"{where}: actor.mbox must be a mailto: address")
    return mbox[len("mailto:"):].strip().lower()


def _activity_id(statement: dict, where: str) -> str:
    verb = statement.get("verb")
    if not isinstance(verb, dict) or verb.get("id") not in VERBS:
        raise StatementRejected(f"{where}: verb must be one of {', '.join(VERBS)}")
    target = statement.get("object")
    if not isinstance(target, dict) or target.get("objectType", "Activity") != "Activity" or not isinstance(target.get("id"), str):
        raise StatementRejected(f"{where}: object must be an Activity with an id")
    return target["id"]


def _completed_on(statement: dict, where: str) -> date:
    raw = statement.get("timestamp")
    if raw is None:
        return clock.today()
    if not isinstance(raw, str):
        raise StatementRejected(f"{where}: timestamp must be an ISO 8601 date-time string")
    try:
        moment = datetime.fromisoformat(raw)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        day = moment.astimezone(clock.ZONE).date()
    except ValueError:
        raise StatementRejected(f"{where}: timestamp is not an ISO 8601 date-time") from None
    except OverflowError:  # its zone offset pushes it past an end of the calendar
        day = None
    if day is not None and day > clock.today():
        raise StatementRejected(f"{where}: timestamp lies in the future")
    if day is None or day < FIRST_DATE:
        raise StatementRejected(f"{where}: timestamp must lie between {FIRST_DATE.isoformat()} and now")
    return day


def _number(score: dict, name: str, where: str) -> Decimal | None:
    """``score[name]``: absent, or a JSON number (not a string, not true or false)."""
    value = score.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise StatementRejected(f"{where}: result.score.{name} must be a number")
    number = Decimal(str(value))
    if not number.is_finite():
        raise StatementRejected(f"{where}: result.score.{name} must be a finite number")
    return number


def _score(statement: dict, where: str) -> Decimal | None:
    """The record's score, from ``result.score``, checked by the xAPI rules: ``scaled`` within
    [-1, 1], ``min`` below ``max``, ``raw`` between them; ``raw`` also within what a record
    holds. ``raw`` is kept as it is, else ``scaled`` as a percentage."""
    result = statement.get("result")
    if result is None:
        return None
    if not isinstance(result, dict):
        raise StatementRejected(f"{where}: result must be an object")
    if result.get("success") is False:
        raise StatementRejected(f"{where}: result.success is false, which is not a completion")
    score = result.get("score")
    if score is None:
        return None
    if not isinstance(score, dict):
        raise StatementRejected(f"{where}: result.score must be an object")
    raw, scaled, low, high = (_number(score, name, where) for name in ("raw", "scaled", "min", "max"))
    if scaled is not None and not -1 <= scaled <= 1:
        raise StatementRejected(f"{where}: result.score.scaled must lie between -1 and 1")
    if low is not None and high is not None and low >= high:
        raise StatementRejected(f"{where}: result.score.min must be less than result.score.max")
    if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
        raise StatementRejected(f"{where}: result.score.raw must lie between result.score.min and max")
    if raw is not None and abs(raw) > MAX_SCORE:
        raise StatementRejected(f"{where}: result.score.raw must lie between -{MAX_SCORE} and {MAX_SCORE}")
    if raw is not None:
        return raw.quantize(CENTS)
    return (scaled * 100).quantize(CENTS) if scaled is not None else None


def parse(body, foundation_id: int) -> list[Accepted]:
    """Check a request body (one statement or a list); every statement must pass."""
    statements = body if isinstance(body, list) else [body]
    if not statements or not all(isinstance(s, dict) for s in statements):
        raise StatementRejected("the body must be a statement object or a non-empty array of them")
    if len(statements) > MAX_STATEMENTS:
        raise StatementRejected(f"at most {MAX_STATEMENTS} statements per request")
    checked = []
    for index, statement in enumerate(statements):
        where = f"statement {index}"
        checked.append((_statement_id(statement, where), _email(statement, where), _activity_id(statement, where),
                        _completed_on(statement, where), _score(statement, where), _content_hash(statement), where))
    ids = [c[0] for c in checked]
    if len(set(ids)) != len(ids):
        raise StatementRejected("the same statement id appears twice in the request")
    people = {
        p.email.lower(): p for p in db.session.scalars(
            select(Person).where(Person.foundation_id == foundation_id, Person.status != "left",
                                 func.lower(Person.email).in_({c[1] for c in checked}))
        )
    }
    courses = {
        c.xapi_activity_id: c for c in db.session.scalars(
            select(Course).where(visible_to(Course, foundation_id), Course.active.is_(True),
                                 Course.xapi_activity_id.in_({c[2] for c in checked}))
        )
    }
    accepted = []
    for statement_id, email, activity, completed_on, score, content_hash, where in checked:
        if email not in people:
            raise StatementRejected(f"{where}: unknown actor {email}")
        if activity not in courses:
            raise StatementRejected(f"{where}: unknown activity {activity}")
        accepted.append(Accepted(statement_id, content_hash, people[email], courses[activity], completed_on, score))
    return accepted


def store(accepted: list[Accepted], foundation_id: int, retry: bool = True) -> list[str]:
    """Make a record for each new statement, in one transaction; replays are skipped. Returns the
    statement ids."""
    known = dict(db.session.execute(
        select(XapiStatement.statement_id, XapiStatement.content_hash)
        .where(XapiStatement.foundation_id == foundation_id, XapiStatement.statement_id.in_([a.statement_id for a in accepted]))
    ).all())
    for item in accepted:
        if item.statement_id in known and known[item.statement_id] != item.content_hash:
            raise StatementConflict(f"statement {item.statement_id} was stored before with different content")
    for item in accepted:
        if item.statement_id in known:
            continue
        record = create_record(item.person, item.course, item.completed_on, "xapi", score=item.score)
        db.session.add(XapiStatement(foundation_id=foundation_id, statement_id=item.statement_id,
                                     content_hash=item.content_hash, record_id=record.id, person_id=item.person.id))
    try:
        commit_and_fire()
    except IntegrityError:  # the same statement arrived in a parallel request: it is stored once
        db.session.rollback()
        if not retry:
            raise
        return store(accepted, foundation_id, retry=False)
    return [item.statement_id for item in accepted]

"""Valid requests to start from, for endpoints a form on a page does not describe: JSON APIs with
their own credentials. The fuzzer mutates these; an endpoint without a seed still gets hostile JSON
and forms, but rarely gets past its checks of credentials and shape.

A seed is a function of the world, run once after the demo is seeded, that returns a list of
``Seed``; it is registered under the endpoint's name in ``SEEDS``.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from core.extensions import db
from core.models import Person


@dataclass
class Seed:
    method: str
    url: str
    body: object
    headers: dict[str, str] = field(default_factory=dict)
    foundation_id: int | None = None  # whose credentials the headers carry
    renew: Callable | None = None  # ``renew(body, n)``: the body made new, so a replay is not all it meets


def xapi_statements(world) -> list[Seed]:
    """A completed statement per foundation with learning on, with a token of that foundation, by
    one of its people, about one of its e-learning courses."""
    try:
        from plugins.learning import xapi
        from plugins.learning.models import Course
    except ImportError:  # learning is not installed
        return []
    seeds = []
    for foundation_id in sorted(world.foundations):
        person = db.session.scalar(select(Person).where(Person.foundation_id == foundation_id,
                                                        Person.status == "active").order_by(Person.id))
        course = db.session.scalar(select(Course).where(Course.xapi_activity_id.is_not(None),
                                                        Course.foundation_id.in_([foundation_id]))
                                   .order_by(Course.id))
        if course is None:
            course = db.session.scalar(select(Course).where(Course.xapi_activity_id.is_not(None)).order_by(Course.id))
        if person is None or course is None:
            continue
        _token, secret = xapi.create_token(foundation_id, "fuzz", None)
        statement = {
            "id": str(uuid.UUID(int=foundation_id)),
            "actor": {"objectType": "Agent", "mbox": f"mailto:{person.email}", "name": person.first_name},
            "verb": {"id": xapi.VERBS[0], "display": {"en-US": "completed"}},
            "object": {"objectType": "Activity", "id": course.xapi_activity_id},
            "result": {"success": True, "completion": True, "score": {"raw": 80, "scaled": 0.8}},
            "timestamp": "2026-03-01T10:00:00+01:00",
        }
        headers = {"Authorization": f"Bearer {secret}", "X-Experience-API-Version": xapi.VERSION}
        url = "/learning/xapi/statements"
        seeds += [Seed("POST", url, statement, headers, foundation_id, _new_statement_id),
                  Seed("POST", url, [statement], headers, foundation_id, _new_statement_id),
                  Seed("PUT", f"{url}?statementId={statement['id']}", statement, headers, foundation_id)]
    db.session.commit()
    return seeds


def _new_statement_id(body, n: int):
    """A statement id never sent before: a known id with other content is only a conflict."""
    new = str(uuid.UUID(int=2**64 + n))
    if isinstance(body, dict):
        return {**body, "id": new} if "id" in body else body
    if isinstance(body, list):
        return [_new_statement_id(item, n * 1000 + i) for i, item in enumerate(body)]
    return body


SEEDS: dict[str, Callable] = {"learning.xapi_statements": xapi_statements}

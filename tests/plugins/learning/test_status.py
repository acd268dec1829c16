"""The compliance status rule: its edges, expiry arithmetic at month ends, and the SQL version
agreeing with the Python one."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from plugins.learning import compliance
from plugins.learning.compliance import NEVER, Scope, status_of
from plugins.learning.models import Course
from plugins.learning.records import expiry_for
from tests.plugins.learning import support

TODAY = date(2026, 3, 15)


@pytest.mark.parametrize("expiry, grace, expected", [
    (TODAY + timedelta(days=91), TODAY + timedelta(days=121), "compliant"),
    (TODAY + timedelta(days=90), TODAY + timedelta(days=120), "expiring"),  # exactly 90 days left
    (TODAY, TODAY + timedelta(days=30), "expiring"),  # the expiry day is the last valid day
    (TODAY - timedelta(days=1), TODAY + timedelta(days=29), "expired"),  # the day after: in grace
    (TODAY - timedelta(days=30), TODAY, "expired"),  # the last day of grace
    (TODAY - timedelta(days=31), TODAY - timedelta(days=1), "overdue"),  # grace over
    (TODAY - timedelta(days=1), TODAY - timedelta(days=1), "overdue"),  # no grace days at all
    (NEVER, NEVER, "compliant"),  # a course without validity never expires
])
def test_status_of_a_record(expiry, grace, expected):
    assert status_of(expiry, grace, date(2020, 1, 1), 0, TODAY) == expected


@pytest.mark.parametrize("start, within, expected", [
    (TODAY - timedelta(days=29), 30, "missing"),  # still inside "within 30 days of the start"
    (TODAY - timedelta(days=30), 30, "missing"),  # the deadline day itself
    (TODAY - timedelta(days=31), 30, "overdue"),
    (TODAY + timedelta(days=7), 0, "missing"),  # a newcomer who has not started
    (TODAY, 0, "missing"),
    (None, 90, "overdue"),  # no start date: the deadline has passed
])
def test_status_without_a_record_follows_the_deadline(start, within, expected):
    assert status_of(None, None, start, within, TODAY) == expected


def test_a_lapsed_certificate_of_a_newcomer_is_missing_until_the_deadline():
    lapsed = TODAY - timedelta(days=400)
    assert status_of(lapsed, lapsed, TODAY - timedelta(days=5), 30, TODAY) == "missing"
    assert status_of(lapsed, lapsed, TODAY - timedelta(days=50), 30, TODAY) == "overdue"


@pytest.mark.parametrize("completed, months, expected", [
    (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year: the month end clamps
    (date(2023, 1, 31), 1, date(2023, 2, 28)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2025, 8, 31), 6, date(2026, 2, 28)),
    (date(2025, 3, 15), 12, date(2026, 3, 15)),
])
def test_expiry_adds_calendar_months(completed, months, expected):
    expires, grace = expiry_for(Course(validity_months=months, grace_days=10), completed)
    assert expires == expected
    assert grace == expected + timedelta(days=10)


def test_no_validity_means_no_expiry():
    assert expiry_for(Course(validity_months=None, grace_days=30), date(2025, 1, 1)) == (None, None)


def test_sql_status_agrees_with_the_python_rule(org, db):
    """Every edge above, stored as records, counted by the database, matches status_of."""
    from core.models import Person

    bhv = support.course(code="BHV", validity_months=12, grace_days=30)
    avg = support.course(code="AVG", validity_months=None, grace_days=0)
    req_bhv = support.requirement(org.foundation, [bhv], "BHV", within_days=30)
    req_avg = support.requirement(org.foundation, [avg], "AVG", within_days=0)
    cases = [  # (start date, BHV completed, AVG completed)
        (date(2020, 1, 1), TODAY - timedelta(days=100), None),
        (date(2020, 1, 1), TODAY - timedelta(days=300), TODAY),
        (date(2020, 1, 1), TODAY - timedelta(days=365), None),
        (date(2020, 1, 1), TODAY - timedelta(days=366), None),
        (date(2020, 1, 1), TODAY - timedelta(days=395), None),
        (date(2020, 1, 1), TODAY - timedelta(days=396), None),
        (TODAY - timedelta(days=30), None, None),
        (TODAY - timedelta(days=31), None, None),
        (None, None, None),
    ]
    people = []
    for n, (start, bhv_on, avg_on) in enumerate(cases):
        person = Person(foundation_id=org.foundation.id, first_name="Case", last_name=str(n), email=f"case{n}@example.test",
                        start_date=start, status="active", person_type="employee")
        db.session.add(person)
        db.session.commit()
        people.append(person)
        if bhv_on:
            support.record(person, bhv, bhv_on)
        if avg_on:
            support.record(person, avg, avg_on)
    scope = Scope(org.foundation.id, q="Case")
    requirements = compliance.requirements_of(org.foundation.id)
    cells = compliance.cells_for(scope, [p.id for p in people], TODAY)
    expected = {}
    for person in people:
        for requirement in (req_bhv, req_avg):
            status = cells[person.id][requirement.id].status
            expected.setdefault(requirement.id, []).append(status)
    counted = compliance.counts(scope, requirements, TODAY)
    for requirement_id, statuses in expected.items():
        assert dict(counted[requirement_id]) == {s: statuses.count(s) for s in set(statuses)}
    assert set(expected[req_bhv.id]) == {"compliant", "expiring", "expired", "overdue", "missing"}

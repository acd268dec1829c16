"""Fixtures for the flexwork tests: a foundation with the plugin on, the secretariat team with its
manager, two secretaries, a colleague, HR, and helpers to give people agreements."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta

from core.api import clock
from core.models import Foundation, Person, Team
from core.testing import querycount
from plugins.flexwork.agreements import Terms, change_from
from plugins.flexwork.pattern import Block, parse_time

SINCE = date(2024, 1, 1)


def day_blocks(days, start="08:30", end="17:00", place="office") -> tuple[Block, ...]:
    return tuple(Block(d, parse_time(start), parse_time(end), place) for d in days)


def give_agreement(db, person, days, hours=24, since=SINCE, **kwargs):
    agreement = change_from(person, Terms(Decimal(hours), Decimal(0), day_blocks(days, **kwargs)), since)
    db.session.commit()
    return agreement


def start_in_time(today: date | None = None) -> date:
    """A Monday more than two months away: a request for it today is in time."""
    day = (today or clock.today()) + relativedelta(months=2, days=7)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def pattern_form(blocks, **fields) -> dict:
    """Form data for the request form: the pattern rows plus ``fields``."""
    data = {"changes": "times", "contract_hours": "24", "flex_hours": "0", "action": "submit"}
    for index, block in enumerate(blocks):
        data[f"blocks-{index}-day"] = str(block[0])
        data[f"blocks-{index}-start"] = block[1]
        data[f"blocks-{index}-end"] = block[2]
        data[f"blocks-{index}-place"] = block[3] if len(block) > 3 else "office"
        if len(block) > 4 and block[4]:
            data[f"blocks-{index}-overnight"] = "y"
    data.update(fields)
    return data


@dataclass
class Org:
    foundation: Foundation
    team: Team
    manager: Person
    anna: Person
    bert: Person
    colleague: Person
    hr: Person
    other_team: Team
    other_manager: Person
    outsider_foundation: Foundation
    outsider: Person


@pytest.fixture
def org(db, make, enable_plugin) -> Org:
    ggz = make.foundation("ggz", "GGZ")
    enable_plugin("flexwork", ggz)
    team = make.team(ggz, name="Secretariaat Zwolle")
    manager = make.manager(ggz, team)
    anna = make.person(ggz, team, first_name="Anna", last_name="Aalders", job_title="Secretaresse", start_date=date(2020, 1, 1))
    bert = make.person(ggz, team, first_name="Bea", last_name="Bos", job_title="Secretaresse", start_date=date(2020, 1, 1))
    colleague = make.person(ggz, team, first_name="Cees", last_name="Claassen", job_title="Psychiater")
    hr = make.person(ggz, role="hr_admin")
    other_team = make.team(ggz, name="Kliniek")
    other_manager = make.manager(ggz, other_team)
    welzijn = make.foundation("welzijn", "Welzijn")
    enable_plugin("flexwork", welzijn)
    outsider = make.manager(welzijn)
    give_agreement(db, anna, [0, 1, 2])
    give_agreement(db, bert, [0, 3, 4])
    return Org(ggz, team, manager, anna, bert, colleague, hr, other_team, other_manager, welzijn, outsider)


@pytest.fixture
def count_queries(db):
    return lambda: querycount.count_queries(db.engine)

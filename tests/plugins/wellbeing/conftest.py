"""Fixtures for the wellbeing tests: the clock on a Monday, an organisation with a running campaign,
and check-ins through the real service."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from core.models import utcnow
from plugins.wellbeing import checkin
from plugins.wellbeing.models import Campaign
from plugins.wellbeing.questions import DEFAULT_QUESTIONS
from plugins.wellbeing.settings import Settings

MONDAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def monday(clock):
    """Every wellbeing test starts on a Monday, the first day of a weekly period, with the clock
    standing still; a test moves it with ``clock.forward(days=...)``."""
    clock.set(MONDAY, tick=False)


def answers(value: int = 4, **overrides) -> dict[str, int]:
    return {key: overrides.get(key, value) for key in DEFAULT_QUESTIONS}


@dataclass
class Org:
    """A foundation with the plugin on, HR, and teams in divisions with members and a manager."""

    foundation: object
    hr: object
    teams: dict = field(default_factory=dict)
    members: dict = field(default_factory=dict)
    managers: dict = field(default_factory=dict)


@pytest.fixture
def org_factory(make, enable_plugin):
    def build(sizes: dict[str, tuple[str | None, int]], slug: str | None = None) -> Org:
        """``sizes``: team name -> (region, number of members besides the manager)."""
        foundation = make.foundation(slug)
        enable_plugin("wellbeing", foundation)
        org = Org(foundation=foundation, hr=make.person(foundation, role="hr_admin"))
        for name, (region, count) in sizes.items():
            team = make.team(foundation, name=name, region=region)
            org.teams[name] = team
            org.managers[name] = make.manager(foundation, team)
            org.members[name] = [make.person(foundation, team) for _ in range(count)]
        return org

    return build


@pytest.fixture
def campaign_factory(db, clock):
    def build(org: Org, teams=None, started: bool = True, **fields) -> Campaign:
        values = dict(name="Check-in", cadence="weekly", starts_on=clock.today(), ends_on=None,
                      questions=list(DEFAULT_QUESTIONS), comments_enabled=True, comment_scope="foundation")
        values.update(fields)
        campaign = Campaign(foundation_id=org.foundation.id, **values)
        campaign.teams = list(teams if teams is not None else org.teams.values())
        if started:
            campaign.works_council_agreed = campaign.dpia_on_file = True
            campaign.confirmed_by_id, campaign.confirmed_at = org.hr.id, utcnow()
        db.session.add(campaign)
        db.session.commit()
        return campaign

    return build


@pytest.fixture
def check_ins(db, clock):
    """``check_ins(campaign, people, value_or_answers, comment=None)``: everyone checks in today."""

    def run(campaign, people, given=4, comment=None, settings: Settings | None = None):
        period = checkin.ensure_period(campaign, clock.today())
        db.session.commit()
        for person in people:
            values = given if isinstance(given, dict) else answers(given)
            checkin.check_in(person, period, values, comment, settings or Settings())
        return period

    return run


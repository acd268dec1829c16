"""Agreement history, demo and benchmark data, and the privacy hooks."""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from core.api import clock
from core.demo import seed_demo_organisation
from core.models import Foundation, Person, Team
from core.plugins import plugin_manager
from plugins.flexwork import request_flow
from plugins.flexwork.agreements import Terms, agreement_on, change_from, history
from plugins.flexwork.models import Agreement, CoverageRule, FeedKey, FlexRequest, Swap
from tests.plugins.flexwork.conftest import day_blocks


def terms(days, hours=24):
    return Terms(Decimal(hours), Decimal(0), day_blocks(days))


def test_a_change_ends_the_agreement_in_force_the_day_before(org, db):
    change_from(org.colleague, terms([0]), date(2026, 1, 1))
    change_from(org.colleague, terms([1]), date(2026, 6, 1))
    db.session.commit()
    first, second = sorted(history(org.colleague.id), key=lambda a: a.valid_from)
    assert first.valid_to == date(2026, 5, 31) and second.valid_to is None


def test_a_temporary_change_resumes_the_earlier_terms(org, db):
    change_from(org.colleague, terms([0]), date(2026, 1, 1))
    change_from(org.colleague, terms([1]), date(2026, 6, 1), date(2026, 8, 31))
    db.session.commit()
    assert [b.day for b in agreement_on(org.colleague.id, date(2026, 7, 1)).blocks] == [1]
    resumed = agreement_on(org.colleague.id, date(2026, 9, 1))
    assert [b.day for b in resumed.blocks] == [0] and resumed.valid_to is None


def test_a_change_before_a_planned_one_stops_where_that_begins(org, db):
    change_from(org.colleague, terms([0]), date(2026, 1, 1))
    change_from(org.colleague, terms([2]), date(2026, 9, 1))
    change_from(org.colleague, terms([1]), date(2026, 6, 1))
    db.session.commit()
    assert agreement_on(org.colleague.id, date(2026, 8, 31)).valid_to == date(2026, 8, 31)
    assert [b.day for b in agreement_on(org.colleague.id, date(2026, 9, 1)).blocks] == [2]


def test_demo_data(app, db):
    seed_demo_organisation(plugin_manager(app))
    ggz = db.session.scalar(select(Team).where(Team.name == "Secretariaat Zwolle"))
    people_with_hours = db.session.scalar(select(func.count(Person.id)).where(
        Person.contract_hours.is_not(None), Person.foundation.has(slug="ggz")))
    agreements = db.session.scalar(select(func.count(func.distinct(Agreement.person_id))).where(Agreement.foundation_id == ggz.foundation_id))
    assert agreements == people_with_hours
    welzijn = db.session.scalar(select(Foundation.id).where(Foundation.slug == "welzijn"))
    assert db.session.scalar(select(func.count(Agreement.id)).where(Agreement.foundation_id == welzijn)) == 0  # off there
    [rule] = db.session.scalars(select(CoverageRule).where(CoverageRule.team_id == ggz.id)).all()
    assert (rule.weekdays, rule.start_time, rule.end_time, rule.min_people) == ("01234", "08:30", "17:00", 1)
    states = dict(db.session.execute(select(FlexRequest.state, func.count(FlexRequest.id))
                                     .where(FlexRequest.foundation_id == ggz.foundation_id).group_by(FlexRequest.state)).all())
    assert states == {"submitted": 2, "deemed_granted": 1}
    secretary_request = db.session.scalar(
        select(FlexRequest).join(Person, Person.id == FlexRequest.person_id).where(Person.team_id == ggz.id))
    assert secretary_request.state == "submitted" and secretary_request.trial_weeks == 8
    today = clock.today()
    assert any(r.is_open and 0 <= (r.decision_deadline - today).days <= 7 for r in db.session.scalars(select(FlexRequest)))


def test_bench_data_in_bulk(org, db):
    people = [org.anna.id, org.bert.id, org.colleague.id, org.manager.id]
    db.session.execute(Agreement.__table__.delete())
    db.session.commit()
    plugin_manager().hook_for(org.foundation.id).seed_demo(foundation=org.foundation, people=people, rng=random.Random(1),
                                                            scale="bench")
    with_hours = db.session.scalar(select(func.count(Person.id)).where(Person.id.in_(people), Person.contract_hours.is_not(None)))
    assert db.session.scalar(select(func.count(Agreement.id))) == with_hours


def test_privacy_export_and_erase(app, org, db):
    request = request_flow.submit(org.bert, request_flow.Proposal(("times",), terms([2, 3, 4]), clock.today() + timedelta(days=90)),
                                  clock.today())
    db.session.add(Swap(foundation_id=org.foundation.id, team_id=org.team.id, requester_id=org.anna.id, partner_id=org.bert.id,
                        week_start=date(2027, 1, 4), requester_day=1, partner_day=4, state="proposed"))
    db.session.add(FeedKey(foundation_id=org.foundation.id, person_id=org.bert.id, key_hash="k" * 64))
    request_flow.approve(request, org.manager)
    db.session.commit()
    exported = plugin_manager(app).call_one("flexwork", "privacy_export", person=org.bert)[0]
    assert len(exported["agreements"]) == 2 and exported["requests"][0]["state"] == "approved"
    assert exported["swaps"][0]["role"] == "partner" and exported["calendar_subscription"] is True
    plugin_manager(app).all_hooks().privacy_erase(person=org.manager)  # the decider: their name goes from the decision
    plugin_manager(app).all_hooks().privacy_erase(person=org.bert)
    db.session.commit()
    assert db.session.scalar(select(func.count(Agreement.id)).where(Agreement.person_id == org.bert.id)) == 0
    assert db.session.scalar(select(func.count(FlexRequest.id))) == 0
    assert db.session.scalar(select(func.count(Swap.id))) == 0
    assert db.session.scalar(select(func.count(FeedKey.id))) == 0
    assert db.session.scalar(select(func.count(Agreement.id)).where(Agreement.person_id == org.anna.id)) == 1


def test_a_newcomer_sees_the_agreement_that_starts_on_the_first_day(org, db, make, client, login):
    first_day = clock.today() + timedelta(days=10)
    newcomer = make.person(org.foundation, org.team, first_name="Nina", start_date=first_day)
    change_from(newcomer, terms([0, 1]), first_day)
    db.session.commit()
    starts = f"Je werkafspraak gaat in op {first_day.day} "
    login(newcomer)
    for url in ("/flexwork/", "/"):  # the page and the dashboard card
        page = client.get(url, headers={"Accept-Language": "nl"}).get_data(as_text=True)
        assert starts in page and "nog geen werkafspraak" not in page, url
    login(org.hr)
    page = client.get(f"/people/{newcomer.id}", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert f"De werkafspraak gaat in op {first_day.day} " in page

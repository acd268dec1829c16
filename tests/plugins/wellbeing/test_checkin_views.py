"""The employee's pages: landing, check-in, thanks with signposting, support and talk requests."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from core.models import Notification
from plugins.wellbeing.models import AnswerCount, Participation, PendingAnswer, Period, SupportContact, TalkRequest
from plugins.wellbeing.questions import DEFAULT_QUESTIONS
from tests.plugins.wellbeing.conftest import answers


@pytest.fixture
def org(org_factory):
    return org_factory({"Alpha": ("Twente", 6), "Beta": ("IJssel-Vecht", 5)})


@pytest.fixture
def campaign(org, campaign_factory):
    return campaign_factory(org)


def form_data(period_id, values=None, comment=None) -> dict:
    data = {"period_id": str(period_id), **{k: str(v) for k, v in (values or answers()).items()}}
    if comment is not None:
        data["comment"] = comment
    return data


def open_period(client, campaign) -> int:
    response = client.get(f"/wellbeing/checkin/{campaign.id}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return int(response.get_data(as_text=True).split('name="period_id" type="hidden" value="')[1].split('"')[0])


def test_the_landing_page_offers_the_open_check_in(client, login, org, campaign):
    login(org.members["Alpha"][0])
    page = client.get("/wellbeing/")
    assert page.status_code == 200
    assert f'/wellbeing/checkin/{campaign.id}' in page.get_data(as_text=True)


def test_the_landing_page_says_when_one_has_checked_in(client, login, org, campaign, check_ins):
    person = org.members["Alpha"][0]
    check_ins(campaign, [person])
    login(person)
    html = client.get("/wellbeing/").get_data(as_text=True)
    assert "checkin-link" not in html and "wb-done" in html


def test_the_check_in_form_has_every_question_as_a_radio_group(client, login, org, campaign):
    login(org.members["Alpha"][0])
    html = client.get(f"/wellbeing/checkin/{campaign.id}").get_data(as_text=True)
    for key in DEFAULT_QUESTIONS:
        assert len(re.findall(rf'<input[^>]*name="{key}"[^>]*type="radio"', html)) == 5
    assert "<fieldset" in html and "<legend>" in html
    assert 'name="comment"' in html  # 13 people in the campaign: enough for comments


def waiting_answers(db) -> list[tuple[str, int]]:
    return sorted(tuple(row) for row in db.session.execute(select(PendingAnswer.question, PendingAnswer.value)))


def test_checking_in_keeps_the_answers_for_the_next_batch_and_thanks(client, login, db, org, campaign):
    person = org.members["Alpha"][0]
    login(person)
    period_id = open_period(client, campaign)
    response = client.post(f"/wellbeing/checkin/{campaign.id}", data=form_data(period_id, answers(4)))
    assert response.status_code == 302 and response.location.endswith("/wellbeing/thanks")
    assert waiting_answers(db) == sorted((key, 4) for key in DEFAULT_QUESTIONS)
    assert db.session.scalar(select(func.sum(AnswerCount.count))) is None  # counted with the batch
    thanks = client.get("/wellbeing/thanks").get_data(as_text=True)
    assert "checkin-thanks" in thanks and "wb-support-offer" not in thanks
    assert "minstens 5 mensen van je team" in thanks  # counted with a batch of the minimum group


def test_a_low_answer_offers_support_once_without_storing_it(client, login, db, org, campaign):
    db.session.add(SupportContact(foundation_id=org.foundation.id, kind="confidential_advisor", name="Vera Vertrouwen",
                                  how_to_reach="06-12345678"))
    db.session.commit()
    login(org.members["Alpha"][0])
    period_id = open_period(client, campaign)
    client.post(f"/wellbeing/checkin/{campaign.id}", data=form_data(period_id, answers(4, energy=1)))
    thanks = client.get("/wellbeing/thanks").get_data(as_text=True)
    assert "wb-support-offer" in thanks and "Vera Vertrouwen" in thanks and "06-12345678" in thanks
    assert "wb-support-offer" not in client.get("/wellbeing/thanks").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(TalkRequest)) == 0


def test_a_second_check_in_is_refused_kindly(client, login, db, org, campaign):
    login(org.members["Alpha"][0])
    period_id = open_period(client, campaign)
    client.post(f"/wellbeing/checkin/{campaign.id}", data=form_data(period_id))
    again = client.post(f"/wellbeing/checkin/{campaign.id}", data=form_data(period_id, answers(1)))
    assert again.status_code == 409
    assert 'data-reason="already"' in again.get_data(as_text=True)
    assert waiting_answers(db) == sorted((key, 4) for key in DEFAULT_QUESTIONS)
    page = client.get(f"/wellbeing/checkin/{campaign.id}")
    assert page.status_code == 409 and 'data-reason="already"' in page.get_data(as_text=True)


def test_missing_and_off_scale_answers_are_field_errors_and_count_nothing(client, login, db, org, campaign):
    login(org.members["Alpha"][0])
    period_id = open_period(client, campaign)
    data = form_data(period_id, answers(3, workload=7), comment="kept in the form")
    del data["energy"]
    response = client.post(f"/wellbeing/checkin/{campaign.id}", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="energy-error"' in html and 'id="workload-error"' in html
    assert "kept in the form" in html
    assert re.search(r'<input checked[^>]*name="go_home"[^>]*value="3"', html)  # what was chosen stays chosen
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 0
    assert waiting_answers(db) == [] and db.session.scalar(select(func.sum(AnswerCount.count))) is None


def test_a_check_in_posted_after_the_period_closed_is_refused(client, login, db, org, campaign, clock):
    login(org.members["Alpha"][0])
    period_id = open_period(client, campaign)
    clock.forward(days=7)
    response = client.post(f"/wellbeing/checkin/{campaign.id}", data=form_data(period_id))
    assert response.status_code == 409 and 'data-reason="closed"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 0


def test_a_period_of_another_campaign_cannot_be_posted_to(client, login, db, org, campaign, campaign_factory):
    other = campaign_factory(org, name="Other")
    login(org.members["Alpha"][0])
    other_period = open_period(client, other)
    response = client.post(f"/wellbeing/checkin/{campaign.id}", data=form_data(other_period))
    assert response.status_code == 400


def test_someone_outside_the_campaign_is_told_kindly(client, login, org, campaign_factory):
    campaign = campaign_factory(org, teams=[org.teams["Alpha"]])
    login(org.members["Beta"][0])
    response = client.get(f"/wellbeing/checkin/{campaign.id}")
    assert response.status_code == 409 and 'data-reason="not_eligible"' in response.get_data(as_text=True)


def test_another_foundations_campaign_is_not_found(client, login, org, org_factory, campaign_factory):
    other = org_factory({"Gamma": ("Twente", 5)})
    foreign = campaign_factory(other)
    login(org.members["Alpha"][0])
    assert client.get(f"/wellbeing/checkin/{foreign.id}").status_code == 404


def test_the_plugin_is_not_there_for_a_foundation_where_it_is_off(client, login, make):
    foundation = make.foundation()
    login(make.person(foundation, make.team(foundation)))
    assert client.get("/wellbeing/").status_code == 404


# -- support and talk requests --------------------------------------------------------------------

@pytest.fixture
def contacts(db, org):
    listener = org.members["Beta"][0]
    rows = [
        SupportContact(foundation_id=org.foundation.id, kind="confidential_advisor", name="Vera Vertrouwen",
                       person_id=listener.id),
        SupportContact(foundation_id=org.foundation.id, kind="company_doctor", name="Dokter Dijk",
                       how_to_reach="088-1234567"),
    ]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def test_the_support_page_lists_contacts_and_offers_requests_only_to_those_who_take_them(client, login, org, contacts):
    login(org.members["Alpha"][0])
    html = client.get("/wellbeing/support").get_data(as_text=True)
    assert "Vera Vertrouwen" in html and "Dokter Dijk" in html and "088-1234567" in html
    assert f'value="{contacts[0].id}"' in html and f'value="{contacts[1].id}"' not in html


def test_a_talk_request_names_the_person_to_the_chosen_contact_only(client, login, db, org, contacts):
    asker = org.members["Alpha"][0]
    login(asker)
    response = client.post("/wellbeing/support/talk", data={"contact_id": contacts[0].id, "message": "Evenings are best"})
    assert response.status_code == 302
    talk = db.session.scalar(select(TalkRequest))
    assert talk.person_id == asker.id and talk.contact_id == contacts[0].id
    assert set(TalkRequest.__table__.columns.keys()) == {
        "id", "foundation_id", "person_id", "contact_id", "message", "requested_on", "handled_on"}
    notes = db.session.scalars(select(Notification)).all()
    assert [n.person_id for n in notes] == [contacts[0].person_id]
    assert asker.full_name in notes[0].subject and "Evenings are best" in notes[0].body

    login(org.members["Beta"][0])
    inbox = client.get("/wellbeing/talk-requests").get_data(as_text=True)
    assert asker.full_name in inbox
    assert client.post(f"/wellbeing/talk-requests/{talk.id}/handled").status_code == 302
    db.session.expire_all()
    assert db.session.get(TalkRequest, talk.id).handled_on is not None


def test_nobody_else_sees_or_handles_a_talk_request(client, login, db, org, contacts):
    asker = org.members["Alpha"][0]
    login(asker)
    client.post("/wellbeing/support/talk", data={"contact_id": contacts[0].id})
    talk = db.session.scalar(select(TalkRequest))
    for person in (org.managers["Alpha"], org.hr, org.members["Alpha"][1]):
        login(person)
        assert asker.full_name not in client.get("/wellbeing/talk-requests").get_data(as_text=True)
        assert client.post(f"/wellbeing/talk-requests/{talk.id}/handled").status_code == 404


def test_a_talk_request_to_a_contact_without_a_person_is_a_field_error(client, login, db, org, contacts):
    login(org.members["Alpha"][0])
    response = client.post("/wellbeing/support/talk", data={"contact_id": contacts[1].id})
    assert response.status_code == 400 and 'id="contact-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(TalkRequest)) == 0


def test_the_dashboard_widget_points_to_the_open_check_in(client, login, org, campaign, check_ins):
    login(org.members["Alpha"][0])
    check_ins(campaign, [])  # the period exists
    html = client.get("/").get_data(as_text=True)
    assert f"/wellbeing/checkin/{campaign.id}" in html
    assert 'href="/wellbeing/"' in html  # the menu item


def test_periods_are_created_once_even_when_many_open_the_page(client, login, db, org, campaign):
    login(org.members["Alpha"][0])
    for _ in range(3):
        client.get(f"/wellbeing/checkin/{campaign.id}")
    assert db.session.scalar(select(func.count()).select_from(Period)) == 1

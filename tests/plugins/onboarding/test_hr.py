"""HR: the overview with filters and pages, journey changes (audited), starting by hand, figures."""

import re
from datetime import datetime, timedelta

from sqlalchemy import func, select

from core.models import AuditEvent
from plugins.onboarding import journeys
from plugins.onboarding.models import OnboardingFeedback, OnboardingJourney
from tests.plugins.onboarding.conftest import make_template, task, task_named


def _rows(page: str) -> list[str]:
    return re.findall(r'<tr data-journey="(\d+)">', page)


def _journey_for(make, db, org, template, start_date, **person):
    """A new person of ``org`` (in its team unless ``team`` says otherwise) with a journey from ``start_date``."""
    newcomer = make.person(org.foundation, person.pop("team", org.team), start_date=start_date, **person)
    started = journeys.start_journey(newcomer, template, start_date)
    db.session.commit()
    return started


def test_the_overview_filters_by_status_team_template_and_overdue(
    client, db, login, make, clock, org, template, journey
):
    other = make_template(db, org.foundation, [task("X", 1)], name="Secretariaat")
    late = _journey_for(make, db, org, other, clock.today(), team=org.other_team)
    late.tasks[0].due_date = clock.today() - timedelta(days=2)
    done = _journey_for(make, db, org, other, clock.today())
    done.status = "completed"
    db.session.commit()
    login(org.hr)
    assert set(_rows(client.get("/onboarding/hr/").get_data(as_text=True))) == {
        str(journey.id),
        str(late.id),
        str(done.id),
    }
    assert _rows(client.get("/onboarding/hr/?status=completed").get_data(as_text=True)) == [str(done.id)]
    assert _rows(client.get("/onboarding/hr/?team=secret").get_data(as_text=True)) == [str(late.id)]
    assert _rows(client.get(f"/onboarding/hr/?template={template.id}").get_data(as_text=True)) == [str(journey.id)]
    page = client.get("/onboarding/hr/?overdue=y").get_data(as_text=True)
    assert _rows(page) == [str(late.id)]
    assert re.search(r'<input[^>]*checked[^>]*name="overdue"', page)  # the filter stays as chosen


def test_the_overview_pages(app, client, db, login, make, clock, org, template):
    app.config["PAGE_SIZE"] = 2
    try:
        for n in range(5):
            _journey_for(make, db, org, template, clock.today() + timedelta(days=n))
        login(org.hr)
        first = _rows(client.get("/onboarding/hr/").get_data(as_text=True))
        third = client.get("/onboarding/hr/?page=3").get_data(as_text=True)
        assert len(first) == 2 and len(_rows(third)) == 1
        assert "Page 3 of 3" in third
    finally:
        app.config["PAGE_SIZE"] = 50


def test_hr_of_another_foundation_sees_only_their_own(client, db, login, org, journey):
    login(org.other_hr)
    assert _rows(client.get("/onboarding/hr/").get_data(as_text=True)) == []


def test_hr_changes_a_journey_and_each_change_is_audited(client, db, login, org, journey):
    talk, tour = task_named(journey, "Welkomstgesprek"), task_named(journey, "Rondleiding")
    login(org.hr)
    client.post(f"/onboarding/tasks/{talk.id}/reassign", data={f"r{talk.id}-email": org.other_manager.email})
    client.post(f"/onboarding/tasks/{tour.id}/skip")
    client.post(f"/onboarding/tasks/{tour.id}/reopen")
    new_start = journey.start_date + timedelta(days=7)
    client.post(f"/onboarding/journeys/{journey.id}/start-date", data={"start_date": new_start.isoformat()})
    db.session.expire_all()
    assert talk.assignee_id == org.other_manager.id and tour.status == "open" and journey.start_date == new_start
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.action.like("onboarding.%"), AuditEvent.actor_id == org.hr.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == [
        "onboarding.task_reassigned",
        "onboarding.task_skipped",
        "onboarding.task_reopened",
        "onboarding.journey_replanned",
    ]


def test_reassigning_to_an_unknown_address_keeps_the_input_and_changes_nothing(client, db, login, org, journey):
    talk = task_named(journey, "Welkomstgesprek")
    login(org.hr)
    response = client.post(f"/onboarding/tasks/{talk.id}/reassign", data={f"r{talk.id}-email": "niemand@example.org"})
    assert response.status_code == 400 and "niemand@example.org" in response.get_data(as_text=True)
    db.session.refresh(talk)
    assert talk.assignee_id == org.manager.id


def test_hr_cancels_a_journey(client, db, login, org, journey):
    login(org.hr)
    client.post(f"/onboarding/journeys/{journey.id}/cancel")
    db.session.refresh(journey)
    assert journey.status == "cancelled"


def test_the_detail_page_offers_the_persons_new_start_date(client, db, login, org, journey):
    org.newcomer.start_date = journey.start_date + timedelta(days=14)
    db.session.commit()
    login(org.hr)
    page = client.get(f"/onboarding/journeys/{journey.id}").get_data(as_text=True)
    assert "Plan again from the person" in page
    client.post(
        f"/onboarding/journeys/{journey.id}/start-date", data={"start_date": org.newcomer.start_date.isoformat()}
    )
    db.session.refresh(journey)
    assert journey.start_date == org.newcomer.start_date


def test_hr_starts_a_journey_by_hand_with_the_best_match_or_another_template(client, db, login, org, template):
    other = make_template(db, org.foundation, [task("Anders")], name="Anders")
    login(org.hr)
    response = client.post("/onboarding/hr/start", data={"email": org.buddy.email, "template_id": ""})
    assert response.status_code == 302
    started = db.session.scalar(select(OnboardingJourney).where(OnboardingJourney.person_id == org.buddy.id))
    assert started.template_id == template.id  # the older, equally specific one
    assert started.started_by_id == org.hr.id
    client.post("/onboarding/hr/start", data={"email": org.newcomer.email, "template_id": str(other.id)})
    chosen = db.session.scalar(select(OnboardingJourney).where(OnboardingJourney.person_id == org.newcomer.id))
    assert chosen.template_id == other.id and chosen.start_date == org.newcomer.start_date
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "onboarding.journey_started"))


def test_a_second_journey_of_the_same_kind_is_refused_and_not_offered(client, db, login, org, template):
    journeys.start_journey(org.newcomer, template, org.newcomer.start_date)  # as "add person" does
    db.session.commit()
    login(org.hr)
    assert "/onboarding/hr/start" not in client.get(f"/people/{org.newcomer.id}").get_data(as_text=True)
    response = client.post("/onboarding/hr/start", data={"email": org.newcomer.email, "template_id": str(template.id)})
    assert response.status_code == 400 and "already on this kind of journey" in response.get_data(as_text=True)
    count = select(func.count()).select_from(OnboardingJourney).where(OnboardingJourney.person_id == org.newcomer.id)
    assert db.session.scalar(count) == 1
    assert "/onboarding/hr/start" in client.get(f"/people/{org.buddy.id}").get_data(as_text=True)  # no journey yet


def test_starting_for_someone_of_another_foundation_is_refused(client, db, login, org, template):
    login(org.hr)
    response = client.post("/onboarding/hr/start", data={"email": org.other_hr.email, "template_id": ""})
    assert response.status_code == 400 and org.other_hr.email in response.get_data(as_text=True)
    assert db.session.scalar(select(OnboardingJourney)) is None


def test_hr_tasks_list_the_open_tasks_without_an_assignee(client, db, login, org, template):
    started = journeys.start_journey(org.newcomer, template, org.newcomer.start_date)  # no buddy yet
    db.session.commit()
    login(org.hr)
    page = client.get("/onboarding/hr/tasks").get_data(as_text=True)
    assert "Evaluatie" in page and "Koffie" in page and "Welkomstgesprek" not in page
    assert client.post(f"/onboarding/tasks/{task_named(started, 'Evaluatie').id}").status_code == 302


def test_figures_per_template(client, db, login, make, clock, org, template):
    today = clock.today()
    finished = []
    for n in range(6):
        journey = _journey_for(make, db, org, template, today - timedelta(days=100))
        for t in journey.tasks:
            t.status = "done"
            late = t.title == "Gedragscode" and n < 3
            t.done_at = datetime.combine(t.due_date + timedelta(days=2 if late else 0), datetime.min.time())
        journeys.refresh_status(journey)
        journey.completed_at = datetime.combine(journey.start_date + timedelta(days=40 + n), datetime.min.time())
        finished.append(journey)
    _journey_for(make, db, org, template, today)
    for n, journey in enumerate(finished):
        db.session.add(
            OnboardingFeedback(
                foundation_id=org.foundation.id,
                journey_id=journey.id,
                template_id=template.id,
                checkpoint=30,
                welcome=4,
                clarity=2 + n % 2,
                support=5,
            )
        )
        if n < 4:
            db.session.add(
                OnboardingFeedback(
                    foundation_id=org.foundation.id,
                    journey_id=journey.id,
                    template_id=template.id,
                    checkpoint=90,
                    welcome=1,
                    clarity=1,
                    support=1,
                )
            )
    db.session.commit()
    login(org.hr)
    page = client.get("/onboarding/hr/stats").get_data(as_text=True)
    section = page[page.index(f'data-template="{template.id}"') :]
    assert '<dd data-testid="started">7</dd>' in section and '<dd data-testid="completed">6</dd>' in section
    assert '<dd data-testid="median">42.5</dd>' in section
    assert "<td>Gedragscode</td><td>6</td><td>3</td><td>50%</td>" in section
    assert "<td>I knew what was expected of me</td><td>2.5</td>" in section  # day 30: six answers
    org.hr.locale = "nl"
    db.session.commit()
    login(org.hr)
    page = client.get("/onboarding/hr/stats").get_data(as_text=True)
    assert '<dd data-testid="median">42,5</dd>' in page[page.index(f'data-template="{template.id}"'):]  # Dutch decimals
    assert "Fewer than 5 answers" in section  # day 90: four answers are not shown
    assert "<td>1.0</td>" not in section


def test_every_hr_page_renders(client, db, login, make, org, template, journey):
    """Each page with real data in it, as HR (and as group admin for the copy page)."""
    t = template.tasks[0]
    login(org.hr)
    for url in [
        "/onboarding/",
        "/onboarding/hr/",
        "/onboarding/hr/tasks",
        "/onboarding/hr/start",
        f"/onboarding/hr/start?email={org.buddy.email}",
        "/onboarding/hr/stats",
        "/onboarding/templates/",
        "/onboarding/templates/new",
        f"/onboarding/templates/{template.id}",
        f"/onboarding/templates/{template.id}/edit",
        f"/onboarding/templates/{template.id}/tasks/new",
        f"/onboarding/templates/{template.id}/tasks/{t.id}/edit",
        f"/onboarding/journeys/{journey.id}",
        f"/people/{org.newcomer.id}",
        "/",
    ]:
        assert client.get(url).status_code == 200, url
    edit = client.get(f"/onboarding/templates/{template.id}/tasks/{t.id}/edit").get_data(as_text=True)
    assert 'value="Kopie ID"' in edit and "checked" in edit  # the task's settings fill the form
    login(make.person(org.foundation, role="group_admin"))
    assert client.get("/onboarding/templates/copy").status_code == 200

"""The manager's view: newcomers of my teams with progress and overdue tasks, my tasks, the buddy."""

from datetime import timedelta

from plugins.onboarding import journeys
from tests.plugins.onboarding.conftest import task_named


def test_the_manager_sees_their_newcomers_progress_overdue_and_own_tasks(client, db, login, org, journey, clock):
    journeys.complete_task(task_named(journey, "Gedragscode"), org.newcomer)
    task_named(journey, "Kopie ID").due_date = clock.today() - timedelta(days=1)
    db.session.commit()
    login(org.manager)
    page = client.get("/onboarding/team").get_data(as_text=True)
    assert "Noor Nieuw" in page
    assert 'data-done="1" data-total="7"' in page
    assert "1 task overdue" in page
    assert "Tasks assigned to me" in page and "Welkomstgesprek" in page
    login(org.other_manager)
    other = client.get("/onboarding/team").get_data(as_text=True)
    assert "Noor Nieuw" not in other and "Welkomstgesprek" not in other


def test_the_manager_chooses_a_buddy_from_the_team_or_by_address(client, db, login, make, org, template):
    journey = journeys.start_journey(org.newcomer, template, org.newcomer.start_date)
    db.session.commit()
    login(org.manager)
    page = client.get("/onboarding/team").get_data(as_text=True)
    assert f'<option value="{org.buddy.id}">Bea Buddy</option>' in page
    assert f'value="{org.newcomer.id}"' not in page  # not one's own buddy
    response = client.post(
        f"/onboarding/journeys/{journey.id}/buddy",
        data={f"b{journey.id}-buddy_id": str(org.buddy.id), "next": "/onboarding/team"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/onboarding/team")
    db.session.refresh(journey)
    assert journey.buddy_id == org.buddy.id
    assert task_named(journey, "Koffie").assignee_id == org.buddy.id
    colleague = make.person(org.foundation, org.other_team)
    client.post(f"/onboarding/journeys/{journey.id}/buddy", data={f"b{journey.id}-buddy_email": colleague.email})
    db.session.refresh(journey)
    assert journey.buddy_id == colleague.id


def test_a_buddy_from_another_foundation_or_the_newcomer_is_refused(client, db, login, org, journey):
    login(org.manager)
    for data in ({f"b{journey.id}-buddy_email": org.other_hr.email}, {f"b{journey.id}-buddy_id": str(org.newcomer.id)}):
        client.post(f"/onboarding/journeys/{journey.id}/buddy", data=data)
        db.session.refresh(journey)
        assert journey.buddy_id == org.buddy.id


def test_the_manager_does_their_task_from_the_team_page(client, db, login, org, journey):
    talk = task_named(journey, "Welkomstgesprek")
    login(org.manager)
    response = client.post(f"/onboarding/tasks/{talk.id}", data={"next": "/onboarding/team"})
    assert response.status_code == 302 and "/onboarding/team" in response.headers["Location"]
    db.session.refresh(talk)
    assert talk.status == "done"

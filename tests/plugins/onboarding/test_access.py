"""Who may open and do what: newcomer, buddy, own manager, manager of another team, HR, HR of
another foundation. What one may not reach is not found (404), like an id that does not exist."""

import pytest

from plugins.onboarding import uploads
from plugins.onboarding.vocabulary import FILE_TYPES
from tests.plugins.onboarding.conftest import PDF, task_named

PEOPLE = ("newcomer", "buddy", "manager", "other_manager", "hr", "other_hr")


def _status(client, login, person, method, url, **kwargs):
    login(person)
    return getattr(client, method)(url, **kwargs).status_code


@pytest.fixture
def upload(db, org, journey):
    upload_task = task_named(journey, "Kopie ID")
    stored = uploads.store(
        PDF,
        FILE_TYPES["pdf"],
        "id.pdf",
        org.foundation.id,
        uploaded_by=org.newcomer,
        journey_id=journey.id,
        journey_task_id=upload_task.id,
    )
    db.session.commit()
    return stored


@pytest.mark.parametrize(
    "who, expected",
    [
        ("newcomer", 200),
        ("buddy", 200),
        ("manager", 200),
        ("other_manager", 404),
        ("hr", 200),
        ("other_hr", 404),
    ],
)
def test_an_uploaded_file(client, login, org, upload, who, expected):
    assert _status(client, login, getattr(org, who), "get", f"/onboarding/files/{upload.id}") == expected


@pytest.mark.parametrize(
    "who, expected",
    [
        ("newcomer", 404),
        ("buddy", 404),
        ("manager", 200),
        ("other_manager", 404),
        ("hr", 200),
        ("other_hr", 404),
    ],
)
def test_the_journey_detail_page(client, login, org, journey, who, expected):
    assert _status(client, login, getattr(org, who), "get", f"/onboarding/journeys/{journey.id}") == expected


@pytest.mark.parametrize(
    "who, expected",
    [
        ("newcomer", 403),
        ("buddy", 403),
        ("manager", 403),
        ("other_manager", 403),
        ("hr", 200),
        ("other_hr", 200),
    ],
)
def test_the_hr_overview_is_for_hr(client, login, org, journey, who, expected):
    # HR of the other foundation may open it, but sees only their own foundation (tested in test_hr).
    assert _status(client, login, getattr(org, who), "get", "/onboarding/hr/") == expected


@pytest.mark.parametrize(
    "who, expected",
    [
        ("newcomer", 403),
        ("buddy", 403),
        ("manager", 200),
        ("other_manager", 200),
        ("hr", 403),
    ],
)
def test_the_team_page_is_for_managers(client, login, org, who, expected):
    assert _status(client, login, getattr(org, who), "get", "/onboarding/team") == expected


@pytest.mark.parametrize(
    "who, expected",
    [
        ("newcomer", 404),
        ("buddy", 404),
        ("manager", 404),
        ("other_manager", 404),
        ("hr", 302),
        ("other_hr", 404),
    ],
)
def test_completing_hrs_task(client, db, login, org, journey, who, expected):
    hr_task = task_named(journey, "Evaluatie")
    assert _status(client, login, getattr(org, who), "post", f"/onboarding/tasks/{hr_task.id}") == expected


@pytest.mark.parametrize(
    "who, expected",
    [
        ("newcomer", 302),
        ("buddy", 404),
        ("manager", 404),
        ("other_manager", 404),
        ("hr", 404),
        ("other_hr", 404),
    ],
)
def test_completing_the_newcomers_task(client, db, login, org, journey, who, expected):
    confirm = task_named(journey, "Gedragscode")
    data = {f"t{confirm.id}-confirmed": "y"}
    assert _status(client, login, getattr(org, who), "post", f"/onboarding/tasks/{confirm.id}", data=data) == expected


@pytest.mark.parametrize(
    "who, expected",
    [
        ("newcomer", 403),
        ("buddy", 403),
        ("manager", 403),
        ("other_manager", 403),
        ("hr", 302),
        ("other_hr", 404),
    ],
)
def test_skipping_reopening_and_reassigning(client, db, login, org, journey, who, expected):
    talk = task_named(journey, "Welkomstgesprek")
    person = getattr(org, who)
    assert _status(client, login, person, "post", f"/onboarding/tasks/{talk.id}/skip") == expected
    assert _status(client, login, person, "post", f"/onboarding/tasks/{talk.id}/reopen") == expected
    reassign = _status(
        client,
        login,
        person,
        "post",
        f"/onboarding/tasks/{talk.id}/reassign",
        data={f"r{talk.id}-email": org.buddy.email},
    )
    assert reassign == expected


@pytest.mark.parametrize(
    "who, expected",
    [
        ("newcomer", 404),
        ("buddy", 404),
        ("manager", 302),
        ("other_manager", 404),
        ("hr", 302),
        ("other_hr", 404),
    ],
)
def test_choosing_the_buddy(client, db, login, org, journey, who, expected):
    data = {f"b{journey.id}-buddy_id": str(org.buddy.id)}
    assert (
        _status(client, login, getattr(org, who), "post", f"/onboarding/journeys/{journey.id}/buddy", data=data)
        == expected
    )


def test_hr_of_another_foundation_finds_none_of_its_ids(client, db, login, org, journey, upload, template):
    login(org.other_hr)
    t = journey.tasks[0]
    for method, url in [
        ("get", f"/onboarding/journeys/{journey.id}"),
        ("post", f"/onboarding/journeys/{journey.id}/start-date"),
        ("post", f"/onboarding/journeys/{journey.id}/apply"),
        ("post", f"/onboarding/journeys/{journey.id}/cancel"),
        ("post", f"/onboarding/tasks/{t.id}/skip"),
        ("get", f"/onboarding/tasks/{t.id}/document"),
        ("get", f"/onboarding/files/{upload.id}"),
        ("get", f"/onboarding/templates/{template.id}"),
        ("get", f"/onboarding/templates/{template.id}/edit"),
        ("post", f"/onboarding/templates/{template.id}/apply"),
        ("post", f"/onboarding/templates/{template.id}/tasks/{template.tasks[0].id}/delete"),
    ]:
        assert getattr(client, method)(url).status_code == 404, url
    db.session.refresh(journey)
    assert journey.status == "open" and len(template.tasks) == 7


def test_the_plugin_switched_off_answers_not_found(client, db, login, make, org):
    elsewhere = make.foundation()
    person = make.person(elsewhere)
    login(person)
    assert client.get("/onboarding/").status_code == 404


def test_nothing_for_anonymous_visitors(client, org, upload):
    assert client.get(f"/onboarding/files/{upload.id}").status_code in (302, 404)
    assert client.get("/onboarding/").status_code in (302, 404)

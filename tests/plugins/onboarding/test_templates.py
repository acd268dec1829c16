"""The template editor: rules with reasons, order, documents, copies; running journeys stay."""

import io

from sqlalchemy import func, select

from core.models import AuditEvent
from plugins.onboarding.models import OnboardingFile, OnboardingTemplate, OnboardingTemplateTask
from tests.plugins.onboarding.conftest import PDF, make_template, task

TASK = {
    "title": "Nieuwe taak",
    "description": "",
    "task_type": "checkbox",
    "assignee_role": "newcomer",
    "offset_days": "3",
    "required": "y",
    "max_size_mb": "5",
    "meeting_minutes": "30",
}


def _post_task(client, template, **changes):
    return client.post(f"/onboarding/templates/{template.id}/tasks/new", data={**TASK, **changes})


def _task_count(db, template):
    return db.session.scalar(
        select(func.count(OnboardingTemplateTask.id)).where(OnboardingTemplateTask.template_id == template.id)
    )


def test_hr_creates_a_template_and_adds_tasks(client, db, login, org):
    login(org.hr)
    response = client.post(
        "/onboarding/templates/new",
        data={
            "name": "Inwerken secretariaat",
            "kind": "onboarding",
            "person_type": "employee",
            "team_name": "secretariaat",
            "job_title": "",
            "invite_days_before_start": "14",
            "active": "y",
        },
    )
    template = db.session.scalar(select(OnboardingTemplate))
    assert response.status_code == 302 and template.team_id == org.other_team.id and template.person_type == "employee"
    assert _post_task(client, template).status_code == 302
    assert (
        _post_task(client, template, title="Vragenlijst", task_type="form", questions="Wat?\n\nWaarom?").status_code
        == 302
    )
    db.session.expire_all()
    assert [t.title for t in template.tasks] == ["Nieuwe taak", "Vragenlijst"]
    assert template.tasks[1].config == {"questions": ["Wat?", "Waarom?"]}
    page = client.get(f"/onboarding/templates/{template.id}").get_data(as_text=True)
    assert "Vragenlijst" in page
    # Who it is for reads as words in the reader's language, not the stored key ("employee").
    assert "Employee, Secretariaat" in page
    assert "Employee, Secretariaat" in client.get("/onboarding/templates/").get_data(as_text=True)
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action.like("onboarding.%"))) == 3


def test_an_unknown_team_is_refused_and_the_form_keeps_the_input(client, db, login, org):
    login(org.hr)
    response = client.post(
        "/onboarding/templates/new",
        data={
            "name": "Inwerken",
            "kind": "onboarding",
            "person_type": "",
            "team_name": "Bestaat niet",
            "invite_days_before_start": "14",
            "active": "y",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is no team with this name" in page and 'value="Bestaat niet"' in page
    assert db.session.scalar(select(OnboardingTemplate)) is None


def test_a_dependency_cycle_is_refused_with_the_reason(client, db, login, org):
    template = make_template(db, org.foundation, [task("A"), task("B"), task("C")], after={1: [0], 2: [1]})
    a, b, c = template.tasks
    login(org.hr)
    response = client.post(
        f"/onboarding/templates/{template.id}/tasks/{a.id}/edit", data={**TASK, "title": "A", "depends_on": [str(c.id)]}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "These tasks would wait for each other: A → C → B → A." in page
    db.session.expire_all()
    assert a.depends_on == []
    # The form keeps what was typed.
    assert 'value="A"' in page


def test_a_task_waiting_for_itself_is_a_cycle(client, db, login, org):
    template = make_template(db, org.foundation, [task("A")])
    login(org.hr)
    response = client.post(
        f"/onboarding/templates/{template.id}/tasks/{template.tasks[0].id}/edit",
        data={**TASK, "title": "A", "depends_on": [str(template.tasks[0].id)]},
    )
    assert response.status_code == 400


def test_a_task_before_the_invitation_is_refused_with_the_reason(client, db, login, org):
    template = make_template(db, org.foundation, [task("A")], invite_days_before_start=10)
    login(org.hr)
    response = _post_task(client, template, title="Te vroeg", offset_days="-12")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "12 days before the start date" in page and "only 10 days" in page
    assert _task_count(db, template) == 1


def test_the_invitation_cannot_move_after_a_task(client, db, login, org):
    template = make_template(db, org.foundation, [task("Vroeg", -10)])
    login(org.hr)
    response = client.post(
        f"/onboarding/templates/{template.id}/edit",
        data={
            "name": template.name,
            "kind": "onboarding",
            "person_type": "",
            "team_name": "",
            "invite_days_before_start": "5",
            "active": "y",
        },
    )
    assert response.status_code == 400 and "Vroeg" in response.get_data(as_text=True)
    db.session.expire_all()
    assert template.invite_days_before_start == 14


def test_offboarding_templates_may_start_long_before_the_day(client, db, login, org):
    template = make_template(db, org.foundation, [task("A")], kind="offboarding", invite_days_before_start=0)
    login(org.hr)
    assert _post_task(client, template, offset_days="-60").status_code == 302


def test_each_type_needs_its_settings(client, db, login, org):
    template = make_template(db, org.foundation, [task("A")])
    login(org.hr)
    page = _post_task(client, template, task_type="upload", max_size_mb="500").get_data(as_text=True)
    assert "Choose at least one type of file." in page and "between 1 and 20 MB" in page
    assert "Write at least one question" in _post_task(client, template, task_type="form").get_data(as_text=True)
    assert "attach it as a file" in _post_task(client, template, task_type="confirm").get_data(as_text=True)
    assert "named person" in _post_task(
        client, template, assignee_role="person", assignee_email="nobody@x.org"
    ).get_data(as_text=True)
    assert _task_count(db, template) == 1


def test_a_named_person_of_the_foundation_can_be_chosen(client, db, login, org):
    template = make_template(db, org.foundation, [task("A")])
    login(org.hr)
    assert _post_task(client, template, assignee_role="person", assignee_email=org.buddy.email).status_code == 302
    db.session.expire_all()
    assert template.tasks[-1].assignee_person_id == org.buddy.id
    # Someone of another foundation is not found.
    assert _post_task(client, template, assignee_role="person", assignee_email=org.other_hr.email).status_code == 400


def test_a_document_to_confirm_can_be_a_file(app, client, db, login, org):
    template = make_template(db, org.foundation, [task("A")])
    login(org.hr)
    response = client.post(
        f"/onboarding/templates/{template.id}/tasks/new",
        data={
            **TASK,
            "task_type": "confirm",
            "document_file": (io.BytesIO(PDF), "reglement.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    stored = db.session.scalar(select(OnboardingFile))
    assert stored.template_id == template.id and stored.original_name == "reglement.pdf"
    db.session.expire_all()
    assert template.tasks[-1].config["document_file_id"] == stored.id
    download = client.get(f"/onboarding/templates/{template.id}/files/{stored.id}")
    assert download.data == PDF and download.headers["Content-Disposition"].startswith("attachment")


def test_course_tasks_are_offered_only_where_learning_is_on(client, db, login, org, learning_on):
    template = make_template(db, org.foundation, [task("A")])
    login(org.hr)
    assert 'value="course"' not in client.get(f"/onboarding/templates/{template.id}/tasks/new").get_data(as_text=True)
    assert _post_task(client, template, task_type="course", course_code="AVG").status_code == 400
    learning_on(org.foundation)
    assert 'value="course"' in client.get(f"/onboarding/templates/{template.id}/tasks/new").get_data(as_text=True)
    assert _post_task(client, template, task_type="course", course_code="AVG").status_code == 302


def test_tasks_can_be_reordered_and_removed(client, db, login, org):
    template = make_template(db, org.foundation, [task("A"), task("B"), task("C")], after={2: [1]})
    a, b, c = template.tasks
    login(org.hr)
    client.post(f"/onboarding/templates/{template.id}/tasks/{c.id}/move", data={"direction": "up"})
    db.session.expire_all()
    assert [t.title for t in template.tasks] == ["A", "C", "B"]
    client.post(f"/onboarding/templates/{template.id}/tasks/{b.id}/delete")
    db.session.expire_all()
    assert [t.title for t in template.tasks] == ["A", "C"]
    assert [t.position for t in template.tasks] == [1, 2]
    assert template.tasks[1].depends_on == []


def test_editing_a_template_leaves_running_journeys_until_hr_applies_it(client, db, login, org, template, journey):
    login(org.hr)
    _post_task(client, template, title="Extra taak")
    db.session.expire_all()
    assert "Extra taak" not in [t.title for t in journey.tasks]
    page = client.get(f"/onboarding/templates/{template.id}").get_data(as_text=True)
    assert "1 of 1 running journeys" in page
    assert client.post(f"/onboarding/templates/{template.id}/apply").status_code == 302
    db.session.expire_all()
    assert "Extra taak" in [t.title for t in journey.tasks]


def test_group_admins_copy_a_template_from_another_foundation(client, db, login, make, org):
    source = make_template(
        db,
        org.other,
        [task("A", role="person", assignee_person_id=org.other_hr.id), task("B")],
        name="Welzijn inwerken",
        after={1: [0]},
        team_id=None,
    )
    admin = make.person(org.foundation, role="group_admin")
    login(org.hr)
    assert client.get("/onboarding/templates/copy").status_code == 403
    login(admin)
    assert "Welzijn inwerken" in client.get("/onboarding/templates/copy").get_data(as_text=True)
    assert client.post(f"/onboarding/templates/copy/{source.id}").status_code == 302
    copy = db.session.scalar(select(OnboardingTemplate).where(OnboardingTemplate.foundation_id == org.foundation.id))
    assert copy.name.startswith("Welzijn inwerken") and copy.active is False
    assert [t.assignee_role for t in copy.tasks] == ["hr", "newcomer"]  # the named person stays behind
    assert copy.tasks[1].depends_on == [copy.tasks[0]]
    # One's own foundation's template is not "copied from another".
    assert client.post(f"/onboarding/templates/copy/{copy.id}").status_code == 404


def test_another_foundations_template_is_not_found(client, db, login, org):
    foreign = make_template(db, org.other, [task("A")])
    login(org.hr)
    assert client.get(f"/onboarding/templates/{foreign.id}").status_code == 404
    assert client.post(f"/onboarding/templates/{foreign.id}/tasks/new", data=TASK).status_code == 404
    assert db.session.scalar(select(func.count(OnboardingTemplateTask.id))) == 1

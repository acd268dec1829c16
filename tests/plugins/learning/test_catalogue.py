"""The catalogue: on and off per foundation, group-wide and own courses, search and filters,
Markdown made safe, and who may edit what; learning paths with progress."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.models import AuditEvent
from plugins.learning.models import Course, CourseSession, LearningPath
from tests.plugins.learning import support


def test_landing_page_for_a_foundation_with_learning_on_only(client, login, org, make):
    login(org.employee)
    assert client.get("/learning/").status_code == 200
    off = make.foundation("forensisch")
    login(make.person(off))
    assert client.get("/learning/").status_code == 404
    assert client.get("/learning/catalogue").status_code == 404


def test_a_foundation_sees_group_wide_courses_and_its_own_only(client, login, org):
    group = support.course(None, "AVG", "Privacy en AVG")
    own = support.course(org.foundation, "EIGEN", "Eigen training")
    foreign = support.course(org.other, "WELZ", "Training van welzijn")
    login(org.employee)
    html = client.get("/learning/catalogue").get_data(as_text=True)
    assert "Privacy en AVG" in html and "Eigen training" in html and "Training van welzijn" not in html
    assert client.get(f"/learning/courses/{group.id}").status_code == 200
    assert client.get(f"/learning/courses/{own.id}").status_code == 200
    assert client.get(f"/learning/courses/{foreign.id}").status_code == 404


def test_search_and_filters(client, login, org):
    support.course(None, "BHV", "Bedrijfshulpverlening", category="Veiligheid", format="classroom")
    support.course(None, "AVG", "Privacy en AVG", category="Privacy", format="e-learning", provider="Leerhuis")
    support.course(None, "OLD", "Oude cursus", active=False)
    login(org.employee)

    def codes(query):
        html = client.get(f"/learning/catalogue?{query}").get_data(as_text=True)
        return sorted(part.split('"')[0] for part in html.split('data-course="')[1:])

    assert codes("") == ["AVG", "BHV"]  # inactive courses are not listed
    assert codes("q=privacy") == ["AVG"]
    assert codes("q=leerhuis") == ["AVG"]  # the provider counts too
    assert codes("category=Veiligheid") == ["BHV"]
    assert codes("format=e-learning") == ["AVG"]
    assert codes("q=%25") == []  # a wildcard is searched for literally


def test_catalogue_pages(client, login, org):
    for n in range(30):
        support.course(None, f"C{n:02d}", f"Cursus {n:02d}")
    login(org.employee)
    first = client.get("/learning/catalogue").get_data(as_text=True)
    assert "Cursus 00" in first and "Cursus 29" not in first and 'rel="next"' in first
    assert "Cursus 29" in client.get("/learning/catalogue?page=2").get_data(as_text=True)


def test_descriptions_are_markdown_without_scripts(client, login, org):
    course = support.course(description="**Belangrijk** <script>alert(1)</script> [klik](javascript:alert(1)) [ok](https://example.org)")
    login(org.employee)
    html = client.get(f"/learning/courses/{course.id}").get_data(as_text=True)
    assert "<strong>Belangrijk</strong>" in html
    assert "<script>alert" not in html and "href=\"javascript" not in html  # the bad link stays text
    assert 'href="https://example.org"' in html


def test_numbers_are_written_as_the_reader_writes_them(client, login, org, db):
    register = support.register(points=Decimal("184"))
    course = support.course(duration_hours=Decimal("4.50"), cost=Decimal("1250.00"), register_id=register.id,
                            accreditation_points=Decimal("8.00"))
    login(org.employee)
    english = client.get(f"/learning/courses/{course.id}").get_data(as_text=True)
    assert "4.5 hours" in english and "€1,250.00" in english and "V&amp;V: 8 points" in english
    org.employee.locale = "nl"
    db.session.commit()
    dutch = client.get(f"/learning/courses/{course.id}").get_data(as_text=True)
    assert "4,5 uur" in dutch and "€\xa01.250,00" in dutch and "V&amp;V: 8 punten" in dutch


def test_hr_creates_a_course_for_its_foundation(client, login, org, db):
    login(org.employee)
    assert client.get("/learning/courses/new").status_code == 403
    login(org.hr)
    form = {"code": "MED", "title": "Medicatieveiligheid", "description": "", "category": "Zorg", "format": "e-learning",
            "duration_hours": "1,5", "provider": "", "cost": "", "register_id": "", "accreditation_points": "",
            "validity_months": "24", "grace_days": "0", "xapi_activity_id": "https://elearning.example.org/med", "active": "y"}
    response = client.post("/learning/courses/new", data=form)
    assert response.status_code == 302
    course = db.session.scalar(select(Course).where(Course.code == "MED"))
    assert course.foundation_id == org.foundation.id and float(course.duration_hours) == 1.5
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "learning.course_created"))
    # the same code again, and the same activity id: field errors, input kept, nothing saved
    again = client.post("/learning/courses/new", data={**form, "title": "Tweede keer"})
    html = again.get_data(as_text=True)
    assert again.status_code == 400 and "Another course has this code." in html
    assert "Another course has this activity id." in html and "Tweede keer" in html
    assert len(db.session.scalars(select(Course)).all()) == 1


def test_group_wide_courses_need_the_group_permission(client, login, org, make, db):
    group = support.course(None, "AVG", "Privacy en AVG")
    login(org.hr)
    assert client.get(f"/learning/courses/{group.id}/edit").status_code == 403
    assert "group_wide" not in client.get("/learning/courses/new").get_data(as_text=True)
    admin = make.person(org.foundation, role="group_admin")
    login(admin)
    page = client.get(f"/learning/courses/{group.id}/edit")
    assert page.status_code == 200 and 'name="group_wide"' in page.get_data(as_text=True)


def test_hr_plans_a_session_of_a_group_wide_course_for_its_own_foundation(client, login, org, make, db):
    group = support.course(None, "AVG", "Privacy en AVG")
    login(org.hr)
    page = client.get(f"/learning/courses/{group.id}").get_data(as_text=True)
    assert f"/learning/courses/{group.id}/sessions/new" in page
    assert f"/learning/courses/{group.id}/edit" not in page  # the course itself stays the group's
    response = client.post(f"/learning/courses/{group.id}/sessions/new", data={
        "starts_at": "2030-05-01T09:00", "ends_at": "2030-05-01T12:00", "location": "Zwolle", "online_url": "",
        "capacity": "10", "trainer": ""})
    assert response.status_code == 302
    session = db.session.scalar(select(CourseSession))
    assert (session.course_id, session.foundation_id) == (group.id, org.foundation.id)
    login(org.outsider)  # another foundation does not see it
    assert client.get(f"/learning/sessions/{session.id}").status_code == 404
    assert "Zwolle" not in client.get(f"/learning/courses/{group.id}").get_data(as_text=True)
    login(make.person(org.foundation, role="group_admin"))
    assert f"/learning/courses/{group.id}/edit" in client.get(f"/learning/courses/{group.id}").get_data(as_text=True)


COURSE_FORM = {"code": "MED", "title": "Medicatieveiligheid", "description": "", "category": "Zorg", "format": "e-learning",
               "duration_hours": "1,5", "provider": "", "cost": "", "register_id": "", "accreditation_points": "",
               "validity_months": "24", "grace_days": "0", "xapi_activity_id": "", "active": "y"}


@pytest.mark.parametrize("role", ["group_admin", "hr_admin"])
def test_a_course_is_made_and_saved_unchanged_by_the_group_admin_and_hr(client, login, org, make, db, role):
    """Regression: the group administrator's form has ``group_wide``, which the course has only as
    a read-only property; saving any course answered 500."""
    login(make.person(org.foundation, role=role))
    group_wide = {"group_wide": "y"} if role == "group_admin" else {}
    assert client.post("/learning/courses/new", data={**COURSE_FORM, **group_wide}).status_code == 302
    course = db.session.scalar(select(Course).where(Course.code == "MED"))
    assert course.foundation_id == (None if role == "group_admin" else org.foundation.id)
    assert course.group_wide is (role == "group_admin") and float(course.duration_hours) == 1.5

    edit = f"/learning/courses/{course.id}/edit"
    unchanged = support.form_values(client.get(edit).get_data(as_text=True))
    assert ("group_wide" in unchanged) is (role == "group_admin")
    assert client.post(edit, data=unchanged).status_code == 302
    db.session.expire_all()
    course = db.session.get(Course, course.id)
    assert (course.title, course.group_wide, float(course.duration_hours)) == ("Medicatieveiligheid", role == "group_admin", 1.5)
    assert client.post(edit, data={**unchanged, "title": "Medicatie"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Course, course.id).title == "Medicatie"


def test_the_group_admin_makes_a_group_wide_course_a_foundations_own(client, login, org, make, db):
    group = support.course(None, "AVG", "Privacy en AVG")
    login(make.person(org.foundation, role="group_admin"))
    form = {**COURSE_FORM, "code": "AVG", "title": "Privacy en AVG"}
    assert client.post(f"/learning/courses/{group.id}/edit", data=form).status_code == 302  # group_wide unticked
    db.session.expire_all()
    assert db.session.get(Course, group.id).foundation_id == org.foundation.id


def test_a_course_post_without_its_text_fields_saves_them_empty(client, login, org, db):
    login(org.hr)
    form = {k: v for k, v in COURSE_FORM.items() if k not in ("description", "category", "provider")}
    assert client.post("/learning/courses/new", data=form).status_code == 302
    course = db.session.scalar(select(Course))
    assert (course.description, course.category, course.provider) == ("", "", "")


@pytest.mark.parametrize("field", ["duration_hours", "cost", "accreditation_points"])
def test_numbers_beyond_what_a_course_holds_are_field_errors(client, login, org, db, field):
    login(org.hr)
    response = client.post("/learning/courses/new", data={**COURSE_FORM, field: "100000000"})
    assert response.status_code == 400 and "Number must be between" in response.get_data(as_text=True)
    assert db.session.scalar(select(Course)) is None


def test_learning_paths_show_progress(client, login, org, db):
    courses = [support.course(None, f"LEAD{n}", f"Leiderschap {n}", validity_months=None) for n in (1, 2, 3)]
    login(org.hr)
    response = client.post("/learning/paths/new", data={"title": "Leiderschapsprogramma", "description": "",
                                                         "course_codes": "LEAD1\nLEAD2\nLEAD3"})
    assert response.status_code == 302
    path = db.session.scalar(select(LearningPath))
    assert [s.course.code for s in path.steps] == ["LEAD1", "LEAD2", "LEAD3"]
    bad = client.post(f"/learning/paths/{path.id}/edit", data={"title": "X", "course_codes": "LEAD1\nNOPE"})
    assert "Unknown course codes: NOPE" in bad.get_data(as_text=True)
    client.post(f"/learning/paths/{path.id}/edit", data={"title": "Leiderschapsprogramma", "course_codes": "LEAD3\nLEAD1"})
    db.session.expire_all()
    assert [s.course.code for s in db.session.get(LearningPath, path.id).steps] == ["LEAD3", "LEAD1"]

    support.record(org.employee, courses[0], date(2025, 5, 1))
    login(org.employee)
    assert "1 of 2 courses completed" in client.get(f"/learning/paths/{path.id}").get_data(as_text=True)
    assert "Leiderschapsprogramma" in client.get("/learning/").get_data(as_text=True)  # a path begun shows on my page


def test_paths_of_another_foundation_are_not_found(client, login, org, db):
    path = LearningPath(foundation_id=org.other.id, title="Elders")
    db.session.add(path)
    db.session.commit()
    login(org.hr)
    assert client.get(f"/learning/paths/{path.id}").status_code == 404
    assert client.get(f"/learning/paths/{path.id}/edit").status_code == 404

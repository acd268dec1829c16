"""Shared by the people tests: a listening plugin and a small two-foundation organisation."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from core.contributions import PersonSection
from core.hookspecs import hookimpl
from core.plugins import plugin_manager


class Listener:
    """Records lifecycle events and offers a person section. Registered on the app's pluggy
    manager only (not as a Journey plugin), so no foundation gating applies to it."""

    def __init__(self, app):
        self.calls: list[tuple] = []
        self.section_template = app.jinja_env.from_string(
            "<p data-testid=\"listener-section\">Listener section for {{ section.context.name }}</p>"
        )

    @hookimpl
    def person_hired(self, person):
        self.calls.append(("person_hired", person.id))

    @hookimpl
    def person_transferred(self, person, from_team, to_team):
        self.calls.append(("person_transferred", person.id, getattr(from_team, "id", None), getattr(to_team, "id", None)))

    @hookimpl
    def person_leaving(self, person):
        self.calls.append(("person_leaving", person.id, person.status))

    @hookimpl
    def person_sections(self, person, viewer):
        return [PersonSection(key="listener", title="Listener tab", template=self.section_template,
                              context={"name": person.first_name}, order=10)]

    def names(self) -> list[str]:
        return [call[0] for call in self.calls]


@contextmanager
def listening(app):
    listener = Listener(app)
    pm = plugin_manager(app).pm
    pm.register(listener, name="people-test-listener")
    try:
        yield listener
    finally:
        pm.unregister(listener)


@dataclass
class Org:
    a: object  # foundation A
    b: object  # foundation B
    care: object  # team in A, managed by ``manager``
    office: object  # team in A
    b_team: object
    hr: object
    manager: object
    nurse: object  # member of care
    clerk: object  # member of office
    b_person: object


def build_org(make) -> Org:
    a, b = make.foundation("a", "Foundation A"), make.foundation("b", "Foundation B")
    care, office, b_team = make.team(a, "Care"), make.team(a, "Office"), make.team(b, "B team")
    # English pages, so the assertions hold once a Dutch catalogue exists
    hr = make.person(a, role="hr_admin", first_name="Hanna", last_name="Zwart", email="hr@example.org", locale="en")
    manager = make.person(a, care, first_name="Marco", last_name="Mulder", email="manager@example.org", locale="en")
    care.manager_id = manager.id
    nurse = make.person(a, care, first_name="Nina", last_name="Bakker", email="nina@example.org", employee_number="A100")
    clerk = make.person(a, office, first_name="Kees", last_name="de Wit", email="kees@example.org",
                        person_type="volunteer", status="preboarding")
    b_person = make.person(b, b_team, first_name="Bert", last_name="Anders", email="bert@example.org", employee_number="A100")
    make.db.session.commit()
    return Org(a, b, care, office, b_team, hr, manager, nurse, clerk, b_person)

"""Fixtures of the learning tests: a foundation with learning on, its people and roles."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from core.models import Foundation, Person, Team
from core.plugins import plugin_manager
from tests.plugins.learning import listener as listener_module


@dataclass
class Org:
    foundation: Foundation
    team: Team
    manager: Person
    employee: Person
    colleague: Person
    hr: Person
    other: Foundation
    outsider: Person  # of the other foundation, where learning is on too


@pytest.fixture(autouse=True)
def english(client):
    """Tests read English texts: signed-out requests ask for English (the people below have it
    as their language), so the Dutch catalogue does not change what the tests see."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def org(make, enable_plugin) -> Org:
    ggz, other = make.foundation("ggz", "GGZ"), make.foundation("welzijn", "Welzijn")
    team = make.team(ggz, "Kliniek Almelo")
    manager = make.manager(ggz, team)
    manager.locale = "en"
    employee = make.person(ggz, team, first_name="Mila", last_name="Werkman", job_title="Verpleegkundige", locale="en")
    colleague = make.person(ggz, team, first_name="Bram", last_name="Bakker", locale="en")
    hr = make.person(ggz, role="hr_admin", locale="en")
    outsider = make.person(other, make.team(other), locale="en")
    enable_plugin("learning", ggz)
    enable_plugin("learning", other)
    return Org(ggz, team, manager, employee, colleague, hr, other, outsider)


@pytest.fixture
def listener(app, org, enable_plugin):
    """``tests.plugins.learning.listener`` registered for this test and switched on for the org's
    foundation (not for the other one)."""
    manager = plugin_manager(app)
    manager.register(listener_module)
    listener_module.HEARD.clear()
    enable_plugin(listener_module.KEY, org.foundation)
    yield listener_module
    manager.pm.unregister(name=listener_module.KEY)
    del manager.plugins[listener_module.KEY]

"""The fuzz suite's set-up: one app with every installed plugin, the demo seeded and crawled once per
module, and one test per endpoint (found from the app's URL map, so a new plugin's endpoints are
fuzzed without a change here)."""
from __future__ import annotations

import os
import tempfile
from functools import cache

import pytest

from core.extensions import db
from core.testing.fixtures import database_url
from tests.fuzz.crawl import Site
from tests.fuzz.drawing import Requests
from tests.fuzz.seeds import SEEDS
from tests.fuzz.world import World, build_app

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


@cache
def _endpoints() -> dict[str, list[str]]:
    """``{"GET": [...], "POST": [...]}``: the endpoints of the installed app, static files aside."""
    with tempfile.TemporaryDirectory() as instance:
        app = build_app("sqlite://", instance)
        found: dict[str, set[str]] = {"GET": set(), "POST": set()}
        for rule in app.url_map.iter_rules():
            if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
                continue
            if "GET" in rule.methods:
                found["GET"].add(rule.endpoint)
            if rule.methods & WRITES:
                found["POST"].add(rule.endpoint)
    return {method: sorted(names) for method, names in found.items()}


def pytest_configure(config):
    config.addinivalue_line("markers", "fuzz: hostile requests against every endpoint (tests/fuzz)")


def pytest_generate_tests(metafunc):
    for fixture, method in (("get_endpoint", "GET"), ("post_endpoint", "POST")):
        if fixture in metafunc.fixturenames:
            metafunc.parametrize(fixture, _endpoints()[method])


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The demo organisation on a fresh database, every demo account signed in, every page each of
    them reaches crawled for its links and forms; restored as seeded before each test."""
    app = build_app(database_url(tmp_path_factory), str(tmp_path_factory.mktemp("fuzz-instance")))
    world = World(app)
    world.seed()
    with app.app_context():
        world.seeds = {endpoint: make(world) for endpoint, make in SEEDS.items() if endpoint in app.view_functions}
    world.sign_in()
    site = Site(app)
    world.start_tracking()
    start = ["/"] + [rule.rule for rule in app.url_map.iter_rules()
                     if "GET" in rule.methods and not rule.arguments]
    for role in world.roles.values():
        site.crawl(world, role, start)
    world.restore()
    world.site = site
    world.draw = Requests(world, site)
    yield world
    world.stop_tracking()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def fresh_world(world):
    world.restore()
    return world


def examples(default: int) -> int:
    """Examples per endpoint: ``JOURNEY_FUZZ_SCALE`` multiplies the bounded default for a deeper run."""
    return max(1, round(default * float(os.environ.get("JOURNEY_FUZZ_SCALE", "1"))))

"""Every endpoint of core and of every installed plugin, as every demo account and anonymously, with
hostile input: no answer is a server error, and no request changes a row of a foundation its account
cannot see.

Each test takes one endpoint, from the demo as seeded: first the same requests every run (the forms
as each account finds them, then each field and path id on its own at its worst), then a bounded
number of Hypothesis examples. It reports every distinct problem it met, each with the request that
showed it.
"""
from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from core.demo import ACCOUNTS
from tests.fuzz.check import Findings, submit
from tests.fuzz.conftest import examples
from tests.fuzz.crawl import Form
from tests.fuzz.declared import declared_form
from tests.fuzz.world import ANONYMOUS

pytestmark = pytest.mark.fuzz
# Derandomized: CI sends the same requests every run. No shrinking: each example changes the database,
# so a failure is reported as the request that showed it, not re-run smaller.
SETTINGS = dict(deadline=None, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate])
GET_EXAMPLES = examples(6)
POST_EXAMPLES = examples(12)
ADMIN = ACCOUNTS[0][0]  # the group administrator


def test_every_page_each_role_reaches_renders(world):
    """The crawl that found the forms: every linked page, as every role, unchanged."""
    assert not world.site.findings, "\n\n".join(str(f) for f in world.site.findings)


def test_every_part_with_forms_has_its_forms_found(world):
    """Of core's parts and of every plugin, each that takes posts has a form on some page the crawl
    reached; else the suite would post little more than empty bodies to it."""
    posting = {rule.endpoint.split(".")[0] for rule in world.app.url_map.iter_rules() if rule.methods & {"POST"}}
    found = {endpoint.split(".")[0] for endpoint in world.site.forms}
    assert posting <= found, sorted(posting - found)


def test_get(fresh_world, get_endpoint):
    world, findings, draw = fresh_world, Findings(), fresh_world.draw
    seen = sorted(world.site.urls.get(get_endpoint, ()))
    if seen:
        role = world.roles[(world.site.visitors.get(get_endpoint) or [ADMIN])[0]]
        for url in draw.query_sweep(get_endpoint, seen[0]):
            submit(world, findings, world.client(role), role, "GET", url)

    @settings(max_examples=GET_EXAMPLES, **SETTINGS)
    @given(st.data())
    def run(data):
        role = draw.role(data, [])
        url = draw.query(data, get_endpoint, draw.address(data, get_endpoint, role))
        submit(world, findings, world.client(role), role, "GET", url)

    run()
    assert not findings, f"GET {get_endpoint}:\n\n{findings}"


def test_post(fresh_world, post_endpoint):
    world, findings = fresh_world, Findings()
    sweep_post(world, findings, post_endpoint)

    @settings(max_examples=POST_EXAMPLES, **SETTINGS)
    @given(st.data())
    def run(data):
        seeds = world.seeds.get(post_endpoint, [])
        if seeds and data.draw(st.integers(0, 3), label="from a seed") > 0:
            post_from_seed(world, findings, data, seeds)
        else:
            post_a_form(world, findings, data, post_endpoint)

    run()
    assert not findings, f"{post_endpoint}:\n\n{findings}"


def sweep_post(world, findings: Findings, endpoint: str) -> None:
    """The same requests every run: the forms as each role finds them (a plain save must work),
    then each field on its own and each path id out of range, as the first role with the form, and
    each part of a JSON API's seed."""
    draw, site = world.draw, world.site
    owners = list(dict.fromkeys(form.role for form in site.forms_for(endpoint)))
    for name in owners:
        role = world.roles[name]
        for form in site.forms_for(endpoint, name):
            submit(world, findings, world.client(role), role, "POST", form.action, **draw.body_as_rendered(form))
    if owners:  # its form on the last page the crawl found: an old item's (a past session's attendance)
        role, form = world.roles[owners[0]], site.forms_for(endpoint, owners[0])[-1]
    else:  # no page shows the form: the one its view declares, as the group administrator
        role, url = world.roles[ADMIN], draw.some_address(endpoint)
        form = declared_form(world.app, endpoint, url) or Form(ADMIN, url, url, "POST", "", [])
    method = draw.write_method(endpoint)
    for kwargs in draw.field_sweep(form, role):
        submit(world, findings, world.client(role), role, method, form.action, **kwargs)
    for url in draw.path_sweep(endpoint, form.action):
        submit(world, findings, world.client(role), role, method, url, **draw.body_as_rendered(form))
    for seed in world.seeds.get(endpoint, [])[:1]:
        slug = world.foundations.get(seed.foundation_id, "no foundation")
        acting = replace(world.roles[ANONYMOUS], name=f"the seed's credentials ({slug})",
                         visible=frozenset({seed.foundation_id}))
        for method, url, kwargs in draw.seed_sweep(seed):
            submit(world, findings, world.client(acting), acting, method, url, **kwargs)


def post_a_form(world, findings: Findings, data, endpoint: str) -> None:
    """A role (mostly one that has the form) posts the form, or one it declares, with fields
    changed, to its address or another (another foundation's id); then perhaps a form of the answer."""
    draw, site = world.draw, world.site
    forms = site.forms_for(endpoint)
    role = draw.role(data, [form.role for form in forms])
    own = site.forms_for(endpoint, role.name) or forms
    if own:
        form = data.draw(st.sampled_from(own), label="form")
        url = draw.address(data, endpoint, role, form.action)
    else:
        url = draw.address(data, endpoint, role)
        form = declared_form(world.app, endpoint, url)
    pairs = draw.fields(data, form, endpoint, role)
    kwargs, then = draw.body(data, form, pairs), draw.then(data)
    client = world.client(role)
    response, landed = submit(world, findings, client, role, draw.write_method(endpoint), url, **kwargs)
    follow = draw.follow_up(then, response, landed, role)
    if follow:
        next_url, kwargs = follow
        submit(world, findings, client, role, "POST", next_url, **kwargs)


def post_from_seed(world, findings: Findings, data, seeds) -> None:
    seed = data.draw(st.sampled_from(seeds), label="seed")
    role = world.draw.role(data, [])
    method, url, kwargs = world.draw.from_seed(data, seed)
    # The seed's credentials act for its foundation, whoever's cookie comes along.
    acting = replace(role, visible=role.visible | {seed.foundation_id}) if role.visible is not None else role
    submit(world, findings, world.client(role), acting, method, url, **kwargs)

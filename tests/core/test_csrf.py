"""Every state-changing form refuses a request without a CSRF token."""
from __future__ import annotations

import re

SKIP = {"static"}


def _post_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP or "POST" not in rule.methods:
            continue
        if rule.endpoint.startswith(("learning.xapi",)):  # token-authenticated API, no cookie session
            continue
        yield rule


SAMPLE = {"uuid": "00000000-0000-4000-8000-000000000001", "int": "1"}


def _value(match) -> str:
    converter, arguments = match.group(1) or "", match.group(2) or ""
    if converter == "any":
        return arguments.split(",")[0].strip().strip("'\"")
    return SAMPLE.get(converter, "1")


def _build(rule):
    """A concrete path for a rule: each variable filled with a value its converter accepts."""
    return re.sub(r"<(?:(\w+)(?:\(([^)]*)\))?:)?\w+>", _value, rule.rule)


def test_every_post_route_needs_a_csrf_token(app, client, make, login, csrf_on):
    foundation = make.foundation(slug="1")
    login_person = make.person(foundation, role="group_admin")
    app.config["WTF_CSRF_ENABLED"] = False
    login(login_person)
    app.config["WTF_CSRF_ENABLED"] = True
    rules = list(_post_rules(app))
    assert len(rules) >= 5
    for rule in rules:
        response = client.post(_build(rule), data={})
        assert response.status_code == 400, f"{rule.rule} accepted a POST without CSRF token"
        assert 'data-error="csrf"' in response.get_data(as_text=True)


def test_login_form_needs_a_csrf_token(client, make, csrf_on):
    person = make.person(make.foundation())
    response = client.post("/auth/login", data={"email": person.email, "password": "x"})
    assert response.status_code == 400
    assert client.get("/").status_code == 302  # not signed in

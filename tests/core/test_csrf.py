"""Every state-changing form refuses a request without a CSRF token."""
from __future__ import annotations

SKIP = {"static"}


def _post_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP or "POST" not in rule.methods:
            continue
        if rule.endpoint.startswith(("learning.xapi",)):  # token-authenticated API, no cookie session
            continue
        yield rule


def _build(rule):
    path = rule.rule
    for arg in rule.arguments:
        for pattern in (f"<int:{arg}>", f"<{arg}>", f"<string:{arg}>", f"<path:{arg}>"):
            path = path.replace(pattern, "1")
    return path


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
        assert "CSRF" in response.get_data(as_text=True)


def test_login_form_needs_a_csrf_token(client, make, csrf_on):
    person = make.person(make.foundation())
    response = client.post("/auth/login", data={"email": person.email, "password": "x"})
    assert response.status_code == 400
    assert client.get("/").status_code == 302  # not signed in

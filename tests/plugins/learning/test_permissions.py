"""The permission matrix of learning's pages: who gets a page, who a 403, who must sign in."""
from __future__ import annotations

import pytest

E, M, H = "employee", "manager", "hr"
EVERYONE = {E: 200, M: 200, H: 200}
TEAM = {E: 403, M: 200, H: 200}
HR_ONLY = {E: 403, M: 403, H: 200}

MATRIX = {
    "/learning/": EVERYONE,
    "/learning/catalogue": EVERYONE,
    "/learning/paths": EVERYONE,
    "/learning/calendar": EVERYONE,
    "/learning/records/new": EVERYONE,
    "/learning/registrations/new": EVERYONE,
    "/learning/approvals": TEAM,
    "/learning/compliance": TEAM,
    "/learning/compliance/forecast": TEAM,
    "/learning/compliance/export.csv": TEAM,
    "/learning/requirements": HR_ONLY,
    "/learning/requirements/new": HR_ONLY,
    "/learning/records/pending": HR_ONLY,
    "/learning/import": HR_ONLY,
    "/learning/registers": HR_ONLY,
    "/learning/registers/new": HR_ONLY,
    "/learning/tokens": HR_ONLY,
    "/learning/courses/new": HR_ONLY,
    "/learning/paths/new": HR_ONLY,
}


@pytest.mark.parametrize("url", sorted(MATRIX))
def test_permission_matrix(client, login, org, url):
    people = {E: org.employee, M: org.manager, H: org.hr}
    for role, expected in MATRIX[url].items():
        login(people[role])
        assert client.get(url).status_code == expected, (url, role)
    client.post("/auth/logout")
    response = client.get(url)
    assert response.status_code == 302 and "/auth/login" in response.location


def test_public_addresses_need_no_sign_in_and_reveal_nothing_unknown(client, org):
    assert client.get("/learning/verify/NONE-NONE-NONE").status_code == 404
    assert client.get("/learning/calendar/unknown.ics").status_code == 404
    assert client.post("/learning/xapi/statements", json={}).status_code == 401

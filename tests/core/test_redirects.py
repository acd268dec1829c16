"""``next`` targets are read as a browser reads them: only same-origin paths pass."""
from __future__ import annotations

import pytest

from core.redirects import local_target
from core.testing.factories import Factory


@pytest.mark.parametrize("target", [
    "//evil.example", "/\t/evil.example", "/\n/evil.example", "\t//evil.example", "/\\evil.example",
    "\\\\evil.example", "https://evil.example/", "javascript:alert(1)", "evil.example", " //evil.example",
    "/\r\n/evil.example", "/%0A\x01", "", None,
])
def test_anything_that_could_leave_the_site_is_refused(target):
    assert local_target(target) is None


@pytest.mark.parametrize(("target", "expected"), [
    ("/people/?page=2#list", "/people/?page=2#list"),
    ("/onboarding/", "/onboarding/"),
    ("/%2F/evil.example", "/%2F/evil.example"),  # an encoded slash is part of a path, not a host
])
def test_local_paths_pass(target, expected):
    assert local_target(target) == expected


@pytest.mark.parametrize("query", ["next=/%09/evil.example", "next=/%0A/evil.example", "next=//evil.example"])
def test_sign_in_never_sends_someone_off_site(client, make, query):
    person = make.person(make.foundation())
    response = client.post(f"/auth/login?{query}", data={"email": person.email, "password": Factory.PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_sign_in_follows_a_local_next(client, make):
    person = make.person(make.foundation())
    response = client.post("/auth/login?next=/people/%3Fpage%3D2", data={"email": person.email, "password": Factory.PASSWORD})
    assert response.headers["Location"] == "/people/?page=2"

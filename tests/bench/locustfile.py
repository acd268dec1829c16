"""Locust load for one page; tests/bench/run.py starts locust once per page with this file.

Each simulated user signs in once through the real login form (GET the form, read its CSRF token,
POST), then asks for the page again and again without think time. Anything but a 200 (a redirect
to the login form, a 404 of a page not built yet, an error) counts as a failure.

Set by run.py in the environment:
  JOURNEY_BENCH_PAGE        the page's label: the request name in locust's statistics
  JOURNEY_BENCH_PATH        the path; "{person_id}" becomes a random id from the ids file
  JOURNEY_BENCH_EMAIL       the account to sign in with; empty for anonymous pages
  JOURNEY_BENCH_PASSWORD    its password
  JOURNEY_BENCH_PERSON_IDS  a file with one person id a line
"""
from __future__ import annotations

import os
import random
import re
from pathlib import Path

from locust import FastHttpUser, constant, task

PAGE = os.environ.get("JOURNEY_BENCH_PAGE", "healthz")
PATH = os.environ.get("JOURNEY_BENCH_PATH", "/healthz")
EMAIL = os.environ.get("JOURNEY_BENCH_EMAIL", "")
PASSWORD = os.environ.get("JOURNEY_BENCH_PASSWORD", "")
IDS_FILE = os.environ.get("JOURNEY_BENCH_PERSON_IDS", "")
PERSON_IDS = Path(IDS_FILE).read_text().split() if IDS_FILE and "{person_id}" in PATH else []

CSRF_INPUT = re.compile(r"<input[^>]*\bname=\"csrf_token\"[^>]*>")
VALUE = re.compile(r"\bvalue=\"([^\"]*)\"")


def csrf_token(html: str) -> str | None:
    field = CSRF_INPUT.search(html)
    value = VALUE.search(field.group(0)) if field else None
    return value.group(1) if value else None


class PageUser(FastHttpUser):
    """Locust's lighter client (geventhttpclient): it shares the machine's CPUs with the server, and
    the requests-based HttpUser would take more of them and add its own time to every latency."""

    wait_time = constant(0)  # a closed loop: the next request goes as soon as the last is answered

    def on_start(self) -> None:
        if EMAIL:
            self._sign_in()

    def _sign_in(self) -> None:
        with self.client.get("/auth/login", name="sign in: form", catch_response=True) as form:
            token = csrf_token(form.text)
            if token is None:
                form.failure("no csrf_token on the login form")
                return
        data = {"email": EMAIL, "password": PASSWORD, "csrf_token": token}
        with self.client.post("/auth/login", data=data, name="sign in: post", allow_redirects=False,
                              catch_response=True) as answer:
            if answer.status_code != 302:
                answer.failure(f"sign-in answered {answer.status_code}, not a redirect")

    @task
    def page(self) -> None:
        path = PATH.replace("{person_id}", random.choice(PERSON_IDS)) if PERSON_IDS else PATH
        with self.client.get(path, name=PAGE, allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"status {answer.status_code}")

"""Sign-in throttling: per account and address with a growing wait, softer ceilings per account and
per address, the client's address through a trusted proxy only, and no burst past the limit."""
from __future__ import annotations

import threading

import pytest

from core import create_app
from core.models import LoginFailure
from core.testing.factories import Factory
from core.testing.fixtures import make_config

WRONG = "wrong password here"


def _login(client, email, password, ip="10.0.0.1", headers=None):
    return client.post("/auth/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": ip}, headers=headers or {})


def _fail(client, email, times, ip="10.0.0.1", headers=None):
    for _ in range(times):
        assert _login(client, email, WRONG, ip, headers).status_code == 200


def test_after_the_free_failures_each_one_doubles_the_wait(app, client, make, clock):
    person = make.person(make.foundation())
    free, first = app.config["LOGIN_FREE_FAILURES"], app.config["LOGIN_FIRST_DELAY"]
    _fail(client, person.email, free)
    refused = _login(client, person.email, Factory.PASSWORD)
    assert refused.status_code == 429
    assert "30 seconden" in refused.get_data(as_text=True)  # how long, in words
    clock.forward(seconds=first.total_seconds() + 1)
    assert _login(client, person.email, WRONG).status_code == 200
    clock.forward(seconds=first.total_seconds() + 1)  # not yet: the wait is now twice as long
    assert _login(client, person.email, Factory.PASSWORD).status_code == 429
    clock.forward(seconds=first.total_seconds())
    assert _login(client, person.email, Factory.PASSWORD).status_code == 302


def test_someone_elses_failures_do_not_lock_the_owner_out(app, client, make):
    person = make.person(make.foundation())
    _fail(client, person.email, app.config["LOGIN_FREE_FAILURES"], ip="203.0.113.9")
    assert _login(client, person.email, WRONG, ip="203.0.113.9").status_code == 429
    assert _login(app.test_client(), person.email, Factory.PASSWORD, ip="10.0.0.1").status_code == 302


def test_a_right_password_clears_the_count(app, client, make):
    person = make.person(make.foundation())
    free = app.config["LOGIN_FREE_FAILURES"]
    _fail(client, person.email, free - 1)
    assert _login(client, person.email, Factory.PASSWORD).status_code == 302
    _fail(app.test_client(), person.email, free)  # all free again


def test_the_account_ceiling_counts_failures_from_every_address(app, client, make):
    app.config["LOGIN_MAX_FAILURES_ACCOUNT"] = 6
    person = make.person(make.foundation())
    for n in range(6):
        _fail(client, person.email, 1, ip=f"198.51.100.{n}")
    # the limit lives in the database, so another process (a fresh client) meets it too
    assert _login(app.test_client(), person.email, Factory.PASSWORD, ip="10.9.9.9").status_code == 429


def test_the_address_ceiling_counts_failures_over_every_account(app, client, make):
    app.config["LOGIN_MAX_FAILURES_IP"] = 3
    person = make.person(make.foundation())
    for n in range(3):
        _fail(client, f"someone{n}@example.test", 1)
    assert _login(client, person.email, Factory.PASSWORD).status_code == 429
    assert _login(client, person.email, Factory.PASSWORD, ip="10.0.0.2").status_code == 302


def test_old_failures_no_longer_count(app, client, make, clock):
    person = make.person(make.foundation())
    _fail(client, person.email, app.config["LOGIN_FREE_FAILURES"])
    clock.forward(minutes=16)
    assert _login(client, person.email, Factory.PASSWORD).status_code == 302


@pytest.fixture
def proxied_app(tmp_path, db):
    """The same database, with one trusted reverse proxy in front."""
    app = create_app(make_config(db.engine.url.render_as_string(hide_password=False), str(tmp_path),
                                 TRUSTED_PROXIES=1))
    return app


def test_behind_a_trusted_proxy_the_forwarded_address_counts(app, make, proxied_app):
    person = make.person(make.foundation())
    proxy = "127.0.0.1"
    attacker = {"X-Forwarded-For": "203.0.113.9"}
    _fail(proxied_app.test_client(), person.email, app.config["LOGIN_FREE_FAILURES"], ip=proxy, headers=attacker)
    client = proxied_app.test_client()
    assert _login(client, person.email, WRONG, ip=proxy, headers=attacker).status_code == 429
    owner = {"X-Forwarded-For": "10.1.2.3"}
    assert _login(client, person.email, Factory.PASSWORD, ip=proxy, headers=owner).status_code == 302


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(app, client, make):
    person = make.person(make.foundation())
    for n in range(app.config["LOGIN_FREE_FAILURES"]):
        _login(client, person.email, WRONG, headers={"X-Forwarded-For": f"192.0.2.{n}"})
    assert _login(client, person.email, WRONG, headers={"X-Forwarded-For": "192.0.2.99"}).status_code == 429


def test_parallel_attempts_do_not_get_past_the_limit(app, make, db):
    email = make.person(make.foundation()).email
    free = app.config["LOGIN_FREE_FAILURES"]
    statuses, start = [], threading.Barrier(8)

    def attempt():
        client = app.test_client()
        start.wait()
        statuses.append(_login(client, email, WRONG).status_code)

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    checked = statuses.count(200)
    assert statuses.count(429) == 8 - checked
    assert 1 <= checked <= free
    # refused attempts leave no count behind: only the checked passwords are failures
    pair_rows = db.session.scalar(db.select(db.func.count()).where(LoginFailure.key.like("pair:%")))
    assert pair_rows == checked

"""Browser-test fixtures: the real app served on loopback, driven by Debian's Chromium.

The live server serves the session's ``app`` (same database, plugins registered) from a thread,
with CSRF protection switched on: browser tests post real forms with real tokens. Every test
starts from empty tables (the ``db`` fixture) and a fresh browser context per person.
"""
from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from core.testing.factories import Factory

CHROMIUM = Path("/usr/bin/chromium")
# Needed on the CI machine: we run as root, there is no network beyond loopback.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCALE = "nl-NL"  # Dutch first, as the people using Journey; selectors never rely on wording


class LiveServer:
    def __init__(self, app) -> None:
        self._server = make_server("127.0.0.1", 0, app, threaded=True)  # port 0: the OS picks a free one
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="e2e-live-server", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()
        self._server.server_close()


@pytest.fixture(scope="session")
def e2e_browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium); CI installs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extras")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(app):
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def live_app(app, db, live_server):
    """The served app with CSRF on for this test (other tests post without tokens)."""
    previous = app.config["WTF_CSRF_ENABLED"]
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = previous


@pytest.fixture
def console_errors() -> list[str]:
    """Errors the browser reported (a blocked inline script or style shows up here as a CSP error)."""
    return []


def _record_console_error(errors: list[str], page, msg) -> None:
    # HTTP error statuses are the tests' business (they assert them); the favicon is not a page.
    if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
        errors.append(f"{page.url}: {msg.text}")


@pytest.fixture
def new_page(e2e_browser, live_server, live_app, console_errors):
    """``new_page()`` opens a page in a fresh browser context (its own cookies: one person each)."""
    contexts = []

    def _new_page():
        context = e2e_browser.new_context(base_url=live_server.url, locale=LOCALE)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: _record_console_error(console_errors, page, msg))
        page.on("pageerror", lambda exc: console_errors.append(f"{page.url}: {exc}"))
        return page

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def signed_in(new_page):
    """``signed_in(person)``: a page of a fresh context, signed in through the login form."""

    def _signed_in(person, password: str = Factory.PASSWORD):
        page = new_page()
        page.goto("/auth/login")
        page.fill("input[name=email]", person.email)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert urlsplit(page.url).path == "/", f"signing in {person.email} did not reach the dashboard"
        return page

    return _signed_in

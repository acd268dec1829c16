"""Every page reachable from the menus, for each demo account, at desktop and phone width: no
violation of axe-core's WCAG 2.1 A and AA rules, and nothing that scrolls sideways."""
from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

import pytest

from core.demo import ACCOUNTS, DEMO_PASSWORD

axe_module = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python is in the dev extras")

pytestmark = [
    pytest.mark.e2e,
    # The walk checks what the browser gets, which does not depend on the database; once is enough.
    pytest.mark.skipif(bool(os.environ.get("JOURNEY_TEST_DATABASE_URL")), reason="runs on SQLite only"),
]

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}
AXE = axe_module.Axe()
# Where a page is only reached through another one, but belongs to the walk all the same.
EXTRA_PATHS = ["/auth/account", "/notifications/", "/accessibility"]
# Downloads, feeds and actions are not pages.
SKIP = re.compile(r"(\.(csv|xlsx|ics|pdf|json)$|/files/|/download|/export|/logout|/document$|/static/)")
MAX_PAGES = 60


def _local_links(page, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "links => links.map(a => a.getAttribute('href'))")
    paths = []
    for href in hrefs:
        parts = urlsplit(href or "")
        if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIP.search(parts.path):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path not in paths:
            paths.append(path)
    return paths


def _pattern(path: str) -> str:
    """One page per kind: /people/12 and /people/13 are the same page for this walk."""
    return re.sub(r"\d+", "N", urlsplit(path).path)


def _walk(page) -> list[str]:
    """The pages of the menus, and the pages they link to (one of each kind)."""
    menu = _local_links(page, "header nav a[href]") + EXTRA_PATHS
    seen, paths = set(), []
    for path in menu:
        if _pattern(path) not in seen:
            seen.add(_pattern(path))
            paths.append(path)
    for path in list(paths):
        page.goto(path)
        for link in _local_links(page, "main a[href]"):
            if _pattern(link) not in seen and len(paths) < MAX_PAGES:
                seen.add(_pattern(link))
                paths.append(link)
    return paths


def _problems(page, path: str, width: str) -> list[str]:
    problems = []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .filter(e => !e.closest('[data-scroll-region]'))
            .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""")
        problems.append(f"{width} {path}: scrolls sideways by {overflow}px ({', '.join(wide)})")
    for violation in AXE.run(page, options=WCAG_21_AA).response["violations"]:
        targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        problems.append(f"{width} {path}: {violation['id']} ({violation['impact']}) at {targets}")
    return problems


# Forms with a required field to leave empty: sending one shows the form's error state.
EMPTY_FORMS = """() => [...document.querySelectorAll('main form')].filter(form =>
    form.method.toLowerCase() === 'post' && form.querySelector(
      'input[required]:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]), textarea[required]'))"""
SEND_EMPTY = """(index) => {
    const form = (EMPTY_FORMS)()[index];
    form.noValidate = true;
    form.querySelectorAll('input[required], textarea[required]').forEach(field => {
      if (!['hidden', 'checkbox', 'radio', 'file'].includes(field.type)) field.value = '';
    });
    (form.querySelector('button[type=submit], button:not([type]), input[type=submit]') || form).click();
}""".replace("EMPTY_FORMS", EMPTY_FORMS)
MAX_FORMS_PER_PAGE = 2


def _error_states(page, path: str, width: str) -> list[str]:
    """Send each form of the page with its required fields empty, and check what comes back."""
    problems = []
    count = min(page.evaluate(f"() => ({EMPTY_FORMS})().length"), MAX_FORMS_PER_PAGE)
    for index in range(count):
        if index:
            page.goto(path)
        with page.expect_navigation() as navigation:
            page.evaluate(SEND_EMPTY, index)
        status = navigation.value.status if navigation.value else 0
        if status >= 500:
            problems.append(f"{width} {path}: form {index + 1} sent empty answered {status}")
        problems += _problems(page, f"{path} (form {index + 1} sent empty)", width)
    return problems


@pytest.fixture
def demo(app, runner, live_app):
    result = runner.invoke(args=["journey", "demo"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("email", [account[0] for account in ACCOUNTS])
def test_every_menu_page_passes_wcag_and_fits_a_phone(demo, new_page, email):
    page = new_page()
    page.goto("/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    problems = _problems(page, "/auth/login → /", "desktop")
    paths = _walk(page)
    assert len(paths) >= 3, paths
    for width, (w, h) in WIDTHS.items():
        page.set_viewport_size({"width": w, "height": h})
        for path in paths:
            response = page.goto(path)
            assert response.status < 400, f"{path} answered {response.status}"
            problems += _problems(page, path, width)
            problems += _error_states(page, path, width)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)

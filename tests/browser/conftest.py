"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium, never a downloaded build)
headless against pytest-django's live server. A failing test leaves a screenshot and the page HTML
in test-artifacts/ (SHUREN_TEST_ARTIFACTS)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("SHUREN_CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the test
# itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.hookimpl(tryfirst=True)  # before the root conftest chooses the tests of each pass
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run `make test` as root or apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open_page(browser: Any, request: pytest.FixtureRequest, **context_args: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **context_args)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors  # type: ignore[attr-defined]
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        folder = Path(os.environ.get("SHUREN_TEST_ARTIFACTS", "test-artifacts")) / "browser"
        folder.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
        try:
            page.screenshot(path=str(folder / f"{stem}.png"), full_page=True)
            (folder / f"{stem}.html").write_text(page.content())
        except Exception as exc:  # the page may be gone; the failure itself is what matters
            (folder / f"{stem}.txt").write_text(f"no screenshot: {exc}")
    context.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A desktop-sized page (1280x900), Chinese browser locale."""
    yield from _open_page(browser, request, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A phone-sized page (390x844, touch)."""
    yield from _open_page(browser, request, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)


# The two sizes every page is looked at (screenshots and accessibility): a laptop, and a phone.
VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True},
}


@pytest.fixture
def still_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Opens pages ready to be compared with reference screenshots: ``still_page("phone")`` is a page
    of its own browser context at that size (VIEWPORTS), Chinese locale, Shanghai time, one device pixel
    per CSS pixel, reduced motion; ``cookies`` are set before the first request. Like ``page``, a
    failing test leaves a screenshot and the HTML of each page it opened."""
    opened: list[Iterator[Any]] = []

    def open_page(viewport: str, cookies: Iterable[dict[str, Any]] = ()) -> Any:
        pages = _open_page(browser, request, device_scale_factor=1, reduced_motion="reduce", **VIEWPORTS[viewport])
        page = next(pages)
        opened.append(pages)
        if cookies := list(cookies):
            page.context.add_cookies(cookies)
        return page

    yield open_page
    for pages in opened:
        next(pages, None)  # closes the context (after saving artifacts when the test failed)

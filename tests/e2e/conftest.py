"""End-to-end fixtures: the real app under ``streamlit run`` and Debian's Chromium driven by Playwright.

Under CI=true a missing browser fails the run; on a developer's machine it skips with a reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, AppServer

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("e2e"))


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        message = f"Debian's Chromium is not installed at {CHROMIUM}; `make test` installs it with apt-get."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def app_server(tmp_path):
    server = AppServer(tmp_path / "e2e.sqlite3", tmp_path / "streamlit.log").start()
    yield server
    server.stop()


@pytest.fixture
def page(chromium, request):
    context = chromium.new_context(viewport={"width": 1400, "height": 1800}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


def settle(page) -> None:
    """Wait until Streamlit has finished running the script after the last action."""
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", state="attached")
    page.wait_for_timeout(300)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", state="attached")
    drawn(page)


def drawn(page) -> None:
    """Wait until every element of the page is drawn. The code of a kind of element not shown before on the page
    (a table, a page link) loads after the script's run has ended; until it has, an empty grey placeholder stands
    in the element's place, which Tab passes over (a link last on the page: the focus goes off the page)."""
    page.wait_for_selector("[data-testid=stSkeleton]", state="detached")


def choose_option(page, label: str, option: str) -> None:
    """Choose an option of a select box as a keyboard user does: type it, then Enter on the option it leaves.

    A click on an option can miss: the list is still moving into place as it opens, so under load the press lands
    on the option and the release beside it, and nothing is chosen (the walk then waited in vain for the filter)."""
    page.get_by_role("combobox", name=label).click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).wait_for()
    page.keyboard.press("Enter")
    settle(page)

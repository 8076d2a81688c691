"""A board member in a real browser edits an action's owner and status, reloads, and finds both saved."""

from __future__ import annotations

from assessment.services import create_example
from assessment.store import Store
from questions.loader import get_bank
from tests.e2e.conftest import settle

BANK = get_bank()
TOP = "alcohol-commissioners-at-the-table@partner:alcohol_treatment:strategic"
TITLE = "1. Bring alcohol commissioners and services to the IOM table"


def open_top_action(page):
    page.get_by_text(TITLE).click()
    settle(page)
    action = page.get_by_test_id("stExpander").filter(has_text=TITLE)
    action.get_by_text("Your board's record").wait_for()
    return action


def test_an_owner_and_a_status_survive_a_reload(app_server, page):
    example = create_example(Store(app_server.db_path), BANK)
    page.goto(f"{app_server.url}/action-plan?a={example.id}")
    settle(page)
    page.get_by_role("heading", name="Action plan: Exampleshire (fictional example)").wait_for()

    action = open_top_action(page)
    assert "Practice example: Hampshire, Commissioning alcohol help from a needs analysis" in action.inner_text()
    owner = action.get_by_role("textbox", name="Owner")
    owner.fill("Head of commissioning, public health")
    owner.press("Tab")  # a text input saves when it loses focus
    settle(page)
    action.get_by_role("combobox", name="Status").click()
    page.keyboard.type("In progress")
    page.keyboard.press("Enter")
    settle(page)

    saved = Store(app_server.db_path).get(example.id).plan[TOP]
    assert (saved.owner, saved.status) == ("Head of commissioning, public health", "in_progress")

    page.reload()
    settle(page)
    action = open_top_action(page)
    assert action.get_by_role("textbox", name="Owner").input_value() == "Head of commissioning, public health"
    summary = action.locator("summary").inner_text()
    assert "In progress" in summary
    assert "Owner: Head of commissioning, public health" in summary


def test_the_page_opens_on_the_top_ranked_actions(app_server, page):
    example = create_example(Store(app_server.db_path), BANK)
    page.goto(f"{app_server.url}/action-plan?a={example.id}")
    settle(page)
    page.get_by_role("heading", name="Action plan: Exampleshire (fictional example)").wait_for()
    first = page.get_by_test_id("stExpander").filter(has_text=" · Lead: ").first
    assert first.locator("summary").inner_text().strip().splitlines()[-1].startswith(TITLE)  # after the status icon

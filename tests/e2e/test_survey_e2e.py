"""A new user in a real browser: starts an assessment, answers, reloads, and the server restarts."""

from __future__ import annotations

from assessment.store import Store
from questions.loader import get_bank
from tests.e2e.conftest import settle

BANK = get_bank()
FIRST, SECOND = BANK.principles[0].statements[:2]


def choose_level(page, number: int, label: str) -> None:
    group = page.get_by_role("radiogroup", name=f"How well is this in place? (statement 1.{number})")
    group.get_by_text(label, exact=True).click()
    settle(page)


def test_answers_survive_a_reload_and_a_server_restart(app_server, page):
    page.goto(app_server.url)
    settle(page)
    page.get_by_role("textbox", name="Name of your IOM area").fill("Northshire")
    page.get_by_role("button", name="Start", exact=True).click()
    settle(page)
    page.get_by_text("Principle 1: All partners manage offenders together").wait_for()
    assert "a=" in page.url

    choose_level(page, 1, "3 Established")
    choose_level(page, 2, "Don't know")
    note = page.get_by_role("textbox", name="Evidence note (optional)").first
    note.fill("Information-sharing agreement signed in March")
    note.press("Tab")  # a text area saves when it loses focus
    settle(page)

    saved = Store(app_server.db_path).list()[0]
    stored = Store(app_server.db_path).get(saved.id)
    assert stored.answers[FIRST.id].choice == "3"
    assert stored.answers[FIRST.id].evidence == "Information-sharing agreement signed in March"
    assert stored.answers[SECOND.id].choice == "dont_know"

    link = page.url
    page.reload()
    settle(page)
    assert_answers_shown(page)

    app_server.restart()
    page.goto(link)
    settle(page)
    assert_answers_shown(page)


def assert_answers_shown(page) -> None:
    first = page.get_by_role("radiogroup", name="How well is this in place? (statement 1.1)")
    assert first.get_by_role("radio", name="3 Established").is_checked()
    second = page.get_by_role("radiogroup", name="How well is this in place? (statement 1.2)")
    assert second.get_by_role("radio", name="Don't know").is_checked()
    assert page.get_by_role("textbox", name="Evidence note (optional)").first.input_value() == (
        "Information-sharing agreement signed in March"
    )
    assert "2 of 36 statements answered" in page.get_by_test_id("stProgress").inner_text()

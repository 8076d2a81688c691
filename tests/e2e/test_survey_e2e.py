"""A new user in a real browser: starts an assessment, answers, reloads, and the server restarts."""

from __future__ import annotations

import re

from assessment.store import Store
from questions.loader import get_bank
from tests.e2e.conftest import settle

BANK = get_bank()
FIRST, SECOND = BANK.principles[0].statements[:2]


def choose_level(page, number: int, label: str) -> None:
    group = page.get_by_role("radiogroup", name=re.compile(rf"^1\.{number} "))
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
    note = page.get_by_role("textbox", name="Evidence note for statement 1.1 (optional)")
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
    first = page.get_by_role("radiogroup", name=re.compile(r"^1\.1 "))
    assert first.get_by_role("radio", name="3 Established").is_checked()
    second = page.get_by_role("radiogroup", name=re.compile(r"^1\.2 "))
    assert second.get_by_role("radio", name="Don't know").is_checked()
    assert page.get_by_role("textbox", name="Evidence note for statement 1.1 (optional)").input_value() == (
        "Information-sharing agreement signed in March"
    )
    assert f"2 of {len(BANK.statements())} statements answered" in page.get_by_test_id("stProgress").inner_text()


def test_a_partner_answer_chosen_in_the_grid_is_saved_and_counts_on_the_results(app_server, page):
    from assessment.services import start_assessment

    assessment = start_assessment(Store(app_server.db_path), BANK, area="Gridshire", year=2026)
    page.goto(f"{app_server.url}/survey?a={assessment.id}&section=Partner+coverage")
    settle(page)
    page.get_by_text("Show all partners as two tables instead").click()  # one partner at a time is the default
    settle(page)
    grid = page.get_by_test_id("stDataFrame").first  # the strategic level
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # the grid is drawn on a canvas after the script has finished
    box = grid.bounding_box()
    # Row 1 (Police), first answer column: past the pinned partner column (290 px) and the 35 px header.
    page.mouse.dblclick(box["x"] + 290 + 60, box["y"] + 35 + 17)
    page.wait_for_timeout(500)
    page.get_by_role("option", name="Yes", exact=True).click()
    settle(page)
    first_indicator = next(i for i in BANK.partners.indicators if i.level == "strategic")
    assert Store(app_server.db_path).get(assessment.id).partner_answer("police", first_indicator.id) == "yes"
    cells = len(BANK.partners.partners) * len(BANK.partners.indicators)
    assert f"1 of {cells} partner answers given" in page.get_by_test_id("stProgress").inner_text()
    page.goto(f"{app_server.url}/results?a={assessment.id}")
    settle(page)
    page.get_by_text("Involved (100%)").first.wait_for(state="visible")  # tables are drawn after the script ends

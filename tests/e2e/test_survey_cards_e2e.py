"""Each statement's card runs alone after a change in it (a fragment, issue 12's click-to-updated), yet the page
stays right: the progress bar and the list of what is still to answer follow the first answer and a missing
reason, an answer saved in another tab is shown, and a storage fault in a card's run says so plainly.

AppTest always runs the whole page, so these paths are only exercised here, in Chromium.
"""

from __future__ import annotations

from assessment.services import answer_statement, start_assessment
from assessment.store import Store
from questions.loader import get_bank
from tests.e2e.conftest import settle
from tests.e2e.test_saving_e2e import card_text, level_label, radio_group

BANK = get_bank()
PRINCIPLE = BANK.principles[0]
FIRST, SECOND = PRINCIPLE.statements[:2]
STATEMENTS = sum(1 for _ in BANK.statements())


def progress(page) -> str:
    return page.get_by_test_id("stProgress").inner_text()


def still_to_answer(page) -> str:
    """The "What is still to answer" list, opened first if it is closed (an open <details> has open="")."""
    expander = page.get_by_test_id("stExpander").filter(has_text="What is still to answer")
    if expander.locator("details").get_attribute("open") is None:
        expander.get_by_text("What is still to answer").click()
        settle(page)
    return expander.inner_text()


def choose(page, number: int, label: str) -> None:
    radio_group(page, number).get_by_text(label, exact=True).click()
    settle(page)


def saved_choice(db_path, assessment_id: str, statement_id: str) -> str | None:
    answer = Store(db_path).get(assessment_id).answers.get(statement_id)
    return answer.choice if answer else None


def test_a_changed_level_is_saved_and_the_progress_follows_the_first_answer_only(app_server, page):
    assessment = start_assessment(Store(app_server.db_path), BANK, area="Cardshire", year=2026)
    page.goto(f"{app_server.url}/survey?a={assessment.id}")
    settle(page)
    assert f"0 of {STATEMENTS} statements answered" in progress(page)
    choose(page, 1, level_label(2))
    assert f"1 of {STATEMENTS} statements answered" in progress(page)
    assert f": {level_label(2)}." in card_text(page, 1)
    for level in (3, 1, 4):  # changes of level: the card's own run
        choose(page, 1, level_label(level))
        assert "Saved at" in card_text(page, 1) and f": {level_label(level)}." in card_text(page, 1)
        assert saved_choice(app_server.db_path, assessment.id, FIRST.id) == str(level)
    assert f"1 of {STATEMENTS} statements answered" in progress(page)
    assert f"1.1 {FIRST.text}" not in still_to_answer(page)
    assert f"1.2 {SECOND.text}" in still_to_answer(page)


def test_not_applicable_asks_for_a_reason_and_the_list_says_so_until_it_is_given(app_server, page):
    assessment = start_assessment(Store(app_server.db_path), BANK, area="Cardshire", year=2026)
    page.goto(f"{app_server.url}/survey?a={assessment.id}")
    settle(page)
    choose(page, 1, level_label(2))
    choose(page, 1, "Not applicable")  # answered -> needs a reason: the whole page runs
    assert f"0 of {STATEMENTS} statements answered" in progress(page)
    assert "needs a reason for 'Not applicable'" in still_to_answer(page)
    reason = page.get_by_role("textbox", name="Why is this not applicable in your area?")
    reason.fill("No prison in the area")
    reason.press("Tab")
    settle(page)
    assert f"1 of {STATEMENTS} statements answered" in progress(page)
    assert "needs a reason" not in still_to_answer(page)
    saved = Store(app_server.db_path).get(assessment.id).answers[FIRST.id]
    assert (saved.choice, saved.na_reason) == ("not_applicable", "No prison in the area")
    choose(page, 1, level_label(3))  # back to a level: the reason box goes
    assert page.get_by_role("textbox", name="Why is this not applicable in your area?").count() == 0
    assert saved_choice(app_server.db_path, assessment.id, FIRST.id) == "3"


def test_an_answer_saved_in_another_tab_shows_when_a_card_here_is_next_changed(app_server, chromium, page):
    store = Store(app_server.db_path)
    assessment = start_assessment(store, BANK, area="Cardshire", year=2026)
    page.goto(f"{app_server.url}/survey?a={assessment.id}")
    settle(page)
    choose(page, 1, level_label(1))
    choose(page, 2, level_label(1))
    other = chromium.new_context(viewport={"width": 1400, "height": 1800}).new_page()
    try:
        other.goto(f"{app_server.url}/survey?a={assessment.id}")
        settle(other)
        choose(other, 2, level_label(4))
    finally:
        other.context.close()
    choose(page, 1, level_label(2))  # a change of level in another card, here
    assert radio_group(page, 2).get_by_role("radio", name=level_label(4)).is_checked()
    assert "changed this answer after you gave yours" in card_text(page, 2)
    assert saved_choice(app_server.db_path, assessment.id, FIRST.id) == "2"
    assert saved_choice(app_server.db_path, assessment.id, SECOND.id) == "4"


def test_a_save_that_fails_in_a_card_run_says_so_and_keeps_the_answer(app_server, page):
    store = Store(app_server.db_path)
    assessment = start_assessment(store, BANK, area="Cardshire", year=2026)
    answer_statement(store, assessment, FIRST.id, choice="1")
    page.goto(f"{app_server.url}/survey?a={assessment.id}")
    settle(page)
    moved = app_server.db_path.with_name("moved.sqlite3")
    app_server.db_path.rename(moved)  # the database file is moved away while the page is open
    try:
        choose(page, 1, level_label(3))
        text = card_text(page, 1)
        assert "Your answer was not saved." in text and "Try again" in text
        assert "Saved at" not in text
        assert radio_group(page, 1).get_by_role("radio", name=level_label(3)).is_checked()  # still selected
        assert saved_choice(moved, assessment.id, FIRST.id) == "1"
    finally:
        moved.rename(app_server.db_path)
    page.get_by_role("button", name="Try again").click()
    settle(page)
    assert saved_choice(app_server.db_path, assessment.id, FIRST.id) == "3"
    assert f": {level_label(3)}." in card_text(page, 1)


def whole_page_runs_clicked(page) -> int:
    """How many times the survey's script has clicked its hidden "Save my last change" button (app_pages/browser.py:
    it does so when a change in a card is not followed by a run), once it has nothing left to wait for."""
    page.wait_for_function("() => window.__iomRescue && !window.__iomRescue.waiting")
    return page.evaluate("() => window.__iomRescue.clicks")


def test_the_whole_page_is_not_run_again_when_nothing_was_lost(app_server, page):
    """The hidden button that runs the whole page is for a change that Streamlit dropped (tests/e2e/test_saving_e2e
    .py, after a server restart). A click on the level already chosen, Space on it, or leaving a note or a reason
    already sent with Enter sends nothing, so there is no run to wait for: nothing must be clicked then."""
    assessment = start_assessment(Store(app_server.db_path), BANK, area="Cardshire", year=2026)
    page.goto(f"{app_server.url}/survey?a={assessment.id}")
    settle(page)
    choose(page, 1, level_label(2))
    choose(page, 1, level_label(3))
    choose(page, 2, "Not applicable")
    clicked = whole_page_runs_clicked(page)
    choose(page, 1, level_label(3))
    assert whole_page_runs_clicked(page) == clicked, "clicked after a click on the level already chosen"
    radio_group(page, 1).get_by_role("radio", name=level_label(3)).focus()
    page.keyboard.press("Space")
    settle(page)
    assert whole_page_runs_clicked(page) == clicked, "clicked after Space on the level already chosen"
    note = page.get_by_role("textbox", name=f"Evidence note for statement {PRINCIPLE.number}.1 (optional)")
    note.fill("Board minutes, March")
    note.press("Control+Enter")  # sends the note
    settle(page)
    note.press("Tab")  # leaves it: nothing new to send
    settle(page)
    assert whole_page_runs_clicked(page) == clicked, "clicked after leaving a note already sent"
    reason = page.get_by_role("textbox", name="Why is this not applicable in your area?")
    reason.fill("No prison in the area")
    reason.press("Enter")
    settle(page)
    reason.press("Tab")
    settle(page)
    assert whole_page_runs_clicked(page) == clicked, "clicked after leaving a reason already sent"
    saved = Store(app_server.db_path).get(assessment.id).answers
    assert (saved[FIRST.id].choice, saved[FIRST.id].evidence) == ("3", "Board minutes, March")
    assert (saved[SECOND.id].choice, saved[SECOND.id].na_reason) == ("not_applicable", "No prison in the area")

"""No answer lost: fast clicks while saves are slow, a reconnect after a server restart, and two tabs.

Saves are made slow with an SQLite trigger on the test's own database (a real query that takes a while
inside each save's transaction), so clicks reliably arrive while the page is still saving.
"""

from __future__ import annotations

import re
import sqlite3

import pytest

from assessment.access import LOCAL_USER
from assessment.services import answer_statement, history, start_assessment
from assessment.store import Store
from questions.loader import get_bank
from tests.e2e.conftest import settle
from tests.e2e.server import AppServer

BANK = get_bank()
PRINCIPLE = BANK.principles[0]
LEVELS = ["0 ", "1 ", "2 ", "3 ", "4 "]
STATEMENTS = sum(1 for _ in BANK.statements())


def slow_saves(db_path, rows: int = 600_000) -> None:
    """Every write of an answer runs a counting query first: about half a second per save on a quiet machine."""
    busy = f"SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {rows}) SELECT x FROM c);"
    with sqlite3.connect(db_path) as connection:
        for event in ("INSERT", "UPDATE"):
            connection.execute(
                f"CREATE TRIGGER slow_{event.lower()} AFTER {event} ON statement_answers BEGIN {busy} END"
            )


def level_label(level: int) -> str:
    return f"{level} {BANK.level_label(level)}"


def radio_group(page, number: int):
    return page.get_by_role("radiogroup", name=re.compile(rf"^{PRINCIPLE.number}\.{number} "))


def card_text(page, number: int) -> str:
    return page.get_by_test_id("stVerticalBlock").filter(has=radio_group(page, number)).last.inner_text()


def test_answers_clicked_while_the_page_is_still_saving_are_all_saved(app_server, page):
    store = Store(app_server.db_path)
    assessment = start_assessment(store, BANK, area="Quickshire", year=2026)
    slow_saves(app_server.db_path)
    page.goto(f"{app_server.url}/survey?a={assessment.id}")
    settle(page)
    wanted = {}
    for number, statement in enumerate(PRINCIPLE.statements, start=1):
        level = (number + 1) % 5
        wanted[statement.id] = str(level)
        # No waiting for the page between clicks: each click lands while earlier answers are being saved.
        radio_group(page, number).get_by_text(level_label(level), exact=True).click()
    for _ in range(3):  # a run that saved something may run once more to show it
        settle(page)
    saved = {sid: a.choice for sid, a in Store(app_server.db_path).get(assessment.id).answers.items()}
    assert saved == wanted
    for number, statement in enumerate(PRINCIPLE.statements, start=1):
        assert radio_group(page, number).get_by_role("radio", name=level_label(int(wanted[statement.id]))).is_checked()
        assert "Saved at" in card_text(page, number)


@pytest.mark.parametrize("first_change", ["level", "note"])
def test_the_first_answer_after_a_server_restart_is_saved(app_server, page, first_change):
    store = Store(app_server.db_path)
    assessment = start_assessment(store, BANK, area="Restartshire", year=2026)
    answer_statement(store, assessment, PRINCIPLE.statements[1].id, choice="1")
    page.goto(f"{app_server.url}/survey?a={assessment.id}")
    settle(page)
    radio_group(page, 1).get_by_text(level_label(2), exact=True).click()
    settle(page)
    app_server.restart()
    # The open tab reconnects by itself; the next answer is its first message to the new server.
    page.get_by_test_id("stStatusWidget").wait_for(state="detached", timeout=60_000)
    radio_group(page, 2).get_by_role("radio").first.wait_for()
    page.wait_for_function("() => !document.querySelector('[data-testid=stApp] [disabled]')", timeout=60_000)
    if first_change == "level":
        radio_group(page, 2).get_by_text(level_label(4), exact=True).click()
    else:
        note = page.get_by_role("textbox", name=f"Evidence note for statement {PRINCIPLE.number}.2 (optional)")
        note.fill("Minutes of the March board")
        note.press("Tab")  # Streamlit sends a note when it is left
    for _ in range(3):
        settle(page)
    # A new session drops a card's own run (app_pages/browser.py): the page runs whole a second later and saves it.
    page.get_by_test_id("stVerticalBlock").filter(has=radio_group(page, 2)).last.get_by_text("Saved at").wait_for()
    answers = Store(app_server.db_path).get(assessment.id).answers
    assert answers[PRINCIPLE.statements[0].id].choice == "2"
    second = answers[PRINCIPLE.statements[1].id]
    assert (second.choice, second.evidence) == (
        ("4", "") if first_change == "level" else ("1", "Minutes of the March board")
    )
    assert "Saved at" in card_text(page, 2)


def test_results_and_downloads_in_one_tab_show_answers_saved_in_another(app_server, page, tmp_path):
    store = Store(app_server.db_path)
    assessment = start_assessment(store, BANK, area="Twotabshire", year=2026)
    page.goto(f"{app_server.url}/results?a={assessment.id}")
    settle(page)
    answered = page.get_by_test_id("stMetric").filter(has_text="Statements answered")
    assert f"0 of {STATEMENTS}" in answered.inner_text()
    other_tab = store.get(assessment.id)  # another tab, or another board member, answers two statements
    answer_statement(store, other_tab, PRINCIPLE.statements[0].id, choice="3")
    answer_statement(store, other_tab, PRINCIPLE.statements[1].id, choice="dont_know")
    # The page follows the saved assessment by itself, without a reload or a click.
    answered.get_by_text(f"2 of {STATEMENTS}").wait_for(timeout=30_000)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the answers (JSON)").click()
    exported = download.value.path().read_text(encoding="utf-8")
    assert '"3"' in exported
    assert "dont_know" in exported


@pytest.mark.parametrize("started_with", ["", "--runner.fastReruns=true"])
def test_a_click_during_a_save_waits_for_that_save_instead_of_running_beside_it(tmp_path, page, started_with):
    """One session's runs never overlap. With Streamlit's default ``runner.fastReruns`` a click starts a new run
    at once while the last run is still inside a save; both runs then compare and save the same answers, and
    under load the older save can land last, leaving the database behind what the page shows as saved. Each
    answer below is given once, so each must be saved exactly once: with the project's config, and with a
    server started with fast reruns on (as a deployment's own config might), which the app turns off itself."""
    server = AppServer(
        tmp_path / "e2e.sqlite3", tmp_path / "streamlit.log", args=(started_with,) if started_with else ()
    )
    server.start()
    try:
        each_answer_saved_once(server, page)
    finally:
        server.stop()


def each_answer_saved_once(app_server, page) -> None:
    store = Store(app_server.db_path)
    assessment = start_assessment(store, BANK, area="Oneatatimeshire", year=2026)
    slow_saves(app_server.db_path)
    page.goto(f"{app_server.url}/survey?a={assessment.id}")
    settle(page)
    for number in range(1, 4):
        radio_group(page, number).get_by_text(level_label(number), exact=True).click()
        page.wait_for_timeout(100)  # well inside the half-second save the last click started
    for _ in range(3):
        settle(page)
    saved = Store(app_server.db_path).get(assessment.id)
    changes = history(store, saved, actor=LOCAL_USER)
    saves = [c.target for c in changes if c.action == "answer"]
    assert sorted(saves) == sorted(s.id for s in PRINCIPLE.statements[:3]), saves

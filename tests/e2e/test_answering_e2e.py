"""Answering in a real browser (issue 12): Next puts the focus on the new heading, a typed note is never silently
lost, the "Saved" note is readable and announced, and a partner answer is one click."""

from __future__ import annotations

import re

from assessment.services import start_assessment
from assessment.store import Store
from questions.loader import get_bank
from tests.e2e.conftest import settle

BANK = get_bank()
FIRST = BANK.principles[0].statements[0]


def open_survey(page, server, assessment_id: str, section: str = "") -> None:
    page.goto(f"{server.url}/survey?a={assessment_id}" + (f"&section={section}" if section else ""))
    settle(page)
    page.get_by_role("radiogroup", name="Section").wait_for()  # the widgets' code loads after the page's text


def focused_heading(page) -> str:
    page.wait_for_function("() => /^H[1-6]$/.test(document.activeElement.tagName)", timeout=30_000)
    return page.evaluate("() => document.activeElement.textContent.trim()")


def test_next_clicked_six_times_puts_the_focus_on_each_new_heading(app_server, page):
    assessment = start_assessment(Store(app_server.db_path), BANK, area="Focusshire", year=2026)
    open_survey(page, app_server, assessment.id)
    headings = [f"Principle {p.number}: {p.name}" for p in BANK.principles[1:]] + ["Partner coverage"]
    reached = []
    for _ in headings:
        page.get_by_role("button", name=re.compile("^Next: ")).click()
        settle(page)
        reached.append(focused_heading(page))
        top = page.evaluate("() => document.activeElement.getBoundingClientRect().top")
        # scrolled to the heading, in the top half of the 1,800 px window, not left thousands of pixels below it
        # (a loaded machine can still be laying out the section when this is measured, so not an exact top)
        assert 0 <= top < 900
    assert reached == headings  # 6 of 6


def test_a_note_typed_then_a_page_link_followed_is_saved_and_the_link_followed(app_server, page):
    assessment = start_assessment(Store(app_server.db_path), BANK, area="Noteshire", year=2026)
    open_survey(page, app_server, assessment.id)
    page.get_by_role("textbox", name="Evidence note for statement 1.1 (optional)").fill("Signed in March")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Results").click()
    page.get_by_role("heading", name="Results: Noteshire 2026").wait_for()  # before the fix: still on the survey
    assert Store(app_server.db_path).get(assessment.id).answer(FIRST.id).evidence == "Signed in March"


def test_a_note_typed_then_the_tab_reloaded_asks_first_and_is_saved(app_server, page):
    assessment = start_assessment(Store(app_server.db_path), BANK, area="Reloadshire", year=2026)
    open_survey(page, app_server, assessment.id)
    page.get_by_role("textbox", name="Evidence note for statement 1.1 (optional)").click()
    page.keyboard.type("Agreed at the board")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))  # "Stay on this page"
    page.evaluate("() => { location.reload(); }")
    page.wait_for_timeout(1500)
    settle(page)
    assert asked == ["beforeunload"]
    assert Store(app_server.db_path).get(assessment.id).answer(FIRST.id).evidence == "Agreed at the board"


def test_the_saved_note_is_readable_and_said_by_a_screen_reader(app_server, page):
    assessment = start_assessment(Store(app_server.db_path), BANK, area="Statusshire", year=2026)
    open_survey(page, app_server, assessment.id)
    page.get_by_role("radiogroup", name=re.compile(r"^1\.1 ")).get_by_text("2 Developing", exact=True).click()
    settle(page)
    note = page.locator(".iom-saved")
    note.wait_for()
    assert re.fullmatch(r"✓ Saved at \d\d:\d\d:\d\d: 2 Developing\.", note.inner_text().strip())
    colour = note.evaluate("e => getComputedStyle(e).color")
    assert colour == "rgb(0, 112, 60)"  # #00703c: 5.9:1 on white (WCAG 1.4.3 asks 4.5:1)
    live = page.get_by_role("status").filter(has_text="Saved at")
    live.wait_for(state="attached")
    assert live.get_attribute("aria-live") == "polite"
    assert "2 Developing" in live.text_content()


def test_a_partner_answer_is_one_click_and_is_saved(app_server, page):
    assessment = start_assessment(Store(app_server.db_path), BANK, area="Clickshire", year=2026)
    open_survey(page, app_server, assessment.id, "Partner+coverage")
    assert page.get_by_test_id("stDataFrame").count() == 0  # no canvas grid on the default path
    indicator = BANK.partners.indicators[0]
    group = page.get_by_role("radiogroup", name=f"Police: {indicator.text[0].lower()}{indicator.text[1:]}?")
    group.get_by_text("Partly", exact=True).click()
    settle(page)
    assert Store(app_server.db_path).get(assessment.id).partner_answer("police", indicator.id) == "partly"
    assert group.get_by_role("radio", name="Partly").is_checked()
    page.locator(".iom-saved").filter(
        has_text=f"1 of {len(BANK.partners.indicators)} answers for Police given"
    ).wait_for()

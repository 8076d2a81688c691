"""Keyboard only (WCAG 2.1.1, 2.1.2, 2.4.3, 2.4.7): the whole survey, principles and partners, and the action plan,
done with Tab, the arrow keys, Space, Enter and typing, never the mouse. At every Tab stop the focus is visible and
has moved on (no trap); after "Next" and "Next partner" it is on the new heading."""

from __future__ import annotations

from datetime import date

import pytest

from assessment.services import create_example, start_assessment
from assessment.store import Store
from questions.loader import get_bank
from tests.e2e.conftest import drawn, settle

BANK = get_bank()
PARTNERS = BANK.partners.partners
INDICATORS = BANK.partners.indicators

# Where the focus is, whether it is shown, and whether it moved since the last look. A radio button's input is
# hidden (1 px), so its ring is drawn on the option around it: the ring counts on any box at least 8 px wide.
FOCUS = """() => {
    const a = document.activeElement;
    const moved = window.__iomLastFocus !== a;
    window.__iomLastFocus = a;
    if (!a || a === document.body) return {where: 'body', visible: false, moved};
    const boxes = [a, a.closest('[data-testid=stRadioOption]'), a.closest('label'), a.closest('[data-baseweb=select]')]
        .filter(e => e && e.getBoundingClientRect().width >= 8);
    const visible = a.matches(':focus-visible') && boxes.some(e => {
        const s = getComputedStyle(e);
        return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
    });
    const group = a.closest('[role=radiogroup]');
    return {
        where: a.tagName.toLowerCase(),
        name: (a.getAttribute('aria-label') || a.innerText || a.textContent || '').trim().replace(/\\s+/g, ' '),
        group: group ? group.getAttribute('aria-label') : null,
        visible, moved,
    };
}"""


def focus(page) -> dict:
    return page.evaluate(FOCUS)


def tab_to(page, wanted, *, limit: int = 40) -> dict:
    """Press Tab until ``wanted(focus)``; every stop on the way must show its focus and differ from the last.

    The walk starts once every element is drawn (``drawn``): a Tab never lands on a placeholder's place."""
    drawn(page)
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        here = focus(page)
        stops.append(f"{here['where']}:{here.get('group') or here.get('name', '')[:40]}")
        assert here["where"] != "body", f"the focus fell to the page's body after {stops}"
        assert here["visible"], f"the focus is not visible at {stops[-1]}"
        assert here["moved"], f"Tab did not move the focus from {stops[-1]} (a trap)"
        if wanted(here):
            return here
    raise AssertionError(f"not reached in {limit} Tab presses: {stops}")


def choose(page, presses: list[str]) -> None:
    for key in presses:
        page.keyboard.press(key)
        settle(page)


def open_with_enter(page, first_field: str) -> None:
    """Press Enter on an expander's summary and wait until its content is drawn, the focus still on the summary.

    Opening an expander reruns the script to draw what is inside; on a busy machine the rerun can start after
    ``settle`` has already seen the script idle, and a Tab pressed then would skip the fields not drawn yet."""
    page.keyboard.press("Enter")
    page.locator(f"details[open] [aria-label='{first_field}']").first.wait_for(state="visible", timeout=30_000)
    settle(page)
    assert focus(page)["where"] == "summary", "opening the expander moved the focus off its summary"


def heading_has_focus(page, text: str) -> None:
    page.wait_for_function(
        "text => document.activeElement && /^H[1-6]$/.test(document.activeElement.tagName)"
        " && document.activeElement.textContent.trim() === text",
        arg=text,
        timeout=30_000,
    )
    top, bottom, height = page.evaluate(
        "() => { const b = document.activeElement.getBoundingClientRect(); return [b.top, b.bottom, innerHeight]; }"
    )
    # Scrolled into view: at the top of the window, unless the page ends before the heading could get there.
    assert top >= 0 and bottom <= height, f"the heading {text!r} has the focus but is {top} px from the window's top"


@pytest.mark.timeout(900)  # about 1,000 key presses and 130 saves: 150 s alone, over 300 s on a loaded machine
def test_the_whole_survey_can_be_answered_with_the_keyboard_alone(app_server, page):
    assessment = start_assessment(Store(app_server.db_path), BANK, area="Keyshire", year=2026)
    page.goto(f"{app_server.url}/survey?a={assessment.id}")
    settle(page)
    page.get_by_role("radiogroup", name="Section").wait_for()  # the widgets' code loads after the page's text
    page.get_by_role("textbox", name="Evidence note for statement 1.1 (optional)").wait_for()
    # Space chooses the first option; each arrow key moves to the next option and chooses it.
    keys = (["Space"], ["ArrowDown"], ["ArrowDown", "ArrowDown"])
    expected: dict[str, str] = {}
    for principle in BANK.principles:
        for number, statement in enumerate(principle.statements, start=1):
            tab_to(page, lambda f, n=f"{principle.number}.{number} ": (f["group"] or "").startswith(n))
            presses = keys[number % 3]
            choose(page, presses)
            expected[statement.id] = "0" if presses == ["Space"] else str(len(presses))
            if number == 1:
                note = f"Evidence note for statement {principle.number}.1 "
                tab_to(page, lambda f, note=note: f["name"].startswith(note))
                page.keyboard.type(f"Minutes of the board, principle {principle.number}")
        tab_to(page, lambda f: f["where"] == "button" and f["name"].startswith("Next:"))
        page.keyboard.press("Enter")
        settle(page)
        following = BANK.principles[principle.number] if principle.number < len(BANK.principles) else None
        heading_has_focus(page, f"Principle {following.number}: {following.name}" if following else "Partner coverage")

    partner_expected: dict[tuple[str, str], str] = {}
    options = ["yes", "partly", "no", "dont_know"]
    for index, partner in enumerate(PARTNERS):
        for position, indicator in enumerate(INDICATORS):
            tab_to(page, lambda f, p=partner.name: (f["group"] or "").startswith(f"{p}: "))
            presses = ["Space"] if (index + position) % 2 == 0 else ["ArrowRight"]
            choose(page, presses)
            partner_expected[partner.id, indicator.id] = options[0 if presses == ["Space"] else 1]
        if index < len(PARTNERS) - 1:
            tab_to(page, lambda f: f["where"] == "button" and "Next partner: " in f["name"])
            page.keyboard.press("Enter")
            settle(page)
            heading_has_focus(page, f"Partner {index + 2} of {len(PARTNERS)}: {PARTNERS[index + 1].name}")
    tab_to(page, lambda f: f["where"] == "button" and f["name"] == "Next: Review my answers")
    page.keyboard.press("Enter")
    settle(page)
    heading_has_focus(page, "Review your answers")
    tab_to(page, lambda f: f["where"] == "a" and "See the results" in f["name"], limit=60)
    page.keyboard.press("Enter")
    settle(page)
    page.get_by_role("heading", name="Results: Keyshire 2026").wait_for()

    saved = Store(app_server.db_path).get(assessment.id)
    assert {sid: saved.answers[sid].choice for sid in expected} == expected
    assert {key: saved.partner_answer(*key) for key in partner_expected} == partner_expected
    for principle in BANK.principles:
        assert (
            saved.answers[principle.statements[0].id].evidence == f"Minutes of the board, principle {principle.number}"
        )


TOP = "alcohol-commissioners-at-the-table@partner:alcohol_treatment:strategic"
TITLE = "1. Bring alcohol commissioners and services to the IOM table"


def test_the_action_plan_can_be_completed_with_the_keyboard_alone(app_server, page):
    example = create_example(Store(app_server.db_path), BANK)
    page.goto(f"{app_server.url}/action-plan?a={example.id}")
    settle(page)
    page.get_by_role("heading", name="Action plan: Exampleshire (fictional example)").wait_for()
    tab_to(page, lambda f: f["where"] == "summary" and TITLE in f["name"], limit=60)
    open_with_enter(page, "Owner")
    tab_to(page, lambda f: f["where"] == "input" and f["name"] == "Owner")
    page.keyboard.type("Head of commissioning, public health")
    tab_to(page, lambda f: "Due date" in f["name"])  # the day, then the month and the year
    settle(page)
    page.keyboard.type("31032027")
    tab_to(page, lambda f: f["where"] == "input" and f["name"] == "Status")
    page.keyboard.type("In progress")
    page.keyboard.press("Enter")
    settle(page)
    tab_to(page, lambda f: f["where"] == "textarea" and f["name"] == "Notes")
    page.keyboard.type("Agreed at the March board")
    page.keyboard.press("Tab")
    settle(page)

    saved = Store(app_server.db_path).get(example.id).plan[TOP]
    assert (saved.owner, saved.due, saved.status, saved.notes) == (
        "Head of commissioning, public health",
        date(2027, 3, 31),
        "in_progress",
        "Agreed at the March board",
    )

    # An action the plan does not suggest, added with the keyboard.
    tab_to(page, lambda f: f["where"] == "summary" and "Add an action the plan does not suggest" in f["name"], limit=80)
    open_with_enter(page, "What will be done")
    tab_to(page, lambda f: f["where"] == "textarea" and f["name"] == "What will be done")
    page.keyboard.type("Agree a shared referral form with the district councils")
    tab_to(page, lambda f: f["where"] == "input" and f["name"] == "Owner")
    page.keyboard.type("IOM coordinator")
    tab_to(page, lambda f: f["where"] == "button" and f["name"] == "Add to the plan")
    page.keyboard.press("Enter")
    settle(page)
    own = [e for e in Store(app_server.db_path).get(example.id).plan.values() if e.own]
    assert [(e.what, e.owner) for e in own] == [
        ("Agree a shared referral form with the district councils", "IOM coordinator")
    ]

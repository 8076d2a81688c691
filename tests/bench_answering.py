"""`make bench`, answering (issue 12), in Chromium against the real app under ``streamlit run``:

- **Actions per answer**: a browser walk of the whole survey as a new user does it with a mouse: every statement
  of the six principles and every partner answer, a note typed for each principle's first statement, "Next",
  "Next partner", the review and "See the results". Clicks and key presses that choose something count, and
  typing a note counts once. Scrolls a user would need (the control was not on the screen) are counted apart.
- **Click to updated**: a level clicked on the survey page until the card says "Saved at …: <that level>", against
  a floor app with the same Streamlit elements that saves straight to SQLite (tests/bench_floor_survey.py). The
  two apps run side by side and are clicked in turn; medians of the clicks; the ratio is the figure.

Counts and ratios only: never use these timings in a test.
"""

from __future__ import annotations

import os
import re
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.bench import EXTRA_DOMAIN_ROWS, ROOT, Row

CLICKS = 15  # timed clicks per app
WARMUP = 4
TARGET_ACTIONS = 1.3
TARGET_RATIO = 1.2
SKIP_WALK = bool(os.environ.get("BENCH_SKIP_WALK"))  # only the click-to-updated row, when profiling

SAVED_FOR = """([number, label]) => {
    const app = document.querySelector('[data-testid=stApp]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    const group = document.querySelector(`[role=radiogroup][aria-label^="1.${number} "]`);
    const card = group && group.closest('[data-testid=stVerticalBlock]');
    const note = card && card.querySelector('.iom-saved');
    return !!note && (note.textContent.includes(`: ${label}.`) || note.textContent.includes(`: ${label} and`));
}"""


def _settle(page) -> None:
    from tests.e2e.conftest import settle

    settle(page)


@dataclass
class Walk:
    answers: int
    actions: int
    scrolls: int
    notes: int
    navigation: int


def _act(page, locator, walk: Walk) -> None:
    """One click that chooses something; a scroll first if the control is not on the screen."""
    locator.wait_for()
    if not locator.evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    ):
        walk.scrolls += 1
    locator.click()
    walk.actions += 1
    _settle(page)


def actions_per_answer(server, store, bank, *, width: int = 1400) -> Walk:
    from playwright.sync_api import sync_playwright

    from assessment.services import start_assessment
    from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS

    assessment = start_assessment(store, bank, area="Walkshire", year=2026)
    walk = Walk(answers=0, actions=0, scrolls=0, notes=0, navigation=0)
    levels = [f"{level.number} {level.label}" for level in bank.levels]
    partner_words = [option.label for option in bank.partners.answers]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.set_default_timeout(60_000)
        page.goto(f"{server.url}/survey?a={assessment.id}")
        _settle(page)
        for principle in bank.principles:
            for number, _ in enumerate(principle.statements, start=1):
                group = page.get_by_role("radiogroup", name=re.compile(rf"^{principle.number}\.{number} "))
                _act(page, group.get_by_text(levels[(number + principle.number) % 5], exact=True), walk)
                walk.answers += 1
                if number == 1:
                    note = page.get_by_role(
                        "textbox", name=f"Evidence note for statement {principle.number}.1 (optional)"
                    )
                    note.fill(f"Board minutes, principle {principle.number}")  # typing a note counts once
                    walk.actions += 1
                    walk.notes += 1
            _act(page, page.get_by_role("button", name=re.compile("^Next: ")), walk)
            walk.navigation += 1
        partners = bank.partners.partners
        for index, partner in enumerate(partners):
            for position, indicator in enumerate(bank.partners.indicators):
                name = f"{partner.name}: {indicator.text[:1].lower()}{indicator.text[1:]}?"
                group = page.get_by_role("radiogroup", name=name, exact=True)
                _act(page, group.get_by_text(partner_words[(index + position) % 3], exact=True), walk)
                walk.answers += 1
            button = "Next partner: " if index < len(partners) - 1 else "Next: Review my answers"
            _act(page, page.get_by_role("button", name=re.compile("^" + re.escape(button))), walk)
            walk.navigation += 1
        _act(page, page.get_by_role("link", name=re.compile("See the results")), walk)
        walk.navigation += 1
        page.get_by_role("heading", name="Results: Walkshire 2026").wait_for()
        browser.close()
    saved = store.get(assessment.id)
    given = sum(1 for a in saved.answers.values() if a.choice) + sum(
        1 for p in bank.partners.partners for i in bank.partners.indicators if saved.partner_answer(p.id, i.id)
    )
    assert given == walk.answers, f"the walk gave {walk.answers} answers but {given} were saved"
    return walk


def click_to_updated(server, floor, store, bank) -> tuple[float, float]:
    """Median seconds from a click on a level to the card saying it is saved: (the survey page, the floor app)."""
    from playwright.sync_api import sync_playwright

    from assessment.services import start_assessment
    from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS

    assessment = start_assessment(store, bank, area="Clickshire", year=2026)
    levels = [f"{level.number} {level.label}" for level in bank.levels]
    times: dict[str, list[float]] = {"app": [], "floor": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = {}
        for name, url in (("app", f"{server.url}/survey?a={assessment.id}"), ("floor", floor.url)):
            page = browser.new_context(viewport={"width": 1400, "height": 1800}).new_page()
            page.set_default_timeout(60_000)
            page.goto(url)
            _settle(page)
            page.get_by_role("radiogroup", name=re.compile(r"^1\.1 ")).wait_for()
            pages[name] = page
        statements = len(bank.principles[0].statements)
        for click in range(WARMUP + CLICKS):
            number = click % statements + 1
            label = levels[(click + number) % 5]
            for name in ("app", "floor") if click % 2 else ("floor", "app"):
                page = pages[name]
                target = page.get_by_role("radiogroup", name=re.compile(rf"^1\.{number} ")).get_by_text(
                    label, exact=True
                )
                target.scroll_into_view_if_needed()
                page.wait_for_timeout(100)
                start = time.perf_counter()
                target.click()
                page.wait_for_function(SAVED_FOR, arg=[number, label], polling="raf")
                if click >= WARMUP:
                    times[name].append(time.perf_counter() - start)
        browser.close()
    return statistics.median(times["app"]), statistics.median(times["floor"])


def answering_rows(store, bank, example, rows, folder: Path) -> list[Row]:
    from assessment.store import Store
    from tests.e2e.server import CHROMIUM, AppServer

    if not Path(CHROMIUM).exists():
        print(f"Answering: skipped, Chromium is not installed at {CHROMIUM}.")
        return []
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        server = AppServer(work / "app.sqlite3", work / "app.log").start()
        floor = AppServer(
            work / "unused.sqlite3",
            work / "floor.log",
            script=ROOT / "tests" / "bench_floor_survey.py",
            env={"FLOOR_DB": str(work / "floor.sqlite3"), "PYTHONPATH": str(ROOT)},
        ).start()
        try:
            app_store = Store(server.db_path)
            app_time, floor_time = click_to_updated(server, floor, app_store, bank)
            walk = actions_per_answer(server, app_store, bank) if not SKIP_WALK else None
        finally:
            server.stop()
            floor.stop()
    if walk is not None:
        ANSWERING.append(walk)
    return [
        Row(
            "Survey: a level clicked until shown saved (Chromium)",
            app_time,
            "floor app, same elements, sqlite3",
            floor_time,
            TARGET_RATIO,
        )
    ]


ANSWERING: list[Walk] = []


def print_answering() -> None:
    for walk in ANSWERING:
        per_answer = walk.actions / walk.answers
        verdict = "ok" if per_answer <= TARGET_ACTIONS else "OVER"
        print(
            f"\nAnswering the whole survey in Chromium at 1400 px (principles and partners, with a mouse): "
            f"{walk.answers} answers in {walk.actions} actions = {per_answer:.2f} per answer "
            f"(target ≤{TARGET_ACTIONS:g}) [{verdict}]"
        )
        print(
            f"  actions: {walk.answers} choices, {walk.notes} notes typed (1 each), {walk.navigation} Next, "
            f"Next partner and See the results; scrolls needed besides: {walk.scrolls}"
        )


EXTRA_DOMAIN_ROWS.append(answering_rows)


if __name__ == "__main__":  # just this section: python -m tests.bench_answering
    import sys

    from questions.loader import get_bank
    from tests import bench

    sys.path.insert(0, str(ROOT))
    bench.print_table(answering_rows(None, get_bank(), None, [], Path(".")))
    print_answering()

"""An inspector in a real browser compares the 43 police force areas over two years: reads the statistics,
filters by region, opens an area's answers, and downloads the workbook and the CSV.

Tables are found by what they hold, never by position, and every wait is for an element to appear, so the walk
does not depend on how fast the machine is.
"""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from assessment.store import Store
from questions.loader import get_bank
from tests.e2e.conftest import choose_option, settle
from tests.national import national_returns

BANK = get_bank()


def table_holding(page, text: str):
    """The table that holds ``text``, waited for."""
    table = page.get_by_test_id("stTable").filter(has_text=text).first
    table.wait_for()
    return table


def test_an_inspector_compares_43_areas_over_two_years(app_server, page):
    store = Store(app_server.db_path)
    for assessment in national_returns(BANK, (2025, 2026)):
        store.create(assessment)

    page.goto(f"{app_server.url}/compare")
    page.get_by_role("heading", name="Compare areas and years").wait_for()
    settle(page)
    main = page.get_by_test_id("stMain")
    main.get_by_text("Comparing 86 self-assessments of 43 areas over 2 years; 43 in 2026.").wait_for(timeout=120_000)

    stats = table_holding(page, "Lower quartile").inner_text()
    assert "Overall" in stats and "43" in stats
    assert "inclusive method" in main.inner_text()

    scores = table_holding(page, "Mean of 43 areas in 2026").inner_text()
    assert "1 of 43" in scores
    main.get_by_text("Showing 1 to 25 of 43 areas.").wait_for()  # paged, never dozens of screens
    chart = page.get_by_test_id("stVegaLiteChart").filter(
        has=page.locator("[aria-label^='Heat map of the six principle scores']")
    )
    assert chart.count() == 1 or page.locator("[aria-label^='Heat map of the six principle scores']").count() == 1

    # Filter to one region: the statistics and the table follow.
    choose_option(page, "Regions", "Wales")
    page.keyboard.press("Escape")
    settle(page)
    main.get_by_text("Comparing 8 self-assessments of 4 areas over 2 years; 4 in 2026.").wait_for()
    wales = table_holding(page, "Mean of 4 areas in 2026").inner_text()
    for force in ("North Wales", "Gwent", "South Wales", "Dyfed-Powys"):
        assert f"{force} 2026" in wales
    assert "Kent 2026" not in wales

    # Open one area's answers, read-only.
    settle(page)
    choose_option(page, "Open an area's answers (read-only)", "Gwent 2026")
    settle(page)
    page.get_by_role("heading", name="Answers of Gwent 2026 (read-only)").wait_for()

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the comparison workbook (Excel)").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert "Statistics" in book.sheetnames and book["Scores"].max_row >= 4 + 86

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the comparison (CSV)").click()
    lines = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert len(lines) == 86 and {line["Region"] for line in lines} >= {"Wales", "London", "South East"}
    page.screenshot(path="/tmp/h11-compare-e2e.png", full_page=False)
